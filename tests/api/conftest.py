"""One API server for the whole session of tests: a copy of the demo, the real HTTP server on a free
loopback port, a task runner beside it, and the official SDK's client signed with an access key."""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from huaweicloudsdkcbr.v1 import CbrClient
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig

from cbr_tui.domain.clock import FixedClock
from cbr_tui.domain.ids import SeededIds
from cbr_tui.jobs.runner import Runner
from cbr_tui.serve.api import ApiServer, Gateway
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.services.tasks import unsettled_tasks
from cbr_tui.services.views.iam import ApiCredential
from tests.conftest import T0, clone_home


@dataclass
class ServedApi:
    endpoint: str
    credential: ApiCredential
    console: Console  # the account's administrator, to arrange and check what the API cannot
    runner: Runner

    def client(self, credential: ApiCredential | None = None) -> CbrClient:
        """The SDK's client for this server, signed with `credential` (the account's own key by default)."""
        key = credential or self.credential
        config = HttpConfig.get_default_config()
        config.retry_times = 0  # a refusal is the answer under test, not something to retry
        return (CbrClient.new_builder().with_http_config(config)
                .with_credentials(BasicCredentials(key.access, key.secret, key.project_id))
                .with_endpoints([self.endpoint]).build())

    def settle(self) -> None:
        """Wait until every task queued so far has ended: run here what is waiting, and wait for what the
        served runner had already taken (run_tasks leaves a task another runner holds)."""
        self.console.run_tasks()
        deadline = time.monotonic() + 120
        while unsettled_tasks(self.console.ctx.store):
            assert time.monotonic() < deadline, "the served runner never finished its tasks"
            time.sleep(0.05)


@pytest.fixture(scope="session")
def served_api(tmp_path_factory: pytest.TempPathFactory, demo_template: dict[str, object]) -> Iterator[ServedApi]:
    home = tmp_path_factory.mktemp("api-home")
    clone_home(Path(str(demo_template["home"])), home)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0)
    console = open_console(settings, clock=FixedClock(T0), ids=SeededIds("api"))
    credential = console.access_keys.create().credential
    server = ApiServer(Gateway(console)).start()
    runner = console.runner()
    runner.start()
    try:
        yield ServedApi(server.endpoint, credential, console, runner)
    finally:
        server.stop()
        runner.stop()
        console.close()


@pytest.fixture(scope="session")
def cbr(served_api: ServedApi) -> CbrClient:
    return served_api.client()
