"""`python -m cbr_tui.serve.demo_console`: what each browser tab of `serve web --demo` runs.

It takes a copy of the demo (see `demo.py`), runs the console on it as its administrator, and deletes the
copy when the console ends. The server passes its data directory, region, demo scale and session limit in
the environment; a tab beyond the limit is told to come back later.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cbr_tui.serve.demo import DemoSessions, sqlite_url
from cbr_tui.serve.session_log import log_session


def main() -> int:
    home = Path(os.environ["CBR_TUI_HOME"])
    limit = int(os.environ.get("CBR_TUI_MAX_SESSIONS", "50"))
    demos = DemoSessions(home, scale=0.0, region=os.environ.get("CBR_TUI_REGION", ""))
    if demos.count() >= limit:
        print(f"This cbr-tui demo already holds {limit} sessions, its limit; try again in a few minutes.",
              flush=True)
        time.sleep(5)  # long enough to be read in the browser
        return 1
    copy = demos.new_session()
    started = time.monotonic()
    log_session(home, "start", transport="web", user="demo", demo=copy.name)
    environment = {**os.environ, "CBR_TUI_HOME": str(copy), "CBR_TUI_DATABASE_URL": sqlite_url(copy),
                   "CBR_TUI_SERVED": "demo", "CBR_TUI_CONFINED": "1"}
    # The console runs as a child on this process's standard streams (the browser's), so that a closed tab
    # (SIGTERM from the server) still gets its copy deleted here.
    console = subprocess.Popen([sys.executable, "-m", "cbr_tui"], env=environment)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: console.terminate())
    code = 1
    try:
        code = console.wait()
    finally:
        demos.remove(copy)
        log_session(home, "end", transport="web", user="demo", demo=copy.name,
                    seconds=round(time.monotonic() - started, 1), exit_code=code)
    return code


if __name__ == "__main__":
    sys.exit(main())
