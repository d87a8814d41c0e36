"""JSON out, and every failure as the API's error body: `{"error_code": ..., "error_msg": ...}`, exit 1."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.services.errorlog import record_unexpected

USAGE_EXIT = 2


def emit(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=_jsonable))


def _jsonable(value: Any) -> Any:
    """The services' typed answers print whole, as their JSON; anything else as its text."""
    from pydantic import BaseModel  # only a command that ran has answers: `--help` stays light

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return str(value)


def fail(error: CbrError, exit_code: int = 1) -> None:
    emit(error.to_api())
    sys.exit(exit_code)


def run_guarded(command: Callable[[], Any], data_home: Callable[[], Path | None]) -> None:
    """Run the click command; turn every failure into a JSON error, never a traceback."""
    try:
        command()
    except CbrError as error:
        fail(error)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        fail(invalid("Aborted."))
    except click.ClickException as error:
        if isinstance(error, click.UsageError) and error.ctx is not None:
            click.echo(error.ctx.get_usage(), err=True)
        fail(invalid(error.format_message()), USAGE_EXIT)
    except KeyboardInterrupt:
        fail(invalid("Interrupted."), 130)
    except Exception as error:
        home = data_home()
        where = record_unexpected(error, home) if home is not None else None
        detail = f" Details are in {where}." if where else ""
        fail(CbrError(Codes.UNKNOWN, f"Unexpected error ({type(error).__name__}: {error}).{detail}"))
