"""More accounts in one installation (seed: *Registering with Huawei Cloud*): each its own projects,
simulated cloud, vaults, IAM users and host directories, none seeing another's."""

from dataclasses import replace
from pathlib import Path

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console, open_console, register_account
from cbr_tui.services.iam import UserSpec
from cbr_tui.services.settings import Settings
from tests.services.helpers import buy, refused

PASSWORD = "Acme-admin-2026"


def test_a_registered_account_has_a_cloud_of_its_own_and_sees_nothing_of_the_others(
        sqlite_console: Console) -> None:
    settings: Settings = sqlite_console.settings
    registered = register_account(settings, "acme").registered
    assert registered.name == "acme" and registered.user_name == "acme" and registered.balance == "5000.00"
    refused(Codes.INVALID_PARAMETER, lambda: register_account(settings, "acme"), "already registered")
    refused(Codes.INVALID_PARAMETER, lambda: open_console(replace(settings, account="nobody")), "account register")

    acme = open_console(replace(settings, account="acme"))
    try:
        ours = {r.name: r.id for r in sqlite_console.resources.list("server").resources}
        theirs = {r.name: r.id for r in acme.resources.list("server").resources}
        assert ours.keys() == theirs.keys() and not set(ours.values()) & set(theirs.values())
        buy(acme, ObjectType.SERVER, 200, resources=("ecs-web-01",), name="vault-acme")
        buy(sqlite_console, ObjectType.SERVER, 200, resources=("ecs-web-01",), name="vault-ours")
        assert [v.name for v in acme.vaults.list().vaults] == ["vault-acme"]
        assert "vault-acme" not in [v.name for v in sqlite_console.vaults.list().vaults]
        refused(Codes.VAULT_NOT_FOUND, lambda: sqlite_console.vaults.show("vault-acme"))
        assert acme.accounts.enterprise_projects().enterprise_projects[0].name == "default"

        # the same username in both accounts, each logging in to its own
        for console in (sqlite_console, acme):
            console.iam.create_user(UserSpec(name="cbr_ops", email="o@example.com", password=PASSWORD))
        assert acme.authentication.log_in("cbr_ops", PASSWORD).principal.account_id == acme.ctx.account_id

        # host directories apart: an agent of the same name, two directories
        our_host = Path(sqlite_console.resources.register_agent("host-same").resource.paths[0].dir_path)
        their_host = Path(acme.resources.register_agent("host-same").resource.paths[0].dir_path)
        assert our_host != their_host and their_host.is_relative_to(settings.home / "cloud" / "accounts")
        refused(Codes.INVALID_PARAMETER, lambda: acme.resources.add_agent_path("host-same", str(our_host)),
                "outside the simulated hosts")
    finally:
        acme.close()


def test_a_session_opened_in_one_account_is_refused_in_another(sqlite_console: Console) -> None:
    settings: Settings = sqlite_console.settings
    register_account(settings, "acme")
    acme = open_console(replace(settings, account="acme"))
    try:
        acme.iam.create_user(UserSpec(name="cbr_ops", email="o@example.com", password=PASSWORD))
        token = acme.authentication.log_in("cbr_ops", PASSWORD).token
        assert acme.authentication.resume(token).user_name == "cbr_ops"
        refused(Codes.AUTHENTICATION_FAILED, lambda: sqlite_console.authentication.resume(token))
    finally:
        acme.close()
