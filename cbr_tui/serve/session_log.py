"""One line per served session's start and end (who, from where, how long), in `logs/sessions.log` of the data
directory: what someone running a demo or a class reads to see who was on."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path


def log_session(home: Path, event: str, **fields: object) -> None:
    """Append `{"time", "event", ...fields}` as one JSON line (the file is private to its owner)."""
    path = home / "logs" / "sessions.log"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = json.dumps({"time": datetime.now(UTC).isoformat(timespec="seconds"), "event": event, **fields})
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(line + "\n")
