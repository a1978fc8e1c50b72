"""A director can follow the admin (UX review, scenario (a) 2, improvements 8 and 9): they land on their own
municipality and are told what their portfolio is, are offered only what they may do, confirm the weighty acts,
are refused in the words of the rule, and read the history in the language of the page.

Tovby (tests/builders.py) has director areas A (Anders) and B (Bente) in a previous (2019), a current (2023) and
a proposed (2025) version; Andeby is a second municipality that sorts before it."""

import html
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from centers import rules as roles
from centers import services, structure_format
from centers.models import Municipality, OrgVersion, Person, Post, Unit
from governance.models import Committee, Forum
from tests.builders import admin_form_data, database_state, post, two_area_document, unit, with_governance

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:centers_unit_changelist")
AREA_A = "Du kan kun ændre og flytte enheder inden for dit eget område: Område A."


@pytest.fixture
def tovby():
    municipality = structure_format.load(with_governance(two_area_document()))
    other = two_area_document()
    other.data["municipality"] = {"slug": "andeby", "name": "Andeby Kommune", "kommunekode": 996}
    structure_format.load(other)
    return municipality


def client_for(username: str, role: str, *municipalities: str, person: str | None = None, **fields) -> Client:
    user = User.objects.create_user(username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    user.municipalities.set(Municipality.objects.filter(slug__in=municipalities))
    if person:
        Person.objects.filter(municipality__slug="tovby", key=person).update(user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anders(tovby):
    """The director of area A; he also works in Andeby, which sorts first."""
    return client_for("anders", roles.DIRECTOR, "andeby", "tovby", person="anders", first_name="Anders")


@pytest.fixture
def chief(tovby):
    return client_for("karen", roles.CHIEF_EXECUTIVE, "tovby", person="karen")


def version(key: str = "2023", slug: str = "tovby") -> OrgVersion:
    return OrgVersion.objects.get(municipality__slug=slug, key=key)


def changelist_url(key: str = "2023", slug: str = "tovby") -> str:
    return f"{CHANGELIST}?version={version(key, slug).pk}"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def text_of(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    content = response.content.decode()
    body = content[content.index("<body") :]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def selectable_units(response) -> set[str]:
    """The units that have a selection checkbox in the changelist."""
    pks = re.findall(r'<input type="checkbox" name="_selected_action" value="(\d+)"', response.content.decode())
    return set(Unit.objects.filter(pk__in=pks).values_list("key", flat=True))


AREA_A_UNITS = {"omraade-a", "center-a1", "center-a2", "afdeling-a1", "skole-a"}


# --- 1. landing on one's own municipality, told what one may change ---------------------------------------


def test_a_director_lands_on_their_own_municipality_and_sees_their_portfolio(anders):
    landing = anders.get(CHANGELIST)
    assert landing.status_code == 302
    assert landing["Location"] == changelist_url()  # Tovby's current version, not Andeby's (which sorts first)

    page = anders.get(landing["Location"])
    assert "Tovby Kommune: Organisation 2023 (gældende)" in text_of(page)
    assert "Din portefølje: Område A (5 enheder)." in text_of(page)
    version_filter = page.context["cl"].filter_specs[0]
    assert [choice["display"] for choice in version_filter.choices(page.context["cl"])] == [
        "Andeby Kommune: Organisation 2019 (tidligere)",
        "Andeby Kommune: Organisation 2023 (gældende)",
        "Andeby Kommune: Forslag 2025 (foreslået)",
        "Tovby Kommune: Organisation 2019 (tidligere)",
        "Tovby Kommune: Organisation 2023 (gældende)",
        "Tovby Kommune: Forslag 2025 (foreslået)",
    ]


def test_a_user_of_one_municipality_lands_there_and_is_offered_only_its_versions(tovby):
    reader = client_for("laeser", roles.READER, "andeby")
    landing = reader.get(CHANGELIST)
    assert landing["Location"] == changelist_url(slug="andeby")
    page = reader.get(landing["Location"])
    version_filter = page.context["cl"].filter_specs[0]
    assert {choice["display"].split(":")[0] for choice in version_filter.choices(page.context["cl"])} == {
        "Andeby Kommune"
    }
    assert "Din rolle (Læser) giver ikke ret til at ændre enheder." in text_of(page)


def test_a_director_without_a_portfolio_is_told_why_and_where_theirs_is(tovby):
    carl = client_for("carl", roles.DIRECTOR, "tovby", person="carl")
    page = carl.get(changelist_url())
    text = text_of(page)
    assert (
        "Du har ingen portefølje i «Organisation 2023»: ingen enhed har en af dine stillinger som ansvarlig direktør."
    ) in text
    assert "Din portefølje findes i" not in text

    services.assign_holder(
        post("direktoer-b", "2025"), Person.objects.get(key="carl", municipality=tovby), actor=services.SYSTEM
    )
    page = carl.get(changelist_url())
    assert "Din portefølje findes i: Tovby Kommune: Forslag 2025 (foreslået)" in text_of(page)
    assert f'href="?version={version("2025").pk}"' in page.content.decode()


# --- 2. actions and checkboxes only where one may act -----------------------------------------------------


def test_only_the_rows_of_the_portfolio_can_be_selected(anders):
    page = anders.get(changelist_url())
    assert selectable_units(page) == AREA_A_UNITS
    assert 'name="action"' in page.content.decode()


@pytest.mark.parametrize("role, person", [(roles.READER, None), (roles.DIRECTOR, "carl")])
def test_who_may_change_no_row_gets_no_actions_and_no_checkboxes(tovby, role, person):
    client = client_for("ingen", role, "tovby", person=person)
    content = client.get(changelist_url()).content.decode()
    assert 'name="action"' not in content
    assert 'name="_selected_action"' not in content
    assert 'class="drag-handle"' not in content


# --- 3. the choices offered -------------------------------------------------------------------------------


def test_move_to_offers_neither_the_selected_units_nor_their_sub_units(anders):
    page = anders.post(changelist_url(), {"action": "move_to", "_selected_action": [unit("center-a1").pk]})
    offered = {target.key for target in page.context["form"].fields["target"].queryset}
    assert offered == {"omraade-a", "center-a2"}  # not center-a1, afdeling-a1 or skole-a; nothing of area B


def test_the_responsible_director_is_chosen_among_director_posts_and_the_head_among_own_posts(chief):
    form = chief.get(reverse("admin:centers_unit_change", args=[unit("center-a1").pk])).context["adminform"].form
    assert {choice.key for choice in form.fields["responsible"].queryset} == {
        "kommunaldirektoer",
        "direktoer-a",
        "direktoer-b",
    }
    assert [choice.key for choice in form.fields["head"].queryset] == ["centerchef-a1"]
    assert [form.fields[name].label for name in ("parent", "head", "responsible")] == [
        "Overordnet enhed",
        "Leder",
        "Ansvarlig direktør",
    ]


# --- 4. the holder by name, among the municipality's people ------------------------------------------------


def autocomplete(client: Client, **params):
    query = {"app_label": "centers", "model_name": "post", "field_name": "holder", "term": "", **params}
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    return [result["text"] for result in json.loads(response.content)["results"]]


def test_the_holder_is_an_autocomplete_over_the_posts_municipality(anders, tovby):
    url = reverse("admin:centers_post_change", args=[post("centerchef-a1").pk])
    content = anders.get(url).content.decode()
    select = re.search(r'<select name="holder"[^>]*>', content).group(0)
    assert 'class="admin-autocomplete"' in select
    assert f'data-ajax--url="/admin/autocomplete/?kommune={tovby.pk}"' in select

    tovby_people = ["Anders Direktør", "Bente Direktør", "Carl Centerchef", "Karen Kommunaldirektør", "Pia Politiker"]
    assert autocomplete(anders, kommune=tovby.pk) == tovby_people
    assert autocomplete(anders, kommune=tovby.pk, term="be") == ["Bente Direktør"]


def test_the_holder_autocomplete_never_reaches_beyond_the_users_municipalities(tovby):
    andeby = Municipality.objects.get(slug="andeby")
    only_tovby = client_for("kun-tovby", roles.DIRECTOR, "tovby")
    assert autocomplete(only_tovby, kommune=andeby.pk) == []
    assert set(autocomplete(only_tovby)) == set(
        Person.objects.filter(municipality=tovby).values_list("name", flat=True)
    )


def test_the_posts_inline_picks_the_holder_by_autocomplete_and_the_superior_among_the_versions_posts(anders, tovby):
    page = anders.get(reverse("admin:centers_unit_change", args=[unit("center-a1").pk]))
    inline = next(inline for inline in page.context["inline_admin_formsets"] if inline.formset.model is Post)
    form = inline.formset.forms[0]
    assert list(form.fields) == ["key", "title", "kind", "holder", "reports_to", "id", "DELETE", "unit"]
    holder = str(form["holder"])
    assert 'class="admin-autocomplete"' in holder and f"?kommune={tovby.pk}" in holder
    assert set(form.fields["reports_to"].queryset) == set(
        Post.objects.filter(version=version()).exclude(key="centerchef-a1")
    )

    data = admin_form_data(page)
    data[f"{inline.formset.prefix}-0-holder"] = str(Person.objects.get(municipality=tovby, key="carl").pk)
    response = anders.post(reverse("admin:centers_unit_change", args=[unit("center-a1").pk]), data)
    assert response.status_code == 302
    assert post("centerchef-a1").holder.name == "Carl Centerchef"


# --- 5. keys that are URLs stay --------------------------------------------------------------------------


def test_keys_in_public_urls_are_read_only_after_creation(chief, tovby):
    centre = unit("center-a1")
    form = chief.get(reverse("admin:centers_unit_change", args=[centre.pk])).context["adminform"].form
    assert "key" not in form.fields
    assert "key" in chief.get(reverse("admin:centers_unit_add")).context["adminform"].form.fields

    page = chief.get(reverse("admin:centers_unit_change", args=[centre.pk]))
    inline = next(inline for inline in page.context["inline_admin_formsets"] if inline.formset.model is Post)
    assert inline.formset.forms[0].fields["key"].disabled
    data = admin_form_data(page)
    data[f"{inline.formset.prefix}-0-key"] = "ny-noegle"
    assert chief.post(reverse("admin:centers_unit_change", args=[centre.pk]), data).status_code == 302
    assert post("centerchef-a1").key == "centerchef-a1"

    for model, obj in (
        ("committee", Committee.objects.get(municipality=tovby, key="oeu")),
        ("forum", Forum.objects.get(version=version(), key="forum-a")),
    ):
        form = chief.get(reverse(f"admin:governance_{model}_change", args=[obj.pk])).context["adminform"].form
        assert "key" not in form.fields, model


# --- 6. the weighty acts ask first -------------------------------------------------------------------------


def test_revert_shows_what_it_will_do_and_is_recorded_as_a_revert(anders):
    centre = unit("center-a2")
    services.rename_unit(centre, "Center for Kultur", actor=services.SYSTEM)
    history = reverse("admin:centers_unit_history", args=[centre.pk])
    link = re.search(r'href="([^"]+/revert/)"', anders.get(history).content.decode()).group(1)

    confirmation = anders.get(link)
    text = text_of(confirmation)
    assert "«Fortryd» sætter «Center for Kultur» tilbage til, som enheden var" in text
    assert "Navn Center for Kultur Center A2" in text  # field, now, after «Fortryd»
    assert 'value="Ja, fortryd"' in confirmation.content.decode()
    assert unit("center-a2").name == "Center for Kultur"  # asking changed nothing

    response = anders.post(link)
    assert response.status_code == 302
    assert unit("center-a2").name == "Center A2"
    assert unit("center-a2").history.latest().history_change_reason == "revert"
    rows = re.findall(r'<tr data-history-id="\d+">.*?</tr>', anders.get(history).content.decode(), re.S)
    assert "Fortrudt" in rows[0] and "Ændret" not in rows[0]
    assert "Ændret: omdøbt" in rows[1]


def test_revert_that_a_rule_refuses_says_so_before_and_offers_no_button(anders):
    services.move_unit(unit("center-a1"), unit("omraade-b"), actor=services.SYSTEM)
    services.move_unit(unit("center-a1"), unit("omraade-a"), actor=services.SYSTEM)
    centre = unit("center-a1")
    under_b = centre.history.order_by("-history_id")[1].history_id  # when it lay in Bente's area
    page = anders.get(reverse("admin:centers_unit_revert", args=[centre.pk, under_b]))
    assert f"Ændringen kan ikke fortrydes: {AREA_A}" in text_of(page)
    assert "Ja, fortryd" not in page.content.decode()


def test_handing_units_to_another_director_asks_for_confirmation(anders, tovby):
    url = changelist_url()
    selected = {"action": "assign_responsible", "_selected_action": [unit("center-a1").pk], "apply": "1"}
    before = database_state()
    page = anders.post(url, {**selected, "post": post("direktoer-b").pk})
    assert page.status_code == 200
    assert [template.name for template in page.templates][0] == (
        "admin/centers/unit/assign_responsible_confirmation.html"
    )
    text = text_of(page)
    assert "«Direktør for område B (Bente Direktør)» bliver ansvarlig direktør for enhederne herunder" in text
    assert "Enhed Ansvarlig direktør nu Underenheder Center A1 — 2" in text
    assert database_state() == before

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(User.objects.get(username="anders"))
    assert csrf_client.post(url, {**selected, "post": post("direktoer-b").pk, "confirm": "1"}).status_code == 403
    assert database_state() == before

    response = anders.post(url, {**selected, "post": post("direktoer-b").pk, "confirm": "1"})
    assert response.status_code == 302
    assert unit("center-a1").responsible.key == "direktoer-b"


# --- 7. refusals in the words of the rule, from one place --------------------------------------------------


def test_a_refusal_names_the_rule_at_every_door(anders):
    before = database_state()
    drop = anders.post(
        changelist_url(),
        {
            "cmd": "move_node",
            "position": "last-child",
            "cut_item": unit("center-a2").pk,
            "pasted_on": unit("omraade-b").pk,
        },
    )
    assert drop.status_code == 403
    assert messages_of(drop) == [AREA_A]
    with pytest.raises(services.NotPermitted) as refused:
        services.move_unit(unit("center-a2"), unit("omraade-b"), actor=User.objects.get(username="anders"))
    assert refused.value.args[0] == AREA_A  # the service says it, so the API will too
    assert database_state() == before


def test_moving_a_unit_under_its_own_sub_unit_says_so(chief):
    response = chief.post(
        changelist_url(),
        {
            "cmd": "move_node",
            "position": "last-child",
            "cut_item": unit("center-a1").pk,
            "pasted_on": unit("afdeling-a1").pk,
        },
    )
    assert response.status_code == 400
    assert messages_of(response) == [
        "«Center A1» blev ikke flyttet: En enhed kan ikke flyttes ind under sig selv eller en af sine underenheder."
    ]


# --- 8. the history, translated; one word for the first breadcrumb ----------------------------------------


def test_a_posts_history_is_danish_on_danish_pages_and_english_on_english_ones(anders, tovby):
    services.assign_holder(
        post("centerchef-a1"),
        Person.objects.get(municipality=tovby, key="carl"),
        actor=User.objects.get(username="anders"),
    )
    url = reverse("admin:centers_post_history", args=[post("centerchef-a1").pk])

    danish = text_of(anders.get(url))
    assert "Historik: Centerchef A1" in danish
    assert "Forside › Organisation › Stillinger › Centerchef A1 › Historik" in danish
    assert "Tidspunkt Bruger Handling Ændringer" in danish
    assert "Anders Ændret: ny indehaver Indehaver: — → Carl Centerchef" in danish
    assert "Oprettet: indlæst" in danish
    for english in ("View history", "Choose a date", "Object", "Comment", "Changed by", "Change reason", "Deleted"):
        assert english not in danish, english

    english = text_of(anders.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "History: Centerchef A1" in english
    assert "Home › Organisation › Posts › Centerchef A1 › History" in english
    assert "Time User Action Changes" in english
    assert "Changed: new holder Holder: — → Carl Centerchef" in english
    assert "Created: loaded" in english
    assert "Deleted person" not in english and "pk=None" not in english


def test_a_history_record_is_read_only_and_named_in_the_pages_language(anders):
    target = post("centerchef-a1")
    record = target.history.latest()
    page = anders.get(reverse("admin:centers_post_simple_history", args=[target.pk, record.history_id]))
    content = page.content.decode()
    assert '<fieldset class="history-fields" disabled>' in content
    text = text_of(page)
    assert "Historik: Centerchef A1" in text
    assert "Forside › Organisation › Stillinger › Centerchef A1 › Historik ›" in text
    assert "Historical" not in text and "View " not in text and "Revert" not in text


def test_every_breadcrumb_starts_with_forside_and_municipality_is_danish(anders, tovby):
    pages = [
        changelist_url(),
        reverse("admin:centers_unit_change", args=[unit("center-a1").pk]),
        reverse("admin:centers_post_changelist"),
        reverse("admin:centers_person_changelist"),
        reverse("admin:app_list", args=["centers"]),
    ]
    for url in pages:
        text = text_of(anders.get(url))
        assert "Forside ›" in text, url
        assert "Hjem" not in text, url
    people = text_of(anders.get(reverse("admin:centers_person_changelist")))
    assert "Kommune" in people and "Municipality" not in people and "Efter kommune" in people
    posts = text_of(anders.get(reverse("admin:centers_post_changelist")))
    assert "Efter kommune" in posts and "Efter municipality" not in posts


# --- 9. an action with nothing selected --------------------------------------------------------------------


def test_an_action_with_nothing_selected_says_so_in_danish(anders):
    response = anders.post(changelist_url(), {"action": "move_to", "index": "0"})
    assert response.status_code == 302
    assert messages_of(response) == ["Vælg mindst én enhed for at bruge handlingen."]
