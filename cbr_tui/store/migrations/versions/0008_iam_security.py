"""iam security: an account's password and login authentication policies, where they differ from the defaults

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('iam_security',
    sa.Column('account_id', sa.String(), nullable=False),
    sa.Column('password_min_length', sa.Integer(), nullable=False),
    sa.Column('password_character_types', sa.Integer(), nullable=False),
    sa.Column('session_timeout_minutes', sa.Integer(), nullable=False),
    sa.Column('failures_allowed', sa.Integer(), nullable=False),
    sa.Column('failure_window_minutes', sa.Integer(), nullable=False),
    sa.Column('lockout_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_iam_security_account_id_account')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_iam_security'))
    )


def downgrade() -> None:
    op.drop_table('iam_security')
