"""Graphviz downloads as files that leave the site (centers/diagrams.py, centers/diagram_views.py): each carries a
title block (municipality, version, status, date of export, sources), links back with absolute addresses, comes
as a PDF on A4 or A3 paper, names units in the request's language; and the reporting-line page lists the line in
the diagram's direction."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from centers import diagrams, selectors, structure_format, synthetic
from centers.choices import PostKind, UnitKind
from centers.models import OrgVersion, Source, Unit

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SITE = "http://testserver"
# Kind codes that are not also the Danish word: none of them may reach a reader.
RAW_CODES = sorted({str(value) for value, label in [*UnitKind.choices, *PostKind.choices] if str(value) != str(label)})


@pytest.fixture
def testby(valid_document):
    """Testby 2014 (current, source "T1 afsnit 3", source document T1 "Testnotat"): Direktionen, a centre, a school."""
    structure_format.load(valid_document)
    return OrgVersion.objects.select_related("municipality").get(municipality__slug="testby", key="2014")


def version_url(fmt: str, slug: str = "testby", version: str = "2014") -> str:
    return reverse("centers:diagram", args=[slug, version, fmt])


def unit_line_url(fmt: str, unit: str = "skolen", slug: str = "testby", version: str = "2014") -> str:
    return reverse("centers:unit-reporting-line-diagram", args=[slug, version, unit, fmt])


def svg_texts(content: bytes) -> str:
    """The SVG's text, one line per <text> element."""
    root = ElementTree.fromstring(content)
    return "\n".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


def svg_links(content: bytes) -> set[str]:
    return {anchor.get(XLINK_HREF) for anchor in ElementTree.fromstring(content).iter(f"{SVG}a")}


def today_in(language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localdate(), "DATE_FORMAT")


# --- the title block ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "subject"),
    [
        (version_url("svg"), ""),
        (version_url("svg") + "?enhed=center-trafik-ejendomme", "Center for Trafik og Ejendomme"),
        (unit_line_url("svg"), "Rapporteringslinje: Skolen"),
        (reverse("centers:post-reporting-line-diagram", args=["testby", "2014", "centerchef-trafik", "svg"]), ""),
    ],
)
def test_every_svg_download_has_the_title_block(client, testby, url, subject):
    response = client.get(url)
    assert response.status_code == 200
    texts = svg_texts(response.content)
    first_lines = texts.splitlines()[:6]
    assert any("Testby Kommune: Organisation fra 1. maj 2014" in line for line in first_lines), first_lines
    assert f"Status: gældende · eksporteret {today_in('da')}" in texts
    assert "Kilde: T1 afsnit 3" in texts
    assert "Kildedokument T1: Testnotat" in texts
    if subject:
        assert first_lines[0] == subject


@pytest.mark.parametrize(
    "url",
    [version_url("dot"), version_url("dot") + "?enhed=skolen", unit_line_url("dot") + "?download=1"],
)
def test_the_title_block_is_part_of_the_graph_so_pdf_and_png_carry_it_too(client, testby, url):
    """PDF and PNG are drawn from the same graph as the DOT download."""
    source = client.get(url).content.decode()
    label = re.search(r"^\tgraph \[.*\blabel=<(<TABLE.*?</TABLE>)>", source, re.MULTILINE).group(1)
    for part in ("Testby Kommune: Organisation fra 1. maj 2014", "Status: gældende", "Kilde: T1 afsnit 3", "Testnotat"):
        assert part in label


def test_title_block_names_the_cited_source_documents_or_else_all(testby):
    Source.objects.create(municipality=testby.municipality, key="T2", title="Et andet notat")
    assert [document.key for document in diagrams.source_documents(testby)] == ["T1"]
    testby.source = "byrådets beslutning"
    assert [document.key for document in diagrams.source_documents(testby)] == ["T1", "T2"]
    testby.source = "T12 afsnit 1"  # T1 is not cited by T12
    assert [document.key for document in diagrams.source_documents(testby)] == ["T1", "T2"]


def test_a_changed_source_document_draws_the_diagram_anew(client, testby):
    before = client.get(version_url("dot")).content.decode()
    document = Source.objects.get(key="T1")
    document.title = "Testnotat, anden udgave"
    document.save()
    after = client.get(version_url("dot")).content.decode()
    assert "Testnotat</FONT>" in before and "Testnotat, anden udgave" in after


def test_the_title_block_is_never_larger_than_body_text(testby):
    label = diagrams.title_label(diagrams.title_block(testby, []), 90)
    sizes = [int(size) for size in re.findall(r'POINT-SIZE="(\d+)"', label)]
    assert max(sizes) <= 12  # 12 pt is 16 px, the pages' body text


# --- PDF paper ------------------------------------------------------------------------------------

A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)


def media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    return [
        tuple(float(value) for value in box)
        for box in re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    ]


def page_size(pdf: bytes) -> tuple[float, float]:
    try:
        import pypdf
    except ImportError:
        boxes = media_boxes(pdf)
        assert len(boxes) == 1, boxes  # one page, one MediaBox: no leftover of the drawing's own size
        left, bottom, right, top = boxes[0]
    else:
        import io

        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        left, bottom, right, top = (float(value) for value in reader.pages[0].mediabox)
    return round(right - left, 2), round(top - bottom, 2)


def drawing_size(client, url: str) -> tuple[float, float]:
    """The laid-out size in points, as the SVG of the same diagram gives it."""
    root = ElementTree.fromstring(client.get(url.replace(".pdf", ".svg")).content)
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def assert_cross_references_hold(pdf: bytes) -> None:
    """Every in-use object of the cross-reference table starts where the table says, and startxref points at it."""
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1))
    assert pdf.startswith(b"xref", start)
    count = int(re.match(rb"xref\s+0 (\d+)", pdf[start:]).group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", pdf[start : start + 40 + 20 * count])[:count]
    assert len(entries) == count
    for number, (offset, _generation, use) in enumerate(entries):
        if use == b"n":
            assert pdf.startswith(b"%d 0 obj" % number, int(offset)), number


@pytest.mark.parametrize(
    ("slug", "version", "query"),
    [("ltk", "2012", ""), ("ltk", "2012", "?enhed=center-for-job-og-ydelser"), ("lejre", "2014", "")],
)
def test_version_pdf_is_on_a4_or_a3_landscape_when_wider(client, load_fixture, slug, version, query):
    load_fixture(slug)
    url = version_url("pdf", slug, version) + query
    pdf = client.get(url).content
    width, height = page_size(pdf)
    assert (min(width, height), max(width, height)) in (A4, A3)
    drawn_width, drawn_height = drawing_size(client, url)
    assert (width > height) == (drawn_width > drawn_height)
    assert_cross_references_hold(pdf)


def test_reporting_line_pdf_is_a4_portrait(client, load_fixture):
    load_fixture("assens")
    url = unit_line_url("pdf", "familie-unge-og-uddannelse", "assens", "2014")
    pdf = client.get(url, {"download": "1"}).content
    assert page_size(pdf) == A4
    assert_cross_references_hold(pdf)


@pytest.mark.parametrize(
    ("size", "paper"),
    [
        ((400, 300), ("A4", 841.89, 595.28)),  # wider: landscape, at full size
        ((300, 400), ("A4", 595.28, 841.89)),
        ((966, 828), ("A3", 1190.55, 841.89)),  # the review's odd page: on A4 it would print at 0.65
        ((1000, 650), ("A4", 841.89, 595.28)),  # 0.78 on A4 landscape is readable
        ((500, 2000), ("A3", 841.89, 1190.55)),
    ],
)
def test_paper_for_a_drawing(size, paper):
    chosen = diagrams.paper_for(*size)
    assert (chosen.name, round(chosen.width, 2), round(chosen.height, 2)) == paper
    assert chosen.scale(*size) <= 1


def test_the_drawing_and_its_links_are_moved_onto_the_paper(client, load_fixture):
    """Scaled to fit inside the margins, and every link area (cairo writes one per unit) stays on the page."""
    load_fixture("ltk")
    pdf = client.get(version_url("pdf", "ltk", "2012")).content
    width, height = page_size(pdf)
    transform = re.search(rb"q ([\d.]+) 0 0 ([\d.]+) ([-\d.]+) ([-\d.]+) cm", pdf)
    scale = float(transform.group(1))
    drawn_width, drawn_height = drawing_size(client, version_url("pdf", "ltk", "2012"))
    margin = diagrams.PAPER_MARGIN
    assert 0 < scale <= 1 and drawn_width * scale <= width - 2 * margin + 1 and drawn_height * scale <= height
    rectangles = re.findall(rb"/Rect \[ ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) \]", pdf)
    assert len(rectangles) >= 20
    for rectangle in rectangles:
        x0, y0, x1, y1 = (float(value) for value in rectangle)
        assert margin - 1 <= min(x0, x1) and max(x0, x1) <= width - margin + 1
        assert margin - 1 <= min(y0, y1) and max(y0, y1) <= height - margin + 1
    assert b"/URI (http://testserver/ltk/2012/enheder/" in pdf


def test_a_pdf_not_shaped_as_cairo_writes_it_is_left_alone():
    assert diagrams.on_paper(b"%PDF-1.4\nnot really\n%%EOF\n") == b"%PDF-1.4\nnot really\n%%EOF\n"


# --- fonts and links ------------------------------------------------------------------------------


def test_labels_are_measured_and_drawn_with_dejavu_sans(client, testby):
    """Graphviz measures labels with DejaVu Sans; the PDF embeds it, the SVG asks its viewer for it first."""
    svg = client.get(version_url("svg")).content
    families = {text.get("font-family") for text in ElementTree.fromstring(svg).iter(f"{SVG}text")}
    assert families == {diagrams.FONT} and diagrams.FONT.startswith("DejaVu Sans,")
    pdf = client.get(version_url("pdf")).content
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", pdf))
    assert fonts and fonts <= {b"DejaVuSans", b"DejaVuSans-Bold", b"DejaVuSans-Oblique", b"DejaVuSans-BoldOblique"}


def test_svg_links_are_absolute(client, testby):
    links = svg_links(client.get(version_url("svg")).content)
    assert f"{SITE}/testby/2014/enheder/skolen/" in links
    assert links and all(link.startswith(f"{SITE}/") for link in links)
    links = svg_links(client.get(unit_line_url("svg")).content)
    assert f"{SITE}/testby/2014/stillinger/kommunaldirektoer/" in links
    assert all(link.startswith(f"{SITE}/") for link in links)


def test_links_follow_the_host_so_the_cache_keeps_one_drawing_per_host(client, testby, settings):
    settings.ALLOWED_HOSTS = ["testserver", "orgmodel.example"]
    first = svg_links(client.get(version_url("svg")).content)
    other = svg_links(client.get(version_url("svg"), HTTP_HOST="orgmodel.example").content)
    assert f"{SITE}/testby/2014/enheder/skolen/" in first
    assert "http://orgmodel.example/testby/2014/enheder/skolen/" in other
    line = svg_links(client.get(unit_line_url("svg"), HTTP_HOST="orgmodel.example").content)
    assert all(link.startswith("http://orgmodel.example/") for link in line)


# --- language -------------------------------------------------------------------------------------


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_english_downloads_name_units_in_english(english, testby):
    svg = english.get(version_url("svg")).content
    texts = svg_texts(svg)
    for name in ("Executive Board", "Centre for Traffic and Property", "The School"):
        assert name in texts
    for name in ("Direktionen", "Center for Trafik og Ejendomme", "Skolen"):
        assert name not in texts
    assert "Status: current" in texts  # the status word is translated already; "Status: … eksporteret" after merge
    line = svg_texts(english.get(unit_line_url("svg")).content)
    assert "Executive Board" in line and "The School" in line and "Direktionen" not in line
    assert "Finance Committee" in line


def test_english_and_danish_downloads_are_cached_apart(english, testby):
    assert "Executive Board" in svg_texts(english.get(version_url("svg")).content)
    danish = svg_texts(Client().get(version_url("svg")).content)
    assert "Direktionen" in danish and "Executive Board" not in danish


def test_english_title_block_after_the_catalogue_is_merged(english, testby):
    """Needs /tmp/po/diagrams.po merged into locale/en (the title block's labels are new strings)."""
    texts = svg_texts(english.get(version_url("svg")).content)
    assert f"Status: current · exported {today_in('en')}" in texts
    assert "Source: T1 afsnit 3" in texts and "Source document T1: Testnotat" in texts


def test_english_reporting_line_list_names_units_in_english(english, testby):
    content = english.get(reverse("centers:unit-reporting-line", args=["testby", "2014", "skolen"])).content
    line = content.decode()[content.decode().index("data-reporting-line") :]
    assert "The School" in line and "Executive Board" in line and "Centre for Traffic and Property" in line
    assert ">Skolen<" not in line and ">Direktionen<" not in line


def test_reporting_line_steps_follow_the_active_language(testby):
    unit = Unit.objects.select_related("version__municipality").get(version=testby, key="skolen")
    with translation.override("en"):
        labels = [step.label for step in selectors.reporting_line(unit)]
    assert labels[:2] == ["The School", "Centre for Traffic and Property"]


# --- the reporting-line page ----------------------------------------------------------------------


def page_steps(content: str) -> list[str]:
    line = content[content.index("data-reporting-line") : content.index("</ol>", content.index("data-reporting-line"))]
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(r'<li class="step[^"]*">.*?<a href="[^"]+">([^<]+)</a>', line, re.DOTALL)
    ]


def test_the_page_lists_the_line_top_down_like_the_diagram(client, load_fixture):
    """Assens (003 afsnit 1, 3): Byrådet and Økonomiudvalget first, the unit last, as the diagram draws them."""
    load_fixture("assens")
    args = ["assens", "2014", "familie-unge-og-uddannelse"]
    content = client.get(reverse("centers:unit-reporting-line", args=args)).content.decode()
    listed = page_steps(content)
    assert listed[:2] == ["Byrådet", "Økonomiudvalget"] and listed[-1] == "Familie, Unge og Uddannelse"
    assert 'data-direction="top-down"' in content
    svg = ElementTree.fromstring(
        client.get(reverse("centers:unit-reporting-line-diagram", args=[*args, "svg"])).content
    )
    nodes = []
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "node":
            texts = [text for text in group.iter(f"{SVG}text")]
            bold = next(text for text in texts if text.get("font-weight") == "bold")
            nodes.append((float(bold.get("y")), "".join(bold.itertext())))
    drawn = [label for _y, label in sorted(nodes)]
    assert drawn[:2] == listed[:2] and drawn[-1] == listed[-1]
    assert len(drawn) == len(listed)


def test_the_unit_page_lists_its_line_top_down_too(client, load_fixture):
    """One direction on every page (the UX review: the list ran bottom-up and the diagram top-down)."""
    load_fixture("assens")
    content = client.get(reverse("centers:unit", args=["assens", "2014", "familie-unge-og-uddannelse"])).content
    listed = page_steps(content.decode())
    assert listed[0] == "Byrådet" and listed[-1] == "Familie, Unge og Uddannelse"


def test_kinds_are_words_never_codes(client, load_fixture):
    load_fixture("assens")
    args = ["assens", "2014", "familie-unge-og-uddannelse"]
    content = client.get(reverse("centers:unit-reporting-line", args=args)).content.decode()
    listed = re.sub(r"<[^>]+>", " ", content[content.index("data-reporting-line") : content.index("</ol>")])
    svg = svg_texts(client.get(reverse("centers:unit-reporting-line-diagram", args=[*args, "svg"])).content)
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", listed), code
        assert not re.search(rf"\b{code}\b", svg), code
    assert "direktørområde" in listed and "direktørområde" in svg


def test_reporting_line_queries_do_not_grow_with_the_tree(client, testby, django_assert_max_num_queries):
    """Page and picture cost the same for Testby (3 units) and a 400-unit synthetic municipality."""
    structure_format.load(synthetic.synthetic_structure("stor", 400, kommunekode=990))
    deep = Unit.objects.filter(version__municipality__slug="stor").order_by("-level", "pk").first()
    assert deep.level >= 3
    counts = []
    for slug, version, key in [("testby", "2014", "skolen"), ("stor", deep.version.key, deep.key)]:
        for route in ("centers:unit-reporting-line", "centers:unit-reporting-line-diagram"):
            args = [slug, version, key] + (["dot"] if route.endswith("diagram") else [])
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(route, args=args)).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts
    with django_assert_max_num_queries(6):  # version, subject, posts, ancestors, political level, sources
        client.get(reverse("centers:unit-reporting-line-diagram", args=["stor", deep.version.key, deep.key, "svg"]))
