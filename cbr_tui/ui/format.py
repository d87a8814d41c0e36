"""How values look on screen: status words with a mark (never colour alone), sizes, times, progress bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text

from cbr_tui.domain.labels import (
    BACKUP_STATUS,
    CHARGING_MODE,
    TASK_STATUS,
    VAULT_STATUS,
    resource_status_label,
)

if TYPE_CHECKING:
    from cbr_tui.services.views import TagView, Transfer

GOOD, BUSY, BAD, IDLE = "green", "yellow", "red", "grey50"
_STATUS_STYLE = {
    "available": GOOD, "success": GOOD, "ACTIVE": GOOD, "in-use": GOOD, "normal": GOOD,
    "protecting": BUSY, "restoring": BUSY, "deleting": BUSY, "running": BUSY, "waiting": BUSY, "lock": BUSY,
    "creating": BUSY, "BUILD": BUSY, "waiting_protect": BUSY, "waiting_restore": BUSY, "waiting_delete": BUSY,
    "error": BAD, "failed": BAD, "ERROR": BAD, "frozen": BAD, "timeout": BAD, "offline": BAD,
    "SHUTOFF": IDLE, "skipped": IDLE, "enabled": GOOD, "disabled": IDLE,
}
_MARK = {GOOD: "●", BUSY: "◐", BAD: "✖", IDLE: "○"}


def status(value: str, label: str) -> Text:
    style = _STATUS_STYLE.get(value, "")
    return Text.assemble((f"{_MARK.get(style, '●')} ", style), label)


def vault_status(value: str) -> Text:
    return status(value, VAULT_STATUS.get(value, value))


def backup_status(value: str, damaged: bool = False) -> Text:
    shown = status(value, BACKUP_STATUS.get(value, value))
    if damaged:
        shown.append(" (damaged)", "bold red")
    return shown


def task_status(value: str) -> Text:
    return status(value, TASK_STATUS.get(value, value))


def resource_status(value: str) -> Text:
    return status(value, resource_status_label(value))


def billing(mode: str) -> str:
    return CHARGING_MODE.get(mode, mode)


def money(amount: str | None) -> str:
    """An amount of the API (a decimal string) with thousands separators: `26,214,400.00`, `0.0068`; `--`
    for one a price does not have (a pay-per-use vault's term amount)."""
    return "--" if amount is None else f"{Decimal(amount):,}"


def gigabytes(value: int) -> str:
    return f"{value:,}"


def size(num_bytes: int) -> str:
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{num_bytes} B"


def when(api_time: str | None) -> str:
    """`2026-11-25T10:00:00.000000` as `2026-11-25 10:00:00` (UTC, as the API gives it)."""
    if not api_time:
        return "--"
    return datetime.fromisoformat(api_time).strftime("%Y-%m-%d %H:%M:%S")


def tags(items: Sequence[TagView], limit: int = 2) -> str:
    if not items:
        return "--"
    shown = [f"{t.key}={t.value}" if t.value else t.key for t in items[:limit]]
    more = f" +{len(items) - limit}" if len(items) > limit else ""
    return ", ".join(shown) + more


def progress_bar(done: float, total: float, width: int = 12) -> Text:
    """A bar for a table cell, drawn from real bytes."""
    fraction = min(done / total, 1.0) if total else 0.0
    filled = int(fraction * width)
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "grey37"), f" {fraction * 100:3.0f}%")


def rate(moving: Transfer) -> str:
    """`24.0 MB/s 2s` (the rate in MB/s, always the same width, and the time left), or '' before the first
    bytes moved."""
    if not moving.rate:
        return ""
    left = moving.eta_seconds
    return f"{moving.rate / 2**20:.1f} MB/s" + (f" {left:.0f}s" if left is not None else "")


def transfer(moving: Transfer) -> str:
    """`12.0 MB of 48.0 MB, 24.0 MB/s, 2s left` from a task's progress figures."""
    done, total = moving.bytes_done, moving.bytes_total
    parts = [f"{size(done)} of {size(total)}"] if total else []
    if moving.rate:
        parts.append(f"{size(moving.rate)}/s")
    if moving.eta_seconds is not None and done < total:
        parts.append(f"{moving.eta_seconds:.0f}s left")
    return ", ".join(parts)


def tail_path(path: str, width: int) -> str:
    """A long path by its end (`…/hosts/host-files-01`), which names the directory; its start is the data
    directory, the same on every row."""
    if len(path) <= width:
        return path
    parts = path.split("/")
    shown = parts[-1]
    for part in reversed(parts[:-1]):
        if len(part) + len(shown) + 3 > width:
            break
        shown = f"{part}/{shown}"
    return "…/" + shown if len(shown) + 2 <= width else "…" + path[-(width - 1):]


def clip(text: str, width: int) -> str:
    """Text cut to a column's width, with an ellipsis saying there is more (the details show it all)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def short_id(identifier: str) -> str:
    return identifier[:8] + "…" if len(identifier) > 12 else identifier


def name_and_id(name: str, identifier: str) -> Text:
    """A list's first cell: the name in bold over the short ID, each line cut with an ellipsis, never wrapped
    mid-word into the line below."""
    return Text.assemble((name, "bold"), "\n", (short_id(identifier), "grey50"), no_wrap=True, overflow="ellipsis")


def one_line(text: str) -> Text:
    """A name in a narrow column: cut with an ellipsis rather than broken mid-word over two lines."""
    return Text(text, no_wrap=True, overflow="ellipsis")
