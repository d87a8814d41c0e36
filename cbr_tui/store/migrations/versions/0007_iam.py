"""iam: users, groups, grants of the CBR system policies, login sessions, SSH keys and access keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('iam_group',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('account_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_iam_group_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iam_group')),
    sa.UniqueConstraint('account_id', 'name', name=op.f('uq_iam_group_account_id_name'))
    )
    with op.batch_alter_table('iam_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iam_group_account_id'), ['account_id'], unique=False)

    op.create_table('iam_user',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('account_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('description', sa.String(), nullable=True),
    sa.Column('console_access', sa.Boolean(), nullable=False),
    sa.Column('programmatic_access', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=True),
    sa.Column('password_setup_hash', sa.String(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_iam_user_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iam_user')),
    sa.UniqueConstraint('account_id', 'name', name=op.f('uq_iam_user_account_id_name'))
    )
    with op.batch_alter_table('iam_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iam_user_account_id'), ['account_id'], unique=False)

    op.create_table('access_key',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('user_id', sa.String(), nullable=False),
    sa.Column('secret_hash', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['iam_user.id'], name=op.f('fk_access_key_user_id_iam_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_key'))
    )
    with op.batch_alter_table('access_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_key_user_id'), ['user_id'], unique=False)

    op.create_table('iam_grant',
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('policy', sa.String(), nullable=False),
    sa.Column('scope', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['iam_group.id'], name=op.f('fk_iam_grant_group_id_iam_group')),
    sa.PrimaryKeyConstraint('group_id', 'policy', 'scope', name=op.f('pk_iam_grant'))
    )
    op.create_table('iam_membership',
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('user_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['iam_group.id'], name=op.f('fk_iam_membership_group_id_iam_group')),
    sa.ForeignKeyConstraint(['user_id'], ['iam_user.id'], name=op.f('fk_iam_membership_user_id_iam_user')),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_iam_membership'))
    )
    with op.batch_alter_table('iam_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iam_membership_user_id'), ['user_id'], unique=False)

    op.create_table('iam_session',
    sa.Column('token_hash', sa.String(), nullable=False),
    sa.Column('user_id', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['iam_user.id'], name=op.f('fk_iam_session_user_id_iam_user')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_iam_session'))
    )
    with op.batch_alter_table('iam_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iam_session_user_id'), ['user_id'], unique=False)

    op.create_table('iam_ssh_key',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('user_id', sa.String(), nullable=False),
    sa.Column('fingerprint', sa.String(), nullable=False),
    sa.Column('public_key', sa.String(), nullable=False),
    sa.Column('comment', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['iam_user.id'], name=op.f('fk_iam_ssh_key_user_id_iam_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iam_ssh_key')),
    sa.UniqueConstraint('user_id', 'fingerprint', name=op.f('uq_iam_ssh_key_user_id_fingerprint'))
    )
    with op.batch_alter_table('iam_ssh_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iam_ssh_key_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('iam_ssh_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iam_ssh_key_user_id'))

    op.drop_table('iam_ssh_key')
    with op.batch_alter_table('iam_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iam_session_user_id'))

    op.drop_table('iam_session')
    with op.batch_alter_table('iam_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iam_membership_user_id'))

    op.drop_table('iam_membership')
    op.drop_table('iam_grant')
    with op.batch_alter_table('access_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_key_user_id'))

    op.drop_table('access_key')
    with op.batch_alter_table('iam_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iam_user_account_id'))

    op.drop_table('iam_user')
    with op.batch_alter_table('iam_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iam_group_account_id'))

    op.drop_table('iam_group')
