"""`manage.py create_demo_users`: one demo user per role and municipality, for trying the admin."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from centers import rules as roles
from centers import structure_format
from centers.models import Person, Post, Unit
from tests.builders import two_area_document

pytestmark = pytest.mark.django_db

PASSWORD = "demo-kodeord-til-test"
EXPECTED_ROLES = {
    "testby-laeser": roles.READER,
    "testby-direktoer": roles.DIRECTOR,
    "testby-kommunaldirektoer": roles.CHIEF_EXECUTIVE,
    "tovby-laeser": roles.READER,
    "tovby-direktoer": roles.DIRECTOR,
    "tovby-kommunaldirektoer": roles.CHIEF_EXECUTIVE,
    "administrator": roles.ADMINISTRATOR,
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded(valid_document, settings):
    """Testby (its director post is vacant) and Tovby (Anders holds the area A post), with DEBUG on."""
    settings.DEBUG = True
    structure_format.load(valid_document)
    structure_format.load(two_area_document())


def run() -> str:
    out = StringIO()
    call_command("create_demo_users", stdout=out, stderr=StringIO())
    return out.getvalue()


def user_roles() -> dict[str, list[str]]:
    return {user.username: [group.name for group in user.groups.all()] for user in User.objects.all()}


def test_one_staff_user_per_role_and_municipality(loaded, monkeypatch):
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    output = run()
    assert user_roles() == {username: [role] for username, role in EXPECTED_ROLES.items()}
    for user in User.objects.all():
        assert user.is_staff and user.is_active and not user.is_superuser
    for username, role in EXPECTED_ROLES.items():
        assert re.search(rf"^{username}\s+{role}\b", output, re.MULTILINE), output


def test_the_director_is_the_holder_of_the_responsible_post(loaded, monkeypatch):
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    output = run()
    director = User.objects.get(username="tovby-direktoer")
    assert director.person == Person.objects.get(municipality__slug="tovby", key="anders")
    area_a = Unit.objects.get(version__municipality__slug="tovby", version__key="2023", key="center-a1")
    area_b = Unit.objects.get(version__municipality__slug="tovby", version__key="2023", key="center-b1")
    assert director.has_perm("centers.change_unit", area_a)
    assert not director.has_perm("centers.change_unit", area_b)
    assert re.search(r"^tovby-direktoer .*Anders Direktør.*Område A .*5 units", output, re.MULTILINE), output


def test_a_vacant_responsible_post_gets_a_demo_director(loaded, monkeypatch):
    """Testby's 'Direktør' is responsible for Center for Trafik og Ejendomme but vacant: the command appoints
    a demo person through the services (so it is in the history) and says that it changed the data."""
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    output = run()
    post = Post.objects.get(version__municipality__slug="testby", version__key="2014", key="direktoer-teknik")
    assert post.holder.key == "demo-direktoer"
    assert post.holder.name == "Demo-direktør (testby)"
    assert post.holder.user.username == "testby-direktoer"
    assert post.history.first().history_change_reason == "holder"
    assert "DATA CHANGED" in output and "Demo-direktør (testby)" in output
    centre = Unit.objects.get(version__key="2014", key="center-trafik-ejendomme")
    assert User.objects.get(username="testby-direktoer").has_perm("centers.change_unit", centre)


def test_running_again_updates_and_does_not_duplicate(loaded, monkeypatch):
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    run()
    first = (user_roles(), list(Person.objects.order_by("pk").values_list("pk", "key", "user__username")))
    User.objects.filter(username="tovby-laeser").update(is_staff=False, is_superuser=True)
    output = run()
    assert "DATA CHANGED" not in output
    assert (user_roles(), list(Person.objects.order_by("pk").values_list("pk", "key", "user__username"))) == first
    reader = User.objects.get(username="tovby-laeser")
    assert reader.is_staff and not reader.is_superuser
    assert Person.objects.filter(key="demo-direktoer").count() == 1


def test_the_password_comes_from_the_environment(loaded, monkeypatch, client):
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    output = run()
    assert PASSWORD not in output
    assert "ORGMODEL_DEMO_PASSWORD" in output
    for username in EXPECTED_ROLES:
        assert client.login(username=username, password=PASSWORD), username
        assert client.get(reverse("admin:index")).status_code == 200
        client.logout()


def test_a_generated_password_is_printed_once_and_reset_on_every_run(loaded, monkeypatch, client):
    monkeypatch.delenv("ORGMODEL_DEMO_PASSWORD", raising=False)
    first = re.search(r"shown only now.*: (\S+)$", run(), re.MULTILINE).group(1)
    assert client.login(username="tovby-direktoer", password=first)
    second_output = run()
    second = re.search(r"shown only now.*: (\S+)$", second_output, re.MULTILINE).group(1)
    assert second != first and second_output.count(second) == 1
    for username in EXPECTED_ROLES:
        assert not client.login(username=username, password=first)
        assert client.login(username=username, password=second)


def test_refused_when_debug_is_off(loaded, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not User.objects.exists()
    assert Post.objects.get(version__key="2014", key="direktoer-teknik").holder is None


def test_without_municipalities_only_the_administrator(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("ORGMODEL_DEMO_PASSWORD", PASSWORD)
    output = run()
    assert user_roles() == {"administrator": [roles.ADMINISTRATOR]}
    assert "No municipality is loaded" in output
