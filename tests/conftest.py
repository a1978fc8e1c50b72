"""Shared fixtures: loading structure files, and routing PostgreSQL-only tests to the PostgreSQL pass."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from centers import structure_format

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEST_DATA = Path(__file__).resolve().parent / "data"


def uses_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_configure(config):
    """Tests create many users: hash their passwords fast (the production hasher is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL's locking; on SQLite they are deselected, not skipped:
    the test command runs them in its PostgreSQL pass."""
    if uses_postgresql():
        return
    selected = [item for item in items if item.get_closest_marker("postgres") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def fresh_diagram_cache():
    """Rolled-back tests reuse ids: a diagram cached by one test must not answer the next."""
    from django.core.cache import caches

    caches["diagrams"].clear()
    yield


@pytest.fixture(autouse=True)
def danish_by_default():
    """Each test starts in the default language: a request in English must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def role_groups_survive_flushes(request):
    """Transactional tests (live_server, concurrency) flush the database, and with it the role groups that the
    data migrations created: recreate them with the migrations' own code before such a test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state_apps = MigrationExecutor(connection).loader.project_state().apps
    for app_label, migration_name, function in (
        ("centers", "0003_roles", "create_roles"),
        ("governance", "0003_roles", "grant_roles"),
    ):
        module = importlib.import_module(f"{app_label}.migrations.{migration_name}")
        getattr(module, function)(state_apps, None)


@pytest.fixture
def load_fixture(db):
    """Load fixtures/<slug>.yaml into the test database and return its Municipality."""

    def load(slug: str):
        return structure_format.load(structure_format.read_file(FIXTURES / f"{slug}.yaml"))

    return load


@pytest.fixture
def valid_document() -> structure_format.Document:
    """A fresh parse of tests/data/valid.yaml, small but using every part of the format."""
    return structure_format.read_file(TEST_DATA / "valid.yaml")
