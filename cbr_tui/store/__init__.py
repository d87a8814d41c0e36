"""The SQLModel store: tables, `open_store(url)` (no engine at import time), migrations, demo inventory."""

from cbr_tui.store.store import Store, open_store

__all__ = ["Store", "open_store"]
