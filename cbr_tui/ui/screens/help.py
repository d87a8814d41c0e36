"""Help (? or F1): how to follow the seed's Getting Started here, and the keys that work where you are."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Markdown

from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.footer import ConsoleFooter

GUIDE = """\
**Getting started** (as in the CBR user guide)

1. Choose the backup type on the left (*Cloud Server Backups* …) and press **n** to buy a vault: billing,
   protection type, resources, capacity, auto backup, name. **PgDn** / **PgUp** move through the steps.
2. On the *Vaults* tab, **a** associates resources and **b** performs a backup; the *Backups* tab shows
   the copy's progress, rate and time left, until it turns *Available*.
3. *Simulated resources* holds the servers, disks and file systems CBR protects: **w** writes data,
   **x** damages it.
4. On the *Backups* tab, **r** restores the highlighted backup; **o** lists everything else you can do
   with it (create a disk, an image, a file system; delete).

Lists: **j**/**k** or arrows move, **Enter** opens, **/** searches, **[** **]** turn pages, **Esc** goes
back. **Ctrl+P** opens the command palette; **Ctrl+T** switches between the dark and the light theme.
Keys can be changed in `keymap.toml` in the data directory: `"vaults.backup" = "ctrl+b"`.
"""


class HelpScreen(Guarded, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="help.close"),
        Binding("question_mark", "dismiss(None)", "Close", show=False, id="help.close_question"),
    ]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label("Help", classes="dialog-title")
            with VerticalScroll():
                yield Markdown(GUIDE)
                yield Label("Keys here", classes="field-label")
                yield DataTable(id="help-keys", show_cursor=False)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Binding ID (for keymap.toml)")
        for row in self.keys:
            table.add_row(*row)
