"""The log of unexpected errors: their tracebacks go to a file a person can send, never to the screen."""

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "cbr-tui.log"


def log_path(home: Path) -> Path:
    return home / "logs" / LOG_NAME


def record_unexpected(error: BaseException, home: Path) -> Path | None:
    """Append the error's traceback to the data directory's log (private to its owner); returns the log's
    path, or None when it cannot be written (the caller still reports the error, without a path)."""
    path = log_path(home)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()}\n")
            handle.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path
