"""IAM (seed, Step 1: *Creating an IAM User*): users under IAM's rules, logins under the login authentication
policy, and CBR's system policies enforced by the services themselves."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import Codes
from cbr_tui.domain.permissions import Principal
from cbr_tui.services.associations import ResourceSelection
from cbr_tui.services.console import Console
from cbr_tui.services.iam import UserSpec
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.views.iam import Permission, UserCreated
from cbr_tui.store.models import IamUser
from tests.services.helpers import buy, refused

PASSWORD = "Cbr-admin-2026"
WEEKLY = PolicySpec(pattern=["FREQ=WEEKLY;BYDAY=MO;BYHOUR=02;BYMINUTE=00"], name="weekly")
PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl trainer@laptop")


def user(console: Console, name: str, *groups: str, **fields: object) -> UserCreated:
    spec = UserSpec(name=name, email=f"{name}@example.com", password=PASSWORD, groups=groups, **fields)  # type: ignore[arg-type]
    return console.iam.create_user(spec)


def as_user(console: Console, name: str) -> Console:
    return console.as_principal(console.authentication.log_in(name, PASSWORD).principal)


def reader(console: Console) -> Console:
    console.iam.create_group("readers")
    console.iam.grant("readers", "CBR ReadOnlyAccess")
    user(console, "cbr_reader", "readers")
    return as_user(console, "cbr_reader")


def test_the_seeds_cbr_admin_is_created_in_the_admin_group_and_logs_in(sqlite_console: Console) -> None:
    created = sqlite_console.iam.create_user(UserSpec(
        name="cbr_admin", email="cbr_admin@example.com", description="CBR administrator", password=PASSWORD,
        groups=("admin",)))
    assert created.user.groups == ["admin"] and created.user.access_mode == "console"
    assert [u.name for u in sqlite_console.iam.list_users().users] == ["cbr_admin"]
    logged_in = sqlite_console.authentication.log_in("cbr_admin", PASSWORD, source="127.0.0.1")
    assert logged_in.principal.administrator and logged_in.principal.user_name == "cbr_admin"
    assert sqlite_console.authentication.resume(logged_in.token).user_name == "cbr_admin"


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "1cbr"}, "cannot start with a digit"),
    ({"name": " cbr"}, "cannot start with a digit or a space"),
    ({"name": "cbr/admin"}, "may contain only letters"),
    ({"name": "x" * 65}, "at most 64"),
    ({"password": "short1A"}, "8 to 32 characters"),
    ({"password": "alllowercaseletters"}, "at least 2 of these character types"),
    ({"name": "Admin2026x", "password": "x6202nimda"}, "username spelled backwards"),
    ({"password": "pässwörd-2026"}, "special characters of an English keyboard"),
    ({"password": None}, "Enter a password"),
    ({"password": None, "set_by_user": True, "email": None}, "email address is required"),
    ({"email": "not-an-address"}, "is not an email address"),
    ({"phone": "call me"}, "mobile number"),
    ({"console_access": False}, "Choose an access type"),
    ({"groups": ("nobody",)}, "no user group 'nobody'"),
])
def test_a_user_breaking_iams_rules_is_refused_with_the_rule(sqlite_console: Console, fields: dict[str, object],
                                                             message: str) -> None:
    spec = {"name": "cbr_user", "email": "u@example.com", "password": PASSWORD} | fields
    refused(Codes.INVALID_PARAMETER, lambda: sqlite_console.iam.create_user(UserSpec(**spec)), message)  # type: ignore[arg-type]
    assert sqlite_console.iam.list_users().count == 0


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer_and_five_failures_lock(
        sqlite_console: Console, clock) -> None:  # type: ignore[no-untyped-def]
    user(sqlite_console, "cbr_ops")
    auth = sqlite_console.authentication
    unknown = refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("nobody", PASSWORD))
    wrong = refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("cbr_ops", "Wrong-pass-1"))
    assert unknown.message == wrong.message == "The username or password is incorrect."
    for _ in range(4):
        wrong = refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("cbr_ops", "Wrong-pass-1"))
        assert wrong.message == "The username or password is incorrect.", "a guess learns nothing of the lock"
    locked = refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("cbr_ops", PASSWORD))
    assert "locked after 5 failed logins within 15 minutes; try again in 15 minutes" in locked.message
    clock.advance(timedelta(minutes=15, seconds=1))
    assert auth.log_in("cbr_ops", PASSWORD).principal.user_name == "cbr_ops"


def test_failures_further_apart_than_the_window_do_not_lock(sqlite_console: Console, clock) -> None:  # type: ignore[no-untyped-def]
    user(sqlite_console, "cbr_ops")
    for _ in range(8):
        refused(Codes.AUTHENTICATION_FAILED, lambda: sqlite_console.authentication.log_in("cbr_ops", "Wrong-1x"))
        clock.advance(timedelta(minutes=4))
    assert sqlite_console.authentication.log_in("cbr_ops", PASSWORD).principal.user_name == "cbr_ops"


def test_a_session_ends_after_an_hour_without_activity_and_at_logout(sqlite_console: Console, clock) -> None:  # type: ignore[no-untyped-def]
    user(sqlite_console, "cbr_ops")
    auth = sqlite_console.authentication
    token = auth.log_in("cbr_ops", PASSWORD).token
    clock.advance(timedelta(minutes=59))
    auth.resume(token)  # activity: the hour starts again
    clock.advance(timedelta(minutes=59))
    auth.resume(token)
    clock.advance(timedelta(minutes=61))
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.resume(token), "60 minutes without activity")
    other = auth.log_in("cbr_ops", PASSWORD).token
    assert auth.log_out(other)
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.resume(other), "no such session")


def test_set_by_user_needs_the_one_time_code_then_the_users_own_password(sqlite_console: Console) -> None:
    created = sqlite_console.iam.create_user(UserSpec(name="trainee", email="trainee@example.com", set_by_user=True))
    assert created.password_setup is not None
    code = created.password_setup.code
    auth = sqlite_console.authentication
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("trainee", PASSWORD), "username or password is incorrect")
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.set_first_password("trainee", "guess", PASSWORD))
    assert auth.set_first_password("trainee", code, PASSWORD).principal.user_name == "trainee"
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.set_first_password("trainee", code, "Another-2026"))
    assert auth.log_in("trainee", PASSWORD).principal.user_name == "trainee"


def test_secrets_are_kept_only_as_slow_hashes(sqlite_console: Console) -> None:
    created = user(sqlite_console, "cbr_api", programmatic_access=True)
    assert created.credential is not None
    secret = created.credential.secret
    assert len(created.credential.access) == 20 and len(secret) == 40
    with sqlite_console.ctx.store.read() as session:
        dumped = "\n".join(str(row) for table in ("iam_user", "access_key", "iam_session")
                           for row in session.execute(text(f"SELECT * FROM {table}")).all())
        stored = session.get(IamUser, created.user.id)
        assert stored is not None and stored.password_hash is not None
    assert PASSWORD not in dumped and secret not in dumped
    assert stored.password_hash.startswith("$scrypt$ln=14,r=8,p=1$")


def test_a_programmatic_user_cannot_log_in_to_the_console(sqlite_console: Console) -> None:
    sqlite_console.iam.create_user(UserSpec(name="cbr_api", console_access=False, programmatic_access=True))
    refused(Codes.AUTHENTICATION_FAILED, lambda: sqlite_console.authentication.log_in("cbr_api", ""))


def test_a_registered_ssh_key_logs_in_and_a_wrong_one_does_not(sqlite_console: Console) -> None:
    user(sqlite_console, "cbr_ops")
    added = sqlite_console.iam.add_ssh_key("cbr_ops", PUBLIC_KEY).ssh_key
    assert added.fingerprint.startswith("SHA256:") and added.comment == "trainer@laptop"
    auth = sqlite_console.authentication
    assert auth.log_in_with_key("cbr_ops", added.fingerprint).principal.user_name == "cbr_ops"
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in_with_key("cbr_ops", "SHA256:other"))
    refused(Codes.INVALID_PARAMETER, lambda: sqlite_console.iam.add_ssh_key("cbr_ops", PUBLIC_KEY), "already has")
    refused(Codes.INVALID_PARAMETER, lambda: sqlite_console.iam.add_ssh_key("cbr_ops", "ssh-ed25519 bm90IGEga2V5"))
    sqlite_console.iam.remove_ssh_key("cbr_ops", added.fingerprint)
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in_with_key("cbr_ops", added.fingerprint))


def test_only_administrators_manage_iam(sqlite_console: Console) -> None:
    as_reader = reader(sqlite_console)
    refused(Codes.NOT_AUTHORIZED, lambda: as_reader.iam.create_user(UserSpec(name="x", password=PASSWORD)),
            "cbr_reader may not manage IAM users")
    refused(Codes.NOT_AUTHORIZED, lambda: as_reader.iam.grant("readers", "CBR FullAccess"))
    refused(Codes.NOT_AUTHORIZED, lambda: as_reader.accounts.top_up("100"))
    assert as_reader.iam.whoami().permissions == [
        Permission(policy="CBR ReadOnlyAccess", group="readers", scope="all resources")]


# Every operation that changes something, as a read-only user would try it from any front end.
MUTATIONS = {
    "buy a vault": lambda c: buy(c, ObjectType.SERVER, 100),
    "modify a vault": lambda c: c.vaults.update("vault-a", name="renamed"),
    "expand a vault": lambda c: c.vaults.expand("vault-a", 2000),
    "tag a vault": lambda c: c.vaults.add_tags("vault-a", {"env": "prod"}),
    "untag a vault": lambda c: c.vaults.remove_tags("vault-a", ["env"]),
    "enable automatic association": lambda c: c.vaults.enable_auto_bind("vault-a"),
    "delete a vault": lambda c: c.vaults.delete("vault-a"),
    "associate": lambda c: c.associations.associate("vault-a", [ResourceSelection("ecs-web-02")]),
    "dissociate": lambda c: c.associations.dissociate("vault-a", ["ecs-web-01"]),
    "perform a backup": lambda c: c.backups.perform("vault-a"),
    "delete a backup": lambda c: c.backups.delete(c.backups.list().backups[0].id),
    "restore a server": lambda c: c.restores.restore_server(c.backups.list().backups[0].id),
    "replicate a backup": lambda c: c.replication.replicate(c.backups.list().backups[0].id,
                                                            destination_region="cn-east-3",
                                                            destination_vault="anything"),
    "create a policy": lambda c: c.policies.create(WEEKLY),
    "apply a policy": lambda c: c.policies.apply("vault-a", c.policies.list().policies[0].id),
    "delete a policy": lambda c: c.policies.delete(c.policies.list().policies[0].id),
    "write data": lambda c: c.resources.write_data("ecs-web-01", 1),
    "create a disk": lambda c: c.resources.create_disk("evs-new", 10),
    "verify a vault": lambda c: c.maintenance.verify("vault-a"),
    "recover vaults": lambda c: c.recovery.recover(everything=True),
    "top up": lambda c: c.accounts.top_up("10"),
}


def every_row(console: Console) -> list[tuple[object, ...]]:
    with console.ctx.store.read() as session:
        tables = [name for (name,) in session.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('iam_session', 'iam_user')"))]
        return [(table, *row) for table in sorted(tables) for row in session.execute(text(f"SELECT * FROM {table}"))]


def test_a_read_only_user_is_refused_every_change_and_nothing_is_written(sqlite_console: Console) -> None:
    buy(sqlite_console, ObjectType.SERVER, 500, resources=("ecs-web-01",), name="vault-a")
    sqlite_console.backups.perform("vault-a")
    sqlite_console.run_tasks()
    as_reader = reader(sqlite_console)
    before = every_row(sqlite_console)
    for what, call in MUTATIONS.items():
        error = refused(Codes.NOT_AUTHORIZED, lambda call=call: call(as_reader))
        assert error.message.startswith("cbr_reader may not "), (what, error.message)
        assert "(cbr:" in error.message or "administrator" in error.message, what
    assert every_row(sqlite_console) == before
    assert as_reader.vaults.list().count == sqlite_console.vaults.list().count > 0
    assert as_reader.backups.list().count == 1


def test_a_grant_in_an_enterprise_project_shows_and_allows_only_that_project(sqlite_console: Console) -> None:
    in_default = buy(sqlite_console, ObjectType.SERVER, 100, name="vault-default")
    buy(sqlite_console, ObjectType.SERVER, 100, name="vault-prod", enterprise_project="production")
    sqlite_console.iam.create_group("prod-team")
    sqlite_console.iam.grant("prod-team", "CBR FullAccess", "production")
    user(sqlite_console, "cbr_prod", "prod-team")
    prod = as_user(sqlite_console, "cbr_prod")
    assert [v.name for v in prod.vaults.list().vaults] == ["vault-prod"]
    refused(Codes.VAULT_NOT_FOUND, lambda: prod.vaults.show(in_default.id))
    refused(Codes.NOT_AUTHORIZED, lambda: buy(prod, ObjectType.SERVER, 100), "in the enterprise project default")
    assert buy(prod, ObjectType.SERVER, 100, name="vault-prod-2", enterprise_project="production")
    assert prod.principal.offered_enterprise_projects() == {prod.vaults.list().vaults[0].enterprise_project_id}


def test_full_access_granted_only_in_iam_is_not_offered_enterprise_projects(sqlite_console: Console) -> None:
    """The seed's note: such a user buys into `default` until a grant is made in an enterprise project."""
    sqlite_console.iam.create_group("cbr-admins")
    sqlite_console.iam.grant("cbr-admins", "CBR FullAccess")
    user(sqlite_console, "cbr_full", "cbr-admins")
    full = as_user(sqlite_console, "cbr_full")
    assert full.principal.offered_enterprise_projects() == frozenset()
    assert buy(full, ObjectType.SERVER, 100).enterprise_project_id == "0"
    sqlite_console.iam.grant("cbr-admins", "CBR FullAccess", "development")
    assert len(as_user(sqlite_console, "cbr_full").principal.offered_enterprise_projects()) == 1


def test_backups_and_vaults_full_access_buys_vaults_but_not_policies(sqlite_console: Console) -> None:
    sqlite_console.iam.create_group("operators")
    sqlite_console.iam.grant("operators", "CBR BackupsAndVaultsFullAccess")
    user(sqlite_console, "cbr_operator", "operators")
    operator = as_user(sqlite_console, "cbr_operator")
    assert buy(operator, ObjectType.DISK, 100).name
    refused(Codes.NOT_AUTHORIZED, lambda: operator.policies.create(WEEKLY),
            "cbr_operator may not create policies (cbr:policies:create)")


def test_the_local_console_is_the_accounts_administrator(sqlite_console: Console) -> None:
    assert sqlite_console.principal.administrator
    assert sqlite_console.principal == Principal.account_administrator(
        sqlite_console.ctx.account_id, sqlite_console.ctx.user_id, sqlite_console.principal.user_name)


def test_served_consoles_and_iam_users_keep_to_the_simulated_hosts(sqlite_console: Console) -> None:
    """A backup path or restore destination on the real file system: the local administrator's alone."""
    sqlite_console.iam.create_group("operators")
    sqlite_console.iam.grant("operators", "CBR FullAccess")
    user(sqlite_console, "cbr_operator", "operators")
    operator = as_user(sqlite_console, "cbr_operator")
    inside = sqlite_console.ctx.layout.home / "cloud" / "hosts-test"
    inside.mkdir(parents=True)
    refused(Codes.INVALID_PARAMETER, lambda: operator.resources.add_agent_path("host-files-01", "/etc"),
            "outside the simulated hosts")
    assert operator.resources.add_agent_path("host-files-01", str(inside))
    served = Console(replace(sqlite_console.ctx, confined=True), sqlite_console.settings)
    refused(Codes.INVALID_PARAMETER, lambda: served.resources.add_agent_path("host-files-01", "/root"),
            "a console served to others")
    assert sqlite_console.resources.add_agent_path("host-files-01", "/etc")  # the local administrator


def test_a_policy_is_changed_only_with_permission_where_it_is_applied(sqlite_console: Console) -> None:
    buy(sqlite_console, ObjectType.SERVER, 100, name="vault-default", policy="policy-daily-2200")
    sqlite_console.iam.create_group("prod-team")
    sqlite_console.iam.grant("prod-team", "CBR FullAccess", "production")
    user(sqlite_console, "cbr_prod", "prod-team")
    prod = as_user(sqlite_console, "cbr_prod")
    refused(Codes.NOT_AUTHORIZED, lambda: prod.policies.update("policy-daily-2200", enabled=False),
            "in the enterprise project default")
    refused(Codes.NOT_AUTHORIZED, lambda: prod.policies.delete("policy-daily-2200"))
    assert prod.policies.create(WEEKLY).policy.name == "weekly"


def test_security_settings_change_within_iams_ranges_and_apply(sqlite_console: Console, clock) -> None:  # type: ignore[no-untyped-def]
    iam = sqlite_console.iam
    assert iam.security().login_policy.model_dump() == {"session_timeout": 60, "login_failed_times": 5,
                                                        "period_with_login_failures": 15, "lockout_duration": 15}
    refused(Codes.INVALID_PARAMETER, lambda: iam.update_security(failures_allowed=2), "3 to 10 failures; 2 is not")
    refused(Codes.INVALID_PARAMETER, lambda: iam.update_security(session_timeout_minutes=1441), "15 to 1440")
    iam.update_security(password_min_length=12, failures_allowed=3, session_timeout_minutes=15)
    refused(Codes.INVALID_PARAMETER, lambda: iam.create_user(UserSpec(name="cbr_short", password="Short-2026")),
            "12 to 32 characters; this one has 10")
    iam.create_user(UserSpec(name="cbr_long", email="l@example.com", password="Long-password-2026"))
    auth = sqlite_console.authentication
    for _ in range(3):
        refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("cbr_long", "Wrong-password-1"))
    refused(Codes.AUTHENTICATION_FAILED, lambda: auth.log_in("cbr_long", "Long-password-2026"),
            "locked after 3 failed logins")
    as_reader = reader(sqlite_console)
    refused(Codes.NOT_AUTHORIZED, lambda: as_reader.iam.update_security(failures_allowed=10))
    assert as_reader.iam.security().password_policy.minimum_password_length == 12
