"""vault.secondary_zone: where a Multi-AZ vault keeps its second copy of every object

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('vault', sa.Column('secondary_zone', sa.String(), nullable=True))
    # Multi-AZ vaults bought before: their region's first other zone, as a purchase now chooses.
    op.execute(
        "UPDATE vault SET secondary_zone = ("
        " SELECT MIN(other.id) FROM availability_zone AS other JOIN availability_zone AS own"
        " ON own.region_id = other.region_id"
        " WHERE own.id = vault.availability_zone AND other.id <> own.id)"
        " WHERE is_multi_az AND availability_zone IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('vault') as batch:
        batch.drop_column('secondary_zone')
