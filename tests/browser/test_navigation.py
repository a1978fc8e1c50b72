"""Browsing as people do it: from the home page by clicking, the chart in view on a 1440×900 screen and on a
phone, politicians' committee question in the chart, dates asked for, and the chart exported and printed.
Screenshots of each go to test-artifacts/."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from centers.models import Municipality
from tests.browser.conftest import screenshot
from tests.browser.test_chart import READY, card, card_ids, in_view

pytestmark = pytest.mark.browser

MUNICIPALITIES = ("ltk", "lejre", "assens", "albertslund")


@pytest.fixture
def everything(transactional_db, load_fixture):
    for slug in MUNICIPALITIES:
        load_fixture(slug)


def test_a_person_reaches_a_unit_page_of_every_municipality_from_the_home_page_by_clicking(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    for municipality in Municipality.objects.order_by("name"):
        page.goto("/")
        page.get_by_role("link", name=municipality.name, exact=True).click()
        page.wait_for_selector(READY)
        expect(page.locator("h1")).to_contain_text(municipality.name)
        key = next(key for key in card_ids(page, ".org-card[aria-level='2']") if in_view(page, key))
        first = card(page, key)
        name = first.locator(".org-card-name").inner_text()
        first.click()
        panel = page.locator("#chart-panel")
        expect(page.locator("#chart-panel-title")).to_have_text(name)
        panel.get_by_role("link", name="Åbn enhedens side").click()
        expect(page.locator("h1")).to_have_text(name)
        expect(page).to_have_url(re.compile(rf"/{municipality.slug}/[^/]+/enheder/[a-z0-9-]+/$"))
    screenshot(page, "navigation-unit-page")
    # Every version on the home page is a link to its chart.
    page.goto("/")
    page.get_by_role("link", name=re.compile("Organisation før 1. april 2014")).click()
    page.wait_for_selector(READY)
    expect(page).to_have_url(re.compile(r"/assens/2013/$"))
    expect(page.locator("[data-version-banner='previous']")).to_contain_text("Tidligere organisation, gældende til")


def test_the_versions_table_keeps_its_labels_on_a_phone(browser_context, everything):
    page = browser_context(width=390, height=844, phone=True).new_page()
    page.goto("/")
    cell = page.locator("#lejre .versions tbody tr").first.locator("td").nth(2)
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Gældende fra: "'
    screenshot(page, "home-phone")


def chart_text_sizes(page) -> list[float]:
    """The rendered size in px of every text of the visible cards: its font size times the chart's zoom."""
    return page.evaluate(
        """() => {
            const transform = document.querySelector("svg.svg-chart-container > g.chart").getAttribute("transform");
            const scale = parseFloat(/scale\\(([\\d.]+)/.exec(transform)[1]);
            return [...document.querySelectorAll(".org-card span, .org-card a")].map(
                element => parseFloat(getComputedStyle(element).fontSize) * scale);
        }"""
    )


@pytest.mark.parametrize("slug", MUNICIPALITIES)
def test_the_chart_is_in_view_without_scrolling_and_readable_on_a_1440_by_900_screen(browser_context, everything, slug):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/")
    page.get_by_role("link", name=Municipality.objects.get(slug=slug).name, exact=True).click()
    page.wait_for_selector(READY)
    box = page.locator("#org-chart").bounding_box()
    assert box["y"] < 450 and box["y"] + box["height"] <= 900, box
    assert page.evaluate("window.scrollY") == 0
    root = page.locator(".org-card[aria-level='1']")
    assert in_view(page, root.get_attribute("data-unit-id"))
    root_box = root.bounding_box()
    assert abs(root_box["x"] + root_box["width"] / 2 - (box["x"] + box["width"] / 2)) < 2  # centred on the root
    assert min(chart_text_sizes(page)) >= 11
    # Long names wrap inside their card: no card's text is cut off.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll(".org-card")].filter(
            card => card.scrollHeight > card.clientHeight + 1).map(card => card.dataset.unitId)"""
    )
    assert overflowing == []
    screenshot(page, f"chart-1440-{slug}")


def test_no_expand_button_is_hidden_under_another_card(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/albertslund/2013/")
    page.wait_for_selector(READY)
    page.click('[data-action="expand-all"]')
    page.wait_for_timeout(500)
    shown, covered = page.evaluate(
        """() => {
            const cards = [...document.querySelectorAll(".org-card")].map(card => card.getBoundingClientRect());
            const buttons = [...document.querySelectorAll(".org-node-button")]
                .map(button => button.getBoundingClientRect()).filter(b => b.width > 0);
            const overlaps = b => c => b.left < c.right && b.right > c.left && b.top < c.bottom && b.bottom > c.top;
            return [buttons.length, buttons.filter(b => cards.some(overlaps(b))).length];
        }"""
    )
    assert shown > 10  # every unit with sub-units has its button drawn
    assert covered == 0


def test_full_screen_gives_the_chart_the_whole_screen(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/lejre/2011/")
    page.wait_for_selector(READY)
    page.click('[data-action="fullscreen"]')
    expect(page.locator('[data-action="fullscreen"]')).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)
    assert page.locator("#org-chart").bounding_box()["height"] > 700
    page.click('[data-action="fullscreen"]')
    expect(page.locator('[data-action="fullscreen"]')).to_have_attribute("aria-pressed", "false")


def test_the_chart_search_finds_tasks_and_holders_and_says_where(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/lejre/2014/")
    page.wait_for_selector(READY)
    expect(page.locator("#chart-search")).to_have_attribute("placeholder", re.compile("opgave"))
    page.fill("#chart-search", "Indkøb")
    expect(page.locator(".org-card.is-highlighted")).not_to_have_count(0)
    page.press("#chart-search", "Enter")
    expect(page.locator("#chart-search-status")).to_have_text(re.compile(r"\(opgave: [^)]*Indkøb[^)]*\)"))
    screenshot(page, "chart-search-task")


def test_a_politician_sees_in_the_chart_who_serves_a_committee(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/assens/2014/udvalg/")
    page.get_by_role("link", name="Børne- og Uddannelsesudvalget").first.click()
    page.get_by_role("link", name="Vis i diagrammet").click()
    page.wait_for_selector(READY)
    expect(page).to_have_url(re.compile(r"/assens/2014/\?udvalg=boerne-og-uddannelsesudvalget$"))
    from governance.models import CommitteeService

    services = CommitteeService.objects.filter(
        version__municipality__slug="assens", version__key="2014", committee__key="boerne-og-uddannelsesudvalget"
    )
    expected = {service.unit.key if service.unit_id else service.post.unit.key for service in services}
    assert card_ids(page, ".org-card.is-highlighted") == expected
    expect(page.locator("#chart-search-status")).to_have_text(
        f"Enheder der betjener Børne- og Uddannelsesudvalget: {len(expected)} markeret."
    )
    for key in expected:
        assert in_view(page, key), key
    screenshot(page, "chart-committee")


def swipe(page, context, fingers: int, dy: float) -> None:
    """A touch gesture over the chart through the DevTools protocol, as a finger on a phone makes it."""
    box = page.locator("#org-chart").bounding_box()
    x, y = box["x"] + box["width"] / 2 - 40, box["y"] + box["height"] * 0.6
    cdp = context.new_cdp_session(page)

    def points(offset):
        return [{"x": x + 40 * finger, "y": y + offset, "id": finger} for finger in range(fingers)]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(dy * step / 10)})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


def test_on_a_phone_a_vertical_swipe_scrolls_the_page_and_two_fingers_or_a_tap_pan_the_chart(
    browser_context, everything
):
    context = browser_context(width=390, height=844, phone=True)
    page = context.new_page()
    page.goto("/ltk/2012/")
    page.wait_for_selector(READY)
    page.evaluate("window.scrollTo(0, 300)")

    def transform():
        return page.locator("svg.svg-chart-container > g.chart").get_attribute("transform")

    start = transform()
    swipe(page, context, 1, -250)
    assert page.evaluate("window.scrollY") > 300
    assert transform() == start
    scrolled = page.evaluate("window.scrollY")
    swipe(page, context, 2, -150)
    assert transform() != start
    assert page.evaluate("window.scrollY") == scrolled
    panned = transform()
    box = page.locator("#org-chart").bounding_box()
    page.touchscreen.tap(box["x"] + 20, box["y"] + box["height"] - 20)
    expect(page.locator("#org-chart-app")).to_have_class(re.compile(r"\bis-touch-panning\b"))
    swipe(page, context, 1, -100)
    assert transform() != panned
    assert page.evaluate("window.scrollY") == scrolled
    screenshot(page, "chart-phone")


def test_a_date_asked_for_says_which_version_applies_and_why(browser_context, everything):
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/lejre/")
    page.wait_for_selector(READY)
    page.click(".chart-more > summary")
    page.fill("#date-chart", "2014-06-01")
    page.click(".chart-more .date-form button")
    page.wait_for_selector(READY)
    expect(page).to_have_url(re.compile(r"/lejre/2011/\?dato=2014-06-01$"))
    choice = page.locator("[data-date-choice]")
    expect(choice).to_contain_text("Du har bedt om organisationen pr. 1. juni 2014.")
    expect(choice).to_contain_text("skulle gælde fra 1. maj 2014, men er et forslag og ikke vedtaget.")
    screenshot(page, "chart-date")

    page.goto("/lejre/?dato=2010-01-01")
    expect(page.locator("h1")).to_have_text("Ingen organisation pr. 1. januar 2010")
    expect(page.locator(".versions tbody tr")).to_have_count(2)
    screenshot(page, "date-not-covered")
    response = page.goto("/lejre/?dato=banan")
    assert response.status == 400
    expect(page.locator("h1")).to_have_text("Datoen kan ikke læses")
    response = page.goto("/assens/?dato=2014-03-31")
    expect(page).to_have_url(re.compile(r"/assens/2013/\?dato=2014-03-31$"))


def test_the_shown_chart_downloads_as_svg_and_png_with_its_title(browser_context, everything):
    page = browser_context(width=1440, height=900, accept_downloads=True).new_page()
    page.goto("/lejre/2011/")
    page.wait_for_selector(READY)
    page.click('[data-action="expand-all"]')
    page.wait_for_timeout(400)
    page.click(".chart-more > summary")
    with page.expect_download() as svg_download:
        page.click('[data-action="export-svg"]')
    svg = open(svg_download.value.path(), encoding="utf-8").read()
    assert svg_download.value.suggested_filename == "lejre-2011.svg"
    assert "Lejre Kommune: Centerstruktur godkendt i 2011" in svg
    assert "Eksporteret" in svg
    shown = card_ids(page, ".org-card")
    assert all(f'data-unit-id="{key}"' in svg for key in shown)
    assert "<style>" in svg and ".org-card" in svg  # the cards look the same outside the page
    with page.expect_download() as png_download:
        page.click('[data-action="export-png"]')
    png = open(png_download.value.path(), "rb").read()
    assert png.startswith(b"\x89PNG")
    assert png_download.value.suggested_filename == "lejre-2011.png"


def test_the_chart_prints_on_a_phone_too(browser_context, everything):
    page = browser_context(width=390, height=844, phone=True).new_page()
    page.goto("/assens/2014/")
    page.wait_for_selector(READY)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Direktionen" in first_page
