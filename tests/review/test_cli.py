"""``toolkit review`` on the command line: start, answer, stop on Ctrl+C; errors; light --help."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TOOLKIT = [sys.executable, "-c", "from toolkit.cli import main; main()"]


def test_help_does_not_import_the_web_stack() -> None:
    code = (
        "import sys\nsys.argv = ['toolkit', '--help']\nfrom toolkit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "review" in out.stdout and out.stdout.strip().endswith("[]")


def test_review_help_documents_the_options(cli) -> None:
    result = cli("review", "--help")
    assert result.exit_code == 0
    for option in ("--locale", "--host", "--port", "--reviewer", "--token"):
        assert option in result.output


def test_unknown_locale_is_a_usage_error(cli) -> None:
    result = cli("review", "--locale", "xx", "--port", "0")
    assert result.exit_code == 2
    assert "Unknown locale 'xx'" in result.output


@pytest.mark.parametrize("typed", ["../../etc", "", "da_DK.UTF-8"])
def test_a_locale_that_names_none_configured_is_a_usage_error(cli, typed) -> None:
    result = cli("review", "--locale", typed, "--port", "0")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_locale_is_read_as_typed_elsewhere(cli, monkeypatch) -> None:
    """'review --locale DA' (or da-dk where da_DK is configured) was refused while status and
    check took it (QA 32): the locale is read as the other commands read it."""
    from toolkit.review import app as review_app

    served = []
    monkeypatch.setattr(review_app, "serve", lambda *a, **k: served.append(k) or None)
    result = cli("review", "--locale", "DA", "--port", "0")
    assert result.exit_code == 0, result.output
    assert "unknown locale" not in result.output


def test_port_in_use_is_a_usage_error(cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        result = cli("review", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.output and "--port" in result.output


def test_a_host_it_cannot_listen_on_blames_the_host_and_prints_no_token(cli) -> None:
    """'--host nonexistent.invalid' printed an access token, then advised another --port
    (QA pass 80)."""
    result = cli("review", "--host", "nonexistent.invalid", "--port", "0")
    assert result.exit_code == 2
    assert "Give a --host this machine has" in result.output
    assert "access token" not in result.output and "another --port" not in result.output


def _get(url: str, **headers: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_serves_until_ctrl_c(review_dir: Path, host: str) -> None:
    process = subprocess.Popen(
        [*TOOLKIT, "-p", str(review_dir), "review", "--locale", "da", "--host", host,
         "--port", "0", "--reviewer", "Ana"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not any(" at http://" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            lines.append(line)
        url = lines[-1].split(" at ", 1)[1].strip()
        assert "/da" in url
        base = url.split("/da")[0].replace("0.0.0.0", "127.0.0.1")
        if host == "0.0.0.0":
            assert "access token" in lines[0] and "?token=" in url
            token = url.split("?token=")[1]
            assert _get(base + "/api/locales")[0] == 401
            status, body = _get(base + "/api/locales", Authorization=f"Bearer {token}")
        else:
            status, body = _get(base + "/api/locales")
        assert status == 200 and [r["locale"] for r in body["locales"]] == ["da", "lt"]
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err


@pytest.mark.parametrize("port", ["99999", "-5"])
def test_a_port_out_of_range_is_a_usage_error(cli, port) -> None:
    """--port 99999 was a traceback (OverflowError from bind), exit 1 (QA pass 57)."""
    result = cli("review", "--port", port)
    assert result.exit_code == 2
    assert f"--port {port} is not a port number" in result.output
    assert "Traceback" not in result.output
