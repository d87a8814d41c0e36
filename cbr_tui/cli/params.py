"""Turning command-line text into service arguments: tags, sizes, resource selections, vault types."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from cbr_tui.domain.demo_time import parse_duration, parse_rate
from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.numbers import parse_decimal, parse_signed_number, parse_whole_number
from cbr_tui.domain.vault_types import GB_PER_TB, vault_type

if TYPE_CHECKING:
    from cbr_tui.services.associations import ResourceSelection

VAULT_TYPES = {
    "server": ObjectType.SERVER,
    "disk": ObjectType.DISK,
    "sfs-turbo": ObjectType.TURBO,
    "turbo": ObjectType.TURBO,
    "desktop": ObjectType.WORKSPACE,
    "workspace": ObjectType.WORKSPACE,
    "hybrid": ObjectType.VMWARE,
    "vmware": ObjectType.VMWARE,
    "file": ObjectType.FILE,
}
VAULT_TYPE_CHOICE = click.Choice(sorted(VAULT_TYPES), case_sensitive=False)


def object_type(name: str | None) -> ObjectType | None:
    return VAULT_TYPES[name.lower()] if name else None


def tags(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """`key=value` (or a bare `key`, meaning an empty value)."""
    pairs = []
    for value in values:
        key, _, tag_value = value.partition("=")
        pairs.append((key, tag_value))
    return pairs


def size_gb(text: str, kind: ObjectType) -> int:
    """A capacity in the type's console unit (GB, or TB for hybrid and file vaults), or with a unit."""
    raw = text.strip(" ")
    unit = vault_type(kind).capacity_unit
    for suffix in ("TB", "GB"):
        if raw.upper().endswith(suffix):
            raw, unit = raw[:-2].rstrip(" "), suffix
    try:
        amount = parse_decimal(raw, "the capacity (100, 100GB or 2TB)")
    except CbrError as error:
        raise click.BadParameter(error.message, param_hint="'--size'") from None
    gigabytes = amount * GB_PER_TB if unit == "TB" else amount
    if gigabytes != gigabytes.to_integral_value():
        raise click.BadParameter(f"the capacity is a whole number of GB; {text.strip()!r} is {gigabytes} GB.",
                                 param_hint="'--size'")
    return int(gigabytes)


class _Number(click.ParamType):
    """A number on the command line, read by the domain's one parser: ASCII digits, no exponent, no `inf`
    or `nan`, with the console's sentence; a bad one is a usage error (exit status 2). Ranges are the
    services' to check."""

    def __init__(self, name: str, parse: Callable[[str, str], Any]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # a default
        try:
            return self._parse(value, "it")
        except CbrError as error:
            self.fail(error.message, param, ctx)


WHOLE = _Number("integer", parse_whole_number)
SIGNED = _Number("integer", parse_signed_number)
NUMBER = _Number("number", lambda text, what: float(parse_decimal(text, what)))
RATE = _Number("rate", lambda text, _what: parse_rate(text))  # the demo clock's speed
DURATION = _Number("duration", lambda text, _what: parse_duration(text))  # how far the demo clock jumps


def selection(text: str) -> ResourceSelection:
    """`RESOURCE`, `RESOURCE:disk1,disk2` (only those disks) or `RESOURCE:!disk3` (all but that disk)."""
    from cbr_tui.services.associations import ResourceSelection  # the data layer loads only when a command runs

    resource, _, disks = text.partition(":")
    if not disks:
        return ResourceSelection(resource)
    names = [d for d in disks.split(",") if d]
    excluded = tuple(d[1:] for d in names if d.startswith("!"))
    included = tuple(d for d in names if not d.startswith("!"))
    if excluded and included:
        raise click.BadParameter(f"{text!r}: list the disks to include, or the disks to leave out with '!', not both.")
    return ResourceSelection(resource, include_volumes=included or None, exclude_volumes=excluded)
