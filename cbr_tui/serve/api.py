"""`cbr-tui serve api`: the CBR v3 HTTP API, signed with access keys, on the same store as every console.

Built on aiohttp, which the web console (textual-serve) already brings: one well-kept asyncio HTTP stack for
both servers, and no second web framework to keep. Each request is checked as Huawei Cloud's API gateway
checks it (an SDK-HMAC-SHA256 signature by an active access key, within 15 minutes of the gateway's clock),
then runs as the key's holder through the same services as the console and the CLI, on a worker thread so
that the event loop never waits on the database. Errors are CBR's envelope
(`{"error_code": "BackupService.NNNN", "error_msg": ...}`), and every answer carries `X-Request-Id`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from cbr_tui.domain.clock import Clock, SystemClock
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.serve.api_calls import Answer, Call, ProjectNotFound
from cbr_tui.serve.api_operations import HANDLERS
from cbr_tui.serve.openapi import openapi_document
from cbr_tui.services.access_keys import KeyHolder
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.errorlog import record_unexpected
from cbr_tui.services.settings import Settings
from cbr_tui.v3.operations import OPERATIONS, Operation
from cbr_tui.v3.signing import SignatureRefused, SignedRequest, parse_authorization, verify

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # CBR's requests are small JSON documents
REQUEST_ID = web.RequestKey("request_id", str)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def gateway_error(status: int, code: str, message: str, request_id: str) -> web.Response:
    return web.json_response({"error_code": code, "error_msg": message, "request_id": request_id}, status=status)


@dataclass
class Gateway:
    """What the HTTP layer shares: the installation's administrator console (its settings, store and clock)
    and one console per account and project, opened once; each request then acts as its key's holder."""

    console: Console
    # What signatures are checked against: the machine's time, as the SDKs sign with it (never the demo clock).
    gateway_clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        self._consoles: dict[str, Console] = {}
        self._lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self.console.settings

    def console_for(self, holder: KeyHolder, project_id: str | None) -> Console:
        """The key holder's console in the region of `project_id` (or, for the few paths that name no
        project, in this server's region), refused unless the project is theirs."""
        found = self.console.access_keys.project_region(holder, project_id)
        if found is None:
            raise ProjectNotFound(project_id or self.settings.region)
        project, region = found
        with self._lock:
            console = self._consoles.get(project)
            if console is None:
                settings = replace(self.settings, account=holder.account_name, region=region)
                console = open_console(settings, clock=self.console.ctx.clock, store=self.console.ctx.store,
                                       seed_demo=False)
                self._consoles[project] = console
        return console.as_principal(holder.principal)

    def holder(self, access: str) -> KeyHolder | None:
        return self.console.access_keys.signer(access)


def _signed_request(request: web.Request, body: bytes) -> SignedRequest:
    """The request as it was signed: the path as sent (still percent-encoded, so that an encoded `%` is not
    decoded twice), the query, the headers as aiohttp read them."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    return SignedRequest(request.method, request.rel_url.raw_path, list(request.query.items()), headers, body)


def build_app(gateway: Gateway) -> web.Application:
    """The API's routes: every operation of the SDK, answered by its handler or refused as not served."""

    @web.middleware
    async def envelope(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        request[REQUEST_ID] = request_id
        try:
            response = await handler(request)
        except web.HTTPException as error:
            code = "APIGW.0101" if error.status == 404 else f"APIGW.{error.status}"
            response = gateway_error(error.status, code, error.reason, request_id)
        except Exception as error:  # a bug outside the operation itself: still CBR's envelope and the ID
            log.exception("%s %s failed", request.method, request.path)
            record_unexpected(error, gateway.settings.home)
            response = web.json_response(CbrError(Codes.UNKNOWN).to_api() | {"request_id": request_id}, status=500)
        response.headers["X-Request-Id"] = request_id
        return response

    app = web.Application(middlewares=[envelope], client_max_size=MAX_BODY)
    app.router.add_get("/openapi.json", _openapi)
    for operation in OPERATIONS:
        app.router.add_route(operation.method, operation.path, _route(gateway, operation))
    return app


async def _openapi(_request: web.Request) -> web.Response:
    return web.json_response(openapi_document(set(HANDLERS)))


def _route(gateway: Gateway, operation: Operation) -> Handler:
    handler = HANDLERS.get(operation.sdk_name)

    async def answer(request: web.Request) -> web.StreamResponse:
        request_id = request[REQUEST_ID]
        body = await request.read()
        try:
            authorization = parse_authorization(request.headers.get("Authorization"))
            holder = await asyncio.to_thread(gateway.holder, authorization.access)
            if holder is None:
                raise SignatureRefused(f"the access key {authorization.access} does not exist or is not active")
            verify(_signed_request(request, body), authorization, holder.secret, gateway.gateway_clock.now())
        except SignatureRefused as refusal:
            return gateway_error(401, "APIGW.0301", f"Incorrect IAM authentication information: {refusal}.",
                                 request_id)
        if handler is None:
            return gateway_error(501, "APIGW.0101", f"cbr-tui does not serve {operation.model_prefix} "
                                                    f"({operation.method} {operation.path}); the README lists the "
                                                    "operations it serves.", request_id)
        try:
            answer = await asyncio.to_thread(_run, gateway, holder, request, body, operation, handler)
        except ProjectNotFound as missing:
            return gateway_error(403, "APIGW.0302", f"The project {missing} is not one of the key holder's "
                                                    "projects; `cbr-tui region list` shows them.", request_id)
        except CbrError as error:
            return web.json_response(error.to_api(), status=error.http_status)
        except Exception as error:  # a bug: say so in CBR's words, keep the details for the log
            log.exception("%s failed", operation.sdk_name)
            record_unexpected(error, gateway.settings.home)
            return web.json_response(CbrError(Codes.UNKNOWN).to_api(), status=500)
        if answer.body is None:
            return web.Response(status=answer.status)
        return web.json_response(answer.body, status=answer.status, dumps=json.dumps)

    return answer


def _run(gateway: Gateway, holder: KeyHolder, request: web.Request, body: bytes, operation: Operation,
         handler: Callable[[Call], Answer]) -> Answer:
    console = gateway.console_for(holder, request.match_info.get("project_id"))
    call = Call(console, dict(request.match_info), [(k, v) for k, v in request.query.items()], body,
                operation.status)
    return handler(call)


class ApiServer:
    """The API on a thread of its own (the tests' and `serve api`'s way to run it), bound to `host:port`
    (port 0: any free port, then `self.port`)."""

    def __init__(self, gateway: Gateway, host: str = "127.0.0.1", port: int = 0) -> None:
        self.gateway = gateway
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failed: BaseException | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ApiServer:
        self._thread = threading.Thread(target=self._serve, name="cbr-api", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failed is not None:
            raise self._failed
        return self

    def _serve(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._open())
        except BaseException as error:  # the address is taken, say: the caller hears it
            self._failed = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._close())
        loop.close()

    async def _open(self) -> None:
        listener = socket.create_server((self.host, self.port), reuse_port=False)
        self.port = int(listener.getsockname()[1])
        # a client's kept-alive connection must not hold up stopping (aiohttp would wait a minute for it)
        self._runner = web.AppRunner(build_app(self.gateway), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, listener).start()

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()

    def wait(self, stopping: threading.Event) -> None:
        """Block until `stopping` is set (Ctrl+C or SIGTERM in `serve api`) or the server has stopped."""
        while self._thread is not None and self._thread.is_alive() and not stopping.wait(0.5):
            pass


def serve_api(console: Console, host: str, port: int, *, on_ready: Callable[[str], Any] | None = None) -> None:
    """Serve until interrupted; this process also runs the tasks and the policy scheduler."""
    gateway = Gateway(console)
    background = console.background()
    background.start()
    stopping = threading.Event()
    if threading.current_thread() is threading.main_thread():
        # Ctrl+C and SIGTERM stop it cleanly, even when started with SIGINT ignored (a parent's setting,
        # which a process inherits and Python then keeps).
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda _signum, _frame: stopping.set())
    server = ApiServer(gateway, host, port).start()
    if on_ready is not None:
        on_ready(server.endpoint)
    try:
        server.wait(stopping)
    finally:
        server.stop()
        background.stop()
