"""encryption keys: an encrypted disk names its KMS key, and so does each backup of it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kms_key_id", sa.String(), nullable=True))
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kms_key_id", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.drop_column("kms_key_id")
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_column("kms_key_id")
