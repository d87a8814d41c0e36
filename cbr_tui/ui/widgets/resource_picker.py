"""Choosing resources for a vault: eligible ones selectable, ineligible ones shown disabled with the reason
(the error associating them would give); a server's disks can be chosen one by one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from cbr_tui.domain.enums import ObjectType
from cbr_tui.ui import format as fmt
from cbr_tui.ui import reach
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.checklist import CheckList

if TYPE_CHECKING:
    from cbr_tui.services.associations import ResourceSelection
    from cbr_tui.services.views import ProtectableView


class ResourcePicker(Guarded, Vertical):
    DEFAULT_CSS = """
    ResourcePicker { height: auto; }
    ResourcePicker SelectionList { height: auto; max-height: 16; }
    ResourcePicker .picker-note { width: 1fr; color: $text-muted; }
    ResourcePicker #picker-reasons { margin-top: 1; }
    """

    class Changed(Message):
        def __init__(self, picker: ResourcePicker) -> None:
            super().__init__()
            self.picker = picker

    def __init__(self, object_type: ObjectType, *, vault: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.object_type = object_type
        self.vault = vault
        self.instances: dict[str, ProtectableView] = {}
        self._adjusting = False
        self._previous: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Label("", id="picker-summary", classes="picker-note")
        yield CheckList[str](id="picker")
        yield Label("", id="picker-reasons", classes="picker-note")

    def on_mount(self) -> None:
        services = reach.services(self)
        found = services.protectables.list(self.object_type, vault=self.vault).instances
        self.instances = {i.id: i for i in found}
        options: list[Selection[str]] = []
        reasons = []
        for item in found:
            ok = item.protectable.result
            prompt = Text.assemble((item.name, "bold"), f"  {item.size:,} GB  ",
                                   fmt.resource_status(item.status))
            if not ok:
                prompt.append("  cannot be selected (see below)", "grey50")
                reasons.append(f"• {item.protectable.reason}")
            options.append(Selection(prompt, f"res:{item.id}", False, disabled=not ok))
            for volume in (item.volumes or []) if ok else []:
                kind = "system disk" if volume.bootable else "data disk"
                options.append(Selection(Text(f"    └ {volume.name}  {volume.size:,} GB  {kind}"),
                                         f"disk:{item.id}:{volume.id}", False))
        self.query_one(SelectionList).add_options(options)
        self.query_one("#picker-reasons", Label).update("\n".join(reasons))
        self.query_one("#picker-reasons", Label).display = bool(reasons)
        self._summarise()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        if self._adjusting:
            return
        self._adjusting = True
        try:
            self._keep_servers_and_disks_in_step(event.selection_list)
        finally:
            self._adjusting = False
        self._summarise()
        self.post_message(self.Changed(self))

    def _keep_servers_and_disks_in_step(self, picker: SelectionList[str]) -> None:
        chosen = set(picker.selected)
        for resource_id, item in self.instances.items():
            disks = [f"disk:{resource_id}:{v.id}" for v in (item.volumes or [])]
            if not disks:
                continue
            server_on = f"res:{resource_id}" in chosen
            picked = [d for d in disks if d in chosen]
            previously = self._previous
            if server_on and f"res:{resource_id}" not in previously:
                for disk in disks:
                    picker.select(disk)
            elif not server_on and f"res:{resource_id}" in previously:
                for disk in disks:
                    picker.deselect(disk)
            elif picked and not server_on:
                picker.select(f"res:{resource_id}")
            elif server_on and not picked:
                picker.deselect(f"res:{resource_id}")
        self._previous = set(picker.selected)
        self._mark_partly_chosen(picker)

    def _mark_partly_chosen(self, picker: SelectionList[str]) -> None:
        """A server with some of its disks chosen shows a partial mark, not a full tick."""
        chosen = set(picker.selected)
        partly: set[object] = set()
        for resource_id, item in self.instances.items():
            disks = [f"disk:{resource_id}:{v.id}" for v in (item.volumes or [])]
            if disks and f"res:{resource_id}" in chosen and not all(d in chosen for d in disks):
                partly.add(f"res:{resource_id}")
        if isinstance(picker, CheckList) and picker.partly != partly:
            picker.partly = partly
            picker.refresh()

    def _summarise(self) -> None:
        count = len(self.selections())
        disks = ", a server's disks can be chosen one by one" if self.object_type is ObjectType.SERVER else ""
        self.query_one("#picker-summary", Label).update(
            f"{count} selected, {self.selected_gb():,} GB in total (space ticks or unticks{disks})")

    def selections(self) -> list[ResourceSelection]:
        from cbr_tui.services.associations import ResourceSelection  # the data layer loads when a form is read

        chosen = set(self.query_one(SelectionList).selected)
        picked = []
        for resource_id, item in self.instances.items():
            if f"res:{resource_id}" not in chosen:
                continue
            disks = [v.id for v in (item.volumes or [])]
            included = tuple(d for d in disks if f"disk:{resource_id}:{d}" in chosen)
            picked.append(ResourceSelection(resource_id, include_volumes=included if len(included) < len(disks)
                                            else None))
        return picked

    def selected_gb(self) -> int:
        total = 0
        for selection in self.selections():
            item = self.instances[selection.resource]
            volumes = item.volumes or []
            if volumes and selection.include_volumes is not None:
                total += sum(v.size for v in volumes if v.id in selection.include_volumes)
            else:
                total += item.size
        return total
