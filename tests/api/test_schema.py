"""The OpenAPI schema describes the API as it is: it validates, every operation has a summary and examples, and
schemathesis' generated requests (bounded, derandomized) never get a 5xx and always get a documented status with a
body that conforms to the schema."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from orgmodel.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# Path parameters that name something real, so that generated requests reach the views and not only their 404s.
KNOWN = {
    "slug": "lejre",
    "version": "2014",
    "unit": "koncernsekretariat-udvikling",
    "post": "kommunaldirektoer",
}
KNOWN_KEYS = {
    "units": "koncernsekretariat-udvikling",
    "posts": "kommunaldirektoer",
    "tasks": "indkoeb",
    "people": "mikkel-solgaard-bojsen-moeller",
    "committees": "kb",
    "forums": "koncerndirektion",
    "versions": "2014",
}


@pytest.fixture
def lejre(load_fixture):
    """Lejre, and the test's database connection kept open across the WSGI calls: Django closes connections at
    the end of a request, which would end the test's transaction (its test client disconnects that too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    load_fixture("lejre")
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def aim(case) -> None:
    """Half of the generated requests name real elements (by the request's own hash, so runs repeat)."""
    if not case.path_parameters or hash(str(sorted(case.path_parameters.items()))) % 2:
        return
    for name in KNOWN:
        if name in case.path_parameters:
            case.path_parameters[name] = KNOWN[name]
    if "key" in case.path_parameters:
        collection = case.path.split("/{key}")[0].rsplit("/", 1)[-1]
        case.path_parameters["key"] = KNOWN_KEYS.get(collection, case.path_parameters["key"])


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_requests_conform_to_the_schema(case, lejre):
    aim(case)
    case.call_and_validate(headers={"Host": "localhost"})


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/municipalities/{slug}/versions/{version}/units/{key}/move/" in (tmp_path / "schema.yaml").read_text()


def test_every_operation_has_a_summary_an_example_and_its_refusals():
    raw = schema.raw_schema
    for path, methods in raw["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), (method, path)
            responses = operation["responses"]
            assert "404" in responses and "400" in responses, (method, path)
            if method == "post":
                assert {"401", "403"} <= set(responses), (method, path)
            success = next(responses[code] for code in responses if code.startswith("2"))
            content = success.get("content", {}).get("application/json", {})
            assert "examples" in content or "example" in content, (method, path)


def test_the_documentation_page_loads_its_assets_from_the_site(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in text
    assert "cdn" not in text.lower()
