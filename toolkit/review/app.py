"""The review web application (Starlette): pages, the JSON API, and the security around them.

Security (docs/review.md): only the configured ``Host`` names are answered (no DNS rebinding);
with a token every request must carry it (``Authorization: Bearer``, or once as ``?token=`` in
a browser, which sets a same-site cookie); every POST needs the session's CSRF token in an
``X-CSRF-Token`` header (or the bearer token), a JSON body and, if the browser sends one, a
same-origin ``Origin``. Pages carry a strict Content-Security-Policy (no inline script); all
catalog text reaches the page through ``textContent``; HTML previews sit in sandboxed frames.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import ToolkitError
from . import pages
from .detail import entry_detail, live
from .model import ReviewError
from .workspace import ReviewWorkspace

STATIC = Path(__file__).parent / "static"
TOKEN_COOKIE = "toolkit_review_token"
_ID_CHARS = frozenset("0123456789abcdef")
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_SAVE_KEYS = frozenset({"msgstr", "approve", "reject", "force", "revision", "entry_version"})

#: The largest save request read: a message's translation is a few KB at most. A 100 MB body
#: kept the server (one event loop) checking it for minutes, answering no other request.
MAX_BODY_BYTES = 1_048_576


async def _limited_body(request: Request) -> bytes:
    """The request body, refused with 413 past :data:`MAX_BODY_BYTES` before it is all read."""
    too_large = ReviewError(
        f"request body is larger than {MAX_BODY_BYTES:,} bytes; a save sends one entry's "
        "translation.",
        status=413,
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _error(message: str, status: int, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class Guard(BaseHTTPMiddleware):
    """Token check, CSRF check for POSTs, security headers, errors as one-line answers."""

    def __init__(
        self, app: Any, *, token: str | None, csrf: str, allowed_hosts: list[str] | None = None
    ) -> None:
        super().__init__(app)
        self.token = token
        self.csrf = csrf
        self.allowed_hosts = allowed_hosts or ["*"]

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            response = refused
        elif (
            self.token
            and request.method == "GET"
            and not request.url.path.startswith("/api/")
            and "token" in request.query_params
        ):  # (a wrong token was refused above)
            # A browser's first visit: keep the token in a cookie, drop it from the URL.
            url = request.url.remove_query_params("token")
            response = RedirectResponse(str(url), status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def _refuse(self, request: Request) -> Response | None:
        # A Host this server is not (DNS rebinding): refused first, as JSON with the security
        # headers (Starlette's TrustedHostMiddleware answered in plain text without them).
        host = request.headers.get("host", "")
        if not host.endswith("]"):  # (not "[::1]": a port follows the last colon)
            host = host.rsplit(":", 1)[0]
        if "*" not in self.allowed_hosts and host not in self.allowed_hosts:
            return _error(f"invalid Host header {host[:60]!r}: this is a local workspace.", 400)
        bearer = request.headers.get("authorization", "")
        has_bearer = bool(self.token) and hmac.compare_digest(
            bearer.encode(), f"Bearer {self.token}".encode()
        )
        if self.token and not (
            has_bearer
            or hmac.compare_digest(
                request.cookies.get(TOKEN_COOKIE, "").encode(), self.token.encode()
            )
            or hmac.compare_digest(
                request.query_params.get("token", "").encode(), self.token.encode()
            )
        ):
            return _error("missing or wrong token: open the URL 'toolkit review' printed.", 401)
        if request.method not in ("GET", "HEAD", "POST"):
            return _error(f"method {request.method} is not allowed.", 405)
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
                return _error(f"cross-site request from {origin} refused.", 403)
            sent = request.headers.get("x-csrf-token", "")
            if not (has_bearer or hmac.compare_digest(sent.encode(), self.csrf.encode())):
                said = "wrong" if sent else "missing"
                return _error(
                    f"{said} CSRF token: send the X-CSRF-Token header from GET /api/session "
                    "(a token from an earlier run of 'toolkit review' is no longer valid).",
                    403,
                )
            if request.headers.get("content-type", "").split(";")[0].strip() != (
                "application/json"
            ):
                return _error("POST bodies must be JSON (Content-Type: application/json).", 415)
        return None


def _entry_key(request: Request) -> str:
    key = str(request.path_params["entry"])
    if not key or not set(key) <= _ID_CHARS or len(key) > 32:
        raise ReviewError(f"no entry '{key[:40]}'.", status=404)
    return key


async def _catalog_free(path: Path) -> None:
    """Wait, without holding up the server's other requests, while another process writes the
    catalog (up to :data:`~toolkit.catalogs.lock.LOCK_TIMEOUT` s, then 423 Locked)."""
    import asyncio

    from ..catalogs.lock import LOCK_TIMEOUT
    from .lock import held_elsewhere

    loop = asyncio.get_running_loop()
    deadline = loop.time() + LOCK_TIMEOUT
    while held_elsewhere(path):
        if loop.time() >= deadline:
            raise ReviewError(
                f"another toolkit command has been writing this catalog for over "
                f"{LOCK_TIMEOUT:g} s; nothing was saved. Wait for it to finish and save again.",
                status=423,
            )
        await asyncio.sleep(0.05)


def create_app(
    workspace: ReviewWorkspace,
    *,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
    csrf: str | None = None,
) -> Starlette:
    """The ASGI application serving ``workspace``."""
    csrf = csrf or secrets.token_urlsafe(24)

    async def index(request: Request) -> Response:
        return HTMLResponse(pages.index_page(workspace, csrf))

    async def queue_page(request: Request) -> Response:
        locale = workspace.require_locale(str(request.path_params["locale"]))
        workspace.state(locale)  # an unreadable catalog shows as an error page
        return HTMLResponse(pages.queue_page(workspace, locale, csrf))

    async def entry_page(request: Request) -> Response:
        locale = workspace.require_locale(str(request.path_params["locale"]))
        key = _entry_key(request)
        workspace.message(workspace.state(locale), key)
        return HTMLResponse(pages.entry_page(workspace, locale, key, csrf))

    async def api_session(request: Request) -> Response:
        # The name approvals record: --reviewer, else the login name (as saving.py writes it).
        from .saving import login_name

        return JSONResponse({"csrf": csrf, "reviewer": workspace.reviewer or login_name()})

    async def api_locales(request: Request) -> Response:
        return JSONResponse({"locales": workspace.coverage()})

    async def api_entries(request: Request) -> Response:
        locale = workspace.require_locale(str(request.path_params["locale"]))
        result = workspace.queue(
            locale, request.query_params.get("state", "review"), request.query_params.get("q", "")
        )
        return Response(json.dumps(result, ensure_ascii=False), media_type="application/json")

    async def api_entry(request: Request) -> Response:
        locale = workspace.require_locale(str(request.path_params["locale"]))
        if request.method == "POST":
            return await _save(request, locale)
        key = _entry_key(request)
        wanted = request.query_params.get("state", "review")
        return JSONResponse(entry_detail(workspace, locale, key, wanted))

    async def api_preview(request: Request) -> Response:
        locale = workspace.require_locale(str(request.path_params["locale"]))
        if request.method == "POST":
            # A long text (a 100 KB article) is sent in the body: in the query it passed the
            # server's URL limit and the connection was reset (QA pass 80).
            try:
                body = json.loads(await _limited_body(request))
            except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                raise ReviewError("request body is not valid JSON.", status=400) from exc
            strings = body.get("msgstr") if isinstance(body, dict) else None
            if not isinstance(strings, list) or not all(isinstance(x, str) for x in strings):
                raise ReviewError("'msgstr' must be a list of strings.", status=400)
        else:
            strings = request.query_params.getlist("msgstr")
        return JSONResponse(live(workspace, locale, _entry_key(request), strings or None))

    async def _save(request: Request, locale: str) -> Response:
        key = _entry_key(request)
        try:
            body = json.loads(await _limited_body(request))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ReviewError(f"request body is not valid JSON: {exc}.", status=400) from exc
        except RecursionError as exc:  # '[' nested 50,000 deep: no save body looks so
            raise ReviewError("request body is not valid JSON: nested too deeply.",
                              status=400) from exc  # fmt: skip
        if not isinstance(body, dict):
            raise ReviewError("request body must be a JSON object.", status=400)
        unknown = sorted(set(body) - _SAVE_KEYS)
        if unknown:
            raise ReviewError(f"unknown field(s): {', '.join(unknown)}.", status=400)
        for flag in ("approve", "reject", "force"):
            if not isinstance(body.get(flag, False), bool):
                raise ReviewError(f"'{flag}' must be true or false.", status=400)
        if body.get("approve") and body.get("reject"):
            raise ReviewError("'approve' and 'reject' exclude each other: send one.", status=400)
        if body.get("reject") and body.get("msgstr") is not None:
            raise ReviewError("'reject' empties the entry and takes no 'msgstr'.", status=400)
        version = body.get("entry_version")
        if version is not None and not isinstance(version, str):
            raise ReviewError("'entry_version' must be a string.", status=400)
        await _catalog_free(workspace.config.po_path(locale))
        result = workspace.save(
            locale,
            key,
            revision=body.get("revision"),  # type: ignore[arg-type]  # checked by save
            msgstr=body.get("msgstr"),
            approve=body.get("approve", False),
            reject=body.get("reject", False),
            force=body.get("force", False),
            entry_version=version,
        )
        return JSONResponse(result)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/api/session", api_session),
        Route("/api/locales", api_locales),
        Route("/api/{locale}/entries", api_entries),
        Route("/api/{locale}/entries/{entry}", api_entry, methods=["GET", "POST"]),
        Route("/api/{locale}/entries/{entry}/preview", api_preview, methods=["GET", "POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        Route("/{locale}", queue_page),
        Route("/{locale}/{entry}", entry_page),
    ]
    middleware = [
        Middleware(Guard, token=token, csrf=csrf, allowed_hosts=allowed_hosts),
        Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["*"]),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return _error(f"no such endpoint: {request.url.path}", 404)
        return HTMLResponse(pages.error_page("Page not found.", status=404), status_code=404)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return _error(f"method {request.method} is not allowed here.", 405)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ToolkitError)
        if isinstance(exc, ReviewError):
            if request.url.path.startswith("/api/"):
                return _error(str(exc), exc.status, **exc.payload)
            return HTMLResponse(pages.error_page(str(exc), status=exc.status), exc.status)
        # A catalog that became unreadable on disk, a broken glossary or template.
        if request.url.path.startswith("/api/"):
            return _error(str(exc), 500)
        return HTMLResponse(pages.error_page(str(exc)), status_code=500)

    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: not_found, 405: not_allowed, ToolkitError: refused},
    )


def allowed_hosts_for(host: str, port: int) -> list[str]:
    """Host header values the server answers: the bound host, and loopback names for
    loopback binds (``localhost``); ``*`` when bound to every interface (the token guards)."""
    if host in ("0.0.0.0", "::"):
        return ["*"]
    names = {host}
    if host in ("127.0.0.1", "::1", "localhost"):
        names |= {"127.0.0.1", "localhost", "::1", "[::1]"}
    return sorted(names)


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> Any:
    """A listening socket on ``host:port`` (port 0: a free one); InputError when taken."""
    import socket

    from ..errors import InputError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        import errno

        # A host that resolves to nothing, or to no address of this machine, is the host's
        # fault, not the port's (the hint said to choose another port).
        host_fault = isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror}.",
            hint="Give a --host this machine has (127.0.0.1, the default)." if host_fault
            else "Choose another --port (or --port 0 for a free one).",
        ) from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_for(host: str, port: int, token: str | None = None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    workspace: ReviewWorkspace,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the workspace until Ctrl+C (uvicorn on a socket bound here)."""
    import uvicorn

    sock = bind(host, port)
    port = sock.getsockname()[1]
    app = create_app(workspace, token=token, allowed_hosts=allowed_hosts_for(host, port))
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    announce(url_for(host, port, token))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
