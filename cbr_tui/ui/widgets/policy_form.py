"""The fields of Create Policy (weekly days, execution times, retention), shared by the purchase wizard's
auto-backup step and the Policies page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label

from cbr_tui.domain.enums import PolicyOperationType
from cbr_tui.domain.errors import CbrError, invalid
from cbr_tui.domain.policy_rules import (
    CONSOLE_RETENTION_MIN,
    RETENTION_MAX,
    WEEKDAYS,
    check_console_retention_count,
    check_retention,
    check_trigger,
    weekly_patterns,
)
from cbr_tui.domain.rules import check_name
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.fields import Field, whole_number
from cbr_tui.ui.widgets.switch import MarkedCheckbox

if TYPE_CHECKING:
    from cbr_tui.services.policies import PolicySpec


class PolicyForm(Guarded, Vertical):
    DEFAULT_CSS = """
    PolicyForm { height: auto; }
    PolicyForm #policy-days { height: 1; margin: 0 1 1 1; }
    PolicyForm #policy-days Checkbox { margin-right: 2; }
    """

    def __init__(self, name: str, *, days: tuple[str, ...] = WEEKDAYS, times: str = "22:00", keep: str = "7",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.initial = (name, days, times, keep)

    def compose(self) -> ComposeResult:
        name, days, times, keep = self.initial
        yield Field("Policy name", lambda text: check_name(text, "policy"), value=name, id="policy-name")
        yield Label("Backup days (weekly)", classes="field-label")
        with Horizontal(id="policy-days"):
            for day in WEEKDAYS:
                yield MarkedCheckbox(day, day in days, compact=True, name=day)
        yield Field("Execution times (HH:MM in UTC, comma separated)", execution_times, value=times,
                    id="policy-times")
        yield Field(f"Retention: keep this many backups ({CONSOLE_RETENTION_MIN}-{RETENTION_MAX:,}; empty keeps them "
                    "all)", retention_count,
                    value=keep, id="policy-keep")

    def spec(self, enabled: bool = True) -> PolicySpec:
        """The policy as filled in; the first field that breaks its rule raises that rule's CbrError."""
        name, times, keep = (field.check(field.text) for field in self._fields())
        days = [box.name for box in self.query(Checkbox) if box.value and box.name]
        from cbr_tui.services.policies import PolicySpec  # the data layer loads when a form is read

        return PolicySpec(pattern=weekly_patterns(days, times), name=name, operation_type=PolicyOperationType.BACKUP,
                          enabled=enabled, retention=check_retention(max_backups=keep))

    def validate(self, enabled: bool = True) -> PolicySpec | None:
        """The policy, or None with each refusal shown beside its field."""
        for field in self._fields():
            field.validate()
        try:
            return self.spec(enabled)
        except CbrError:
            return None

    def _fields(self) -> list[Field]:
        return [self.query_one(f"#policy-{key}", Field) for key in ("name", "times", "keep")]


def execution_times(text: str) -> list[str]:
    times = [t.strip() for t in text.split(",") if t.strip()]
    if not times:
        raise invalid("Give at least one execution time, such as 22:00.")
    check_trigger(weekly_patterns(["MO"], times))
    return times


def retention_count(text: str) -> int | None:
    if not text.strip():
        return None
    return check_console_retention_count(whole_number(text, "the number of backups to keep"))
