"""security review (issue 22): server-side sessions, login attempts, scenario versions; no secret in settings

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('web_sessies',
                    sa.Column('digest', sa.String(length=64), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('last_seen', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['gebruikers.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('digest'))
    op.create_index('ix_web_sessies_user_id', 'web_sessies', ['user_id'])
    op.create_table('inlogpogingen',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('at', sa.DateTime(), nullable=False),
                    sa.Column('username', sa.String(length=100), nullable=False),
                    sa.Column('ip', sa.String(length=64), nullable=False),
                    sa.Column('ok', sa.Boolean(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_inlogpogingen_at', 'inlogpogingen', ['at'])
    op.create_index('ix_inlogpogingen_username', 'inlogpogingen', ['username'])
    op.create_index('ix_inlogpogingen_ip', 'inlogpogingen', ['ip'])
    with op.batch_alter_table('scenarios') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    # the session secret no longer lives in the database (JHP_SECRET_KEY or a 0600 key file)
    op.execute("DELETE FROM settings WHERE key = 'secret_key'")


def downgrade() -> None:
    with op.batch_alter_table('scenarios') as batch:
        batch.drop_column('version')
    op.drop_index('ix_inlogpogingen_ip', table_name='inlogpogingen')
    op.drop_index('ix_inlogpogingen_username', table_name='inlogpogingen')
    op.drop_index('ix_inlogpogingen_at', table_name='inlogpogingen')
    op.drop_table('inlogpogingen')
    op.drop_index('ix_web_sessies_user_id', table_name='web_sessies')
    op.drop_table('web_sessies')
