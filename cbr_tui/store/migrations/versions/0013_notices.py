"""notices: what CBR sent through SMN (a vault's used capacity crossing its alarm threshold)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.String(), nullable=False),
        sa.Column('vault_id', sa.String(), nullable=False),
        sa.Column('vault_name', sa.String(), nullable=False),
        sa.Column('topic', sa.String(), nullable=False),
        sa.Column('message', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_notice_project_id_project')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    )
    op.create_index(op.f('ix_notice_project_id'), 'notice', ['project_id'], unique=False)
    op.create_index(op.f('ix_notice_vault_id'), 'notice', ['vault_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_notice_vault_id'), table_name='notice')
    op.drop_index(op.f('ix_notice_project_id'), table_name='notice')
    op.drop_table('notice')
