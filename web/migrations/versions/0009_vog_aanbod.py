"""medewerkers.vog_date (VOG on file, A:1213/A:4183) and teams.offers (aanbod: duties while a form is offered)

Revision ID: 0009
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('medewerkers') as batch:
        batch.add_column(sa.Column('vog_date', sa.Date(), nullable=True))
    with op.batch_alter_table('teams') as batch:
        batch.add_column(sa.Column('offers', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.drop_column('offers')
    with op.batch_alter_table('medewerkers') as batch:
        batch.drop_column('vog_date')
