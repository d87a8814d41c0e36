"""`cbr-tui serve`: the console for many people at once, over SSH and in a browser, and the CBR v3 API."""

import click

from cbr_tui.cli.app import Invocation


@click.group()
def serve() -> None:
    """Serve the console to many people at once (SSH, the web), and the CBR v3 API to their programs."""


@serve.command("web")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--public-url", help="The URL people open, when it differs from http://HOST:PORT (a proxy).")
@click.option("--demo", is_flag=True,
              help="A public demo: no login, and every tab gets a simulated cloud of its own, deleted when it closes.")
@click.option("--max-sessions", type=click.IntRange(1, 500), default=50, show_default=True,
              help="With --demo: tabs held at once; one more is told to come back later.")
def serve_web_command(host: str, port: int, public_url: str | None, demo: bool, max_sessions: int) -> None:
    """Serve the console in web browsers: each tab logs in as an IAM user and runs its own console."""
    from cbr_tui.serve.web import serve_web  # aiohttp and friends load only for this command

    invocation = click.get_current_context().find_object(Invocation)
    assert invocation is not None
    settings = invocation.settings
    click.echo(f"cbr-tui serving on {public_url or f'http://{host}:{port}'}; Ctrl+C stops it.", err=True)
    if demo:
        from cbr_tui.serve.demo import DemoSessions

        DemoSessions(settings.home, scale=settings.demo_scale, region=settings.region).prepare()
        serve_web(host, port, {"CBR_TUI_HOME": str(settings.home), "CBR_TUI_REGION": settings.region,
                               "CBR_TUI_MAX_SESSIONS": str(max_sessions)}, public_url=public_url, demo=True)
        return
    # This process runs the tasks and the scheduler; each tab's console asks for an IAM login and runs none.
    background = invocation.administrator_console.background()
    background.start()
    try:
        serve_web(host, port, {"CBR_TUI_HOME": str(settings.home), "CBR_TUI_DATABASE_URL": settings.database_url,
                               "CBR_TUI_REGION": settings.region, "CBR_TUI_ACCOUNT": settings.account or "",
                               "CBR_TUI_LOGIN": "1", "CBR_TUI_SERVED": "1", "CBR_TUI_CONFINED": "1"},
                  public_url=public_url)
    finally:
        background.stop()


@serve.command("ssh")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=2222, show_default=True, help="0: any free port.")
@click.option("--max-sessions", type=click.IntRange(1, 500), default=50, show_default=True,
              help="Sessions held at once; one more is told to come back later.")
@click.option("--demo", is_flag=True,
              help="A public demo: no login, and every connection gets a simulated cloud of its own, deleted "
                   "when it leaves.")
def serve_ssh_command(host: str, port: int, max_sessions: int, demo: bool) -> None:
    """Serve the console over SSH: each connection logs in as an IAM user and gets its own console."""
    from cbr_tui.serve.ssh import serve_ssh  # asyncssh loads only for this command

    invocation = click.get_current_context().find_object(Invocation)
    assert invocation is not None
    serve_ssh(invocation.administrator_console, invocation.settings, host, port, max_sessions=max_sessions,
              demo=demo)


@serve.command("api")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8443, show_default=True, help="0: any free port.")
def serve_api_command(host: str, port: int) -> None:
    """Serve the CBR v3 API (/v3/{project_id}/...) to the Huawei Cloud SDKs: requests are signed with an
    access key from `cbr-tui api-key create`. This process also runs the tasks and the policy scheduler."""
    from cbr_tui.serve.api import serve_api  # aiohttp loads only for this command

    invocation = click.get_current_context().find_object(Invocation)
    assert invocation is not None

    def ready(endpoint: str) -> None:
        click.echo(f"cbr-tui serving the CBR v3 API on {endpoint} (OpenAPI: {endpoint}/openapi.json); "
                   "Ctrl+C stops it.", err=True)

    serve_api(invocation.administrator_console, host, port, on_ready=ready)
