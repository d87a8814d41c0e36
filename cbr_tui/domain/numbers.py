"""The one reading of a number a person typed: ASCII digits only, thousands separated by commas or not.

`int()` accepts far more (other scripts' digits, underscores, signs, surrounding spaces of any kind), which a
form must not buy a vault with: '١٠٠' is not 100 here."""

import re

from cbr_tui.domain.errors import invalid

_WHOLE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
LONGEST = 40  # digits and commas: far above any limit of the product, far below a slow conversion


def shown(text: str, width: int = 24) -> str:
    """A person's input quoted for a message: control characters escaped, long text cut."""
    quoted = repr(text[:width])
    return quoted + ("…" if len(text) > width else "")


def parse_whole_number(text: str, what: str) -> int:
    """`what` names the quantity for the message, e.g. 'the capacity in GB'."""
    raw = text.strip(" ")
    example = "such as 100 or 1,024"
    if not raw:
        raise invalid(f"Enter {what} as a whole number, {example}.")
    if not _WHOLE.fullmatch(raw):
        raise invalid(f"Enter {what} as a whole number in the digits 0-9, {example}; {shown(raw)} is not one.")
    if len(raw) > LONGEST:
        raise invalid(f"Enter {what} with at most {LONGEST} digits; {shown(raw)} has {len(raw)} characters.")
    return int(raw.replace(",", ""))
