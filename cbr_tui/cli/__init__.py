"""The `cbr-tui` command line: every console operation as a sub-command printing the API's JSON.

It reaches data only through `cbr_tui.services` (an import-linter contract checks this).
"""

from cbr_tui.cli import accounts, backups, policies, resources, vaults  # noqa: F401  (register sub-commands)
from cbr_tui.cli.app import Session, cli
from cbr_tui.cli.output import run_guarded


def main(args: list[str] | None = None) -> None:
    """Entry point of the `cbr-tui` script."""
    def log_dir():  # type: ignore[no-untyped-def]
        from cbr_tui.services.settings import Settings

        try:
            return Settings.from_env().home / "logs"
        except Exception:
            return None

    run_guarded(lambda: cli.main(args=args, prog_name="cbr-tui", standalone_mode=False), log_dir)


__all__ = ["Session", "cli", "main"]
