"""Field rules: names, descriptions, tags, capacities, durations, automatic association, backup suffixes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbr_tui.domain.enums import ObjectType, PeriodType
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.rules import (
    Tag,
    auto_bind_refusal,
    check_capacity,
    check_description,
    check_name,
    check_period,
    check_tag,
    check_tag_filter,
    check_tags,
    numbered_names,
)
from cbr_tui.domain.vault_types import vault_type

NAME_CHARS = st.sampled_from("abcXYZ019_-备份库")


def codes(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CbrError) as caught:
        call()
    return caught.value.code


@given(st.text(NAME_CHARS, min_size=1, max_size=64))
def test_names_of_allowed_characters_up_to_64_are_accepted(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "   ", "a" * 65, "vault 01", "vault.01", "vault/01", "vault<1>", "ü-vault"])
def test_bad_names_are_refused_with_9900(name: str) -> None:
    assert codes(lambda: check_name(name)) == Codes.INVALID_PARAMETER.code


def test_name_message_says_what_is_wrong() -> None:
    with pytest.raises(CbrError, match="has 65 characters; it can have at most 64"):
        check_name("a" * 65)
    with pytest.raises(CbrError, match="only letters, digits"):
        check_name("bad name", "backup")


def test_description_allows_255_characters_without_angle_brackets() -> None:
    assert check_description("x" * 255) == "x" * 255
    assert check_description("") is None
    assert codes(lambda: check_description("x" * 256)) == Codes.INVALID_PARAMETER.code
    assert codes(lambda: check_description("a <script>")) == Codes.INVALID_PARAMETER.code


@given(key=st.text(st.sampled_from("aZ9_-键"), min_size=1, max_size=36),
       value=st.text(st.sampled_from("aZ9_-值"), max_size=43))
def test_tags_within_limits_are_accepted(key: str, value: str) -> None:
    assert check_tag(key, value) == Tag(key, value)


@pytest.mark.parametrize(("key", "value"), [("", "v"), ("k" * 37, "v"), ("k", "v" * 44), ("a=b", "v"),
                                            ("k", "v.1"), ("k k", "v"), ("k", "<v>")])
def test_bad_tags_are_refused(key: str, value: str) -> None:
    assert codes(lambda: check_tag(key, value)) == Codes.INVALID_PARAMETER.code


def test_tags_are_trimmed() -> None:
    assert check_tag("  env ", " prod ") == Tag("env", "prod")


def test_a_vault_takes_at_most_ten_tags_with_unique_keys() -> None:
    ten = [(f"k{i}", "v") for i in range(10)]
    assert len(check_tags(ten)) == 10
    assert codes(lambda: check_tags([*ten, ("k10", "v")])) == Codes.TAG_QUOTA.code
    assert codes(lambda: check_tags([("env", "a"), ("env", "b")])) == Codes.INVALID_PARAMETER.code


def test_tag_filters_take_at_most_five_tags() -> None:
    five = [(f"k{i}", "v") for i in range(5)]
    assert len(check_tag_filter(five)) == 5
    with pytest.raises(CbrError, match="at most 5 tags"):
        check_tag_filter([*five, ("k5", "v")])


@pytest.mark.parametrize("kind", [ObjectType.SERVER, ObjectType.DISK, ObjectType.TURBO, ObjectType.WORKSPACE])
def test_gb_vaults_range_from_10_to_10485760_gb(kind: ObjectType) -> None:
    vtype = vault_type(kind)
    assert check_capacity(vtype, 10) == 10
    assert check_capacity(vtype, 10_485_760) == 10_485_760
    assert codes(lambda: check_capacity(vtype, 9)) == Codes.INVALID_VAULT_CAPACITY.code
    assert codes(lambda: check_capacity(vtype, 10_485_761)) == Codes.INVALID_VAULT_CAPACITY.code


@pytest.mark.parametrize("kind", [ObjectType.VMWARE, ObjectType.FILE])
def test_hybrid_and_file_vaults_range_from_1_to_10240_tb(kind: ObjectType) -> None:
    vtype = vault_type(kind)
    assert check_capacity(vtype, 1024) == 1024
    assert check_capacity(vtype, 10_240 * 1024) == 10_240 * 1024
    with pytest.raises(CbrError, match="from 1 to 10,240 TB"):
        check_capacity(vtype, 10_241 * 1024)
    assert codes(lambda: check_capacity(vtype, 100)) == Codes.INVALID_VAULT_CAPACITY.code
    assert codes(lambda: check_capacity(vtype, 1536)) == Codes.INVALID_VAULT_CAPACITY.code


def test_durations_are_1_to_9_months_or_1_to_5_years() -> None:
    assert check_period("month", 9) == (PeriodType.MONTH, 9)
    assert check_period("year", 5) == (PeriodType.YEAR, 5)
    for unit, count in (("month", 0), ("month", 10), ("year", 6), ("week", 1)):
        assert codes(lambda u=unit, c=count: check_period(u, c)) == Codes.INVALID_PARAMETER.code
    assert codes(lambda: check_period(None, None)) == Codes.INVALID_PARAMETER.code


def test_auto_bind_needs_remaining_capacity_above_40gb_and_above_associated() -> None:
    assert auto_bind_refusal(800, 200) is None  # the seed's example: 600 GB remaining
    assert auto_bind_refusal(100, 20) is None  # 80 remaining > 40 and > 20
    assert auto_bind_refusal(100, 55) is not None  # 45 remaining > 40 but not > 55 associated
    assert auto_bind_refusal(100, 60) is not None  # 40 remaining is not greater than 40
    assert auto_bind_refusal(400, 200) is not None  # 200 remaining is not greater than 200 associated
    assert auto_bind_refusal(401, 200) is None
    assert auto_bind_refusal(50, 0) is None
    assert auto_bind_refusal(40, 0) is not None


@given(st.integers(10, 100_000), st.integers(0, 100_000))
def test_auto_bind_rule_is_exactly_the_seeds_inequality(total: int, allocated: int) -> None:
    remaining = total - allocated
    assert (auto_bind_refusal(total, allocated) is None) == (remaining > 40 and remaining > allocated)


def test_several_resources_get_numbered_backup_names() -> None:
    assert numbered_names("manualbk_1a2b", 1) == ["manualbk_1a2b"]
    assert numbered_names("backup", 3) == ["backup-0001", "backup-0002", "backup-0003"]
    assert numbered_names("b" * 59, 2)[1] == "b" * 59 + "-0002"
    assert codes(lambda: numbered_names("b" * 60, 2)) == Codes.INVALID_PARAMETER.code
