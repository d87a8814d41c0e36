"""`cbr-tui serve web`: the console in a browser, one console process per browser tab (textual-serve).

Each connection starts `python -m cbr_tui` with this process's environment, to which the data directory,
database and region chosen here are added (in the environment, not on a command line where `ps` would
show a database password). So every tab is a full console on the same store: what one person does, the
others see, and the runner and scheduler of each process share the work through the store's claims.
"""

import os
import shlex
import sys
from collections.abc import Mapping

from textual_serve.server import Server

TITLE = "cbr-tui: Cloud Backup and Recovery"


def console_command(demo: bool = False) -> str:
    """The command each browser tab runs: this interpreter and this package (for a public demo, the wrapper
    that gives the tab a copy of the demo of its own)."""
    return shlex.join([sys.executable, "-m", "cbr_tui.serve.demo_console" if demo else "cbr_tui"])


def serve_web(host: str, port: int, environment: Mapping[str, str], *, public_url: str | None = None,
              demo: bool = False) -> None:
    """Serve until interrupted (Ctrl+C); the tabs' consoles get `environment` on top of this one's."""
    os.environ.update(environment)
    Server(console_command(demo), host=host, port=port, title=TITLE, public_url=public_url).serve()
