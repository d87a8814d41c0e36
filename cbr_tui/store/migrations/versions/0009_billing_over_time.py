"""billing over time: the shared demo clock, hourly charges of pay-per-use vaults, frozen vaults and arrears

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('demo_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('anchor_real', sa.DateTime(timezone=True), nullable=False),
    sa.Column('anchor_cloud', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rate', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demo_clock'))
    )
    op.create_table('usage_charge',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('account_id', sa.String(), nullable=False),
    sa.Column('project_id', sa.String(), nullable=False),
    sa.Column('vault_id', sa.String(), nullable=False),
    sa.Column('vault_name', sa.String(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('size_gb', sa.BigInteger(), nullable=False),
    sa.Column('hourly_e4', sa.BigInteger(), nullable=False),
    sa.Column('amount_e4', sa.BigInteger(), nullable=False),
    sa.Column('deducted_cents', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_usage_charge_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_charge'))
    )
    op.create_index('ix_usage_charge_account', 'usage_charge', ['account_id', 'start'], unique=False)
    op.create_index(op.f('ix_usage_charge_vault_id'), 'usage_charge', ['vault_id'], unique=False)
    with op.batch_alter_table('account') as batch:
        batch.add_column(sa.Column('arrears_since', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('vault') as batch:
        batch.add_column(sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('billed_through', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('billed_e4', sa.BigInteger(), nullable=False, server_default='0'))
    # pay-per-use vaults bought before this revision are charged from now on
    op.execute("UPDATE vault SET billed_through = CURRENT_TIMESTAMP WHERE charging_mode = 'post_paid'")


def downgrade() -> None:
    with op.batch_alter_table('vault') as batch:
        batch.drop_column('billed_e4')
        batch.drop_column('billed_through')
        batch.drop_column('frozen_at')
    with op.batch_alter_table('account') as batch:
        batch.drop_column('arrears_since')
    op.drop_index(op.f('ix_usage_charge_vault_id'), table_name='usage_charge')
    op.drop_index('ix_usage_charge_account', table_name='usage_charge')
    op.drop_table('usage_charge')
    op.drop_table('demo_clock')
