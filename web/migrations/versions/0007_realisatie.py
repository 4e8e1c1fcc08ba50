"""realisatie: care delivered before the period (realisatie.csv); dataset.settings: manifest instroom/feestdagen

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('realisatie',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('toewijzing_id', sa.String(length=64), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('minutes', sa.Integer(), nullable=False),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('staff_id', sa.String(length=64), nullable=True),
                    sa.ForeignKeyConstraint(['toewijzing_id'], ['toewijzingen.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_realisatie_toewijzing_id', 'realisatie', ['toewijzing_id'])
    with op.batch_alter_table('dataset') as batch:
        batch.add_column(sa.Column('settings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dataset') as batch:
        batch.drop_column('settings')
    op.drop_index('ix_realisatie_toewijzing_id', table_name='realisatie')
    op.drop_table('realisatie')
