"""backups record what the engine did: whether it read only what changed, and why it read everything

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('backup') as batch:
        batch.add_column(sa.Column('read_reason', sa.String(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('backup') as batch:
        batch.drop_column('read_reason')
