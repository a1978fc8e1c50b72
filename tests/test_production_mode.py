"""Production mode end to end: scripts/serve (DEBUG off, collectstatic, gunicorn) on a free loopback port against its
own SQLite file, in both suites. README, "Production"."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 50
# The manifest storage names every file by the first 12 hex digits of its MD5.
HASHED_STYLESHEET = re.compile(r'href="(/static/css/orgmodel\.[0-9a-f]{12}\.css)"')


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, also for 4xx/5xx answers; redirects are not followed (one would be a failure)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """scripts/serve with a test key over plain HTTP; stopped (the whole process group) whatever the tests did."""
    folder = tmp_path_factory.mktemp("production")
    port = free_loopback_port()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "ORGMODEL_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_SECRET_KEY="test-production-mode-" + "k" * 40,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        ORGMODEL_ADDRESS=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    log_path = folder / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"scripts/serve exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                status, _, _ = fetch(base_url + "/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scripts/serve did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()}")
            time.sleep(0.25)
        yield base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
    with pytest.raises(OSError):
        fetch(base_url + "/")


def test_home_page_is_danish_and_references_collected_static_files(production_server):
    status, headers, body = fetch(production_server + "/")
    html = body.decode()
    assert status == 200
    assert '<html lang="da">' in html
    assert "Kommunernes administrative organisation" in html
    assert "Lejre Kommune" in html, "scripts/serve loads the fixtures into an empty database"
    assert HASHED_STYLESHEET.search(html), "no hashed static name: collectstatic did not run (or DEBUG is on)"


def test_hashed_static_file_is_served_by_whitenoise_for_a_year_and_compressed(production_server):
    _, _, body = fetch(production_server + "/")
    stylesheet = HASHED_STYLESHEET.search(body.decode()).group(1)
    status, headers, content = fetch(production_server + stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"


def test_api_lists_the_municipalities_as_json(production_server):
    status, headers, body = fetch(production_server + "/api/municipalities/")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    slugs = {municipality["slug"] for municipality in json.loads(body)["results"]}
    assert slugs == {"albertslund", "assens", "lejre", "ltk"}


def test_unknown_page_is_the_sites_404_page_not_the_debug_page(production_server):
    status, _, body = fetch(production_server + "/ingen-saadan-kommune/")
    html = body.decode()
    assert status == 404
    assert "Siden findes ikke" in html
    assert "Gå til forsiden med alle kommuner og versioner" in html
    assert "URLconf" not in html and "DEBUG = True" not in html
