"""Writes through the API: every write calls the service with the caller as actor, so the permission matrix is
the services' (tests/centers/test_write_matrix.py) and a refusal answers 400 (a broken rule, with its field),
401 (not signed in), 403 (the rule that stops the caller) or 404, never 500, and leaves the database as it was."""

import datetime

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from centers import services
from centers.models import Municipality, OrgVersion, Person, Post, Unit
from tests.builders import database_state, post, tovby_actors, unit

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "reader", "director_a", "director_b", "chief", "chief_other", "administrator")
VERSIONS = {"current": "2023", "proposed": "2025", "previous": "2019"}


@pytest.fixture
def actors(db):
    return tovby_actors()


def client_for(user) -> APIClient:
    """A client signed in with the user's token (no CSRF: a token is not a cookie)."""
    client = APIClient()
    if user.is_authenticated:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def base(status: str) -> str:
    return f"/api/municipalities/tovby/versions/{VERSIONS[status]}"


def prepare_revert(key: str) -> dict:
    centre = unit("center-a1", key)
    for name in ("Gammelt navn", "Nyt navn"):
        if OrgVersion.objects.get(municipality__slug="tovby", key=key).is_read_only:
            centre.name = name
            centre.save()
        else:
            services.rename_unit(centre, name, actor=services.SYSTEM)
    return {"history_id": centre.history.get(name="Gammelt navn").history_id}


# write: (scope, path under the version, body (from the version key), took effect)
WRITES = {
    "move": (
        "area",
        "units/afdeling-a1/move/",
        lambda key: {"target": "center-a2"},
        lambda key: unit("afdeling-a1", key).parent.key == "center-a2",
    ),
    "rename": (
        "area",
        "units/center-a1/rename/",
        lambda key: {"name": "Nyt navn", "name_en": "New name"},
        lambda key: (unit("center-a1", key).name, unit("center-a1", key).name_en) == ("Nyt navn", "New name"),
    ),
    "set-head": (
        "area",
        "units/center-a1/set-head/",
        lambda key: {"head": None},
        lambda key: unit("center-a1", key).head_id is None,
    ),
    "set-responsible": (
        "area",
        "units/center-a1/set-responsible/",
        lambda key: {"responsible": "direktoer-a"},
        lambda key: getattr(unit("center-a1", key).responsible, "key", None) == "direktoer-a",
    ),
    "revert": (
        "area",
        "units/center-a1/revert/",
        prepare_revert,
        lambda key: unit("center-a1", key).name == "Gammelt navn",
    ),
    "assign-holder": (
        "area",
        "posts/centerchef-a1/assign-holder/",
        lambda key: {"holder": "carl"},
        lambda key: getattr(post("centerchef-a1", key).holder, "key", None) == "carl",
    ),
    "clone": (
        "municipality",
        "clone/",
        lambda key: {"key": "udkast", "label": "Udkast"},
        lambda key: OrgVersion.objects.filter(municipality__slug="tovby", key="udkast").exists(),
    ),
}


def permitted(actor: str, scope: str, status: str) -> bool:
    if status == "previous":
        return False
    if actor in {"chief", "administrator"}:
        return True
    return actor == "director_a" and scope == "area"


def expected_status(actor: str, scope: str, status: str, write: str) -> int:
    if actor == "anonymous":
        return 401
    if write == "clone":  # cloning reads its version, of any status, and adds a version to the municipality
        return 201 if actor in {"chief", "administrator"} else 403
    return 200 if permitted(actor, scope, status) else 403


def attempt(actors, actor: str, status: str, write: str) -> str | None:
    """One cell of the matrix; what went wrong, or None."""
    scope, path, body, took_effect = WRITES[write]
    key = VERSIONS[status]
    data = body(key)
    before = database_state()
    user = actors[actor]
    response = client_for(user).post(f"{base(status)}/{path}", data, format="json")
    expected = expected_status(actor, scope, status, write)
    if response.status_code != expected:
        return f"{response.status_code} instead of {expected}: {response.content[:200]!r}"
    if expected in (200, 201):
        recorded = any(model.history.filter(history_user=user).exists() for model in (Unit, Post, OrgVersion))
        if not took_effect(key) or not recorded:
            return "answered success, but the change or its history is missing"
    elif took_effect(key) or database_state() != before:
        return "refused, but the database changed"
    elif expected == 403 and not response.json().get("detail"):
        return "refused without saying why"
    return None


@pytest.mark.parametrize("write", WRITES)
def test_every_write_through_the_api(actors, write):
    """Each actor × each version status, from the same loaded data: every cell runs in a savepoint that is rolled
    back, so the cells cannot see each other's writes."""
    problems = {}
    for status in VERSIONS:
        for actor in ACTORS:
            with transaction.atomic():
                problem = attempt(actors, actor, status, write)
                transaction.set_rollback(True)
            if problem:
                problems[(actor, status)] = problem
    assert not problems, problems


def test_a_refusal_says_which_rule_stops_the_caller(actors):
    response = client_for(actors["director_b"]).post(
        f"{base('current')}/units/afdeling-a1/move/", {"target": "center-a2"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Du kan kun ændre og flytte enheder inden for dit eget område: Område B."}
    historic = client_for(actors["chief"]).post(
        f"{base('previous')}/units/center-a1/rename/", {"name": "X"}, format="json"
    )
    assert historic.json() == {"detail": "Versionen «Organisation 2019» er historisk og kan ikke ændres."}


def test_a_move_answers_with_the_moved_unit(actors):
    response = client_for(actors["director_a"]).post(
        f"{base('current')}/units/afdeling-a1/move/", {"target": "center-a2"}, format="json"
    )
    assert response.json()["parent"] == "center-a2"
    assert response.json()["api_url"].endswith("/api/municipalities/tovby/versions/2023/units/afdeling-a1/")


@pytest.mark.parametrize(
    ("path", "body", "errors"),
    [
        ("units/afdeling-a1/move/", {"target": "nej"}, {"target"}),
        ("units/afdeling-a1/move/", {"target": "center-a2", "position": "ovenpå"}, {"position"}),
        ("units/afdeling-a1/move/", {}, {"target"}),
        ("units/center-a1/move/", {"target": "skole-a"}, {"parent"}),
        ("units/center-a1/move/", {"target": "afdeling-a1"}, {"parent"}),
        ("units/center-a1/rename/", {"name": "   "}, {"name"}),
        ("units/center-a1/set-head/", {"head": "direktoer-b"}, {"head"}),
        ("posts/centerchef-a1/assign-holder/", {"holder": "nogen"}, {"holder"}),
        ("units/center-a1/revert/", {"history_id": 999999}, {"history"}),
        ("units/center-a1/revert/", {"history_id": "x"}, {"history_id"}),
        ("adopt/", {"effective_from": "ikke en dato"}, {"effective_from"}),
    ],
)
def test_a_broken_rule_is_a_400_naming_the_field_and_nothing_changes(actors, path, body, errors):
    before = database_state()
    response = client_for(actors["chief"]).post(f"{base('current')}/{path}", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == errors
    assert all(isinstance(message, str) and message for messages in response.json().values() for message in messages)
    assert database_state() == before


def test_a_body_that_is_not_json_is_a_400(actors):
    client = client_for(actors["chief"])
    response = client.post(f"{base('current')}/units/center-a1/rename/", "{name:", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    form = client.post(f"{base('current')}/units/center-a1/rename/", {"name": "X"})
    assert form.status_code == 415


def test_a_session_write_needs_the_csrf_token(actors):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(actors["chief"])
    path = f"{base('current')}/units/center-a1/rename/"
    refused = client.post(path, {"name": "Med session"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = "k" * 32  # a well-formed secret: the cookie and the header must carry the same
    client.cookies["csrftoken"] = token
    accepted = client.post(path, {"name": "Med session"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert unit("center-a1").name == "Med session"


def test_adoption_through_the_api(actors):
    draft = client_for(actors["chief"]).post(f"{base('current')}/clone/", {"key": "2027"}, format="json")
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    refused = client_for(actors["director_a"]).post(
        "/api/municipalities/tovby/versions/2027/adopt/", {"effective_from": "2027-01-01"}, format="json"
    )
    assert refused.status_code == 403
    adopted = client_for(actors["chief"]).post(
        "/api/municipalities/tovby/versions/2027/adopt/",
        {"effective_from": "2027-01-01", "decided_on": "2026-11-30", "decided_by": "Byrådet"},
        format="json",
    )
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["status"] == "current" and adopted.json()["decided_by"] == "Byrådet"
    old = OrgVersion.objects.get(municipality__slug="tovby", key="2023")
    assert old.status == "previous" and old.effective_to == datetime.date(2026, 12, 31)


def test_the_history_lists_what_revert_takes(actors):
    client = client_for(actors["director_a"])
    client.post(f"{base('current')}/units/center-a1/rename/", {"name": "Først"}, format="json")
    client.post(f"{base('current')}/units/center-a1/rename/", {"name": "Siden"}, format="json")
    history = client.get(f"{base('current')}/units/center-a1/history/").json()
    assert [entry["reason"] for entry in history[:2]] == ["rename", "rename"]
    assert history[0]["changes"][0]["after"] == "Siden"
    reverted = client.post(
        f"{base('current')}/units/center-a1/revert/", {"history_id": history[1]["id"]}, format="json"
    )
    assert reverted.json()["name"] == "Først"


def test_reads_are_open_and_writes_need_a_sign_in(actors):
    anonymous = APIClient()
    assert anonymous.get(f"{base('current')}/units/").status_code == 200
    response = anonymous.post(f"{base('current')}/units/center-a1/rename/", {"name": "X"}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert anonymous.get(f"{base('current')}/units/center-a1/rename/").status_code == 405


def test_a_person_is_named_inside_the_posts_municipality(actors):
    """A write names a person by key inside its own municipality: Andeby's Carl is not Tovby's."""
    Person.objects.create(municipality=Municipality.objects.get(slug="andeby"), key="andeby-carl", name="Carl")
    response = client_for(actors["chief"]).post(
        f"{base('current')}/posts/centerchef-a1/assign-holder/", {"holder": "andeby-carl"}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"holder"}
