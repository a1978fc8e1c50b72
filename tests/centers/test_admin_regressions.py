"""Regression tests of the security review's admin findings, each reproduced first: references into other
versions and municipalities (D4), digit-like ids (D7), kommunaldirektører of one municipality changing another
and people linked to users of another municipality (D15, H7)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from centers import rules as roles
from centers import services, structure_format
from centers.models import Municipality, OrgVersion, Person
from governance.models import Committee, Forum, Membership, Network
from tests.builders import database_state, post, two_area_document, unit, with_governance

pytestmark = pytest.mark.django_db


@pytest.fixture
def tovby():
    municipality = structure_format.load(with_governance(two_area_document()))
    other = with_governance(two_area_document())
    other.data["municipality"] = {"slug": "andeby", "name": "Andeby Kommune", "kommunekode": 996}
    structure_format.load(other)
    return municipality


def client_for(username: str, role: str, *municipalities: str, superuser: bool = False) -> Client:
    user = User.objects.create_user(username, is_staff=True, is_superuser=superuser)
    user.groups.add(Group.objects.get(name=role))
    user.municipalities.set(Municipality.objects.filter(slug__in=municipalities))
    client = Client()
    client.force_login(user)
    return client


def change(client: Client, obj, data: dict):
    opts = obj._meta
    return client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]), data)


def forum_data(forum: Forum, **changes) -> dict:
    data = {
        "version": forum.version_id,
        "key": forum.key,
        "name": forum.name,
        "name_en": forum.name_en,
        "kind": forum.kind,
        "chair": forum.chair_id or "",
        "member_units": ",".join(str(pk) for pk in forum.member_units.values_list("pk", flat=True)),
        "member_posts": ",".join(str(pk) for pk in forum.member_posts.values_list("pk", flat=True)),
        "members_text": forum.members_text,
        "frequency": forum.frequency,
        "purpose": forum.purpose,
        "source": forum.source,
        "note": forum.note,
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "field, value",
    [
        ("chair", lambda: post("direktoer-a", "2025").pk),
        ("chair", lambda: post("direktoer-a", "2023", slug="andeby").pk),
        ("member_units", lambda: f"{unit('center-a1').pk},{unit('center-a1', '2019').pk}"),
        ("member_posts", lambda: str(post("centerchef-a1", "2023", slug="andeby").pk)),
    ],
    ids=["chair-other-version", "chair-other-municipality", "member-unit-other-version", "member-post-elsewhere"],
)
def test_a_forum_refers_only_inside_its_version(tovby, field, value):
    """D4: forum chairs and members from other versions and municipalities were stored and shown."""
    client = client_for("kd", roles.CHIEF_EXECUTIVE, "tovby")
    forum = Forum.objects.get(version__municipality=tovby, version__key="2023", key="forum-a")
    before = database_state()
    response = change(client, forum, forum_data(forum, **{field: value()}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert database_state() == before


def test_a_network_leader_and_members_stay_in_the_version(tovby):
    network = Network.objects.get(version__municipality=tovby, version__key="2023", key="netvaerk-a")
    with pytest.raises(services.EditRefused) as refused:
        network.leader = post("centerchef-a1", "2025")
        services.save_row(network, actor=services.SYSTEM, m2m={"member_units": [unit("center-a1", "2019")]})
    assert set(refused.value.message_dict) == {"leader", "member_units"}


def test_a_membership_joins_a_person_and_a_committee_of_one_municipality(tovby):
    """D4: an Assens person became a member of an LTK committee."""
    stranger = Person.objects.get(municipality__slug="andeby", key="karen")
    committee = Committee.objects.get(municipality=tovby, key="oeu")
    before = database_state()
    with pytest.raises(services.EditRefused) as refused:
        services.save_row(Membership(committee=committee, person=stranger), actor=services.SYSTEM)
    assert set(refused.value.message_dict) == {"person"}
    assert database_state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/centers/unit/?version=%C2%B2",
        "/admin/centers/unit/?version=%E2%91%A0",
        "/admin/centers/unit/add/?version=%C2%B2",
        "/admin/centers/post/add/?version=%C2%B2",
        "/admin/centers/task/add/?version=%C2%B2",
        "/admin/centers/unit/add/?_changelist_filters=version%3D%C2%B2",
        "/admin/centers/post/add/?_changelist_filters=version%3D%C2%B2",
    ],
)
def test_digit_like_characters_in_a_version_id_are_not_a_server_error(tovby, url):
    """D7: `str.isdigit()` accepts ² and ①, which `int()` refuses: every one of these answered 500."""
    client = client_for("kd", roles.CHIEF_EXECUTIVE, "tovby")
    assert client.get(url).status_code in {200, 302}


@pytest.mark.parametrize("model", ["unit", "post", "task"])
def test_a_posted_digit_like_version_is_a_form_error(tovby, model):
    client = client_for("kd", roles.CHIEF_EXECUTIVE, "tovby")
    before = database_state()
    response = client.post(f"/admin/centers/{model}/add/", {"version": "²", "key": "x", "name": "x", "title": "x"})
    assert response.status_code == 200
    assert "version" in response.context["adminform"].form.errors
    assert database_state() == before


def test_a_forged_action_selection_is_refused_without_a_server_error(tovby):
    client = client_for("kd", roles.CHIEF_EXECUTIVE, "tovby")
    version = OrgVersion.objects.get(municipality=tovby, key="2023")
    before = database_state()
    response = client.post(
        f"/admin/centers/unit/?version={version.pk}", {"action": "move_to", "_selected_action": ["abc"]}
    )
    assert response.status_code == 302
    assert database_state() == before


def test_a_kommunaldirektoer_changes_only_their_own_municipality(tovby):
    """D15: albertslund-kommunaldirektoer renamed an Assens unit."""
    client = client_for("andeby-kd", roles.CHIEF_EXECUTIVE, "andeby")
    centre = unit("center-a1")
    before = database_state()
    response = change(client, centre, {"name": "Overtaget", "parent": centre.parent_id})
    assert response.status_code in {302, 403}  # another municipality's rows are not even listed
    assert client.get(reverse("admin:centers_unit_change", args=[centre.pk])).status_code == 302
    assert database_state() == before
    assert (
        client.get(reverse("admin:centers_unit_change", args=[unit("center-a1", slug="andeby").pk])).status_code == 200
    )


def test_a_person_is_linked_only_to_a_user_of_their_municipality(tovby):
    """H7 and D15: a director of one municipality was linked to another's portfolio through Person.user."""
    outsider = User.objects.create_user("udefra", is_staff=True)
    outsider.groups.add(Group.objects.get(name=roles.DIRECTOR))
    outsider.municipalities.set(Municipality.objects.filter(slug="andeby"))
    anders = Person.objects.get(municipality=tovby, key="anders")
    client = client_for("kd", roles.CHIEF_EXECUTIVE, "tovby")
    before = database_state()
    response = change(
        client, anders, {"municipality": tovby.pk, "key": "anders", "name": anders.name, "user": outsider.pk}
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert database_state() == before
