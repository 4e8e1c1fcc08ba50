"""taken: background jobs (solves, what-if runs, sweep scenarios) with state and progress in the database

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import web.featuretables  # noqa: F401,E402 - scenario_runs, referenced by taken.run_id

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('taken',
                    sa.Column('id', sa.String(length=32), nullable=False),
                    sa.Column('kind', sa.String(length=20), nullable=False),
                    sa.Column('parent_id', sa.String(length=32), nullable=True),
                    sa.Column('params', sa.JSON(), nullable=False),
                    sa.Column('snapshot', sa.JSON(none_as_null=True), nullable=True),
                    sa.Column('state', sa.String(length=10), nullable=False),
                    sa.Column('progress', sa.JSON(), nullable=False),
                    sa.Column('stop_requested', sa.Boolean(), nullable=False),
                    sa.Column('plan_id', sa.Integer(), nullable=True),
                    sa.Column('run_id', sa.Integer(), nullable=True),
                    sa.Column('result', sa.JSON(none_as_null=True), nullable=True),
                    sa.Column('status', sa.String(length=40), nullable=False),
                    sa.Column('message', sa.Text(), nullable=False),
                    sa.Column('created_by', sa.String(length=100), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('started_at', sa.DateTime(), nullable=True),
                    sa.Column('finished_at', sa.DateTime(), nullable=True),
                    sa.Column('heartbeat', sa.DateTime(), nullable=True),
                    sa.Column('worker', sa.String(length=200), nullable=False),
                    sa.ForeignKeyConstraint(['parent_id'], ['taken.id'], ondelete='CASCADE'),
                    sa.ForeignKeyConstraint(['plan_id'], ['plannen.id'], ondelete='SET NULL'),
                    sa.ForeignKeyConstraint(['run_id'], ['scenario_runs.id'], ondelete='SET NULL'),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_taken_parent_id', 'taken', ['parent_id'])
    op.create_index('ix_taken_state', 'taken', ['state'])
    op.create_index('ix_taken_created_at', 'taken', ['created_at'])


def downgrade() -> None:
    op.drop_index('ix_taken_created_at', table_name='taken')
    op.drop_index('ix_taken_state', table_name='taken')
    op.drop_index('ix_taken_parent_id', table_name='taken')
    op.drop_table('taken')
