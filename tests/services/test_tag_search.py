"""Tag matching is one rule: the vault search, automatic association and the API's tag filter agree on what a
tag with no value and a `*` value match."""

import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.services.tag_search import TagCondition, TagFilter
from tests.services.helpers import buy, refused


@pytest.fixture
def tagged(console: Console) -> dict[str, str]:
    vaults = {}
    for name, tags in (("v-prod-web", {"env": "prod", "app": "web-shop"}), ("v-prod-db", {"env": "prod"}),
                       ("v-dev", {"env": "dev", "app": "web-blog"}), ("v-bare", {})):
        vault = buy(console, ObjectType.DISK, size_gb=10, name=name)
        if tags:
            console.vaults.add_tags(vault.id, tags)
        vaults[name] = vault.id
    return vaults


def names(console: Console, spec: TagFilter) -> list[str]:
    return sorted(r.resource_name for r in console.vaults.filter_by_tags(spec).resources)


def test_the_vault_search_matches_any_tag_and_an_empty_value_matches_the_key(console: Console,
                                                                            tagged: dict[str, str]) -> None:
    def search(tags: dict[str, str]) -> list[str]:
        return sorted(v.name for v in console.vaults.list(tags=tags).vaults)

    assert search({"env": "dev"}) == ["v-dev"]
    assert search({"env": "dev", "app": "web-shop"}) == ["v-dev", "v-prod-web"]
    assert search({"app": ""}) == ["v-dev", "v-prod-web"]


def test_the_api_filter_combines_all_any_and_not(console: Console, tagged: dict[str, str]) -> None:
    prod = TagCondition("env", ("prod",))
    assert names(console, TagFilter(tags=[prod])) == ["v-prod-db", "v-prod-web"]
    assert names(console, TagFilter(tags=[prod, TagCondition("app")])) == ["v-prod-web"]
    assert names(console, TagFilter(tags_any=[TagCondition("env", ("dev",)), TagCondition("app", ("web-shop",))])) \
        == ["v-dev", "v-prod-web"]
    assert names(console, TagFilter(tags=[TagCondition("app", ("*web",))])) == ["v-dev", "v-prod-web"]
    assert names(console, TagFilter(tags=[TagCondition("app", ("*shop",))])) == ["v-prod-web"]
    assert names(console, TagFilter(not_tags_any=[TagCondition("env")])) == ["v-bare"]
    assert names(console, TagFilter(tags=[TagCondition("env")], not_tags=[prod, TagCondition("app")])) == \
        ["v-dev", "v-prod-db"]
    assert names(console, TagFilter(without_any_tag=True)) == ["v-bare"]
    assert names(console, TagFilter(name="prod")) == ["v-prod-db", "v-prod-web"]
    assert console.vaults.filter_by_tags(TagFilter(tags=[prod]), count_only=True).total_count == 2
    assert names(console, TagFilter(tags=[prod], limit=1, offset=1)) == ["v-prod-web"] or \
        names(console, TagFilter(tags=[prod], limit=1, offset=1)) == ["v-prod-db"]


@pytest.mark.parametrize(("spec", "message"), [
    (TagFilter(tags=[TagCondition(f"k{i}") for i in range(11)]), "at most 10 keys"),
    (TagFilter(tags=[TagCondition("k"), TagCondition("k")]), "names a key twice"),
    (TagFilter(tags=[TagCondition("k", tuple(str(i) for i in range(11)))]), "at most 10"),
    (TagFilter(tags=[TagCondition("k" * 128)]), "1 to 127 characters"),
    (TagFilter(tags_any=[TagCondition("k", ("v" * 256,))]), "at most 255"),
    (TagFilter(limit=0), "limit is 1 to 1000"),
])
def test_a_filter_beyond_the_reference_s_limits_is_refused(console: Console, spec: TagFilter, message: str) -> None:
    refused(Codes.INVALID_PARAMETER, lambda: console.vaults.filter_by_tags(spec), message)
