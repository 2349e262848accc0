"""review: the local web workspace for reviewing translations."""

from __future__ import annotations

from typing import Annotated

import typer

from .application import app, state
from .guard import echo


@app.command()
def review(
    ctx: typer.Context,
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", help="Open this locale's queue (default: the locale list)."),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Interface to listen on; anything but loopback requires a token."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0: any free port).")
    ] = 8765,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer",
            help="Name recorded on approved entries ('# reviewed: NAME'; default: your login).",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Access token every request must carry (generated and printed when --host is "
            "not loopback and none is given).",
        ),
    ] = None,
) -> None:
    """Start a local web workspace to review, fix and approve translations in context."""
    # Starlette and uvicorn are imported here only: 'toolkit --help' stays light.
    from ..errors import InputError
    from ..review import ReviewWorkspace

    try:
        from ..review.app import is_loopback, serve
    except ImportError as exc:
        raise InputError(
            f"'toolkit review' needs {exc.name}.", hint="Install it with: pip install '.[review]'"
        ) from exc

    if not 0 <= port <= 65535:
        raise InputError(f"--port {port} is not a port number.",
                         hint="Give a port from 1 to 65535, or 0 for any free port.")  # fmt: skip
    config = state(ctx).config()
    workspace = ReviewWorkspace(config, reviewer=reviewer)
    if locale is not None:  # as typed (DA, da-dk, da_DK.UTF-8), the locale it names
        from ..locales import locale_id

        locale = workspace.require_locale(locale_id(locale))
    workspace.refuse_unread_layout(locale)
    generated = token is None and not is_loopback(host)
    if generated:
        import secrets

        token = secrets.token_urlsafe(18)
    for row in workspace.coverage():  # reads and checks every catalog before serving
        if "error" in row:
            echo(f"warning: {row['error']}", err=True)

    def announce(url: str) -> None:
        if generated:  # once listening: a host it cannot listen on printed a token for nothing
            echo(f"--host {host} is reachable from other machines: access token {token}")
        if locale is not None:
            base, _, query = url.partition("?")
            url = f"{base}{locale}" + (f"?{query}" if query else "")
        echo(f"Reviewing {config.relative(config.locales_path)} at {url}")
        echo("Press Ctrl+C to stop.")

    try:
        serve(workspace, host=host, port=port, token=token, announce=announce)
    except KeyboardInterrupt:
        pass
    echo("Stopped.")
