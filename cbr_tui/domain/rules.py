"""Field rules with the exact limits of the seed and the reference, each refusing with a specific message."""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from cbr_tui.domain.enums import PeriodType
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.numbers import shown
from cbr_tui.domain.vault_types import GB_PER_TB, VaultType

NAME_MAX = 64
DESCRIPTION_MAX = 255
TAG_KEY_MAX = 36
TAG_VALUE_MAX = 43
TAGS_PER_VAULT = 10
TAGS_PER_FILTER = 5
# The API's tag filter (`POST /vault/resource_instances/action`, reference 2.10): per list of conditions.
FILTER_KEYS_MAX = 10
FILTER_VALUES_MAX = 10
FILTER_KEY_CHARS = 127
FILTER_VALUE_CHARS = 255
RESOURCES_PER_VAULT = 256
AUTO_BIND_MIN_FREE_GB = 40
MONTHS_MAX = 9
YEARS_MAX = 5
BACKUP_SUFFIX_WIDTH = 4
LIST_LIMIT_MAX = 1000
LIST_OFFSET_MAX = 1_000_000_000  # far beyond any list; a larger number would overflow the database's integers

# The API's name pattern: CJK ideographs, ASCII letters, digits, "_" and "-".
_NAME_RE = re.compile(r"[\u4E00-\u9FA5\uF900-\uFA2Da-zA-Z0-9_\-]+")
# Tag keys and values: letters and digits of any script, "_" and "-" (seed tables 3-1 to 3-6).
_TAG_CHARS_RE = re.compile(r"[\w\-]*")


def check_name(value: str | None, what: str = "vault") -> str:
    """A resource name: 1–64 characters of letters, digits, `_` and `-` (CJK allowed)."""
    name = (value or "").strip()
    if not name:
        raise invalid(f"The {what} name is required: enter 1 to {NAME_MAX} characters.")
    if len(name) > NAME_MAX:
        raise invalid(f"The {what} name has {len(name)} characters; it can have at most {NAME_MAX}.")
    if not _NAME_RE.fullmatch(name):
        raise invalid(
            f"The {what} name {name!r} may contain only letters, digits, underscores (_) and hyphens (-)."
        )
    return name


def check_description(value: str | None, what: str = "description") -> str | None:
    """A description: at most 255 characters, without `<` or `>`, control characters (a terminal would obey
    an escape sequence kept in it) or text that is not valid Unicode (bytes that were not UTF-8)."""
    if value is None or value == "":
        return None
    if len(value) > DESCRIPTION_MAX:
        raise invalid(f"The {what} has {len(value)} characters; it can have at most {DESCRIPTION_MAX}.")
    if "<" in value or ">" in value:
        raise invalid(f"The {what} cannot contain '<' or '>'.")
    check_plain_text(value, what)
    return value


_UNSHOWABLE = {"Cc": "a control character", "Cs": "bytes that are not UTF-8 text", "Co": "a private-use character",
               "Cn": "an unassigned character"}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_plain_text(value: str, what: str) -> str:
    """Text a person typed that is kept and shown again: refused when it holds what a terminal or a reader
    would not show as written (control characters, escape sequences, text direction overrides, bytes that
    were not UTF-8)."""
    for index, character in enumerate(value):
        category = unicodedata.category(character)
        if category in _UNSHOWABLE or character in _BIDI_CONTROLS:
            kind = _UNSHOWABLE.get(category, "a text direction override")
            raise invalid(f"The {what} holds {kind} ({character!r} at position {index + 1}); "
                          "use letters, digits, spaces and punctuation.")
    return value


Choice = TypeVar("Choice", bound=StrEnum)


def check_choice(kind: type[Choice], value: str, what: str) -> Choice:
    """One of an enumeration's API values, as a script or a person typed it; else a refusal that names them."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise invalid(f"The {what} {shown(value)} is not one of: {allowed}.") from None


def check_paging(limit: int, offset: int) -> None:
    """A page of a list: 1 to 1,000 items from an offset of 0 to a billion."""
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise invalid(f"A page holds 1 to {LIST_LIMIT_MAX:,} items; {limit} is not.")
    if not 0 <= offset <= LIST_OFFSET_MAX:
        raise invalid(f"A list's offset is 0 to {LIST_OFFSET_MAX:,}; {offset} is not.")


ALARM_THRESHOLD_RANGE = (1, 100)  # % of a vault's capacity used at which CBR notifies through SMN
ALARM_THRESHOLD_DEFAULT = 80


def check_threshold(percent: int) -> int:
    """A vault's capacity alarm threshold: 1 to 100 (% of its capacity used)."""
    low, high = ALARM_THRESHOLD_RANGE
    if not low <= percent <= high:
        raise invalid(f"The capacity alarm threshold is {low} to {high} (% of the vault's capacity used); "
                      f"{percent} is not.")
    return percent


WRITE_MB_MAX = 4096  # a demo write into a simulated resource: a few seconds, never a long wait


def check_write_amount(megabytes: float) -> None:
    """How much data one Write Data puts into a simulated resource: more than 0 and at most 4,096 MB."""
    if not 0 < megabytes <= WRITE_MB_MAX:
        raise invalid(f"Write more than 0 and at most {WRITE_MB_MAX:,} MB at a time; {megabytes:g} is not.")


@dataclass(frozen=True, order=True)
class Tag:
    key: str
    value: str = ""

    def to_api(self) -> dict[str, str]:
        return {"key": self.key, "value": self.value}


def check_tag(key: str | None, value: str | None) -> Tag:
    """One tag: key 1–36 and value 0–43 characters of letters, digits, `_` and `-`."""
    key = (key or "").strip()
    value = (value or "").strip()
    if not key:
        raise invalid("A tag key is required: enter 1 to 36 characters.")
    if len(key) > TAG_KEY_MAX:
        raise invalid(f"The tag key {key!r} has {len(key)} characters; it can have at most {TAG_KEY_MAX}.")
    if not _TAG_CHARS_RE.fullmatch(key):
        raise invalid(f"The tag key {key!r} may contain only letters, digits, underscores (_) and hyphens (-).")
    if len(value) > TAG_VALUE_MAX:
        raise invalid(
            f"The value of tag {key!r} has {len(value)} characters; it can have at most {TAG_VALUE_MAX}."
        )
    if not _TAG_CHARS_RE.fullmatch(value):
        raise invalid(
            f"The value of tag {key!r} may contain only letters, digits, underscores (_) and hyphens (-)."
        )
    return Tag(key, value)


TagInput = Mapping[str, str | None] | Iterable[tuple[str, str | None]] | Iterable[Tag]


def tag_pairs(tags: TagInput | None) -> list[tuple[str, str | None]]:
    """Tags given in any of their forms, as (key, value) pairs."""
    if tags is None:
        return []
    if isinstance(tags, Mapping):
        return list(tags.items())
    return [(t.key, t.value) if isinstance(t, Tag) else (t[0], t[1]) for t in tags]


def check_tags(tags: TagInput | None, *, limit: int = TAGS_PER_VAULT) -> list[Tag]:
    """Tags for a vault or a resource: each valid, keys unique, at most `limit` of them."""
    checked = [check_tag(k, v) for k, v in tag_pairs(tags)]
    seen: set[str] = set()
    for tag in checked:
        if tag.key in seen:
            raise invalid(f"The tag key {tag.key!r} appears twice; each tag needs a unique key.")
        seen.add(tag.key)
    if len(checked) > limit:
        raise CbrError(Codes.TAG_QUOTA, f"{len(checked)} tags were given; a vault can have at most {limit}.")
    return checked


def check_tag_filter(tags: TagInput | None, what: str = "search") -> list[Tag]:
    """Tags to search vaults by, or to filter automatic association: at most 5, any one matching."""
    checked = [check_tag(k, v) for k, v in tag_pairs(tags)]
    if len(checked) > TAGS_PER_FILTER:
        raise invalid(f"A {what} can use at most {TAGS_PER_FILTER} tags; {len(checked)} were given.")
    return sorted(set(checked))


def check_filter_conditions(conditions: Sequence[tuple[str, Sequence[str]]], what: str) -> None:
    """One list of the API's tag filter: at most 10 keys, unique and non-empty (127 characters at most), each
    with at most 10 values of at most 255 characters."""
    if len(conditions) > FILTER_KEYS_MAX:
        raise invalid(f"{what} can name at most {FILTER_KEYS_MAX} keys; {len(conditions)} were given.")
    keys = [key for key, _values in conditions]
    if len(set(keys)) != len(keys):
        raise invalid(f"{what} names a key twice; each key appears once, with all its values.")
    for key, values in conditions:
        if not key.strip() or len(key) > FILTER_KEY_CHARS:
            raise invalid(f"A key of {what} has 1 to {FILTER_KEY_CHARS} characters; {key!r} does not.")
        if len(values) > FILTER_VALUES_MAX:
            raise invalid(f"The key {key!r} of {what} has {len(values)} values; at most {FILTER_VALUES_MAX}.")
        for value in values:
            if len(value) > FILTER_VALUE_CHARS:
                raise invalid(f"A value of {key!r} in {what} has {len(value)} characters; at most "
                              f"{FILTER_VALUE_CHARS}.")


def check_capacity(vtype: VaultType, size_gb: int) -> int:
    """Vault capacity within the type's range: 10–10,485,760 GB, or 1–10,240 TB for hybrid and file vaults."""
    if vtype.capacity_unit == "TB":
        low, high = vtype.min_size_gb // GB_PER_TB, vtype.max_size_gb // GB_PER_TB
        if size_gb % GB_PER_TB or not vtype.min_size_gb <= size_gb <= vtype.max_size_gb:
            shown = f"{size_gb / GB_PER_TB:,g} TB" if size_gb % GB_PER_TB else f"{size_gb // GB_PER_TB:,} TB"
            raise CbrError(
                Codes.INVALID_VAULT_CAPACITY,
                f"The capacity of a {vtype.vault_label} is a whole number from {low:,} to {high:,} TB; "
                f"{shown} was given.",
            )
        return size_gb
    if not vtype.min_size_gb <= size_gb <= vtype.max_size_gb:
        raise CbrError(
            Codes.INVALID_VAULT_CAPACITY,
            f"The capacity of a {vtype.vault_label} ranges from {vtype.min_size_gb:,} to "
            f"{vtype.max_size_gb:,} GB; {size_gb:,} GB was given.",
        )
    return size_gb


def check_period(period_type: PeriodType | str | None, period_num: int | None) -> tuple[PeriodType, int]:
    """A yearly/monthly subscription lasts 1–9 months or 1–5 years."""
    if period_type is None or period_num is None:
        raise invalid("A yearly/monthly vault needs a required duration: 1 to 9 months or 1 to 5 years.")
    try:
        period = PeriodType(period_type)
    except ValueError:
        raise invalid(f"The duration unit must be 'month' or 'year', not {period_type!r}.") from None
    limit = MONTHS_MAX if period is PeriodType.MONTH else YEARS_MAX
    if not 1 <= period_num <= limit:
        raise invalid(f"The required duration is 1 to {limit} {period.value}s; {period_num} was given.")
    return period, period_num


def auto_bind_refusal(total_gb: int, allocated_gb: int) -> str | None:
    """Why automatic association cannot be enabled, or None when it can.

    The seed: remaining capacity (total - associated) must be greater than both 40 GB and the associated
    capacity. An 800 GB vault with two 100 GB servers has 600 GB remaining, so it qualifies.
    """
    remaining = total_gb - allocated_gb
    if remaining > AUTO_BIND_MIN_FREE_GB and remaining > allocated_gb:
        return None
    return (
        f"Automatic association needs remaining capacity (total {total_gb:,} GB - associated "
        f"{allocated_gb:,} GB = {remaining:,} GB) greater than both {AUTO_BIND_MIN_FREE_GB} GB and the "
        f"associated capacity ({allocated_gb:,} GB). Expand the vault first."
    )


def numbered_names(base: str, count: int) -> list[str]:
    """Backup names for one perform-backup request: the name alone, or `name-0001`, `name-0002`, ..."""
    if count <= 1:
        return [base]
    longest = len(base) + 1 + BACKUP_SUFFIX_WIDTH
    if longest > NAME_MAX:
        raise invalid(
            f"The backup name {base!r} is too long to take the -0001 suffixes that several resources need: "
            f"use at most {NAME_MAX - 1 - BACKUP_SUFFIX_WIDTH} characters."
        )
    return [f"{base}-{i:0{BACKUP_SUFFIX_WIDTH}d}" for i in range(1, count + 1)]
