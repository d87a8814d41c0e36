"""list indexes: the vault and backups lists page through large stores without sorting or scanning rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vault", schema=None) as batch_op:
        batch_op.create_index("ix_vault_list", ["project_id", "object_type", "created_at", "id"], unique=False)
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.create_index("ix_backup_list", ["project_id", "provider_id", "parent_id", "created_at", "id",
                                                 "vault_id"], unique=False)
        batch_op.create_index("ix_backup_vault", ["vault_id", "parent_id", "resource_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.drop_index("ix_backup_vault")
        batch_op.drop_index("ix_backup_list")
    with op.batch_alter_table("vault", schema=None) as batch_op:
        batch_op.drop_index("ix_vault_list")
