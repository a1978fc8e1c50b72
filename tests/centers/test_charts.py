"""Graphviz pictures (centers/diagrams.py, centers/diagram_views.py): the DOT of a version and of a reporting line,
the downloads and the page that shows them, and their bounds: size, dot's timeout and the cache."""

import re
import stat
import time
import xml.etree.ElementTree as ElementTree

import graphviz
import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from centers import diagrams, extensions, services, structure_format, synthetic
from centers.models import Municipality, OrgVersion, Person, Post, Unit
from centers.selectors import ReportingStep, reporting_line

pytestmark = pytest.mark.django_db

MAGIC = {"svg": b"<svg", "pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "dot": b"digraph "}
UNIT_IDS = re.compile(r'\bid="unit-([a-z0-9-]+)"', re.IGNORECASE)


@pytest.fixture(autouse=True)
def danish():
    """Danish, whatever an earlier test left active in this thread."""
    with translation.override("da"):
        yield


@pytest.fixture(autouse=True)
def empty_diagram_cache():
    """Rendered diagrams are cached per process; the next test's database may reuse the same ids."""
    caches["diagrams"].clear()
    yield
    caches["diagrams"].clear()


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
    source = diagrams.version_graph(testby).source
    assert set(UNIT_IDS.findall(source)) == {"direktion", "center-trafik-ejendomme", "skolen"}
    assert edges(source) == {("direktion", "center-trafik-ejendomme"), ("center-trafik-ejendomme", "skolen")}
    assert 'URL="/testby/2014/enheder/skolen/"' in source


def test_version_graph_labels_show_head_title_and_holder_or_vacant(testby):
    source = diagrams.version_graph(testby).source
    direktion = next(line for line in source.splitlines() if line.startswith("\tdirektion ["))
    assert "<B>Direktionen</B>" in direktion and "Kommunaldirektør · Anne Andersen" in direktion
    centre = next(line for line in source.splitlines() if line.startswith('\t"center-trafik-ejendomme" ['))
    assert "Centerchef <I>(ubesat)</I>" in centre
    school = next(line for line in source.splitlines() if line.startswith("\tskolen ["))
    assert "ubesat" not in school and "<BR/>" not in school  # no head post: the name alone


def test_version_graph_uses_english_names_when_english_is_active(testby):
    with translation.override("en"):
        source = diagrams.version_graph(testby).source
    assert "<B>Executive Board</B>" in source and "<B>Direktionen</B>" not in source
    assert "Testby Kommune: Organisation fra 1. maj 2014" in source  # the version has no English label


def test_version_graph_colours_units_like_the_stylesheet(testby, settings):
    css = (settings.BASE_DIR / "static" / "css" / "orgmodel.css").read_text()
    stylesheet = dict(re.findall(r"\.kind-(\w+) \{ --kind: (#[0-9a-f]{6}); \}", css))
    assert stylesheet == {str(kind): colour for kind, colour in diagrams.KIND_COLOURS.items()}
    source = diagrams.version_graph(testby).source
    assert re.search(r'^\tdirektion \[.*color="#004993"', source, re.MULTILINE)
    assert re.search(r'^\t"center-trafik-ejendomme" \[.*color="#00804a"', source, re.MULTILINE)
    assert "■</FONT> Direktion" in source and "■</FONT> Fagcenter" in source and "Stab<" not in source


def test_version_graph_groups_many_institutions_into_one_list_and_keeps_every_unit(load_fixture):
    municipality = load_fixture("ltk")
    version = municipality.versions.select_related("municipality").get(key="2012")
    source = diagrams.version_graph(version).source
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
    source = diagrams.version_graph(testby, root).source
    assert set(UNIT_IDS.findall(source)) == {"center-trafik-ejendomme", "skolen"}
    assert edges(source) == {("center-trafik-ejendomme", "skolen")}
    assert "<B>Center for Trafik og Ejendomme</B>" in source  # the subtree's root heads the title block
    assert "Testby Kommune: Organisation fra 1. maj 2014" in source


def test_version_graph_refuses_a_root_from_another_version(testby):
    other = Unit.objects.get(version__key="2011", version__municipality=testby.municipality, key="center-veje")
    with pytest.raises(ValueError):
        diagrams.version_graph(testby, other)


def test_version_graph_costs_two_queries_whatever_the_size(testby, django_assert_num_queries):
    """The units, and the source documents for the title block."""
    structure_format.load(synthetic.synthetic_structure("stor", 400, kommunekode=990))
    large = OrgVersion.objects.select_related("municipality").get(municipality__slug="stor")
    subtree_root = Unit.objects.get(version=large, key="enhed-1")
    with django_assert_num_queries(2):
        small_source = diagrams.version_graph(testby).source
    with django_assert_num_queries(2):
        large_source = diagrams.version_graph(large).source
    with django_assert_num_queries(2):
        diagrams.version_graph(large, subtree_root)
    with django_assert_num_queries(1):
        diagrams.version_graph(large, documents=[])
    assert len(UNIT_IDS.findall(small_source)) == 3 and len(UNIT_IDS.findall(large_source)) == 400


def test_rendered_svg_is_well_formed_with_escaped_names_and_links(load_fixture):
    """Lejre's names contain '&' (Koncernsekretariat & Udvikling)."""
    version = load_fixture("lejre").versions.select_related("municipality").get(key="2014")
    svg = diagrams.render(diagrams.version_graph(version), "svg")
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
    source = diagrams.reporting_line_graph(steps).source
    assert "rankdir=BT" in source
    assert edges(source) == {("step0", "step1"), ("step1", "step2"), ("step2", "step3")}
    for index, step in enumerate(steps):
        node = next(line for line in source.splitlines() if line.startswith(f"\tstep{index} ["))
        assert f'URL="{step.url}"' in node and f"<B>{step.label}</B>" in node
    assert "<I>ubesat</I>" in next(line for line in source.splitlines() if line.startswith("\tstep1 ["))
    assert "Anne Andersen" in next(line for line in source.splitlines() if line.startswith("\tstep2 ["))
    committee = next(line for line in source.splitlines() if line.startswith("\tstep3 ["))
    assert "POLITISK NIVEAU" in committee and f'color="{diagrams.POLITICAL_COLOUR}"' in committee


def test_reporting_line_graph_colours_unit_steps_by_kind(testby):
    unit = Unit.objects.select_related("version__municipality").get(version=testby, key="skolen")
    source = diagrams.reporting_line_graph(reporting_line(unit)).source
    assert re.search(r'^\tstep0 \[.*color="#707070"', source, re.MULTILINE)  # institution


# --- downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png", "dot"])
def test_version_download(client, testby, fmt, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the version, its stamp (for the cache), the units, the sources
        response = client.get(diagram_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == diagrams.FORMATS[fmt]
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
        with django_assert_max_num_queries(4):
            assert client.get(diagram_url("svg", slug, version)).status_code == 200
        with django_assert_max_num_queries(5):
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
    with django_assert_max_num_queries(6):  # version, subject, posts, ancestors, political level, sources
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
    site = "http://testserver"
    assert {f"{site}/testby/2014/stillinger/kommunaldirektoer/", f"{site}/testby/2014/enheder/direktion/"} <= links


def test_reporting_line_svg_shows_whatever_other_apps_add_above_the_director(client, testby, monkeypatch):
    tail = [ReportingStep("committee", "Byrådet i Testby", "/testby/2014/udvalg/kb/", "byråd")]
    monkeypatch.setattr(extensions.registry, "reporting_tails", [lambda version: tail])
    response = client.get(reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "dot"]))
    source = response.content.decode()
    last = max(int(number) for number in re.findall(r"^\tstep(\d+) \[", source, re.MULTILINE))
    node = next(line for line in source.splitlines() if line.startswith(f"\tstep{last} ["))
    assert "Byrådet i Testby" in node and 'URL="http://testserver/testby/2014/udvalg/kb/"' in node
    assert "Økonomiudvalget" not in source


def test_post_reporting_line_downloads(client, testby):
    for fmt in ("svg", "pdf", "png", "dot"):
        url = reverse("centers:post-reporting-line-diagram", args=["testby", "2014", "centerchef-trafik", fmt])
        response = client.get(url, {"download": "1"})
        assert response.status_code == 200
        assert response["Content-Type"] == diagrams.FORMATS[fmt]
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


# --- bounds: size, timeout, cache (security review D12) -------------------------------------------


class RenderSpy:
    """Stands in for diagrams.render (as the views call it) and counts the calls."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        real = diagrams.render

        def render(graph, fmt, **kwargs):
            self.calls.append(fmt)
            return real(graph, "dot", **kwargs) if fmt == "dot" else MAGIC[fmt] + b" stand-in"

        monkeypatch.setattr(diagrams, "render", render)


@pytest.fixture
def render_spy(monkeypatch):
    return RenderSpy(monkeypatch)


@pytest.fixture
def chief(testby):
    user = User.objects.create_user("diagram-kd", is_staff=True)
    user.groups.add(Group.objects.get(name="Kommunaldirektør"))
    user.municipalities.set(Municipality.objects.all())
    return user


@pytest.fixture
def large_version(db):
    """A 2,000-unit synthetic version: more than ORGMODEL_DIAGRAM_MAX_UNITS (1,500 by default)."""
    structure_format.load(synthetic.synthetic_structure("stor", 2000, kommunekode=990))
    return OrgVersion.objects.get(municipality__slug="stor")


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png", "dot"])
def test_a_diagram_above_the_bound_is_refused_quickly_without_dot(
    client, large_version, render_spy, settings, fmt, django_assert_max_num_queries
):
    assert settings.ORGMODEL_DIAGRAM_MAX_UNITS == 1500
    assert Unit.objects.filter(version=large_version).count() > 1500
    started = time.monotonic()
    with django_assert_max_num_queries(2):  # the version and its stamp: the units are never fetched
        response = client.get(diagram_url(fmt, "stor", "syntetisk"))
    elapsed = time.monotonic() - started
    assert response.status_code == 413
    assert render_spy.calls == []
    assert elapsed < 2, elapsed
    content = response.content.decode()
    assert "Diagrammet er for stort" in content
    assert "ville vise 2000 enheder, og der tegnes højst 1500" in " ".join(content.split())
    assert f'href="{reverse("centers:chart", args=["stor", "syntetisk"])}"' in content
    assert "Content-Disposition" not in response


def test_the_bound_counts_the_subtree_and_is_a_setting(client, testby, large_version, render_spy, settings):
    root = Unit.objects.get(version=large_version, parent=None)
    assert client.get(diagram_url("svg", "stor", "syntetisk"), {"enhed": root.key}).status_code == 413
    small = Unit.objects.filter(version=large_version, kind="centre").first()
    assert small.get_descendant_count() + 1 <= 1500
    assert client.get(diagram_url("svg", "stor", "syntetisk"), {"enhed": small.key}).status_code == 200
    assert render_spy.calls == ["svg"]
    settings.ORGMODEL_DIAGRAM_MAX_UNITS = 2
    response = client.get(diagram_url("svg"))  # testby 2014 has 3 units
    assert response.status_code == 413 and render_spy.calls == ["svg"]
    unit_line = reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "svg"])
    assert client.get(unit_line).status_code == 413  # a reporting line counts its steps


def test_a_second_request_is_served_from_the_cache(client, testby, render_spy, django_assert_max_num_queries):
    first = client.get(diagram_url("svg"))
    with django_assert_max_num_queries(2):  # the version and its stamp; no units, no dot
        second = client.get(diagram_url("svg"))
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and render_spy.calls == ["svg"]
    assert second["Content-Disposition"] == 'attachment; filename="testby-2014.svg"'
    client.get(diagram_url("pdf"))
    client.get(diagram_url("svg"), {"enhed": "center-trafik-ejendomme"})
    client.get(diagram_url("svg"), HTTP_ACCEPT_LANGUAGE="en")  # other labels: drawn anew
    assert render_spy.calls == ["svg", "pdf", "svg", "svg"]
    client.get(diagram_url("pdf"))
    client.get(diagram_url("svg"), HTTP_ACCEPT_LANGUAGE="en")
    assert len(render_spy.calls) == 4


def test_reporting_line_diagrams_are_cached_too(client, testby, render_spy):
    url = reverse("centers:unit-reporting-line-diagram", args=["testby", "2014", "skolen", "svg"])
    assert client.get(url).status_code == client.get(url).status_code == 200
    assert render_spy.calls == ["svg"]


def test_an_edit_draws_the_diagram_anew(client, testby, chief, render_spy):
    before = client.get(diagram_url("dot")).content.decode()
    skolen = Unit.objects.get(version=testby, key="skolen")
    services.rename_unit(skolen, "Skolen ved Søen", actor=chief)
    after = client.get(diagram_url("dot")).content.decode()
    assert "Skolen ved Søen" in after and "Skolen ved Søen" not in before
    assert render_spy.calls == ["dot", "dot"]

    post = Post.objects.get(version=testby, key="centerchef-trafik")
    services.assign_holder(post, Person.objects.get(key="anne"), actor=chief)
    assert "Centerchef · Anne Andersen" in client.get(diagram_url("dot")).content.decode()
    person = Person.objects.get(key="anne")
    person.name = "Anne Andersen-Berg"
    person.save()
    assert "Anne Andersen-Berg" in client.get(diagram_url("dot")).content.decode()
    assert render_spy.calls == ["dot"] * 4
    client.get(diagram_url("dot"))
    assert len(render_spy.calls) == 4


def test_the_version_stamp_is_one_query_and_moves_with_every_change(testby, chief, django_assert_num_queries):
    with django_assert_num_queries(1):
        stamp = diagrams.version_stamp(testby)
    assert stamp[0] == 3
    unit = Unit.objects.get(version=testby, key="skolen")
    services.move_unit(unit, Unit.objects.get(version=testby, key="direktion"), actor=chief)
    moved = diagrams.version_stamp(testby)
    assert moved != stamp
    elsewhere = Unit.objects.get(version__key="2011", key="center-veje")
    elsewhere.name = "Center for Veje II"
    elsewhere.save()
    assert diagrams.version_stamp(testby) == moved  # another version's change does not count


def test_failures_are_not_cached(client, testby, monkeypatch):
    dot_unavailable(monkeypatch)
    assert client.get(diagram_url("svg")).status_code == 503
    monkeypatch.undo()
    response = client.get(diagram_url("svg"))
    assert response.status_code == 200 and has_magic(response.content, "svg")


def test_dot_is_stopped_after_the_timeout(client, testby, settings, monkeypatch, tmp_path):
    """A `dot` that hangs (here a script on the PATH that sleeps) is killed; the visitor gets the 503 page."""
    hanging = tmp_path / "dot"
    hanging.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    hanging.chmod(hanging.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    settings.ORGMODEL_DIAGRAM_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    response = client.get(diagram_url("png"))
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    content = response.content.decode()
    assert "brugte for lang tid på at tegne diagrammet som PNG" in content
    assert 'href="/testby/2014/diagram.dot"' in content
