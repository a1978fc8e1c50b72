"""Hardening of the public site and the login (security review D6, D10, D13): input PostgreSQL cannot store, the
login lockout, the Content-Security-Policy (in a real browser too) and the proxy SSL header."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse

from orgmodel import settings as project_settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Rigtig-Adgangskode-2014"


def run(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """The project's Python with `arguments`, in a fresh process with the project's settings and `environment`
    (names set to "" are removed; so is the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "orgmodel.settings", "DJANGO_ALLOW_ASYNC_UNSAFE": "", **environment}
    env = {name: value for name, value in env.items() if value != ""}
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


# --- D6: a NUL character in the URL, the query or a cookie -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/assens/%00/",
        "/assens/%00/organisation.json",
        "/assens/%00/diagram.svg",
        "/assens/2014%00/",
        "/assens/2014%00/organisation.json",
        "/assens/2014%00/diagram.svg",
        "/assens/2014/enheder/velfaerd%00/",
        "/soeg/?q=center&kommune=assens%00",
        "/soeg/?q=a%00b&kommune=assens",
        "/soeg/?q%00=center",
        "/assens/2014/diagram.svg?enhed=%00",
        "/assens/?dato=2014-01-01%00",
        "/admin/centers/unit/?q=%00",
    ],
)
def test_a_nul_character_in_the_url_or_the_query_is_a_bad_request(client, load_fixture, url):
    """On PostgreSQL these were 500s ("A string literal cannot contain NUL"); on SQLite they must answer the same."""
    load_fixture("assens")
    response = client.get(url)
    assert response.status_code == 400, url


@pytest.mark.django_db
def test_a_nul_character_in_a_cookie_is_a_bad_request(client, load_fixture):
    load_fixture("assens")
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/assens/2014/").status_code == 400


@pytest.mark.django_db
def test_ordinary_urls_still_answer(client, load_fixture):
    load_fixture("assens")
    assert client.get("/soeg/", {"q": "center", "kommune": "assens"}).status_code == 200
    assert client.get("/assens/2014/organisation.json").status_code == 200
    assert client.get("/assens/2014/diagram.dot", {"enhed": "velfaerd"}).status_code == 200
    assert client.get("/assens/2014%01/").status_code == 404  # other control characters are merely unknown


# --- D10: the login lockout --------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return User.objects.create_user("lockout-editor", password=PASSWORD, is_staff=True)


def log_in(client, password: str, username: str = "lockout-editor", address: str = "127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_lockout_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(client, editor):
    for attempt in range(4):
        response = log_in(client, f"forkert-{attempt}")
        assert response.status_code == 200, attempt  # the login form again
    response = log_in(client, "forkert-4")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Login spærret" in content and "5 gange" in content and "30 minutter" in content
    response = log_in(client, PASSWORD)
    assert response.status_code == 429 and not logged_in(response)
    assert client.get(reverse("admin:index")).status_code == 302  # still not logged in


def test_the_lockout_is_for_that_username_from_that_address_and_ends_after_the_cool_off(client, editor):
    User.objects.create_user("other-editor", password=PASSWORD, is_staff=True)
    for attempt in range(5):
        log_in(client, f"forkert-{attempt}")
    assert log_in(client, PASSWORD).status_code == 429
    assert logged_in(log_in(client, PASSWORD, username="other-editor"))
    client.logout()
    assert logged_in(log_in(client, PASSWORD, address="192.0.2.7"))
    client.logout()
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31))
    assert logged_in(log_in(client, PASSWORD))


def test_a_successful_login_resets_the_count(client, editor):
    for attempt in range(4):
        assert log_in(client, f"forkert-{attempt}").status_code == 200
    assert logged_in(log_in(client, PASSWORD))
    client.logout()
    for attempt in range(4):
        assert log_in(client, f"igen-forkert-{attempt}").status_code == 200
    assert logged_in(log_in(client, PASSWORD))


def test_the_lockout_page_is_english_in_english(client, editor):
    for attempt in range(5):
        response = client.post(
            reverse("admin:login"),
            {"username": "lockout-editor", "password": f"wrong-{attempt}"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 429
    text = " ".join(response.content.decode().split())
    assert "Login blocked" in text and "5 times" in text and "Try again in 30 minutes." in text


def test_logins_without_a_request_still_work(client, editor):
    """The test client's login() (and a management command) authenticate without a request: no lockout check."""
    assert client.login(username="lockout-editor", password=PASSWORD)
    assert not client.login(username="lockout-editor", password="forkert")


# --- D13: Content-Security-Policy and the proxy SSL header ------------------------------------------


def policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client, load_fixture):
    load_fixture("assens")
    for url in ("/", "/assens/2014/", "/assens/2014/enheder/velfaerd/", "/soeg/?q=center", "/assens/2014/udvalg/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert "style-src-attr" not in directives, url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["object-src"] == ["'self'"] and directives["base-uri"] == ["'self'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"].replace("style-src-attr", ""), url


@pytest.mark.django_db
def test_the_admin_may_use_inline_style_attributes_and_the_reporting_line_svg_may_be_embedded(
    client, admin_client, load_fixture
):
    load_fixture("assens")
    directives = policy(admin_client.get(reverse("admin:centers_unit_changelist")))
    assert directives["style-src-attr"] == ["'unsafe-inline'"] and directives["script-src"] == ["'self'"]
    assert "style-src-attr" in policy(client.get(reverse("admin:login")))
    svg = client.get(reverse("centers:unit-reporting-line-diagram", args=["assens", "2014", "velfaerd", "svg"]))
    assert policy(svg)["frame-ancestors"] == ["'self'"] and svg["X-Frame-Options"] == "SAMEORIGIN"


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def test_templates_and_scripts_carry_no_inline_code_the_policy_would_block():
    files = [*sorted((ROOT / "templates").rglob("*.html")), *sorted((ROOT / "static" / "js").rglob("*.js"))]
    assert files
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        if "/admin/" not in path.as_posix()  # the admin's policy allows style attributes
        for pattern in INLINE_CODE
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
        if not (path.suffix == ".js" and pattern.pattern.startswith(r"\son"))  # JS names like "button.onclick"
    ]
    assert found == []


def test_the_proxy_ssl_header_is_trusted_only_when_the_environment_says_so(monkeypatch):
    monkeypatch.delenv("DJANGO_SECURE_PROXY_SSL_HEADER", raising=False)
    assert project_settings.secure_proxy_ssl_header() is None
    monkeypatch.setenv("DJANGO_SECURE_PROXY_SSL_HEADER", "0")
    assert project_settings.secure_proxy_ssl_header() is None
    monkeypatch.setenv("DJANGO_SECURE_PROXY_SSL_HEADER", "1")
    assert project_settings.secure_proxy_ssl_header() == ("HTTP_X_FORWARDED_PROTO", "https")


PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "proxy": settings.SECURE_PROXY_SSL_HEADER, "debug": settings.DEBUG,
    "failures": settings.AXES_FAILURE_LIMIT, "cooloff": settings.AXES_COOLOFF_TIME.total_seconds(),
    "max_units": settings.ORGMODEL_DIAGRAM_MAX_UNITS, "timeout": settings.ORGMODEL_DIAGRAM_TIMEOUT_SECONDS,
    "cache_seconds": settings.CACHES["diagrams"]["TIMEOUT"],
}))
"""
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-web-hardening-a-long-enough-random-secret-key-0123456789",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_with_debug_off_and_no_proxy_variable_the_header_is_not_trusted_and_the_defaults_hold():
    result = run("-c", PRINT_SETTINGS, **PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "proxy": None,
        "debug": False,
        "failures": 5,
        "cooloff": 1800.0,
        "max_units": 1500,
        "timeout": 20.0,
        "cache_seconds": 86400,
    }


def test_the_environment_overrides_the_hardening_settings():
    result = run(
        "-c",
        PRINT_SETTINGS,
        **PRODUCTION,
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        ORGMODEL_LOGIN_FAILURE_LIMIT="3",
        ORGMODEL_LOGIN_COOLOFF_MINUTES="5",
        ORGMODEL_DIAGRAM_MAX_UNITS="200",
        ORGMODEL_DIAGRAM_TIMEOUT_SECONDS="2.5",
        ORGMODEL_DIAGRAM_CACHE_SECONDS="60",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "debug": False,
        "failures": 3,
        "cooloff": 300.0,
        "max_units": 200,
        "timeout": 2.5,
        "cache_seconds": 60,
    }


def test_deploy_checks_stay_clean():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
