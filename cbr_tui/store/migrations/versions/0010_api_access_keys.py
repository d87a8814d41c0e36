"""access keys for the CBR v3 API: the account's own keys beside IAM users', and secrets sealed, not hashed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('access_key') as batch:
        batch.add_column(sa.Column('account_id', sa.String(), nullable=True))
        batch.add_column(sa.Column('secret_sealed', sa.LargeBinary(), nullable=True))
        batch.alter_column('secret_hash', existing_type=sa.String(), nullable=True)
        batch.drop_constraint('fk_access_key_user_id_iam_user', type_='foreignkey')
    op.execute("UPDATE access_key SET account_id = "
               "(SELECT iam_user.account_id FROM iam_user WHERE iam_user.id = access_key.user_id)")
    with op.batch_alter_table('access_key') as batch:
        batch.alter_column('account_id', existing_type=sa.String(), nullable=False)
        batch.create_foreign_key(batch.f('fk_access_key_account_id_account'), 'account', ['account_id'], ['id'])
        batch.create_index(batch.f('ix_access_key_account_id'), ['account_id'], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM access_key WHERE secret_hash IS NULL "
               "OR user_id NOT IN (SELECT id FROM iam_user)")
    with op.batch_alter_table('access_key') as batch:
        batch.drop_index(batch.f('ix_access_key_account_id'))
        batch.drop_constraint(batch.f('fk_access_key_account_id_account'), type_='foreignkey')
        batch.drop_column('secret_sealed')
        batch.drop_column('account_id')
        batch.alter_column('secret_hash', existing_type=sa.String(), nullable=False)
        batch.create_foreign_key(batch.f('fk_access_key_user_id_iam_user'), 'iam_user', ['user_id'], ['id'])
