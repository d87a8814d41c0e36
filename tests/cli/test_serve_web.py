"""`cbr-tui serve web`: a browser gets the page, and its websocket drives a real console process."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import clone_home


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, demo_template: dict) -> Iterator[str]:
    home = tmp_path / "served-home"
    home.mkdir()
    clone_home(Path(str(demo_template["home"])), home)
    port = free_port()
    env = {**os.environ, "CBR_TUI_HOME": str(home), "CBR_TUI_DEMO_SCALE": "0"}
    server = subprocess.Popen([sys.executable, "-m", "cbr_tui", "serve", "web", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


async def test_a_browser_tab_gets_a_live_console(served: str) -> None:
    drawn = await screen_text(served, "Cloud Server Backups")
    assert "Cloud Server Backups" in drawn
