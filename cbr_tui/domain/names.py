"""Default names the console proposes: `vault_xxxx`, `manualbk_xxxx`, `policy_xxxx` (four hex characters)."""

from cbr_tui.domain.ids import IdSource


def default_vault_name(ids: IdSource) -> str:
    return f"vault_{ids.short_hex()}"


def default_backup_name(ids: IdSource) -> str:
    return f"manualbk_{ids.short_hex()}"


def default_auto_backup_name(ids: IdSource) -> str:
    return f"autobk_{ids.short_hex()}"


def default_policy_name(ids: IdSource) -> str:
    return f"policy_{ids.short_hex()}"
