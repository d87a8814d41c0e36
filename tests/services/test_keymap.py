"""keymap.toml: the user's keys for binding IDs; a missing file is the defaults, a broken one a clear error."""

from pathlib import Path

import pytest

from cbr_tui.domain.errors import CbrError
from cbr_tui.services.keymap import read_keymap


def test_a_missing_keymap_means_the_default_keys(tmp_path: Path) -> None:
    assert read_keymap(tmp_path) == {}


def test_binding_ids_map_to_keys(tmp_path: Path) -> None:
    (tmp_path / "keymap.toml").write_text('"vaults.backup" = "ctrl+b"\n"app.help" = "f1, h"\n')
    assert read_keymap(tmp_path) == {"vaults.backup": "ctrl+b", "app.help": "f1,h"}


@pytest.mark.parametrize(("text", "said"), [('"vaults.backup" = ', "not a readable TOML file"),
                                            ('"vaults.backup" = 3', "vaults.backup do not"),
                                            ('"vaults.backup" = " "', "vaults.backup do not")])
def test_a_broken_keymap_says_what_is_wrong(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "keymap.toml").write_text(text)
    with pytest.raises(CbrError) as refused:
        read_keymap(tmp_path)
    assert refused.value.code == "BackupService.9900" and said in refused.value.message
