"""Performing backups and restores through the services and the runner, as the console does."""

from typing import Any

from cbr_tui.services.console import Console


def back_up(console: Console, vault: str, **options: Any) -> list[dict[str, Any]]:
    """Perform Backup, let the runner copy the data, return the backups as they ended."""
    checkpoint = console.backups.perform(vault, **options)["checkpoint"]
    console.run_tasks()
    return [console.backups.show(b["id"])["backup"] for b in checkpoint["backups"]]


def run(console: Console, queued: dict[str, Any]) -> dict[str, Any]:
    """Run a queued restore and return its task as it ended."""
    task_id = queued["operation_log"]["id"]
    console.run_tasks({task_id})
    return console.tasks.show(task_id)["operation_log"]
