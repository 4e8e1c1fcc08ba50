"""dienstwensen: staff shift wishes (wensen.csv) for the residential rosters

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('dienstwensen',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('staff_id', sa.String(length=64), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('shift', sa.String(length=1), nullable=False),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('weight', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['staff_id'], ['medewerkers.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('staff_id', 'day', 'shift', name='uq_dienstwensen_staff_id_day_shift'))
    op.create_index('ix_dienstwensen_staff_id', 'dienstwensen', ['staff_id'])


def downgrade() -> None:
    op.drop_index('ix_dienstwensen_staff_id', table_name='dienstwensen')
    op.drop_table('dienstwensen')
