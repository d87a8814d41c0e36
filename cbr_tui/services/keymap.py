"""The user's own keys for the console: `keymap.toml` in the data directory maps binding IDs to keys.

    # ~/.local/share/cbr-tui/keymap.toml
    "vaults.backup" = "ctrl+b"
    "backups.restore" = "R"
    "app.help" = "question_mark,f1,h"

Every console binding has an ID (the help screen and the README list them); keys are Textual key names,
several separated by commas. A missing file means the default keys."""

import tomllib
from pathlib import Path

from cbr_tui.domain.errors import invalid

KEYMAP_FILE = "keymap.toml"


def read_keymap(home: Path) -> dict[str, str]:
    path = home / KEYMAP_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise invalid(f"{path} is not a readable TOML file: {error}.") from None
    wrong = [key for key, keys in table.items() if not isinstance(keys, str) or not keys.strip()]
    if wrong:
        raise invalid(f"In {path}, each binding ID maps to keys written as text, such as \"ctrl+b\"; "
                      f"{', '.join(wrong)} do not.")
    return {binding_id: keys.replace(" ", "") for binding_id, keys in table.items()}
