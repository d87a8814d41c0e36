"""Renewing a yearly/monthly vault, turning its auto-renewal on or off, and topping up the balance."""



from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label

from cbr_tui.domain.numbers import parse_decimal, parse_whole_number
from cbr_tui.domain.pricing import check_top_up
from cbr_tui.domain.rules import check_period
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.dialogs.vault_actions import VaultDialog
from cbr_tui.ui.widgets.fields import Field

if TYPE_CHECKING:
    from cbr_tui.services.views import VaultView


class RenewDialog(VaultDialog):
    ok_label = "Renew"

    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.title_text = f"Renew {vault.name}"

    def body(self) -> ComposeResult:
        terms = self.services.billing.renewal(self.vault.id)
        self.unit = terms.unit
        frozen = self.vault.billing.status == "frozen"
        yield Label(f"{'Expired' if frozen else 'Expires'} {fmt.when(terms.expired_at)} UTC. The renewal counts "
                    f"from then, at {terms.price_per_term} {terms.currency} a {self.unit}, paid from the "
                    "balance." + (" The vault is available again once renewed past now." if frozen else ""),
                    classes="dialog-text")
        yield Field(f"Renew for how many {self.unit}s", self._check, value="1", id="renew-duration")

    def _check(self, text: str) -> int:
        return check_period(self.unit, parse_whole_number(text, f"the number of {self.unit}s"))[1]

    def submit(self) -> None:
        count = self.query_one("#renew-duration", Field).validate()
        if count is not None:
            self.run(lambda: self.services.billing.renew(self.vault.id, count),
                     f"{self.vault.name} renewed for {count} {self.unit}{'' if count == 1 else 's'}.")


class AutoRenewDialog(VaultDialog):
    def __init__(self, vault: VaultView) -> None:
        super().__init__(vault)
        self.enable = not vault.billing.is_auto_renew
        self.title_text = ("Enable" if self.enable else "Disable") + f" Auto-Renew of {vault.name}"

    def body(self) -> ComposeResult:
        yield Label("The vault is renewed from the balance for one more term each time it expires; if the balance "
                    "is short then, it is frozen." if self.enable else
                    "The vault is frozen when it expires, unless it is renewed by hand before.",
                    classes="dialog-text")

    def submit(self) -> None:
        self.run(lambda: self.services.billing.set_auto_renew(self.vault.id, self.enable),
                 f"Auto-renew {'enabled' if self.enable else 'disabled'} for {self.vault.name}.")


class TopUpDialog(Dialog[str | None]):
    title_text = "Top Up"
    ok_label = "Top Up"

    def body(self) -> ComposeResult:
        yield Label("Add money to the account's balance. Arrears are paid first; pay-per-use vaults frozen for "
                    "them are available again once the balance is not negative.", classes="dialog-text")
        yield Field("Amount (USD, e.g. 100 or 99.50)", lambda text: check_top_up(parse_decimal(text, "the amount")),
                    value="100", id="top-up-amount")

    def submit(self) -> None:
        amount = self.query_one("#top-up-amount", Field).validate()
        if amount is not None:
            self.run(lambda: self.services.accounts.top_up(amount),
                     f"{fmt.money(str(amount))} USD added to the balance.")
