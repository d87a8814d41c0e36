"""Alembic environment: runs on the connection `cbr_tui.store.migrate` hands over (no alembic.ini)."""

from typing import Any

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

import cbr_tui.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)


def _render_item(kind: str, obj: Any, _context: Any) -> str | bool:
    """Write SQLModel's column types as plain SQLAlchemy ones, so old migrations never depend on SQLModel."""
    if kind == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("cbr-tui migrations run through cbr_tui.store.migrate, which supplies a connection")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
    render_item=_render_item,
)
context.run_migrations()
