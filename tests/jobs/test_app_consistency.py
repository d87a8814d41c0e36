"""Database server vaults: a server with the CBR Agent, running, is backed up application-consistent;
without the agent, or stopped, CBR backs it up crash-consistent instead and says why (backup, task and
CheckAgent alike)."""

from cbr_tui.domain.consistency import LATEST_AGENT_VERSION
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from tests.jobs.helpers import back_up
from tests.services.helpers import buy, refused


def test_the_agent_makes_the_backup_application_consistent(console: Console) -> None:
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-db", app_consistent=True)
    without = back_up(console, "vault-db")[0]
    assert without.status == "available"
    assert without.extend_info.app_consistency is not None
    assert without.extend_info.app_consistency.app_consistency_status == "0"
    assert without.extend_info.app_consistency.app_consistency_error_code == Codes.AGENT_NOT_FOUND.code
    task = console.tasks.list(operation_type="backup").operation_logs[0]
    assert task.extra_info.backup is not None and task.extra_info.backup.app_consistency_status == "0"

    shown = console.resources.install_agent("ecs-web-01").resource
    assert shown.agent_version == LATEST_AGENT_VERSION
    consistent = back_up(console, "vault-db")[0]
    assert consistent.extend_info.app_consistency is not None
    assert consistent.extend_info.app_consistency.app_consistency_status == "1"
    assert consistent.extend_info.app_consistency.app_consistency_error_code is None

    console.resources.stop_server("ecs-web-01")
    stopped = back_up(console, "vault-db")[0]
    assert stopped.extend_info.app_consistency is not None
    assert stopped.extend_info.app_consistency.app_consistency_error_code == Codes.SERVER_STOPPED.code
    assert "not running" in (stopped.extend_info.app_consistency.app_consistency_error_message or "")


def test_a_crash_consistent_vault_says_nothing_of_consistency(console: Console) -> None:
    console.resources.install_agent("ecs-web-01")
    buy(console, size_gb=300, resources=("ecs-web-01",), name="vault-web")
    assert back_up(console, "vault-web")[0].extend_info.app_consistency is None


def test_check_agent_and_the_agent_s_rules(console: Console) -> None:
    console.resources.install_agent("ecs-web-01", "2.4.0")
    web_01, web_02 = (console.resources.show(name).id for name in ("ecs-web-01", "ecs-web-02"))
    statuses = console.protectables.check_agents([web_01, web_02, "no-such-server"]).agent_status
    assert [(s.installed, s.is_old, s.version, s.code) for s in statuses] == [
        (True, True, "2.4.0", 0), (False, False, None, 0), (False, False, None, 7100)]
    assert statuses[2].message.startswith(Codes.SERVER_NOT_FOUND.code)
    refused(Codes.INVALID_PARAMETER, lambda: console.protectables.check_agents([]))
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.install_agent("ecs-web-01", "2.5"), "x.y.z")
    refused(Codes.SERVER_NOT_FOUND, lambda: console.resources.install_agent("evs-data-01"))
    console.resources.uninstall_agent("ecs-web-01")
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.uninstall_agent("ecs-web-01"), "No CBR Agent")
