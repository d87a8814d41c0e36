"""store_removal: deleted vaults whose objects a store has yet to remove (it did not answer at the time)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'store_removal',
        sa.Column('vault_id', sa.String(), nullable=False),
        sa.Column('vault_name', sa.String(), nullable=False),
        sa.Column('availability_zone', sa.String(), nullable=True),
        sa.Column('secondary_zone', sa.String(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('vault_id', name=op.f('pk_store_removal')),
    )


def downgrade() -> None:
    op.drop_table('store_removal')
