"""A director moves a centre in the Django admin and sees it under its new parent in the public chart (issue 6)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from centers import structure_format
from centers.models import Municipality, Person, Unit
from centers.rules import DIRECTOR
from tests.browser.conftest import screenshot
from tests.builders import two_area_document

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


def test_a_director_lands_on_their_municipality_appoints_a_holder_and_confirms_a_revert(
    browser_context, transactional_db, valid_document, django_user_model
):
    """UX review (a) 2: the director lands on their own version with their portfolio named, can select and drag
    only their units, appoints a chief by name (autocomplete over the municipality's people) and undoes a
    rename after a confirmation page that says what will change."""
    document = director_document(valid_document)
    document.data["people"].append({"key": "dorte", "name": "Dorte Dam"})
    structure_format.load(document)
    andeby = two_area_document()  # sorts before Testby; Bo works there too, and it has a Dorthe of its own
    andeby.data["municipality"] = {"slug": "andeby", "name": "Andeby Kommune", "kommunekode": 996}
    andeby.data["people"].append({"key": "dorthe", "name": "Dorthe Andersen"})
    structure_format.load(andeby)
    director_user(django_user_model)
    page = browser_context(width=1440, height=900).new_page()

    page.goto("/admin/")
    page.fill("#id_username", "bo")
    page.fill("#id_password", PASSWORD)
    page.locator('#login-form input[type="submit"]').click()
    page.locator("#content-main").get_by_role("link", name="Enheder").click()

    expect(page.locator("h2.unit-version")).to_have_text("Testby Kommune: Organisation fra 1. maj 2014 (gældende)")
    expect(page.locator("p.portfolio")).to_have_text("Din portefølje: By og Miljø, Klima og Natur (5 enheder).")
    rows = page.locator("#result_list tbody tr")
    expect(rows.filter(has_text="Direktionen").locator("input.action-select")).to_have_count(0)
    expect(rows.filter(has_text="Center for Natur").locator("input.action-select")).to_have_count(1)
    screenshot(page, "admin-units")

    # While Center for Natur is dragged, the rows it cannot go into are marked.
    handle = rows.filter(has_text="Center for Natur").locator(".drag-handle")
    handle.hover()
    page.mouse.down()
    box = rows.filter(has_text="Direktionen").bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + box["height"] / 2, steps=5)
    expect(rows.filter(has_text="Direktionen")).to_have_class(re.compile(r"\bdrop-forbidden\b"))
    expect(rows.filter(has_text="Center for Natur")).to_have_class(re.compile(r"\bdrop-forbidden\b"))
    expect(rows.filter(has_text="Klima og Natur")).not_to_have_class(re.compile(r"\bdrop-forbidden\b"))
    screenshot(page, "admin-drag")
    page.keyboard.press("Escape")
    page.mouse.up()

    # The chief of Center for Trafik og Ejendomme, by name, and a new name for the centre.
    rows.filter(has_text="Center for Trafik og Ejendomme").get_by_role("link").first.click()
    expect(page.locator("#content h1")).to_have_text("Ret enhed")
    posts = page.locator(".posts-inline")
    posts.locator(".field-holder .select2-selection").first.click()
    page.locator(".select2-search__field").fill("Dor")
    # Testby's people only: not Andeby's Dorthe, though Bo works in Andeby too.
    expect(page.locator(".select2-results__option")).to_have_text(["Dorte Dam"])
    screenshot(page, "admin-autocomplete")
    page.locator(".select2-results__option", has_text="Dorte Dam").click()
    expect(posts.locator(".field-holder .select2-selection__rendered").first).to_have_text(re.compile("Dorte Dam"))
    page.fill("#id_name", "Center for Trafik, Veje og Ejendomme")
    posts.scroll_into_view_if_needed()
    screenshot(page, "admin-holder")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("Center for Trafik, Veje og Ejendomme")
    centre = Unit.objects.get(version__key="2014", version__municipality__slug="testby", key="center-trafik-ejendomme")
    assert centre.name == "Center for Trafik, Veje og Ejendomme"
    assert centre.posts.get(key="centerchef-trafik").holder.name == "Dorte Dam"

    # Undo the rename: the history asks first and says what will change.
    page.goto(f"/admin/centers/unit/{centre.pk}/history/")
    page.locator("a.revert-button").first.click()
    expect(page.locator("#content h1")).to_have_text("Fortryd ændringer af «Center for Trafik, Veje og Ejendomme»")
    expect(page.locator(".revert-changes")).to_contain_text("Center for Trafik og Ejendomme")
    screenshot(page, "admin-revert")
    page.locator('input[type="submit"][value="Ja, fortryd"]').click()
    expect(page.locator(".messagelist")).to_contain_text("«Center for Trafik og Ejendomme» er sat tilbage.")
    expect(page.locator("#change-history tbody tr").first).to_contain_text("Fortrudt")
    centre.refresh_from_db()
    assert centre.name == "Center for Trafik og Ejendomme"
    screenshot(page, "admin-history")
