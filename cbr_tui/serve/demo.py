"""Public demos (`serve ssh --demo`): every connection gets a simulated cloud of its own, gone when it leaves.

The demo is built once, into `demo/template` of the data directory. Each session then gets a copy of it in
`demo/sessions/<id>`, with its own database, disk images and vaults, so no session can see another's. Disk
images are copied sparse, so a copy takes a fraction of a second. The copy is deleted when the session
ends, and any copies a crashed server left are deleted at its next start.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

from cbr_tui.services.console import open_console
from cbr_tui.services.settings import Settings


def sqlite_url(home: Path) -> str:
    return f"sqlite:///{home / 'cbr.db'}"


class DemoSessions:
    def __init__(self, home: Path, *, scale: float, region: str) -> None:
        self.root = home / "demo"
        self.template = self.root / "template"
        self.sessions = self.root / "sessions"
        self.scale = scale
        self.region = region

    def prepare(self) -> None:
        """Build the template once (a later start reuses it) and delete copies a crash left behind."""
        self.sessions.mkdir(mode=0o700, parents=True, exist_ok=True)
        for leftover in self.sessions.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
        self.template.mkdir(mode=0o700, exist_ok=True)
        open_console(Settings(home=self.template, database_url=sqlite_url(self.template), region=self.region,
                              demo_scale=self.scale)).close()

    def new_session(self) -> Path:
        """A fresh copy of the demo for one session."""
        target = self.sessions / uuid.uuid4().hex[:12]
        target.mkdir(mode=0o700)
        subprocess.run(["cp", "-a", "--sparse=always", f"{self.template}/.", str(target)], check=True)
        return target

    def remove(self, session_home: Path) -> None:
        if session_home.parent == self.sessions:
            shutil.rmtree(session_home, ignore_errors=True)

    def count(self) -> int:
        return sum(1 for _ in self.sessions.iterdir()) if self.sessions.exists() else 0
