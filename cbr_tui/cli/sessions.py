"""Where `cbr-tui login` keeps a session token for later commands (`--user NAME`): one private file per user
in the data directory's `sessions/`, holding only the token (the database keeps its digest)."""

import json
import os
from pathlib import Path

from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.iam_rules import check_username


def _path(home: Path, user: str) -> Path:
    """IAM's username rule keeps the name a plain file name (no "/", no leading "." or digit)."""
    return home / "sessions" / check_username(user)


def keep(home: Path, user: str, token: str) -> Path:
    path = _path(home, user)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    temporary = path.with_name(f"~{user}")  # "~" is in no username
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"user": user, "token": token}, handle)
    os.replace(temporary, path)
    return path


def token_of(home: Path, user: str) -> str:
    try:
        return str(json.loads(_path(home, user).read_text())["token"])
    except (OSError, ValueError, KeyError, TypeError):
        raise CbrError(Codes.AUTHENTICATION_FAILED,
                       f"{user} is not logged in here: run `cbr-tui login {user}` first.") from None


def forget(home: Path, user: str) -> bool:
    try:
        _path(home, user).unlink()
        return True
    except FileNotFoundError:
        return False
