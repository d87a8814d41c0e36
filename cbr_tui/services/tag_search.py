"""Tag matching, written once for everything that asks which vaults or resources carry tags: the vault list's
tag search, automatic association's tag rules, and the API's tag filter (`POST /vault/resource_instances/action`).

A condition names a key and the values it accepts. No value accepts the key with any value (the console's
search and bind rules: a tag with an empty value; the API: an empty `values` list); a value that begins with
`*` accepts any value containing the rest (the reference's fuzzy match).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import col, select

from cbr_tui.domain.errors import invalid
from cbr_tui.domain.rules import FILTER_VALUE_CHARS, Tag, check_filter_conditions
from cbr_tui.store.models import ResourceTag, VaultTag

TagModel = type[VaultTag] | type[ResourceTag]


@dataclass(frozen=True)
class TagCondition:
    key: str
    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, tag: Tag) -> TagCondition:
        """A tag of the console's forms: its value, or any value when it has none."""
        return cls(tag.key, (tag.value,) if tag.value else ())


def _owner(model: TagModel) -> Any:
    return col(model.vault_id) if model is VaultTag else col(model.resource_id)  # type: ignore[union-attr]


def _matches(model: TagModel, condition: TagCondition) -> Any:
    if not condition.values:
        return col(model.key) == condition.key
    accepted = [col(model.value).contains(value[1:], autoescape=True) if value.startswith("*")
                else col(model.value) == value for value in condition.values]
    return and_(col(model.key) == condition.key, or_(*accepted))


@dataclass(frozen=True)
class TagFilter:
    """The API's tag filter of vaults: those meeting every condition of `tags` and at least one of
    `tags_any`, none meeting all of `not_tags` or any of `not_tags_any` (or, with `without_any_tag`, those
    with no tag at all), named like `name` (containing it; exactly, when it is empty)."""

    tags: Sequence[TagCondition] = ()
    tags_any: Sequence[TagCondition] = ()
    not_tags: Sequence[TagCondition] = ()
    not_tags_any: Sequence[TagCondition] = ()
    without_any_tag: bool = False
    name: str | None = None
    object_type: str | None = None
    cloud_type: str | None = None
    limit: int = 1000
    offset: int = 0

    def check(self) -> None:
        for conditions, what in ((self.tags, "tags"), (self.tags_any, "tags_any"), (self.not_tags, "not_tags"),
                                 (self.not_tags_any, "not_tags_any")):
            check_filter_conditions([(c.key, c.values) for c in conditions], what)
        if self.name is not None and len(self.name) > FILTER_VALUE_CHARS:
            raise invalid(f"A name to match has at most {FILTER_VALUE_CHARS} characters.")
        if not 1 <= self.limit <= 1000 or self.offset < 0:
            raise invalid(f"limit is 1 to 1000 and offset 0 or more; {self.limit} and {self.offset} were given.")

    def clauses(self, owner: Any, model: TagModel) -> list[Any]:
        """The conditions on `owner` (a vault's or resource's ID column)."""
        if self.without_any_tag:
            return [owner.not_in(carrying_some(model))]
        found = []
        if self.tags:
            found.append(owner.in_(carrying_all(model, self.tags)))
        if self.tags_any:
            found.append(owner.in_(carrying_any(model, self.tags_any)))
        if self.not_tags:
            found.append(owner.not_in(carrying_all(model, self.not_tags)))
        if self.not_tags_any:
            found.append(owner.not_in(carrying_any(model, self.not_tags_any)))
        return found


def carrying_any(model: TagModel, conditions: Sequence[TagCondition]) -> Any:
    """The IDs of the vaults (or resources) with a tag meeting at least one of the conditions."""
    clause = or_(*(_matches(model, c) for c in conditions)) if conditions else false()
    return select(_owner(model)).where(clause)


def carrying_all(model: TagModel, conditions: Sequence[TagCondition]) -> Any:
    """The IDs of those meeting every condition (with one tag each)."""
    owner = _owner(model)
    query = select(owner).where(or_(*(_matches(model, c) for c in conditions)) if conditions else false())
    return query.group_by(owner).having(
        _distinct_keys(model) >= len({c.key for c in conditions}))


def carrying_some(model: TagModel) -> Any:
    """The IDs of those with at least one tag."""
    return select(_owner(model)).distinct()


def _distinct_keys(model: TagModel) -> Any:
    return func.count(col(model.key).distinct())
