"""Graphviz pictures: the DOT of a version and of a reporting line, the downloads and the page that shows them."""

import re
import xml.etree.ElementTree as ElementTree

import graphviz
import pytest
from django.urls import reverse
from django.utils import translation

from centers import charts, extensions, structure_format, synthetic
from centers.models import OrgVersion, Unit
from centers.selectors import ReportingStep, reporting_line

pytestmark = pytest.mark.django_db

MAGIC = {"svg": b"<svg", "pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "dot": b"digraph "}
UNIT_IDS = re.compile(r'\bid="unit-([a-z0-9-]+)"', re.IGNORECASE)


@pytest.fixture(autouse=True)
def danish():
    """Danish, whatever an earlier test left active in this thread."""
    with translation.override("da"):
        yield


@pytest.fixture
def testby(valid_document):
    """The small valid document; its version 2014 has Direktionen (head: Anne Andersen), a centre with a vacant
    head and a responsible director, and one institution."""
    structure_format.load(valid_document)
    return OrgVersion.objects.select_related("municipality").get(municipality__slug="testby", key="2014")


def diagram_url(fmt: str, slug: str = "testby", version: str = "2014") -> str:
    return reverse("centers:diagram", args=[slug, version, fmt])


def edges(source: str) -> set[tuple[str, str]]:
    return {(tail.strip('"'), head.strip('"')) for tail, head in re.findall(r"^\t(\S+) -> (\S+)", source, re.MULTILINE)}


def has_magic(content: bytes, fmt: str) -> bool:
    """PDF, PNG and DOT start with their signature; SVG opens with an XML declaration and a comment first."""
    if fmt == "svg":
        return content.startswith(b"<?xml") and MAGIC["svg"] in content[:600]
    return content.startswith(MAGIC[fmt])


def dot_unavailable(monkeypatch) -> None:
    """Make graphviz behave as on a machine without the Debian package graphviz."""

    def missing(cmd, **kwargs):
        raise graphviz.ExecutableNotFound(cmd)

    monkeypatch.setattr(graphviz.backend.execute, "run_check", missing)


# --- version_graph --------------------------------------------------------------------------------


def test_version_graph_has_a_node_per_unit_and_an_edge_from_parent_to_child(testby):
    source = charts.version_graph(testby).source
    assert set(UNIT_IDS.findall(source)) == {"direktion", "center-trafik-ejendomme", "skolen"}
    assert edges(source) == {("direktion", "center-trafik-ejendomme"), ("center-trafik-ejendomme", "skolen")}
    assert 'URL="/testby/2014/enheder/skolen/"' in source


def test_version_graph_labels_show_head_title_and_holder_or_vacant(testby):
    source = charts.version_graph(testby).source
    direktion = next(line for line in source.splitlines() if line.startswith("\tdirektion ["))
    assert "<B>Direktionen</B>" in direktion and "Kommunaldirektør · Anne Andersen" in direktion
    centre = next(line for line in source.splitlines() if line.startswith('\t"center-trafik-ejendomme" ['))
    assert "Centerchef <I>(ubesat)</I>" in centre
    school = next(line for line in source.splitlines() if line.startswith("\tskolen ["))
    assert "ubesat" not in school and "<BR/>" not in school  # no head post: the name alone


def test_version_graph_uses_english_names_when_english_is_active(testby):
    with translation.override("en"):
        source = charts.version_graph(testby).source
    assert "<B>Executive Board</B>" in source and "<B>Direktionen</B>" not in source
    assert "Testby Kommune: Organisation fra 1. maj 2014" in source  # the version has no English label


def test_version_graph_colours_units_like_the_stylesheet(testby, settings):
    css = (settings.BASE_DIR / "static" / "css" / "orgmodel.css").read_text()
    stylesheet = dict(re.findall(r"\.kind-(\w+) \{ --kind: (#[0-9a-f]{6}); \}", css))
    assert stylesheet == {str(kind): colour for kind, colour in charts.KIND_COLOURS.items()}
    source = charts.version_graph(testby).source
    assert re.search(r'^\tdirektion \[.*color="#004993"', source, re.MULTILINE)
    assert re.search(r'^\t"center-trafik-ejendomme" \[.*color="#00804a"', source, re.MULTILINE)
    assert "■</FONT> Direktion" in source and "■</FONT> Fagcenter" in source and "Stab<" not in source


def test_version_graph_groups_many_institutions_into_one_list_and_keeps_every_unit(load_fixture):
    municipality = load_fixture("ltk")
    version = municipality.versions.select_related("municipality").get(key="2012")
    source = charts.version_graph(version).source
    keys = set(Unit.objects.filter(version=version).values_list("key", flat=True))
    assert len(keys) == 32
    assert set(UNIT_IDS.findall(source)) == keys
    group = next(line for line in source.splitlines() if line.startswith('\t"institutioner/center-for-laering-og'))
    assert "Institutioner (5)" in group
    assert 'PORT="skoler"' in group and 'HREF="/ltk/2012/enheder/skoler/"' in group
    assert ("center-for-laering-og-paedagogik", "institutioner/center-for-laering-og-paedagogik") in edges(source)
    assert not re.search(r"^\tskoler \[", source, re.MULTILINE)


def test_version_graph_of_a_subtree(testby):
    root = Unit.objects.get(version=testby, key="center-trafik-ejendomme")
    source = charts.version_graph(testby, root).source
    assert set(UNIT_IDS.findall(source)) == {"center-trafik-ejendomme", "skolen"}
    assert edges(source) == {("center-trafik-ejendomme", "skolen")}
    assert "Testby Kommune: Organisation fra 1. maj 2014 – Center for Trafik og Ejendomme" in source


def test_version_graph_refuses_a_root_from_another_version(testby):
    other = Unit.objects.get(version__key="2011", version__municipality=testby.municipality, key="center-veje")
    with pytest.raises(ValueError):
        charts.version_graph(testby, other)


def test_version_graph_costs_one_query_whatever_the_size(testby, django_assert_num_queries):
    structure_format.load(synthetic.synthetic_structure("stor", 400, kommunekode=990))
    large = OrgVersion.objects.select_related("municipality").get(municipality__slug="stor")
    subtree_root = Unit.objects.get(version=large, key="enhed-1")
    with django_assert_num_queries(1):
        small_source = charts.version_graph(testby).source
    with django_assert_num_queries(1):
        large_source = charts.version_graph(large).source
    with django_assert_num_queries(1):
        charts.version_graph(large, subtree_root)
    assert len(UNIT_IDS.findall(small_source)) == 3 and len(UNIT_IDS.findall(large_source)) == 400


def test_rendered_svg_is_well_formed_with_escaped_names_and_links(load_fixture):
    """Lejre's names contain '&' (Koncernsekretariat & Udvikling)."""
    version = load_fixture("lejre").versions.select_related("municipality").get(key="2014")
    svg = charts.render(charts.version_graph(version), "svg")
    root = ElementTree.fromstring(svg)
    texts = "".join(root.itertext())
    assert "Koncernsekretariat & Udvikling" in texts
    links = {
        element.get("{http://www.w3.org/1999/xlink}href") for element in root.iter("{http://www.w3.org/2000/svg}a")
    }
    assert "/lejre/2014/enheder/koncernsekretariat-udvikling/" in links


# --- reporting_line_graph -------------------------------------------------------------------------


def test_reporting_line_graph_is_a_linked_chain_from_the_subject_up():
    steps = [
        ReportingStep("unit", "Skolen", "/u/skolen/", "institution"),
        ReportingStep("post", "Centerchef", "/p/centerchef/", ""),
        ReportingStep("post", "Kommunaldirektør", "/p/kd/", "Anne Andersen"),
        ReportingStep("committee", "Økonomiudvalget", "/c/oeu/", "økonomiudvalg"),
    ]
    source = charts.reporting_line_graph(steps, title="Rapporteringslinje: Skolen").source
    assert "rankdir=BT" in source
    assert edges(source) == {("step0", "step1"), ("step1", "step2"), ("step2", "step3")}
    for index, step in enumerate(steps):
        node = next(line for line in source.splitlines() if line.startswith(f"\tstep{index} ["))
        assert f'URL="{step.url}"' in node and f"<B>{step.label}</B>" in node
    assert "<I>ubesat</I>" in next(line for line in source.splitlines() if line.startswith("\tstep1 ["))
    assert "Anne Andersen" in next(line for line in source.splitlines() if line.startswith("\tstep2 ["))
    committee = next(line for line in source.splitlines() if line.startswith("\tstep3 ["))
    assert "POLITISK NIVEAU" in committee and f'color="{charts.POLITICAL_COLOUR}"' in committee


def test_reporting_line_graph_colours_unit_steps_by_kind(testby):
    unit = Unit.objects.select_related("version__municipality").get(version=testby, key="skolen")
    source = charts.reporting_line_graph(reporting_line(unit)).source
    assert re.search(r'^\tstep0 \[.*color="#707070"', source, re.MULTILINE)  # institution


# --- downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png", "dot"])
def test_version_download(client, testby, fmt, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(diagram_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == charts.FORMATS[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="testby-2014.{fmt}"'
    content = response.content
    assert has_magic(content, fmt)
    if fmt in ("svg", "dot"):
        assert "Anne Andersen" in content.decode()


def test_subtree_download(client, testby):
    response = client.get(diagram_url("dot"), {"enhed": "center-trafik-ejendomme"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="testby-2014-center-trafik-ejendomme.dot"'
    assert set(UNIT_IDS.findall(response.content.decode())) == {"center-trafik-ejendomme", "skolen"}
    response = client.get(diagram_url("pdf"), {"enhed": "center-trafik-ejendomme"})
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="testby-2014-center-trafik-ejendomme.pdf"'


@pytest.mark.parametrize(
    "url",
    [
        "/testby/2014/diagram.gif",
        "/testby/2014/diagram.dot?enhed=ukendt-enhed",
        "/testby/2014/diagram.dot?enhed=center-veje",  # a unit of version 2011 only
        "/testby/2099/diagram.svg",
        "/ukendt/2014/diagram.svg",
        "/testby/2014/enheder/ukendt-enhed/rapportering.svg",
        "/testby/2014/stillinger/ukendt-stilling/rapportering.svg",
        "/testby/2014/enheder/skolen/rapportering.jpg",
    ],
)
def test_unknown_format_version_or_unit_is_404(client, testby, url):
    assert client.get(url).status_code == 404


def test_download_query_count_does_not_grow_with_the_tree(client, load_fixture, django_assert_max_num_queries):
    load_fixture("ltk")
    structure_format.load(synthetic.synthetic_structure("stor", 300, kommunekode=990))
    for slug, version, root in [("ltk", "2012", "center-for-job-og-ydelser"), ("stor", "syntetisk", "enhed-2")]:
        with django_assert_max_num_queries(2):
            assert client.get(diagram_url("svg", slug, version)).status_code == 200
        with django_assert_max_num_queries(3):
            assert client.get(diagram_url("dot", slug, version), {"enhed": root}).status_code == 200


# --- Graphviz missing -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_missing_dot_answers_503_in_danish_with_a_dot_link(client, testby, monkeypatch, fmt):
    dot_unavailable(monkeypatch)
    response = client.get(diagram_url(fmt), {"enhed": "center-trafik-ejendomme"})
    assert response.status_code == 503
    content = response.content.decode()
    assert "Graphviz (programmet dot) er ikke installeret" in content
    assert f"tegnes som {fmt.upper()}" in content
    assert 'href="/testby/2014/diagram.dot?enhed=center-trafik-ejendomme"' in content
    assert "Content-Disposition" not in response


def test_missing_dot_program_on_the_path_answers_503_and_dot_still_downloads(client, testby, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    response = client.get(diagram_url("svg"))
    assert response.status_code == 503
    assert "Graphviz (programmet dot) er ikke installeret" in response.content.decode()
    response = client.get(diagram_url("dot"))
    assert response.status_code == 200 and response.content.startswith(b"digraph")


def test_missing_dot_for_a_reporting_line_answers_503(client, testby, monkeypatch):
    dot_unavailable(monkeypatch)
    response = client.get(reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "svg"]))
    assert response.status_code == 503
    assert "Graphviz (programmet dot) er ikke installeret" in response.content.decode()
    assert 'href="/testby/2014/enheder/skolen/rapportering.dot"' in response.content.decode()


def test_failing_dot_answers_503(client, testby, monkeypatch):
    def fails(cmd, **kwargs):
        raise graphviz.CalledProcessError(1, cmd)

    monkeypatch.setattr(graphviz.backend.execute, "run_check", fails)
    response = client.get(diagram_url("pdf"))
    assert response.status_code == 503
    assert "kunne ikke tegne diagrammet som PDF" in response.content.decode()


# --- reporting line pictures ----------------------------------------------------------------------


def test_unit_reporting_line_svg_reaches_the_director_and_the_political_level(
    client, testby, django_assert_max_num_queries
):
    url = reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "svg"])
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'inline; filename="testby-2014-rapportering-skolen.svg"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the reporting-line page embeds it
    root = ElementTree.fromstring(response.content)
    texts = list(root.itertext())
    for expected in ["Skolen", "Centerchef", "Direktør", "Kommunaldirektør", "Anne Andersen", "Økonomiudvalget"]:
        assert expected in texts
    assert texts.index("Kommunaldirektør") < texts.index("Økonomiudvalget")
    links = {
        element.get("{http://www.w3.org/1999/xlink}href") for element in root.iter("{http://www.w3.org/2000/svg}a")
    }
    assert {"/testby/2014/stillinger/kommunaldirektoer/", "/testby/2014/enheder/direktion/"} <= links


def test_reporting_line_svg_shows_whatever_other_apps_add_above_the_director(client, testby, monkeypatch):
    tail = [ReportingStep("committee", "Byrådet i Testby", "/testby/2014/udvalg/kb/", "byråd")]
    monkeypatch.setattr(extensions.registry, "reporting_tails", [lambda version: tail])
    response = client.get(reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "dot"]))
    source = response.content.decode()
    last = max(int(number) for number in re.findall(r"^\tstep(\d+) \[", source, re.MULTILINE))
    node = next(line for line in source.splitlines() if line.startswith(f"\tstep{last} ["))
    assert "Byrådet i Testby" in node and 'URL="/testby/2014/udvalg/kb/"' in node
    assert "Økonomiudvalget" not in source


def test_post_reporting_line_downloads(client, testby):
    for fmt in ("svg", "pdf", "png", "dot"):
        url = reverse("centers:post-reporting-line-diagram", args=["testby", "2014", "centerchef-trafik", fmt])
        response = client.get(url, {"download": "1"})
        assert response.status_code == 200
        assert response["Content-Type"] == charts.FORMATS[fmt]
        expected = f'attachment; filename="testby-2014-rapportering-centerchef-trafik.{fmt}"'
        assert response["Content-Disposition"] == expected
        assert has_magic(response.content, fmt)
    source = response.content.decode()
    assert "<B>Centerchef</B>" in source and "<B>Direktør</B>" in source and "Anne Andersen" in source


@pytest.mark.parametrize(
    ("route", "key", "diagram_route"),
    [
        ("centers:unit-reporting-line", "skolen", "centers:unit-reporting-line-diagram"),
        ("centers:post-reporting-line", "centerchef-trafik", "centers:post-reporting-line-diagram"),
    ],
)
def test_reporting_line_page_embeds_the_svg_with_download_links(client, testby, route, key, diagram_route):
    response = client.get(reverse(route, args=["testby", "2014", key]))
    assert response.status_code == 200
    content = response.content.decode()
    svg_url = reverse(diagram_route, args=["testby", "2014", key, "svg"])
    assert f'<object data="{svg_url}" type="image/svg+xml"' in content
    for fmt in ("svg", "pdf", "png", "dot"):
        link = reverse(diagram_route, args=["testby", "2014", key, fmt])
        assert f'href="{link}?download=1" data-format="{fmt}">{fmt.upper()}</a>' in content
    assert client.get(svg_url).status_code == 200
