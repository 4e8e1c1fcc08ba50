"""groepen.team_id: the fixed team that staffs a residential group's shifts

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('groepen') as batch:
        batch.add_column(sa.Column('team_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('groepen') as batch:
        batch.drop_column('team_id')
