"""control plane schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("user_name", sa.String(), nullable=False),
        sa.Column("balance_cents", sa.BigInteger(), nullable=False),
        sa.Column("demo_inventory", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
    )
    op.create_table(
        "region",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region")),
    )
    op.create_table(
        "availability_zone",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("region_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("accepts_new_associations", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_availability_zone_region_id_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_zone")),
    )
    with op.batch_alter_table("availability_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_availability_zone_region_id"), ["region_id"], unique=False)

    op.create_table(
        "enterprise_project",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("account_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_enterprise_project_account_id_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_project")),
        sa.UniqueConstraint("account_id", "name", name=op.f("uq_enterprise_project_account_id_name")),
    )
    with op.batch_alter_table("enterprise_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_project_account_id"), ["account_id"], unique=False)

    op.create_table(
        "project",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("account_id", sa.String(), nullable=False),
        sa.Column("region_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_project_account_id_account")),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_project_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("account_id", "region_id", name=op.f("uq_project_account_id_region_id")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_account_id"), ["account_id"], unique=False)

    op.create_table(
        "backup",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("checkpoint_id", sa.String(), nullable=False),
        sa.Column("parent_id", sa.String(), nullable=True),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("resource_id", sa.String(), nullable=False),
        sa.Column("resource_name", sa.String(), nullable=False),
        sa.Column("resource_type", sa.String(), nullable=False),
        sa.Column("resource_size", sa.Integer(), nullable=False),
        sa.Column("resource_az", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("image_type", sa.String(), nullable=False),
        sa.Column("incremental", sa.Boolean(), nullable=False),
        sa.Column("auto_trigger", sa.Boolean(), nullable=False),
        sa.Column("bootable", sa.Boolean(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("contain_system_disk", sa.Boolean(), nullable=False),
        sa.Column("provider_id", sa.String(), nullable=False),
        sa.Column("enterprise_project_id", sa.String(), nullable=False),
        sa.Column("policy_id", sa.String(), nullable=True),
        sa.Column("fail_reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("protected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_backup_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup")),
    )
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backup_checkpoint_id"), ["checkpoint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_backup_vault_id"), ["vault_id"], unique=False)

    op.create_table(
        "checkpoint",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("incremental", sa.Boolean(), nullable=False),
        sa.Column("auto_trigger", sa.Boolean(), nullable=False),
        sa.Column("policy_id", sa.String(), nullable=True),
        sa.Column("retention_duration_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_checkpoint_project_id_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoint")),
    )
    with op.batch_alter_table("checkpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkpoint_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkpoint_vault_id"), ["vault_id"], unique=False)

    op.create_table(
        "policy",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("operation_type", sa.String(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("pattern", sa.JSON(), nullable=False),
        sa.Column("operation_definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_policy_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy")),
    )
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_project_id"), ["project_id"], unique=False)

    op.create_table(
        "purchase_order",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("account_id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("vault_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_purchase_order_account_id_account"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_purchase_order_project_id_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order")),
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_order_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_purchase_order_vault_id"), ["vault_id"], unique=False)

    op.create_table(
        "resource",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("availability_zone", sa.String(), nullable=True),
        sa.Column("size_gb", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(), nullable=True),
        sa.Column("device", sa.String(), nullable=True),
        sa.Column("bootable", sa.Boolean(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("flavor", sa.String(), nullable=True),
        sa.Column("image_name", sa.String(), nullable=True),
        sa.Column("host_name", sa.String(), nullable=True),
        sa.Column("host_ip", sa.String(), nullable=True),
        sa.Column("host_os", sa.String(), nullable=True),
        sa.Column("agent_version", sa.String(), nullable=True),
        sa.Column("data_path", sa.String(), nullable=True),
        sa.Column("enterprise_project_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["resource.id"], name=op.f("fk_resource_parent_id_resource")),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_resource_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_project_id"), ["project_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("operation_type", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("provider_id", sa.String(), nullable=True),
        sa.Column("checkpoint_id", sa.String(), nullable=True),
        sa.Column("policy_id", sa.String(), nullable=True),
        sa.Column("vault_id", sa.String(), nullable=True),
        sa.Column("vault_name", sa.String(), nullable=True),
        sa.Column("resource_id", sa.String(), nullable=True),
        sa.Column("resource_name", sa.String(), nullable=True),
        sa.Column("resource_type", sa.String(), nullable=True),
        sa.Column("backup_id", sa.String(), nullable=True),
        sa.Column("backup_name", sa.String(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(), nullable=True),
        sa.Column("error_message", sa.String(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_task_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_backup_id"), ["backup_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_operation_type"), ["operation_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_vault_id"), ["vault_id"], unique=False)

    op.create_table(
        "vault",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("object_type", sa.String(), nullable=False),
        sa.Column("protect_type", sa.String(), nullable=False),
        sa.Column("consistent_level", sa.String(), nullable=False),
        sa.Column("cloud_type", sa.String(), nullable=False),
        sa.Column("charging_mode", sa.String(), nullable=False),
        sa.Column("period_type", sa.String(), nullable=True),
        sa.Column("period_num", sa.Integer(), nullable=True),
        sa.Column("is_auto_renew", sa.Boolean(), nullable=False),
        sa.Column("is_auto_pay", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("size_gb", sa.BigInteger(), nullable=False),
        sa.Column("used_bytes", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("frozen_scene", sa.String(), nullable=True),
        sa.Column("is_multi_az", sa.Boolean(), nullable=False),
        sa.Column("availability_zone", sa.String(), nullable=True),
        sa.Column("enterprise_project_id", sa.String(), nullable=False),
        sa.Column("auto_bind", sa.Boolean(), nullable=False),
        sa.Column("bind_rules", sa.JSON(), nullable=False),
        sa.Column("auto_expand", sa.Boolean(), nullable=False),
        sa.Column("smn_notify", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("backup_name_prefix", sa.String(), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("order_id", sa.String(), nullable=True),
        sa.Column("product_id", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_vault_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault")),
    )
    with op.batch_alter_table("vault", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_vault_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_vault_object_type"), ["object_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_vault_project_id"), ["project_id"], unique=False)

    op.create_table(
        "agent_path",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("agent_id", sa.String(), nullable=False),
        sa.Column("dir_path", sa.String(), nullable=False),
        sa.Column("exclude_paths", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["resource.id"], name=op.f("fk_agent_path_agent_id_resource")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_path")),
        sa.UniqueConstraint("agent_id", "dir_path", name=op.f("uq_agent_path_agent_id_dir_path")),
    )
    with op.batch_alter_table("agent_path", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_path_agent_id"), ["agent_id"], unique=False)

    op.create_table(
        "resource_tag",
        sa.Column("resource_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_resource_tag_resource_id_resource"),
        ),
        sa.PrimaryKeyConstraint("resource_id", "key", name=op.f("pk_resource_tag")),
    )
    op.create_table(
        "vault_policy",
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("operation_type", sa.String(), nullable=False),
        sa.Column("policy_id", sa.String(), nullable=False),
        sa.Column("destination_vault_id", sa.String(), nullable=True),
        sa.Column("destination_region", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["policy_id"], ["policy.id"], name=op.f("fk_vault_policy_policy_id_policy")),
        sa.ForeignKeyConstraint(["vault_id"], ["vault.id"], name=op.f("fk_vault_policy_vault_id_vault")),
        sa.PrimaryKeyConstraint("vault_id", "operation_type", name=op.f("pk_vault_policy")),
    )
    with op.batch_alter_table("vault_policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_policy_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "vault_resource",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("resource_id", sa.String(), nullable=False),
        sa.Column("resource_type", sa.String(), nullable=False),
        sa.Column("protect_status", sa.String(), nullable=False),
        sa.Column("auto_protect", sa.Boolean(), nullable=False),
        sa.Column("exclude_volumes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_vault_resource_resource_id_resource"),
        ),
        sa.ForeignKeyConstraint(["vault_id"], ["vault.id"], name=op.f("fk_vault_resource_vault_id_vault")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_resource")),
        sa.UniqueConstraint("resource_id", name=op.f("uq_vault_resource_resource_id")),
    )
    with op.batch_alter_table("vault_resource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_resource_vault_id"), ["vault_id"], unique=False)

    op.create_table(
        "vault_tag",
        sa.Column("vault_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["vault_id"], ["vault.id"], name=op.f("fk_vault_tag_vault_id_vault")),
        sa.PrimaryKeyConstraint("vault_id", "key", name=op.f("pk_vault_tag")),
    )
    with op.batch_alter_table("vault_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_tag_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vault_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_tag_key"))

    op.drop_table("vault_tag")
    with op.batch_alter_table("vault_resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_resource_vault_id"))

    op.drop_table("vault_resource")
    with op.batch_alter_table("vault_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_policy_policy_id"))

    op.drop_table("vault_policy")
    op.drop_table("resource_tag")
    with op.batch_alter_table("agent_path", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_path_agent_id"))

    op.drop_table("agent_path")
    with op.batch_alter_table("vault", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_project_id"))
        batch_op.drop_index(batch_op.f("ix_vault_object_type"))
        batch_op.drop_index(batch_op.f("ix_vault_name"))
        batch_op.drop_index(batch_op.f("ix_vault_created_at"))

    op.drop_table("vault")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_vault_id"))
        batch_op.drop_index(batch_op.f("ix_task_status"))
        batch_op.drop_index(batch_op.f("ix_task_resource_id"))
        batch_op.drop_index(batch_op.f("ix_task_project_id"))
        batch_op.drop_index(batch_op.f("ix_task_operation_type"))
        batch_op.drop_index(batch_op.f("ix_task_created_at"))
        batch_op.drop_index(batch_op.f("ix_task_backup_id"))

    op.drop_table("task")
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_project_id"))
        batch_op.drop_index(batch_op.f("ix_resource_parent_id"))
        batch_op.drop_index(batch_op.f("ix_resource_kind"))

    op.drop_table("resource")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_vault_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_account_id"))

    op.drop_table("purchase_order")
    with op.batch_alter_table("policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_project_id"))

    op.drop_table("policy")
    with op.batch_alter_table("checkpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkpoint_vault_id"))
        batch_op.drop_index(batch_op.f("ix_checkpoint_project_id"))

    op.drop_table("checkpoint")
    with op.batch_alter_table("backup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_vault_id"))
        batch_op.drop_index(batch_op.f("ix_backup_status"))
        batch_op.drop_index(batch_op.f("ix_backup_resource_id"))
        batch_op.drop_index(batch_op.f("ix_backup_project_id"))
        batch_op.drop_index(batch_op.f("ix_backup_parent_id"))
        batch_op.drop_index(batch_op.f("ix_backup_name"))
        batch_op.drop_index(batch_op.f("ix_backup_created_at"))
        batch_op.drop_index(batch_op.f("ix_backup_checkpoint_id"))

    op.drop_table("backup")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_account_id"))

    op.drop_table("project")
    with op.batch_alter_table("enterprise_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_project_account_id"))

    op.drop_table("enterprise_project")
    with op.batch_alter_table("availability_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_zone_region_id"))

    op.drop_table("availability_zone")
    op.drop_table("region")
    op.drop_table("account")
