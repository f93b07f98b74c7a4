"""`ratusz serve`: the real production server (gunicorn) on loopback, with DEBUG off."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Never the developer's or the test run's database: a fresh SQLite file of its own.
    env.update(
        RATUSZ_HOME=str(tmp_path),
        RATUSZ_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        RATUSZ_DEBUG="0",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.mark.slow
def test_serve_runs_gunicorn_with_static_files_and_error_pages_with_debug_off(tmp_path):
    env = _env(tmp_path)  # an empty database: serve does not migrate, it warns (pages needing tables 500)
    port = _free_port()
    proc = subprocess.Popen(
        [BIN / "ratusz", "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                missing = httpx.get(base + "/nie-ma-takiej-strony/", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
                assert time.monotonic() < deadline, "ratusz serve did not answer within 60 s"
                time.sleep(0.3)
        assert missing.status_code == 404 and "Nie ma takiej strony" in missing.text
        assert "/static/vendor/htmx.min.js" in missing.text
        for path, kind in [
            ("/static/vendor/htmx.min.js", "javascript"),
            ("/static/vendor/vega-embed.min.js", "javascript"),
            ("/static/ratusz/ratusz.css", "css"),
        ]:
            r = httpx.get(base + path, timeout=10)
            assert r.status_code == 200, path
            assert kind in r.headers["content-type"], (path, r.headers["content-type"])
        english = httpx.get(base + "/en/nie-ma/", timeout=10)
        assert (
            english.status_code == 404
            and '<html lang="en">' in english.text
            and "Page not found" in english.text
        )
        # DEBUG is off: a server error is the error page, not a traceback (no tables in this database).
        broken = httpx.get(base + "/", timeout=10)
        assert broken.status_code == 500 and "Błąd serwera" in broken.text and "Traceback" not in broken.text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    log = proc.stdout.read().decode(errors="replace")
    assert "Booting worker" in log, log
    assert "ratusz migrate" in log  # the warning about the unmigrated database


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [BIN / "ratusz", "serve", "--port", str(port)],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
