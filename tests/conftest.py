"""Shared fixtures: loading structure files, data written once per module, and routing PostgreSQL-only tests to
the PostgreSQL pass."""

import copy
import functools
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from centers import structure_format

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEST_DATA = Path(__file__).resolve().parent / "data"


def uses_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_configure(config):
    """Tests create many users: hash their passwords fast (the production hasher is slow on purpose).

    No STATIC_ROOT: every test client builds the middleware anew, and WhiteNoise (DEBUG is off in tests) then
    scans STATIC_ROOT, so a `staticfiles/` left by scripts/serve cost every client a scan of thousands of files
    and served files that a fresh checkout (CI) does not have. The production-mode test collects its own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = None


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


def is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def role_groups_survive_flushes(request):
    """Transactional tests (live_server, concurrency) flush the database, and with it the role groups that the
    data migrations created: recreate them with the migrations' own code before such a test."""
    if not is_transactional(request):
        return
    if _module_transaction["open"]:
        pytest.fail("a transactional test cannot run inside the module's transaction (module_db, shared_fixtures)")
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


@functools.cache
def _parsed(path: Path) -> structure_format.Document:
    return structure_format.read_file(path)


def parsed(path: Path) -> structure_format.Document:
    """A copy of the file as `read_file` parses it: each file is parsed once per test process (parsing the fixtures
    takes longer than loading them), and every caller gets a copy of its own to change."""
    return copy.deepcopy(_parsed(path))


# The module's transaction (`module_db`) and the fixtures loaded in it: file slug -> municipality pk.
_module_transaction: dict = {"open": False, "fixtures": {}}


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around all the tests of a module, rolled back after the last one, as Django's
    TestCase.setUpTestData: module-scoped fixtures that depend on this write their data once, and every test runs
    in a savepoint inside it (pytest-django's `db`), so what a test writes is still rolled back after it. Only for
    modules without transactional tests (live_server, concurrency): they need a database they can commit to."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase's own blocks: a durable block in a test may open inside it
        atomic.__enter__()
    _module_transaction["open"] = True
    try:
        yield
    finally:
        _module_transaction.update(open=False, fixtures={})
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def shared_fixtures(request):
    """`pytestmark = pytest.mark.shared_fixtures("ltk", ...)`: load those fixtures once for the module, in its
    transaction (`module_db`); `load_fixture(slug)` then returns the loaded municipality, read afresh."""
    marker = request.node.get_closest_marker("shared_fixtures")
    if marker is None:
        yield
        return
    request.getfixturevalue("module_db")
    with request.getfixturevalue("django_db_blocker").unblock():
        for slug in marker.args:
            _module_transaction["fixtures"][slug] = structure_format.load(parsed(FIXTURES / f"{slug}.yaml")).pk
    yield


@pytest.fixture
def load_fixture(db):
    """Load fixtures/<slug>.yaml into the test database and return its Municipality (one the module shares, when
    it is marked `shared_fixtures(slug)`)."""
    from centers.models import Municipality

    def load(slug: str):
        if slug in _module_transaction["fixtures"]:
            return Municipality.objects.get(pk=_module_transaction["fixtures"][slug])
        return structure_format.load(parsed(FIXTURES / f"{slug}.yaml"))

    return load


@pytest.fixture
def valid_document() -> structure_format.Document:
    """tests/data/valid.yaml as parsed, small but using every part of the format; the test's own copy."""
    return parsed(TEST_DATA / "valid.yaml")
