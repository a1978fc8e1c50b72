"""Directors edit the organisation in the Django admin: the unit tree of one version, drag-and-drop moves,
the change form with errors on the field, the "Flyt til …" and "Tildel ansvarlig direktør" actions, posts and
tasks, the history with "Fortryd"; all through centers.services and the rules of centers.rules (issue 6)."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import selectors, services, structure_format
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Task, Unit
from centers.rules import CHIEF_EXECUTIVE, DIRECTOR, READER
from centers.synthetic import synthetic_structure
from tests.builders import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:centers_unit_changelist")
MOVE_REFUSED_INTO_ITSELF = "En enhed kan ikke flyttes ind under sig selv eller en af sine underenheder."
OUTSIDE_TEKNIK = (
    "Du kan kun ændre og flytte enheder inden for dit eget område: Center for Trafik og Ejendomme, Center for Natur."
)


@pytest.fixture
def testby(valid_document):
    """testby (tests/data/valid.yaml) with two directors' portfolios in its current version 2014.

    Bo Berg holds direktoer-teknik: responsible for center-trafik-ejendomme (with afdeling-veje and skolen) and
    center-natur. Carl Carlsen holds direktoer-velfaerd: responsible for center-sundhed. stab-jura has no
    responsible director. Version 2011 is previous (read-only)."""
    data = valid_document.data
    data["people"] += [
        {"key": "bo", "name": "Bo Berg"},
        {"key": "carl", "name": "Carl Carlsen"},
        {"key": "dorte", "name": "Dorte Dam"},
    ]
    current = data["versions"][1]
    current["units"] += [
        {
            "key": "afdeling-veje",
            "name": "Afdeling for Veje",
            "kind": "department",
            "parent": "center-trafik-ejendomme",
        },
        {
            "key": "center-natur",
            "name": "Center for Natur",
            "kind": "centre",
            "parent": "direktion",
            "responsible": "direktoer-teknik",
            "head": "centerchef-natur",
        },
        {
            "key": "center-sundhed",
            "name": "Center for Sundhed",
            "kind": "centre",
            "parent": "direktion",
            "responsible": "direktoer-velfaerd",
            "head": "centerchef-sundhed",
        },
        {"key": "stab-jura", "name": "Politik og Jura", "kind": "staff", "parent": "direktion"},
    ]
    for post in current["posts"]:
        if post["key"] == "direktoer-teknik":
            post["holder"] = "bo"
    current["posts"] += [
        {
            "key": "direktoer-velfaerd",
            "title": "Direktør for Velfærd",
            "kind": "director",
            "unit": "direktion",
            "holder": "carl",
        },
        {"key": "centerchef-natur", "title": "Centerchef", "kind": "head", "unit": "center-natur"},
        {"key": "centerchef-sundhed", "title": "Centerchef", "kind": "head", "unit": "center-sundhed"},
    ]
    units = {spec["key"]: spec for spec in current["units"]}
    units["center-natur"]["tasks"] = [{"key": "naturpleje", "name": "Naturpleje"}]
    units["center-sundhed"]["tasks"] = [{"key": "sundhedspleje", "name": "Sundhedspleje"}]
    structure_format.load(valid_document)
    return OrgVersion.objects.get(municipality__slug="testby", key="2014")


@pytest.fixture
def make_user(django_user_model, testby):
    """A staff user in a role group (from the migration), linked to the Person `person` of testby."""

    def make(username: str, role: str | None = None, person: str | None = None, **fields):
        name = Person.objects.get(key=person).name.split() if person else [username, ""]
        user = django_user_model.objects.create_user(
            username, password="hemmelig-adgang-42", is_staff=True, first_name=name[0], last_name=name[-1], **fields
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
            user.municipalities.set(Municipality.objects.all())
        if person:
            Person.objects.filter(key=person).update(user=user)
        return user

    return make


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bo(make_user):
    return login(make_user("bo", DIRECTOR, "bo"))


@pytest.fixture
def carl(make_user):
    return login(make_user("carl", DIRECTOR, "carl"))


@pytest.fixture
def chief(make_user):
    return login(make_user("anne", CHIEF_EXECUTIVE, "anne"))


@pytest.fixture
def reader(make_user):
    return login(make_user("hr", READER))


@pytest.fixture
def superuser(make_user):
    return login(make_user("root", is_superuser=True))


def unit(key: str, version: str = "2014") -> Unit:
    return Unit.objects.select_related("parent", "responsible", "head").get(version__key=version, key=key)


def post(key: str) -> Post:
    return Post.objects.get(version__key="2014", key=key)


def snapshot(version_key: str = "2014") -> list[tuple]:
    """Everything an edit could change about the units of a version, for 'nothing changed' assertions."""
    return list(
        Unit.objects.filter(version__key=version_key)
        .order_by("pk")
        .values_list("key", "name", "name_en", "parent__key", "responsible__key", "head__key", "tree_id", "lft", "rght")
    )


def changelist_url(version: OrgVersion) -> str:
    return f"{CHANGELIST}?version={version.pk}"


def change_url(target: Unit) -> str:
    return reverse("admin:centers_unit_change", args=[target.pk])


def drag(client: Client, version: OrgVersion, cut: str, pasted_on: str, position: str = "last-child"):
    """What the draggable tree's script posts when a row is dropped."""
    return client.post(
        changelist_url(version),
        {
            "cmd": "move_node",
            "position": position,
            "cut_item": unit(cut, version.key).pk,
            "pasted_on": unit(pasted_on, version.key).pk,
        },
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def post_change(client: Client, target: Unit, **changes):
    page = client.get(change_url(target))
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update({name: "" if value is None else str(value) for name, value in changes.items()})
    return client.post(change_url(target), data)


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form is shown again with its errors"
    return list(response.context["adminform"].form.errors.get(field, []))


# --- one version at a time -------------------------------------------------------------------------------


def test_changelist_redirects_to_the_current_version_and_lists_only_its_units(chief, testby):
    response = chief.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"] == changelist_url(testby)

    page = chief.get(changelist_url(testby))
    content = page.content.decode()
    rows = {row.name for row in page.context["cl"].result_list}
    assert rows == set(Unit.objects.filter(version=testby).values_list("name", flat=True))
    assert "Center for Veje" not in rows  # only in 2011
    assert "Testby Kommune: Organisation fra 1. maj 2014 (gældende)" in content
    # Columns: indented title, kind, head post with holder, responsible director with holder.
    row = next(row for row in content.split("<tr>") if ">Center for Natur</div>" in row)
    assert 'style="padding-left:20px"' in row
    assert "fagcenter" in row and "Centerchef (ubesat)" in row and "Direktør (Bo Berg)" in row
    # The "all versions" choice of the filter does not exist.
    assert page.context["cl"].has_filters
    version_filter = page.context["cl"].filter_specs[0]
    assert [choice["display"] for choice in version_filter.choices(page.context["cl"])] == [
        "Testby Kommune: Organisation 2011 (tidligere)",
        "Testby Kommune: Organisation fra 1. maj 2014 (gældende)",
    ]


def test_changelist_search_and_kind_filter_stay_inside_the_version(chief, testby):
    found = chief.get(changelist_url(testby) + "&q=center")
    assert {row.key for row in found.context["cl"].result_list} == {
        "center-trafik-ejendomme",
        "center-natur",
        "center-sundhed",
    }
    centres = chief.get(changelist_url(testby) + "&kind__exact=institution")
    assert [row.key for row in centres.context["cl"].result_list] == ["skolen"]


def test_a_director_gets_drag_handles_only_on_the_units_of_their_portfolio(bo, testby):
    content = bo.get(changelist_url(testby)).content.decode()
    draggable = {
        int(pk)
        for pk in re.findall(r'<div class="drag-handle"[^>]*></div><div class="tree-node" data-pk="(\d+)"', content)
    }
    portfolio = {"center-trafik-ejendomme", "afdeling-veje", "skolen", "center-natur"}
    assert draggable == {unit(key).pk for key in portfolio}
    assert content.count('class="tree-node"') == Unit.objects.filter(version=testby).count()


# --- drag and drop ---------------------------------------------------------------------------------------


def test_a_director_drags_a_centre_of_their_portfolio_under_another(bo, testby):
    response = drag(bo, testby, "center-natur", "center-trafik-ejendomme")

    assert response.status_code == 200
    assert unit("center-natur").parent.key == "center-trafik-ejendomme"
    assert selectors.tree_is_consistent(testby)
    record = unit("center-natur").history.latest()
    assert (record.history_user.username, record.history_change_reason) == ("bo", "move")
    assert "«Center for Natur» er flyttet." in messages_of(response)


@pytest.mark.parametrize(
    "cut, pasted_on",
    [
        ("center-sundhed", "center-trafik-ejendomme"),  # Carl's centre
        ("center-natur", "center-sundhed"),  # into Carl's centre
        ("stab-jura", "center-natur"),  # nobody's portfolio
    ],
)
def test_a_drag_outside_the_portfolio_is_forbidden_and_changes_nothing(bo, testby, cut, pasted_on):
    before = snapshot()
    response = drag(bo, testby, cut, pasted_on)
    assert response.status_code == 403
    assert snapshot() == before
    assert messages_of(response)


def test_a_reader_cannot_drag(reader, testby):
    before = snapshot()
    assert drag(reader, testby, "center-natur", "stab-jura").status_code == 403
    assert snapshot() == before


def test_a_drag_that_breaks_a_rule_is_refused_with_the_reason(chief, testby):
    before = snapshot()
    response = drag(chief, testby, "center-trafik-ejendomme", "afdeling-veje")
    assert response.status_code == 400
    assert snapshot() == before
    assert messages_of(response) == [f"«Center for Trafik og Ejendomme» blev ikke flyttet: {MOVE_REFUSED_INTO_ITSELF}"]

    response = drag(chief, testby, "center-natur", "skolen")
    assert response.status_code == 400
    assert "En institution kan ikke rumme en enhed af typen fagcenter." in messages_of(response)[-1]
    assert snapshot() == before


def test_a_drag_across_versions_finds_no_unit(chief, testby):
    before = snapshot()
    response = chief.post(
        changelist_url(testby),
        {
            "cmd": "move_node",
            "position": "last-child",
            "cut_item": unit("center-natur").pk,
            "pasted_on": unit("direktion", "2011").pk,
        },
    )
    assert response.status_code == 400
    assert snapshot() == before


# --- the change form -------------------------------------------------------------------------------------


def test_a_director_renames_and_moves_a_centre_in_the_change_form(bo, testby):
    target = unit("center-natur")
    response = post_change(
        bo,
        target,
        name="Center for Natur og Miljø",
        name_en="Centre for Nature",
        parent=unit("center-trafik-ejendomme").pk,
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    changed = unit("center-natur")
    assert (changed.name, changed.name_en, changed.parent.key) == (
        "Center for Natur og Miljø",
        "Centre for Nature",
        "center-trafik-ejendomme",
    )
    assert selectors.tree_is_consistent(testby)
    reasons = list(
        changed.history.order_by("history_id").values_list("history_change_reason", "history_user__username")
    )
    assert reasons[-2:] == [("move", "bo"), ("rename", "bo")]


def test_the_change_form_offers_parents_and_posts_of_the_same_version_only(chief, testby):
    form = chief.get(change_url(unit("center-natur"))).context["adminform"].form
    assert set(form.fields["parent"].queryset) == set(Unit.objects.filter(version=testby))
    assert {choice.key for choice in form.fields["responsible"].queryset} == {
        "kommunaldirektoer",
        "direktoer-teknik",
        "direktoer-velfaerd",
    }  # director posts only
    assert list(form.fields["head"].queryset) == [post("centerchef-natur")]
    assert "version" not in form.fields and "kind" not in form.fields  # read-only on change


@pytest.mark.parametrize(
    "key, field, value, message",
    [
        ("center-trafik-ejendomme", "parent", lambda: unit("afdeling-veje").pk, MOVE_REFUSED_INTO_ITSELF),
        (
            "center-natur",
            "parent",
            lambda: unit("skolen").pk,
            "En institution kan ikke rumme en enhed af typen fagcenter.",
        ),
        (
            "center-natur",
            "responsible",
            lambda: post("centerchef-trafik").pk,
            "Vælg en direktørstilling i samme version.",
        ),
        ("center-natur", "parent", lambda: unit("direktion", "2011").pk, "Vælg en enhed i samme version."),
        ("center-natur", "parent", lambda: "", "Kun en direktion kan ligge øverst."),
        ("center-natur", "head", lambda: post("centerchef-sundhed").pk, "Vælg en af enhedens egne stillinger."),
    ],
    ids=["cycle", "institution-holds-centre", "responsible-not-director", "cross-version", "root", "head"],
)
def test_a_refused_edit_shows_the_reason_on_the_field_and_changes_nothing(chief, testby, key, field, value, message):
    before = snapshot()
    history_before = Unit.history.count()
    response = post_change(chief, unit(key), name="Nyt navn", **{field: value()})
    assert field_errors(response, field) == [message]
    assert snapshot() == before
    assert Unit.history.count() == history_before  # the dry run left no trace


def test_moving_into_a_unit_outside_the_portfolio_is_a_field_error(bo, testby):
    before = snapshot()
    response = post_change(bo, unit("center-natur"), parent=unit("center-sundhed").pk)
    assert field_errors(response, "parent") == [OUTSIDE_TEKNIK]
    assert snapshot() == before


def test_a_director_sees_other_units_read_only_and_a_post_is_forbidden(bo, testby):
    target = unit("center-sundhed")
    page = bo.get(change_url(target))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()

    before = snapshot()
    response = bo.post(change_url(target), {"name": "Overtaget", "parent": unit("center-natur").pk})
    assert response.status_code == 403
    assert snapshot() == before


def test_a_reader_views_but_cannot_change(reader, testby):
    assert reader.get(changelist_url(testby)).status_code == 200
    page = reader.get(change_url(unit("center-natur")))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    before = snapshot()
    assert reader.post(change_url(unit("center-natur")), {"name": "Nyt navn"}).status_code == 403
    assert snapshot() == before


def test_a_previous_version_is_read_only_even_for_a_superuser(superuser, testby):
    previous = OrgVersion.objects.get(municipality__slug="testby", key="2011")
    before = snapshot("2011")

    page = superuser.get(changelist_url(previous))
    content = page.content.decode()
    assert "Versionen er historisk; dens enheder kan ikke ændres." in content
    assert 'class="drag-handle"' not in content
    assert 'name="action"' not in content  # no actions

    change = superuser.get(change_url(unit("center-veje", "2011")))
    assert change.context["has_change_permission"] is False
    assert 'name="_save"' not in change.content.decode()
    assert superuser.post(change_url(unit("center-veje", "2011")), {"name": "Veje"}).status_code == 403
    assert drag(superuser, previous, "center-veje", "center-ejendomme").status_code == 403
    assert snapshot("2011") == before


def test_posts_of_the_unit_are_edited_inline_and_a_new_holder_is_appointed_by_the_service(bo, testby):
    target = unit("center-natur")
    page = bo.get(change_url(target))
    data = admin_form_data(page)
    prefix = next(
        inline.formset.prefix for inline in page.context["inline_admin_formsets"] if inline.formset.model is Post
    )
    data[f"{prefix}-0-holder"] = str(Person.objects.get(key="dorte").pk)
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data.update({f"{prefix}-1-key": "sekretaer-natur", f"{prefix}-1-title": "Sekretær", f"{prefix}-1-kind": "other"})

    response = bo.post(change_url(target), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    chief_post = post("centerchef-natur")
    assert chief_post.holder.name == "Dorte Dam"
    assert chief_post.history.latest().history_change_reason == "holder"
    new_post = post("sekretaer-natur")
    assert (new_post.unit, new_post.version) == (target, testby)


def test_an_administrator_adds_a_unit_to_the_version_of_the_changelist(chief, bo, testby):
    add_url = reverse("admin:centers_unit_add") + f"?_changelist_filters=version%3D{testby.pk}"
    page = chief.get(add_url)
    form = page.context["adminform"].form
    assert form.initial["version"] == testby.pk
    assert set(form.fields["parent"].queryset) == set(Unit.objects.filter(version=testby))
    data = {**admin_form_data(page), "key": "center-kultur", "name": "Center for Kultur", "kind": "centre"}

    before = snapshot()
    refused = chief.post(add_url, data)  # no parent
    assert field_errors(refused, "parent") == ["Kun en direktion kan ligge øverst."]
    assert snapshot() == before

    response = chief.post(add_url, {**data, "parent": unit("direktion").pk})
    assert response.status_code == 302
    assert unit("center-kultur").parent.key == "direktion"
    assert selectors.tree_is_consistent(testby)
    assert unit("center-kultur").history.latest().history_user.username == "anne"
    assert bo.get(add_url).status_code == 403  # directors change units; they do not create them


# --- actions ---------------------------------------------------------------------------------------------


def run_action(client: Client, version: OrgVersion, action: str, keys: list[str], **answer):
    selected = [unit(key, version.key).pk for key in keys]
    page = client.post(changelist_url(version), {"action": action, "_selected_action": selected})
    if not answer:
        return page
    return client.post(
        changelist_url(version), {"action": action, "_selected_action": selected, "apply": "1", **answer}
    )


def test_move_to_action_asks_for_the_target_and_moves_every_selected_unit(chief, testby):
    page = run_action(chief, testby, "move_to", ["center-natur", "center-sundhed"])
    assert page.status_code == 200
    assert [template.name for template in page.templates][0] == "admin/centers/unit/action_form.html"
    content = page.content.decode()
    assert "De 2 valgte enheder:" in content and "Center for Sundhed" in content
    # Every unit of the version but the selected ones (and what lies under them).
    offered = set(page.context["form"].fields["target"].queryset)
    assert offered == set(Unit.objects.filter(version=testby).exclude(key__in=["center-natur", "center-sundhed"]))

    response = run_action(chief, testby, "move_to", ["center-natur", "center-sundhed"], target=unit("stab-jura").pk)

    assert response.status_code == 302
    assert [child.key for child in unit("stab-jura").get_children()] == ["center-natur", "center-sundhed"]
    assert selectors.tree_is_consistent(testby)
    assert messages_of(response) == ["2 enheder er ændret: flyttet til «Politik og Jura»"]


def test_move_to_action_of_a_director_reports_the_units_it_refused(bo, testby):
    page = run_action(bo, testby, "move_to", ["center-natur", "center-sundhed"])
    # Only units of the portfolio are offered as the new parent, not the selected units themselves.
    assert {target.key for target in page.context["form"].fields["target"].queryset} == {
        "center-trafik-ejendomme",
        "afdeling-veje",
        "skolen",
    }
    sundhed_before = [row for row in snapshot() if row[0] == "center-sundhed"]

    response = run_action(bo, testby, "move_to", ["center-natur", "center-sundhed"], target=unit("afdeling-veje").pk)

    assert response.status_code == 302
    assert unit("center-natur").parent.key == "afdeling-veje"
    assert unit("center-sundhed").parent.key == "direktion"
    assert [row for row in snapshot() if row[0] == "center-sundhed"][0][:6] == sundhed_before[0][:6]
    assert messages_of(response) == [
        # Center for Natur now lies under Center for Trafik og Ejendomme: one area is left.
        "«Center for Sundhed» blev ikke ændret: Du kan kun ændre og flytte enheder inden for dit eget område: "
        "Center for Trafik og Ejendomme.",
        "1 enhed er ændret: flyttet til «Afdeling for Veje»",
    ]
    assert selectors.tree_is_consistent(testby)


def test_move_to_action_reports_a_rule_that_refuses_a_unit(chief, testby):
    response = run_action(chief, testby, "move_to", ["center-natur", "afdeling-veje"], target=unit("skolen").pk)
    assert response.status_code == 302
    assert unit("center-natur").parent.key == "direktion"  # an institution holds no centre
    assert unit("afdeling-veje").parent.key == "skolen"
    assert messages_of(response)[0] == (
        "«Center for Natur» blev ikke ændret: En institution kan ikke rumme en enhed af typen fagcenter."
    )


def test_assign_responsible_action_offers_director_posts_and_assigns_them(chief, testby):
    page = run_action(chief, testby, "assign_responsible", ["center-natur", "stab-jura"])
    offered = {choice.key for choice in page.context["form"].fields["post"].queryset}
    assert offered == {"kommunaldirektoer", "direktoer-teknik", "direktoer-velfaerd"}
    assert "Direktør for Velfærd — Carl Carlsen, Direktionen" in page.content.decode()

    response = run_action(
        chief,
        testby,
        "assign_responsible",
        ["center-natur", "stab-jura"],
        post=post("direktoer-velfaerd").pk,
        confirm="1",
    )
    assert response.status_code == 302
    assert {unit(key).responsible.key for key in ("center-natur", "stab-jura")} == {"direktoer-velfaerd"}

    before = snapshot()
    refused = run_action(chief, testby, "assign_responsible", ["center-natur"], post=post("centerchef-trafik").pk)
    assert refused.status_code == 200  # not a director post: the question is asked again
    assert refused.context["form"].errors["post"]
    assert snapshot() == before


def test_assign_responsible_action_of_a_director_refuses_units_outside_the_portfolio(bo, testby):
    response = run_action(
        bo,
        testby,
        "assign_responsible",
        ["center-natur", "center-sundhed"],
        post=post("kommunaldirektoer").pk,
        confirm="1",
    )
    assert unit("center-natur").responsible.key == "kommunaldirektoer"
    assert unit("center-sundhed").responsible.key == "direktoer-velfaerd"
    # Bo handed Center for Natur on first: the area he has left is the one named.
    assert messages_of(response)[0] == (
        "«Center for Sundhed» blev ikke ændret: Du kan kun ændre og flytte enheder inden for dit eget område: "
        "Center for Trafik og Ejendomme."
    )


def test_a_reader_has_no_actions(reader, testby):
    before = snapshot()
    response = run_action(reader, testby, "move_to", ["center-natur"], target=unit("stab-jura").pk)
    assert response.status_code == 200  # Django: "no action selected"
    assert snapshot() == before


# --- history and revert ----------------------------------------------------------------------------------


def history_url(target: Unit) -> str:
    return reverse("admin:centers_unit_history", args=[target.pk])


def test_history_lists_a_move_with_who_and_what_and_revert_restores_the_parent(bo, testby):
    drag(bo, testby, "skolen", "center-natur")
    moved = unit("skolen")

    page = bo.get(history_url(moved))
    content = page.content.decode()
    assert page.status_code == 200
    rows = re.findall(r'<tr data-history-id="\d+">.*?</tr>', content, re.S)
    assert len(rows) == 2  # loaded, moved
    assert "Bo Berg" in rows[0]
    assert "Ændret: flyttet" in rows[0]
    assert "Overordnet enhed:</strong> Center for Trafik og Ejendomme &rarr; Center for Natur" in rows[0]
    assert "Fortryd" in rows[0] and "Fortryd" not in rows[1]
    assert "Oprettet: indlæst" in rows[1]

    revert = re.search(r'href="([^"]+/revert/)"', rows[0]).group(1)
    confirmation = bo.get(revert)
    assert confirmation.status_code == 200
    assert unit("skolen").parent.key == "center-natur"  # asking changed nothing
    response = bo.post(revert)

    assert response.status_code == 302
    assert unit("skolen").parent.key == "center-trafik-ejendomme"
    assert selectors.tree_is_consistent(testby)
    assert "«Skolen» er sat tilbage." in messages_of(response)
    latest = unit("skolen").history.latest()
    assert (latest.history_user.username, latest.history_change_reason) == (
        "bo",
        "revert",
    )  # an undo is recorded as one, also when it moves


def test_revert_asks_first_then_posts_csrf_protected_and_permission_checked(bo, carl, make_user, testby):
    services.move_unit(unit("center-natur"), unit("stab-jura"), actor=services.SYSTEM)  # by a script
    target = unit("center-natur")
    before_move = target.history.order_by("history_id")[0].history_id
    url = reverse("admin:centers_unit_revert", args=[target.pk, before_move])
    before = snapshot()

    assert bo.get(url).status_code == 200  # the confirmation page
    assert carl.get(url).status_code == 403
    assert bo.put(url).status_code == 405
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user("admin2", CHIEF_EXECUTIVE))
    assert csrf_client.post(url).status_code == 403
    assert carl.post(url).status_code == 403  # not Carl's centre
    assert snapshot() == before
    # Bo may change his centre, but not put it back under the directorate, which is outside his portfolio.
    refused = bo.post(url)
    assert refused.status_code == 302
    assert messages_of(refused) == [f"Ændringen blev ikke fortrudt: {OUTSIDE_TEKNIK}"]
    assert snapshot() == before


def test_a_previous_version_shows_its_history_without_revert(superuser, testby):
    old = unit("center-veje", "2011")
    content = superuser.get(history_url(old)).content.decode()
    assert "Fortryd" not in content
    assert "Versionen er historisk; dens enheder kan ikke ændres." in content


# --- posts and tasks -------------------------------------------------------------------------------------


def test_a_director_appoints_a_chief_in_the_post_admin_through_the_service(bo, testby):
    chief_post = post("centerchef-natur")
    url = reverse("admin:centers_post_change", args=[chief_post.pk])
    page = bo.get(url)
    data = admin_form_data(page)
    data["holder"] = str(Person.objects.get(key="dorte").pk)
    records_before = chief_post.history.count()

    response = bo.post(url, data)

    assert response.status_code == 302
    chief_post.refresh_from_db()
    assert chief_post.holder.key == "dorte"
    # One record: the appointment by the service, no extra save of the unchanged fields.
    assert chief_post.history.count() == records_before + 1
    latest = chief_post.history.latest()
    assert (latest.history_change_reason, latest.history_user.username) == ("holder", "bo")


def test_a_director_adds_a_duty_to_a_post_of_the_portfolio_in_its_admin_form(bo, carl, testby):
    chief_post = post("centerchef-natur")
    url = reverse("admin:centers_post_change", args=[chief_post.pk])
    data = admin_form_data(bo.get(url))
    prefix = "duties"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-key": "lovlig-forvaltning",
            f"{prefix}-0-name": "Ansvar for lovlig forvaltning",
            f"{prefix}-0-source": "T1 afsnit 4",
        }
    )

    assert bo.post(url, data).status_code == 302

    duty = Duty.objects.get(post=chief_post)
    assert (duty.version_id, duty.name) == (chief_post.version_id, "Ansvar for lovlig forvaltning")
    assert duty.history.get().history_user.username == "bo"
    # Carl's portfolio does not hold the post: the inline is read-only for him and a post changes nothing.
    assert carl.get(url).context["has_change_permission"] is False
    data[f"{prefix}-0-name"] = "Overtaget"
    assert carl.post(url, data).status_code == 403
    assert Duty.objects.get(post=chief_post).name == "Ansvar for lovlig forvaltning"


def test_a_post_outside_the_portfolio_is_read_only_for_a_director(bo, testby):
    other = post("centerchef-sundhed")
    url = reverse("admin:centers_post_change", args=[other.pk])
    assert bo.get(url).context["has_change_permission"] is False
    assert bo.post(url, {"title": "Overtaget", "holder": Person.objects.get(key="bo").pk}).status_code == 403
    other.refresh_from_db()
    assert (other.title, other.holder) == ("Centerchef", None)


def test_a_holder_from_another_municipality_is_refused_on_the_field(chief, testby):
    elsewhere = Municipality.objects.create(slug="andeby", name="Andeby Kommune", kommunekode=997)
    stranger = Person.objects.create(municipality=elsewhere, key="fremmed", name="Fremmed Person")
    chief_post = post("centerchef-natur")
    url = reverse("admin:centers_post_change", args=[chief_post.pk])
    data = admin_form_data(chief.get(url))
    data["holder"] = str(stranger.pk)
    response = chief.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["holder"]
    chief_post.refresh_from_db()
    assert chief_post.holder is None


def test_a_director_edits_tasks_only_inside_the_portfolio(bo, testby):
    task = Task.objects.get(version=testby, key="naturpleje")
    url = reverse("admin:centers_task_change", args=[task.pk])
    data = admin_form_data(bo.get(url))

    outside = bo.post(url, {**data, "unit": unit("center-sundhed").pk})
    assert outside.status_code == 200
    assert outside.context["adminform"].form.errors["unit"] == [
        "Du kan kun lægge den i en enhed, du har ret til at ændre."
    ]
    task.refresh_from_db()
    assert task.unit.key == "center-natur"

    inside = bo.post(url, {**data, "name": "Naturpleje og friluftsliv", "unit": unit("afdeling-veje").pk})
    assert inside.status_code == 302
    task.refresh_from_db()
    assert (task.name, task.unit.key) == ("Naturpleje og friluftsliv", "afdeling-veje")

    other = Task.objects.get(version=testby, key="sundhedspleje")
    other_url = reverse("admin:centers_task_change", args=[other.pk])
    assert bo.post(other_url, {"name": "Overtaget", "unit": unit("center-sundhed").pk}).status_code == 403
    other.refresh_from_db()
    assert other.name == "Sundhedspleje"


# --- bounded queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, ceiling", [("chief", 12), ("bo", 14)])
def test_the_changelist_costs_the_same_queries_for_testby_and_a_400_unit_version(who, ceiling, request, testby):
    """Constant in the tree's size; most of the ceiling is the admin's permission checks (sidebar, actions)."""
    client = request.getfixturevalue(who)
    structure_format.load(synthetic_structure("syntetisk", 400, kommunekode=998))
    synthetic = OrgVersion.objects.get(municipality__slug="syntetisk")
    synthetic.municipality.members.set(User.objects.all())

    counts = {}
    for version in (testby, synthetic):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(changelist_url(version))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == Unit.objects.filter(version=version).count()
        counts[version.key] = len(queries)

    # Bo has a portfolio in testby only; the query for its units is skipped where he has none.
    assert counts["syntetisk"] <= counts["2014"] <= ceiling, counts


def test_the_key_of_a_unit_is_its_public_url_and_cannot_be_changed_in_the_admin(chief, testby):
    centre = unit("center-natur")
    response = post_change(chief, centre, key="center-sundhed", name="Center for Natur og Miljø")
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.key, centre.name) == ("center-natur", "Center for Natur og Miljø")
