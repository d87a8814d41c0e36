"""The headless interface: JSON output shaped like the API, errors as {error_code, error_msg}, no tracebacks."""

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import click.testing
import pytest
from sqlmodel import select

from cbr_tui.cli import cli
from cbr_tui.store import open_store
from cbr_tui.store.models import VaultPolicy
from tests.cli.conftest import ok, run


def test_a_newcomer_backs_up_two_servers_from_the_cli(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-web",
               "--resource", "ecs-web-01", "--resource", "ecs-web-02")["vault"]
    assert vault["billing"]["allocated"] == 280
    checkpoint = ok(capsys, "backup", "create", "vault-web")["checkpoint"]
    names = sorted(b["name"] for b in checkpoint["backups"])
    assert names[0].endswith("-0001") and names[1].endswith("-0002")
    listed = ok(capsys, "backup", "list", "--vault", "vault-web")
    assert listed["count"] == 2 and sorted(b["name"] for b in listed["backups"]) == names
    tasks = ok(capsys, "task", "list", "--type", "backup")
    assert tasks["count"] == 2
    assert sorted(t["extra_info"]["backup"]["backup_name"] for t in tasks["operation_logs"]) == names
    task = ok(capsys, "task", "show", tasks["operation_logs"][0]["id"])["operation_log"]
    assert task["vault_id"] == vault["id"]


def test_rule_errors_are_json_with_exit_code_1(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = run(capsys, "vault", "create", "--type", "server", "--size", "5")
    assert code == 1
    assert payload["error_code"] == "BackupService.6101"
    assert "10 to 10,485,760 GB" in payload["error_msg"]
    code, payload = run(capsys, "vault", "show", "nope")
    assert (code, payload["error_code"]) == (1, "BackupService.6105")


def test_bad_arguments_are_json_with_exit_code_2(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = run(capsys, "vault", "create", "--type", "server", "--size", "lots")
    assert code == 2 and payload["error_code"] == "BackupService.9900"
    code, payload = run(capsys, "vault", "create", "--type", "spaceship", "--size", "10")
    assert code == 2 and payload["error_code"] == "BackupService.9900"
    code, payload = run(capsys, "no-such-command")
    assert code == 2 and payload["error_code"] == "BackupService.9900"


def test_an_unexpected_failure_is_logged_not_shown_as_a_traceback(cli_home: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from cbr_tui.services.accounts import AccountService

    def boom(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(AccountService, "show", boom)
    code, payload = run(capsys, "account", "show")
    assert code == 1 and payload["error_code"] == "BackupService.9910"
    assert "disk on fire" in payload["error_msg"]
    assert "Traceback" in (cli_home / "logs" / "cbr-tui.log").read_text()


def test_purchase_options_reach_the_service(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    created = ok(capsys, "vault", "create", "--type", "server", "--size", "800", "--billing", "monthly",
                 "--duration", "2", "--auto-renew", "--app-consistent", "--redundancy", "multi-az",
                 "--resource", "ecs-db-01:ecs-db-01-volume-0000,ecs-db-01-volume-0001",
                 "--new-policy", "policy-nightly", "--days", "MO,TU", "--at", "23:00", "--retain-count", "5",
                 "--enterprise-project", "production", "--auto-bind", "--bind-tag", "env=prod",
                 "--tag", "owner=ops", "--name", "vault-db", "--description", "database tier")
    vault = created["vault"]
    assert created["orders"][0]["amount"] == "156.00"  # 800 GB x 0.065 x 1.5 (multi-AZ) x 2 months
    billing = vault["billing"]
    assert (billing["charging_mode"], billing["period_num"], billing["is_auto_renew"]) == ("pre_paid", 2, True)
    assert billing["spec_code"] == "vault.backup.database.normal" and billing["is_multi_az"] is True
    assert billing["allocated"] == 240
    assert vault["bind_rules"] == {"tags": [{"key": "env", "value": "prod"}]}
    policy = ok(capsys, "policy", "show", "policy-nightly")["policy"]
    assert policy["trigger"]["properties"]["pattern"] == ["FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=23;BYMINUTE=00"]
    assert policy["operation_definition"]["max_backups"] == 5
    quote = ok(capsys, "vault", "quote", "--type", "file", "--size", "2TB", "--billing", "yearly", "--duration", "1")
    assert quote["price"]["amount"] == "819.20"  # 2048 GB x 0.04 x 10 months


def test_every_operation_has_help(cli_home: Path) -> None:
    def commands(group: click.Group, prefix: list[str]):  # type: ignore[no-untyped-def]
        context = click.Context(group)
        for name in group.list_commands(context):  # the top level imports its sub-commands as they are asked for
            command = group.get_command(context, name)
            yield [*prefix, name]
            if isinstance(command, click.Group):
                yield from commands(command, [*prefix, name])

    paths = list(commands(cli, []))
    assert len(paths) > 50
    for path in paths:
        result = click.testing.CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, path


def test_the_installed_script_runs_with_the_region_option(cli_home: Path) -> None:
    script = shutil.which("cbr-tui", path=os.path.dirname(sys.executable)) or shutil.which("cbr-tui")
    assert script, "the cbr-tui console script is installed with the package"
    done = subprocess.run([script, "--region", "cn-east-3", "resource", "list", "--kind", "server"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert [r["name"] for r in json.loads(done.stdout)["resources"]] == ["ecs-sh-01"]
    bad = subprocess.run([script, "--region", "mars-1", "account", "show"], capture_output=True, text=True,
                         timeout=60, check=False)
    assert bad.returncode == 1 and json.loads(bad.stdout)["error_code"] == "BackupService.9900"
    assert "Traceback" not in bad.stderr


def test_a_newcomer_backs_up_damages_and_restores_a_server(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.data import disk_digest

    ok(capsys, "resource", "write", "ecs-web-01", "--mb", "6", "--seed", "data")
    ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-web",
       "--resource", "ecs-web-01")
    backup = ok(capsys, "backup", "create", "vault-web", "--wait")["checkpoint"]["backups"][0]
    assert backup["status"] == "available" and backup["stats"]["read_bytes"] >= 6 << 20
    volumes = ok(capsys, "resource", "show", "ecs-web-01")["resource"]["volumes"]
    images = [cli_home / "cloud" / "cn-north-4" / "disks" / f"{v['id']}.img" for v in volumes]
    before = [disk_digest(p) for p in images]
    ok(capsys, "resource", "damage", "ecs-web-01")
    assert [disk_digest(p) for p in images] != before
    task = ok(capsys, "restore", "server", backup["id"], "--wait")["operation_log"]
    assert task["status"] == "success" and task["operation_type"] == "restore"
    assert [disk_digest(p) for p in images] == before
    verified = ok(capsys, "vault", "verify", "vault-web", "--read-data", "1")["verify"]
    assert verified["clean"] and verified["blobs_checked"] > 0
    chunk = next(path for path in (cli_home / "vaults" / verified["vault_id"] / "chunks").rglob("*") if path.is_file())
    chunk.unlink()  # lost from the vault: a script checking its vaults sees it in the exit status
    code, found = run(capsys, "vault", "verify", "vault-web")
    assert code == 1 and not found["verify"]["clean"] and len(found["verify"]["missing_blobs"]) == 1


def test_policy_run_due_fires_what_is_owed_and_waits_for_its_data(cli_home: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-web",
       "--resource", "ecs-web-01")
    ok(capsys, "vault", "apply-policy", "vault-web", "policy-daily-2200")
    assert ok(capsys, "policy", "run-due")["fired"] == []  # applied just now: nothing is owed yet
    store = open_store(f"sqlite:///{cli_home / 'cbr.db'}")
    with store.write() as session:  # as if the policy had been applied two days ago
        link = session.exec(select(VaultPolicy)).one()
        link.scheduled_through = datetime.now(UTC) - timedelta(days=2)
        session.add(link)
    store.close()
    [fired] = ok(capsys, "policy", "run-due", "--wait")["fired"]
    assert fired["run_at"].endswith("T22:00:00.000000")
    [backup] = ok(capsys, "backup", "list", "--vault", "vault-web")["backups"]
    assert backup["status"] == "available" and backup["name"].startswith("autobk_")
    assert ok(capsys, "worker", "--until-idle") == {"policies_fired": 0, "tasks_run": 0}


def test_vault_migrate_moves_a_server_and_its_backups(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-a", "--resource", "ecs-web-01")
    backup = ok(capsys, "backup", "create", "vault-a", "--wait")["checkpoint"]["backups"][0]
    target = ok(capsys, "vault", "create", "--type", "server", "--size", "300", "--name", "vault-b")["vault"]
    moved = ok(capsys, "vault", "migrate", "vault-a", "ecs-web-01", "--to", "vault-b")
    assert moved == {"migrated_resources": [backup["resource_id"]]}
    assert ok(capsys, "backup", "show", backup["id"])["backup"]["vault_id"] == target["id"]
    code, refused = run(capsys, "vault", "migrate", "vault-a", "ecs-web-01", "--to", "vault-b")
    assert code == 1 and refused["error_code"] == "BackupService.6135"


def test_the_cbr_agent_from_the_cli(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    installed = ok(capsys, "server", "install-agent", "ecs-web-01", "--version", "2.4.0")["resource"]
    assert installed["agent_version"] == "2.4.0"
    [status] = ok(capsys, "server", "check-agent", installed["id"])["agent_status"]
    assert (status["installed"], status["is_old"], status["code"]) == (True, True, 0)
    assert ok(capsys, "server", "uninstall-agent", "ecs-web-01")["resource"]["agent_version"] is None
    code, refused = run(capsys, "server", "install-agent", "ecs-web-01", "--version", "two")
    assert code == 1 and "x.y.z" in refused["error_msg"]


def test_the_capacity_alarm_from_the_cli(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "vault", "create", "--type", "disk", "--size", "100", "--name", "vault-a")
    assert ok(capsys, "vault", "alarm", "vault-a", "--threshold", "60", "--notify", "off")["vault"]["threshold"] == 60
    updated = ok(capsys, "vault", "alarm", "--all", "--threshold", "75")["updated_vaults_id"]
    assert ok(capsys, "vault", "show", "vault-a")["vault"]["id"] in updated
    assert ok(capsys, "vault", "notices") == {"notices": [], "count": 0}
    code, refused = run(capsys, "vault", "alarm", "vault-a", "--threshold", "101")
    assert code == 1 and "1 to 100" in refused["error_msg"]
    code, _usage = run(capsys, "vault", "alarm", "vault-a", "--all", "--threshold", "50")
    assert code == 2


def test_the_region_features_are_keyed_as_the_api_keys_them(cli_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    features = ok(capsys, "region", "features")
    assert features["replication.enable"] is True and features["features.backup_double_az"] is True
    assert features["replication.source_region"] not in features["replication.destination_regions"]
    assert ok(capsys, "region", "features", "replication.enable") == {"replication.enable": True}
    code, refused = run(capsys, "region", "features", "replication.speed")
    assert (code, refused["error_code"]) == (1, "BackupService.9900")
