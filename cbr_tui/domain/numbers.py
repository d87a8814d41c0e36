"""The one reading of a number a person typed, in a form or on the command line: ASCII digits only.

`int()`, `float()` and `Decimal()` accept far more (other scripts' digits, underscores, signs, exponents,
`inf`, `nan`, surrounding spaces of any kind), which a form must not buy a vault with: '١٠٠' is not 100
here, and `1E+999999999` is refused at once instead of being expanded."""

import re
from decimal import Decimal

from cbr_tui.domain.errors import invalid

_WHOLE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_DECIMAL = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")
LONGEST = 40  # digits and commas: far above any limit of the product, far below a slow conversion
_EXAMPLE = "such as 100 or 1,024"


def shown(text: str, width: int = 24) -> str:
    """A person's input quoted for a message: control characters escaped, long text cut."""
    quoted = repr(text[:width])
    return quoted + ("…" if len(text) > width else "")


def _checked(text: str, what: str, pattern: re.Pattern[str], kind: str, example: str) -> str:
    raw = text.strip(" ")
    if not raw:
        raise invalid(f"Enter {what} as {kind}, {example}.")
    if len(raw) > LONGEST:
        raise invalid(f"Enter {what} with at most {LONGEST} digits; {shown(raw)} has {len(raw)} characters.")
    if not pattern.fullmatch(raw):
        raise invalid(f"Enter {what} as {kind} in the digits 0-9, {example}; {shown(raw)} is not one.")
    return raw


def parse_whole_number(text: str, what: str) -> int:
    """`what` names the quantity for the message, e.g. 'the capacity in GB'."""
    return int(_checked(text, what, _WHOLE, "a whole number", _EXAMPLE).replace(",", ""))


def parse_signed_number(text: str, what: str) -> int:
    """A whole number that may be negative (`-1` where the reference means 'never')."""
    raw = text.strip(" ")
    if raw.startswith("-"):
        return -parse_whole_number(raw[1:], what)
    return parse_whole_number(raw, what)


def parse_decimal(text: str, what: str) -> Decimal:
    """A number with an optional fraction (`0.5`, `16`): no sign, no exponent, no `inf` or `nan`."""
    return Decimal(_checked(text, what, _DECIMAL, "a number", "such as 16 or 0.5").replace(",", ""))
