"""replicas: a replica backup names the backup it was copied from

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_backup_id", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_backup_source_backup_id"), ["source_backup_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_source_backup_id"))
        batch_op.drop_column("source_backup_id")
