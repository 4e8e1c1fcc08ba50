"""feed tokens, import side files, what-if scenarios and runs

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# the ORM side of these tables: loading this migration registers them on Base.metadata, so a
# metadata comparison after `upgrade` sees them even when no router imported them yet
import web.featuretables  # noqa: F401,E402

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Tables of web/featuretables.py."""
    op.create_table('agenda_tokens',
                    sa.Column('digest', sa.String(length=64), nullable=False),
                    sa.Column('staff_id', sa.String(length=64), nullable=False),
                    sa.Column('created', sa.String(length=40), nullable=False),
                    sa.Column('revoked', sa.String(length=40), nullable=True),
                    sa.PrimaryKeyConstraint('digest'))
    op.create_index('ix_agenda_tokens_staff_id', 'agenda_tokens', ['staff_id'])
    op.create_table('import_bestanden',
                    sa.Column('path', sa.String(length=200), nullable=False),
                    sa.Column('content', sa.Text(), nullable=False),
                    sa.Column('updated_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('path'))
    op.create_table('scenarios',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('name', sa.String(length=200), nullable=False),
                    sa.Column('base_id', sa.Integer(), nullable=True),
                    sa.Column('yaml_text', sa.Text(), nullable=False),
                    sa.Column('created_by', sa.String(length=100), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['base_id'], ['scenarios.id'], ondelete='SET NULL'),
                    sa.PrimaryKeyConstraint('id'))
    op.create_table('scenario_runs',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('label', sa.String(length=400), nullable=False),
                    sa.Column('weeks', sa.Integer(), nullable=False),
                    sa.Column('results', sa.JSON(), nullable=False),
                    sa.Column('created_by', sa.String(length=100), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))


def downgrade() -> None:
    """Drop them again."""
    op.drop_table('scenario_runs')
    op.drop_table('scenarios')
    op.drop_table('import_bestanden')
    op.drop_index('ix_agenda_tokens_staff_id', table_name='agenda_tokens')
    op.drop_table('agenda_tokens')
