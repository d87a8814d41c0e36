"""backups in database server vaults record whether they are application-consistent, and why not

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('backup') as batch:
        batch.add_column(sa.Column('app_consistency_status', sa.String(), nullable=True))
        batch.add_column(sa.Column('app_consistency_error_code', sa.String(), nullable=True))
        batch.add_column(sa.Column('app_consistency_error_message', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('backup') as batch:
        batch.drop_column('app_consistency_error_message')
        batch.drop_column('app_consistency_error_code')
        batch.drop_column('app_consistency_status')
