"""engine and runner: the chunk index, backup statistics, task leases and progress, images

Columns added to tables that may already hold rows get server defaults, so upgrading keeps those rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chunk",
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("object_key", sa.String(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("raw_size", sa.BigInteger(), nullable=False),
        sa.Column("refcount", sa.Integer(), nullable=False),
        sa.Column("zero_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("damaged", sa.Boolean(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("vault_id", "hash", name=op.f("pk_chunk")),
    )
    with op.batch_alter_table("chunk", schema=None) as batch_op:
        batch_op.create_index("ix_chunk_vault_object", ["vault_id", "object_key"], unique=False)

    op.create_table(
        "image",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("backup_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("min_disk_gb", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_image_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image")),
    )
    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_image_backup_id"), ["backup_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_image_project_id"), ["project_id"], unique=False)

    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manifest_key", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("manifest_hash", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("manifest_size", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("logical_bytes", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("read_bytes", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("new_bytes", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("bitmap_generation", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("damaged", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("bytes_done", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("bytes_total", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("cancel_requested")
        batch_op.drop_column("bytes_total")
        batch_op.drop_column("bytes_done")
        batch_op.drop_column("attempts")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("lease_owner")

    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.drop_column("damaged")
        batch_op.drop_column("bitmap_generation")
        batch_op.drop_column("new_bytes")
        batch_op.drop_column("read_bytes")
        batch_op.drop_column("logical_bytes")
        batch_op.drop_column("manifest_size")
        batch_op.drop_column("manifest_hash")
        batch_op.drop_column("manifest_key")

    with op.batch_alter_table("image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_image_project_id"))
        batch_op.drop_index(batch_op.f("ix_image_backup_id"))

    op.drop_table("image")
    with op.batch_alter_table("chunk", schema=None) as batch_op:
        batch_op.drop_index("ix_chunk_vault_object")

    op.drop_table("chunk")
