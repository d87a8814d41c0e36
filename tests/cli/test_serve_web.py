"""`cbr-tui serve web`: a browser gets the page, and its websocket drives a real console process."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pyte
import pytest

from cbr_tui.domain.enums import ObjectType
from cbr_tui.services.console import open_console
from cbr_tui.services.iam import UserSpec
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import VaultSpec
from tests.conftest import clone_home


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PASSWORD = "Cbr-admin-2026"


@pytest.fixture
def served(tmp_path: Path, demo_template: dict) -> Iterator[str]:
    home = tmp_path / "served-home"
    home.mkdir()
    clone_home(Path(str(demo_template["home"])), home)
    console = open_console(Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0))
    console.iam.create_user(UserSpec(name="cbr_admin", email="a@example.com", password=PASSWORD, groups=("admin",)))
    console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=100, name="vault-web"))
    console.close()
    yield from web_server(home)


@pytest.fixture
def served_demo(tmp_path: Path, demo_template: dict) -> Iterator[str]:
    home = tmp_path / "demo-home"
    (home / "demo" / "template").mkdir(parents=True)
    clone_home(Path(str(demo_template["home"])), home / "demo" / "template")
    yield from web_server(home, "--demo")


def web_server(home: Path, *options: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "CBR_TUI_HOME": str(home), "CBR_TUI_DEMO_SCALE": "0"}
    server = subprocess.Popen([sys.executable, "-m", "cbr_tui", "serve", "web", "--host", "127.0.0.1",
                               "--port", str(port), *options], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)


async def screen_text(url: str, wanted: str, seconds: float = 60) -> str:
    """Open the page's websocket as the browser does and collect what the console draws."""
    seen = ""
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as page:
            assert page.status == 200
            html = await page.text()
            assert "cbr-tui: Cloud Backup and Recovery" in html
        ws_url = url.replace("http:", "ws:") + "/ws?width=140&height=42"
        async with session.ws_connect(ws_url) as websocket:
            deadline = time.monotonic() + seconds
            while wanted not in seen and time.monotonic() < deadline:
                try:
                    message = await websocket.receive(timeout=deadline - time.monotonic())
                except TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.TEXT:
                    payload = json.loads(message.data)
                    if isinstance(payload, list) and payload and payload[0] == "stdout":
                        seen += str(payload[1])
                elif message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data.decode("utf-8", "replace")
                else:
                    break
            await websocket.send_str(json.dumps(["stdin", "\x11"]))  # ctrl+q: the console quits
    return seen


async def test_a_demo_tab_gets_a_copy_of_the_demo_without_a_login_and_it_goes_with_the_tab(
        served_demo: str, tmp_path: Path) -> None:
    drawn = await screen_text(served_demo, "0-0 of 0")
    assert "Cloud Server Backups" in drawn and "IAM User Login" not in drawn
    log = tmp_path / "demo-home" / "logs" / "sessions.log"
    deadline = time.monotonic() + 20
    while '"event": "end"' not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert '"transport": "web", "user": "demo"' in log.read_text() and '"event": "end"' in log.read_text()
    assert not any((tmp_path / "demo-home" / "demo" / "sessions").iterdir()), "the tab's copy went with it"


async def test_a_browser_tab_gets_a_live_console_that_asks_for_a_login(served: str) -> None:
    drawn = await screen_text(served, "IAM User Login")
    assert "IAM User Login" in drawn and "Cloud Server Backups" not in drawn, "nothing before the login"


def test_a_headless_browser_logs_in_and_sees_the_vault_list(served: str, tmp_path: Path) -> None:
    """Debian's Chromium, driven through its own chromedriver (Selenium, told where both are: nothing is
    downloaded). What the console sends the page is read off the page's websocket and drawn by pyte."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    try:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})
        browser.get(served)
        terminal = BrowserTerminal(browser)
        terminal.wait_for("IAM User Login")
        keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keys.send_keys("cbr_admin")
        terminal.wait_for("cbr_admin")  # drawn: the console has taken the name (a loaded machine lags the page)
        keys.send_keys(Keys.TAB)
        keys.send_keys(PASSWORD)
        keys.send_keys(Keys.ENTER)
        screen = terminal.wait_for("vault-web")
        assert "cbr-demo · cbr_admin" in screen and "Cloud Server Backups" in screen
    finally:
        browser.quit()


# Runs in the page before its own scripts: keeps what the console sends, and the terminal's size.
RECORD_WEBSOCKET = """
window.__received = [];
window.__size = null;
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new Native(url, protocols);
  const query = new URL(url).searchParams;
  window.__size = [Number(query.get("width")), Number(query.get("height"))];
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      window.__received.push(Array.from(new Uint8Array(event.data)));
    }
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
"""


class BrowserTerminal:
    """The console's screen as the page received it."""

    def __init__(self, browser) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None

    def wait_for(self, wanted: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while True:
            chunks, size = self.browser.execute_script(
                "const taken = window.__received; window.__received = []; return [taken, window.__size];")
            if size and self.screen is None:
                self.screen = pyte.Screen(*size)
                self.stream = pyte.ByteStream(self.screen)
            for chunk in chunks:
                assert self.stream is not None
                self.stream.feed(bytes(chunk))
            text = "\n".join(self.screen.display) if self.screen else ""
            if wanted in text:
                return text
            assert time.monotonic() < deadline, f"{wanted!r} never showed in the browser:\n{text}"
            time.sleep(0.2)
