"""The Resources area: the simulated cloud that CBR protects (servers, disks, file systems, desktops, backup
clients). Not a CBR page: it is where a person makes something to back up, and damages it to restore it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select

from cbr_tui.domain.enums import ResourceKind, ServerStatus
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import ConfirmDialog
from cbr_tui.ui.dialogs.resource_actions import AttachDiskDialog, WriteDataDialog, WriteRequest, damage_warning
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views import ResourcePage, ResourceView

KINDS = (("Servers", ResourceKind.SERVER), ("Disks", ResourceKind.DISK), ("SFS Turbo file systems", ResourceKind.TURBO),
         ("Desktops", ResourceKind.DESKTOP), ("Backup clients", ResourceKind.AGENT))


Done = TypeVar("Done")


class ResourcesPage(ListPage):
    live = True
    BINDINGS = [
        Binding("s", "power('start')", "Start", id="resources.start"),
        Binding("t", "power('stop')", "Stop", id="resources.stop"),
        Binding("a", "attach", "Attach Disk", id="resources.attach"),
        Binding("u", "detach", "Detach", id="resources.detach"),
        Binding("w", "write", "Write Data", id="resources.write"),
        Binding("x", "damage", "Damage Data", id="resources.damage"),
        Binding("g", "agent", "Install/Remove Agent", id="resources.agent"),
        Binding("slash", "focus_search", "Search", id="resources.search"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Resources (simulated cloud)", classes="title")
            yield Label("Not part of CBR: what its vaults protect", classes="muted")
        with Horizontal(classes="filters"):
            yield Select([(label, kind.value) for label, kind in KINDS], value=ResourceKind.SERVER.value,
                         allow_blank=False, id="resource-kind", compact=True)
            yield Input(placeholder="Search by name", id="resource-search")
        with Horizontal(classes="operations"):
            yield Button("Start (s)", id="op-start", compact=True)
            yield Button("Stop (t)", id="op-stop", compact=True)
            yield Button("Attach Disk (a)", id="op-attach", compact=True)
            yield Button("Detach (u)", id="op-detach", compact=True)
            yield Button("Write Data (w)", id="op-write", compact=True)
            yield Button("Damage Data (x)", id="op-damage", compact=True)
        yield ConsoleTable((("Name/ID", 24), ("Status/AZ", 12), ("Size GB", 8), ("Vault", 16),
                            ("Disks / path", 28), ("Tags", 16)), id="resource-table")
        yield Pager(id="resource-pager")

    @property
    def kind(self) -> ResourceKind:
        return ResourceKind(str(self.query_one("#resource-kind", Select).value))

    def refresh_data(self) -> None:
        search = self.query_one("#resource-search", Input).value.strip() or None
        resources, kind, pager = self.console.resources, self.kind, self.pager
        self.ask(lambda: resources.list(kind, name=search, limit=pager.page_size, offset=pager.first_row), self._show)

    def _show(self, result: ResourcePage) -> None:
        self.query_one(ConsoleTable).replace_rows([(r.id, self._cells(r)) for r in result.resources],
                                                  height=2)
        self.pager.show_total(result.count)

    def _cells(self, resource: ResourceView) -> tuple[object, ...]:
        return (
            fmt.name_and_id(resource.name, resource.id),
            Text.assemble(fmt.resource_status(resource.status), "\n", resource.availability_zone or ""),
            f"{resource.size:,}",
            fmt.one_line(resource.vault.name) if resource.vault else "--",
            _contents(resource),
            fmt.tags(resource.tags),
        )

    # --- interaction ------------------------------------------------------------------------------------

    @on(Select.Changed, "#resource-kind")
    @on(Input.Changed, "#resource-search")
    def _filter(self) -> None:
        self.restart()

    def _with_resource(self, then: Callable[[ResourceView], object], *kinds: ResourceKind) -> None:
        """Act on the highlighted resource (fresh from the services) when it is of one of `kinds`."""

        def of_kind(resource: ResourceView) -> None:
            if kinds and ResourceKind(resource.kind) not in kinds:
                words = " or ".join(f"a {k.value}" for k in kinds)
                self.app.notify(f"This works on {words}; {resource.name} is a {resource.kind}.",
                                severity="warning")
            else:
                then(resource)

        self.with_selected(self.console.resources.show, "Choose a resource in the list first.", of_kind)

    @on(Button.Pressed, "#op-start")
    def _start_pressed(self) -> None:
        self.action_power("start")

    @on(Button.Pressed, "#op-stop")
    def _stop_pressed(self) -> None:
        self.action_power("stop")

    def action_power(self, verb: str) -> None:
        call = self.console.resources.start_server if verb == "start" else self.console.resources.stop_server

        def power(server: ResourceView) -> None:
            self.operate(lambda: call(server.id).resource,
                         lambda shown: f"{server.name} is "
                                       f"{'Running' if shown.status == ServerStatus.ACTIVE else 'Stopped'}.")

        self._with_resource(power, ResourceKind.SERVER)

    def action_agent(self) -> None:
        """Install the CBR Agent on a server (what database server vaults need), or remove it."""
        resources = self.console.resources

        def install_or_remove(server: ResourceView) -> None:
            change = resources.uninstall_agent if server.agent_version is not None else resources.install_agent
            self.operate(lambda: change(server.id).resource,
                         lambda shown: f"The CBR Agent {shown.agent_version} is installed on {server.name}."
                         if shown.agent_version else f"The CBR Agent was removed from {server.name}.")

        self._with_resource(install_or_remove, ResourceKind.SERVER)

    @on(Button.Pressed, "#op-attach")
    def action_attach(self) -> None:
        self._with_resource(lambda server: self.app.push_screen(AttachDiskDialog(server), callback=self.finished),
                            ResourceKind.SERVER)

    @on(Button.Pressed, "#op-detach")
    def action_detach(self) -> None:
        resources = self.console.resources
        self._with_resource(lambda disk: self.operate(lambda: resources.detach_disk(disk.id),
                                                      lambda _done: f"{disk.name} detached: it is Available."),
                            ResourceKind.DISK)

    @on(Button.Pressed, "#op-write")
    def action_write(self) -> None:
        resources = self.console.resources

        def write_to(resource: ResourceView) -> None:
            def chosen(request: WriteRequest | None) -> None:
                if request is not None:
                    self.carry_out(f"Writing {request.megabytes} MB to {resource.name}",
                                   lambda: resources.write_data(resource.id, request.megabytes,
                                                                pattern=request.pattern, scattered=request.scattered),
                                   lambda done: f"Wrote {fmt.size(done.written_bytes)} to {resource.name}.")

            self.app.push_screen(WriteDataDialog(resource), callback=chosen)

        self._with_resource(write_to)

    @on(Button.Pressed, "#op-damage")
    def action_damage(self) -> None:
        resources = self.console.resources

        def damage(resource: ResourceView) -> None:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.carry_out(f"Damaging {resource.name}", lambda: resources.damage_data(resource.id),
                                   lambda _done: f"{resource.name} is damaged: restore it from a backup.")

            self.app.push_screen(ConfirmDialog("Damage Data", damage_warning(resource), "Damage", danger=True),
                                 callback=confirmed)

        self._with_resource(damage)

    def carry_out(self, doing: str, call: Callable[[], Done], done: Callable[[Done], str]) -> None:
        """Bytes are written in a worker; the page says so now, and again when they are on disk."""
        self.app.notify(f"{doing}…")
        self.operate(call, done)

    def action_focus_search(self) -> None:
        self.query_one("#resource-search", Input).focus()


def _contents(resource: ResourceView) -> str:
    """What holds the resource's bytes: its disks, or the directory tree it stands for."""
    if resource.volumes is not None:
        disks = [f"{'sys ' if v.bootable else ''}{v.size}G{'*' if v.encrypted else ''}"
                 for v in resource.volumes or ()]
        shown = " · ".join(disks) + ("  (*encrypted)" if "*" in "".join(disks) else "") if disks else "no disks"
        return shown + (f"\nCBR Agent {resource.agent_version}" if resource.agent_version else "")
    if resource.kind == ResourceKind.DISK:
        attached = f"on {fmt.short_id(resource.server_id)}" if resource.server_id else "detached"
        return f"{attached}{', encrypted' if resource.encrypted else ''}"
    if resource.kind == ResourceKind.AGENT:
        return ", ".join(fmt.tail_path(p.dir_path, 28) for p in resource.paths or ()) or "no paths"
    return resource.path or "--"
