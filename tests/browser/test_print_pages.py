"""Printed pages and downloaded pictures in a real browser: a unit page reached by clicking from the home page
and printed on A4 (static/css/print.css), the other printable pages, the labels of a downloaded SVG and the type
of the reporting-line picture."""

import io
import os
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

READY = '#org-chart-app[data-state="ready"]'
SCREEN_ONLY = [".site-search", ".language-switch", ".municipality-nav a", ".site-footer", ".downloads"]


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page: with pypdf when installed, else poppler's pdftotext (Debian's poppler-utils)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            message = "reading the printed PDF needs pypdf or pdftotext (Debian package poppler-utils)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        return text.decode().split("\f")[:-1]
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def words(text: str) -> str:
    return " ".join(text.split())


def assert_prints_as_a_document(page, name: str) -> list[str]:
    """The screen's controls are hidden in print, page 1 holds the H1, and no page is empty or only the footer."""
    heading = words(page.locator("h1").inner_text())
    footer = words(page.locator(".site-footer").text_content())
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    screenshot(page, f"print-{name}")
    pages = [words(text) for text in pdf_pages(page.pdf(format="A4"))]
    assert pages, "nothing printed"
    assert heading in pages[0], pages[0][:300]
    for number, text in enumerate(pages, start=1):
        assert text and text != footer, f"page {number} of {len(pages)} holds only the footer or nothing"
    page.emulate_media(media="screen")
    return pages


def test_a_unit_page_reached_from_the_home_page_prints_from_its_heading(page, load_fixture):
    """Home → the version's chart → a card → the unit page, printed on A4: the H1 is on page 1, the header's
    search box, language buttons and navigation and the footer are not printed."""
    load_fixture("ltk")
    page.goto("/")
    page.locator('main a[href="/ltk/2012/"]').first.click()
    page.wait_for_selector(READY)
    page.locator('.org-card[data-unit-id="center-for-job-og-ydelser"] .org-card-name').click()
    unit_link = page.locator('#chart-panel a[href$="/ltk/2012/enheder/center-for-job-og-ydelser/"]')
    if not re.search(r"/enheder/center-for-job-og-ydelser/$", page.url):
        unit_link.first.click()  # the chart opens the unit's details beside it first
    expect(page).to_have_url(re.compile(r"/ltk/2012/enheder/center-for-job-og-ydelser/$"))
    expect(page.locator("h1")).to_have_text("Center for Job og Ydelser")
    pages = assert_prints_as_a_document(page, "unit-page")
    assert "Lyngby-Taarbæk Kommune" in pages[0]  # whose organisation: the municipality bar without its links
    assert pages[0].index("Lyngby-Taarbæk Kommune") < pages[0].index("Center for Job og Ydelser")
    assert not any("Søg enhed" in text or "English" in text for text in pages)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/assens/2014/stillinger/kommunaldirektoer/", "post-page"),
        ("/assens/2014/enheder/familie-unge-og-uddannelse/rapportering/", "reporting-line-page"),
        ("/assens/2014/udvalg/boerne-og-uddannelsesudvalget/", "committee-page"),
        ("/soeg/?q=center", "search-page"),
    ],
)
def test_other_pages_print_as_documents(page, load_fixture, path, name):
    load_fixture("assens")
    page.goto(path)
    assert_prints_as_a_document(page, name)


def test_labels_of_a_downloaded_svg_fit_their_boxes(page, load_fixture):
    """The review saw "Øvrige kulturinstitutioner" and "Den Kommunale Madservice" run over their boxes: Graphviz
        measured one font and the browser drew another. Every text must lie inside its node's outline, clear of its
    left and right edges."""
    load_fixture("ltk")
    svg = page.request.get("/ltk/2012/diagram.svg").text()
    page.set_content("<!DOCTYPE html><html><body>" + svg[svg.index("<svg") :] + "</body></html>")
    outside = page.evaluate(
        """() => [...document.querySelectorAll("g.node")].flatMap(node => {
            const box = node.querySelector("path, polygon").getBBox();
            return [...node.querySelectorAll("text")].map(text => [text.textContent, text.getBBox()])
              .filter(([, b]) => b.x < box.x + 1 || b.y < box.y
                || b.x + b.width > box.x + box.width - 1 || b.y + b.height > box.y + box.height)
              .map(([content]) => content);
        })"""
    )
    assert page.locator("g.node").count() >= 20
    assert outside == []
    screenshot(page, "downloaded-svg")


def test_the_reporting_line_picture_uses_the_page_type_size(page, load_fixture):
    """The picture is shown at its own size, so its title and names are no larger than the page's body text."""
    load_fixture("assens")
    page.goto("/assens/2014/enheder/familie-unge-og-uddannelse/rapportering/")
    page.wait_for_function(
        "() => document.querySelector('.reporting-line-diagram object').contentDocument?.querySelector('svg text')"
    )
    sizes = page.evaluate(
        """() => {
            const picture = document.querySelector(".reporting-line-diagram object");
            const svg = picture.contentDocument.querySelector("svg");
            const scale = picture.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const fonts = [...svg.querySelectorAll("text")].map(text => parseFloat(text.getAttribute("font-size")));
            return {
                largest: Math.max(...fonts) * scale,
                body: parseFloat(getComputedStyle(document.body).fontSize),
                heading: parseFloat(getComputedStyle(document.querySelector("h1")).fontSize),
                natural: svg.width.baseVal.value,
                shown: picture.getBoundingClientRect().width,
            };
        }"""
    )
    assert sizes["largest"] <= sizes["body"] + 0.5, sizes
    assert sizes["largest"] < sizes["heading"], sizes
    assert abs(sizes["shown"] - sizes["natural"]) < 2, sizes  # not stretched to the card's width
    screenshot(page, "reporting-line-page")
