"""A director moves a centre in the Django admin and sees it under its new parent in the public chart (issue 6)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from centers import structure_format
from centers.models import Municipality, Person, Unit
from centers.rules import DIRECTOR
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "direktoer-adgang-2014"
READY = '#org-chart-app[data-state="ready"]'


def director_document(document):
    """testby with Bo Berg as the director of two director areas; Center for Natur lies in the first."""
    data = document.data
    data["people"].append({"key": "bo", "name": "Bo Berg"})
    current = data["versions"][1]
    current["units"] += [
        {
            "key": "by-og-miljoe",
            "name": "By og Miljø",
            "kind": "director_area",
            "parent": "direktion",
            "responsible": "direktoer-teknik",
        },
        {
            "key": "klima-og-natur",
            "name": "Klima og Natur",
            "kind": "director_area",
            "parent": "direktion",
            "responsible": "direktoer-teknik",
        },
        {"key": "center-natur", "name": "Center for Natur", "kind": "centre", "parent": "by-og-miljoe"},
    ]
    for unit in current["units"]:
        if unit["key"] == "center-trafik-ejendomme":
            unit["parent"] = "by-og-miljoe"
    for post in current["posts"]:
        if post["key"] == "direktoer-teknik":
            post["holder"] = "bo"
    return document


def director_user(django_user_model):
    """A staff user in the Direktør group, linked to Bo Berg. A transactional test may run after another has
    emptied the database, so the group (made by a migration) is made again here if it is missing."""
    group, _created = Group.objects.get_or_create(name=DIRECTOR)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="centers", codename__startswith="view_"),
        *Permission.objects.filter(content_type__app_label="centers", codename__in=["change_unit", "change_post"]),
    )
    user = django_user_model.objects.create_user(
        "bo", password=PASSWORD, is_staff=True, first_name="Bo", last_name="Berg"
    )
    user.groups.add(group)
    user.municipalities.set(Municipality.objects.all())
    Person.objects.filter(key="bo").update(user=user)
    return user


def test_a_director_moves_a_centre_in_the_admin_and_sees_it_in_the_chart(page, valid_document, django_user_model):
    structure_format.load(director_document(valid_document))
    director_user(django_user_model)
    klima = Unit.objects.get(version__key="2014", key="klima-og-natur")

    page.goto("/admin/")
    page.fill("#id_username", "bo")
    page.fill("#id_password", PASSWORD)
    page.locator('#login-form input[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.locator("#content-main").get_by_role("link", name="Enheder").click()
    expect(page).to_have_url(re.compile(r"/admin/centers/unit/\?version=\d+$"))
    expect(page.locator("h2.unit-version")).to_have_text("Testby Kommune: Organisation fra 1. maj 2014 (gældende)")
    # Bo may drag the units of his areas, not the directorate above them.
    rows = page.locator("#result_list tbody tr")
    expect(rows.filter(has_text="Center for Natur").locator(".drag-handle")).to_have_count(1)
    expect(rows.filter(has_text="Direktionen").locator(".drag-handle")).to_have_count(0)

    rows.filter(has_text="Center for Natur").locator("input.action-select").check()
    page.select_option('select[name="action"]', "move_to")
    page.locator('button[name="index"]').click()

    expect(page.locator("#content h1")).to_have_text("Flyt enheder")
    expect(page.locator(".selected-units")).to_have_text("Center for Natur")
    page.select_option("#id_target", str(klima.pk))
    screenshot(page, "admin-move-to")
    page.locator('input[type="submit"][value="Flyt"]').click()

    expect(page.locator(".messagelist")).to_contain_text("1 enhed er ændret: flyttet til «Klima og Natur»")
    titles = page.locator("#result_list .field-indented_title").all_inner_texts()
    assert titles.index("Center for Natur") == titles.index("Klima og Natur") + 1
    screenshot(page, "admin-move-list")

    page.goto("/testby/2014/?enhed=center-natur")
    page.wait_for_selector(READY)
    centre = page.locator('.org-card[data-unit-id="center-natur"]')
    expect(centre).to_be_visible()
    expect(centre).to_have_attribute("aria-level", "3")
    expect(page.locator('.org-card[data-unit-id="klima-og-natur"]')).to_contain_text("1 underenhed")
    expect(page.locator('.org-card[data-unit-id="by-og-miljoe"]')).to_contain_text("1 underenhed")
    tree = page.evaluate("fetch('/testby/2014/organisation.json').then(response => response.json())")
    parents = {row["id"]: row["parentId"] for row in tree["units"]}
    assert parents["center-natur"] == "klima-og-natur"
    page.wait_for_timeout(400)  # the view settles on the focused card
    screenshot(page, "admin-move")
