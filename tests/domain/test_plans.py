"""A restore's plan is typed on both sides of the task: what the services write the runner reads back."""

import pytest

from cbr_tui.domain.plans import (
    DiskRestore,
    FilesRestore,
    NewTurboRestore,
    ServerRestore,
    restore_plan,
    stored_plan,
)


@pytest.mark.parametrize("plan", [
    ServerRestore(server_id="s", power_on=False, was_running=True, mappings=[("b1", "d1"), ("b2", "d2")]),
    DiskRestore(mappings=[("b", "d")]),
    NewTurboRestore(turbo_id="t", path="cloud/r/turbo/t"),
    FilesRestore(destination="/tmp/x", keep_owners=False),
])
def test_every_plan_survives_the_task_s_json(plan: object) -> None:
    assert restore_plan(stored_plan(plan)) == plan  # type: ignore[arg-type]


def test_a_plan_queued_by_the_previous_version_still_reads() -> None:
    """Before the plans were typed, mappings were JSON lists and a files restore had no keep_owners."""
    old = {"kind": "server", "server_id": "s", "power_on": True, "was_running": False,
           "mappings": [["b1", "d1"]]}
    assert restore_plan(old) == ServerRestore(server_id="s", was_running=False, mappings=[("b1", "d1")])
    assert restore_plan({"kind": "files", "destination": None}) == FilesRestore()


@pytest.mark.parametrize("stored", [None, {}, {"kind": "tape"}, {"kind": "disk"},
                                    {"kind": "disk", "mappings": [["only-one"]]},
                                    {"kind": "files", "destination": "/x", "surprise": 1}])
def test_anything_else_is_refused(stored: object) -> None:
    with pytest.raises(ValueError):
        restore_plan(stored)
