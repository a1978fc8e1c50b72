"""What governance adds to the organisation's pages: unit and post panels, the political tail of the
reporting line and committee search hits."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from centers import extensions, structure_format
from centers import selectors as centers_selectors
from centers.extensions import Panel
from centers.models import OrgVersion, Post, Unit
from governance import selectors

pytestmark = pytest.mark.django_db


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def panel(content: str, name: str) -> str:
    start = content.index(">", content.index(f'data-panel="{name}"')) + 1
    return content[start : content.index("</section>", start)]


def unit_page(client, slug: str, version: str, key: str) -> str:
    response = client.get(reverse("centers:unit", args=[slug, version, key]))
    assert response.status_code == 200
    return response.content.decode()


def post_page(client, slug: str, version: str, key: str) -> str:
    response = client.get(reverse("centers:post", args=[slug, version, key]))
    assert response.status_code == 200
    return response.content.decode()


# --- unit page panels -----------------------------------------------------------------------------


def test_unit_committee_panel_lists_committees_served_through_its_posts(client, load_fixture):
    """Assens 003 afsnit 6: the vicedirektør of Social, Sundhed og Arbejdsmarked serves two committees."""
    load_fixture("assens")
    content = panel(unit_page(client, "assens", "2014", "social-sundhed-og-arbejdsmarked"), "committees")
    assert "Udvalg som enheden betjener" in content
    assert re.findall(r'data-committee="([^"]+)"', content) == [
        "social-og-sundhedsudvalget",
        "beskaeftigelses-og-erhvervsudvalget",
    ]
    assert (
        "Social- og Sundhedsudvalget : forbereder dagsorden, deltager i møderne, betjener "
        "(gennem Vicedirektør for Social, Sundhed og Arbejdsmarked)"
    ) in text(content)
    assert reverse("governance:committee", args=["assens", "2014", "social-og-sundhedsudvalget"]) in content


def test_unit_committee_panel_for_a_serving_unit(client, load_fixture):
    load_fixture("assens")
    content = text(panel(unit_page(client, "assens", "2014", "direktion"), "committees"))
    assert content.startswith("Udvalg som enheden betjener Byrådet : betjener Økonomiudvalget :")
    assert "Beskæftigelses- og Erhvervsudvalget : deltager i møderne (gennem Kommunaldirektør)" in content


def test_unit_without_committees_forums_or_budget(client, load_fixture):
    """Assens 003 afsnit 3 gives the directors a "samlet driftsansvar", which is not a budget responsibility
    (afsnit 4 names budgetansvar for the vicedirektører only): Ungeenhed, outside their areas, has no level."""
    load_fixture("assens")
    content = unit_page(client, "assens", "2014", "ungeenhed")
    assert "Ingen udvalg angivet." in panel(content, "committees")
    assert "Enheden indgår ikke i fora eller netværk." in panel(content, "forums")
    budget = text(panel(content, "budget"))
    assert "driftsansvar" not in budget
    assert "Vicedirektør (stort budgetansvar)" not in budget


def test_unit_forum_panel_shows_membership_and_leadership(client, valid_document):
    structure_format.load(valid_document)
    centre = text(panel(unit_page(client, "testby", "2014", "center-trafik-ejendomme"), "forums"))
    assert "Koncernledelsen ledergruppe · medlem" in centre
    assert "Konsulentnetværket netværk · medlem" in centre
    direktion = text(panel(unit_page(client, "testby", "2014", "direktion"), "forums"))
    assert "Koncernledelsen ledergruppe · formand: Kommunaldirektør" in direktion
    assert "medlem" not in direktion
    assert "Konsulentnetværket netværk · ejer: Direktør" in direktion


def test_unit_forum_panel_links_to_forum_and_network_pages(client, load_fixture):
    """Assens 003 afsnit 4: Velfærd is a member unit of Chefgruppen Velfærd."""
    load_fixture("assens")
    content = panel(unit_page(client, "assens", "2014", "velfaerd"), "forums")
    assert re.findall(r'data-forum="([^"]+)"', content) == ["chefgruppen-velfaerd"]
    assert reverse("governance:forum", args=["assens", "2014", "chefgruppen-velfaerd"]) in content


def test_unit_budget_panel_is_the_chain_of_the_unit_and_its_ancestors_by_level(client, valid_document):
    structure_format.load(valid_document)
    content = panel(unit_page(client, "testby", "2014", "skolen"), "budget")
    assert re.findall(r'data-level="(\d)"', content) == ["1", "2"]
    assert text(content).startswith(
        "Økonomiansvar Direktionen : Kommunaldirektør : Anne Andersen Område: Direktionen "
        "Centerchef : ubesat Område: Center for Trafik og Ejendomme · understøttes af Direktionen"
    )
    own = text(panel(unit_page(client, "testby", "2014", "direktion"), "budget"))
    assert "Direktionen : Kommunaldirektør : Anne Andersen for denne enhed" in own
    assert "Centerchef" not in own


def test_budget_chain_excludes_siblings_and_other_versions(load_fixture):
    """Assens 003 afsnit 4: each vicedirektør's budget covers only their own area."""
    load_fixture("assens")
    unit = Unit.objects.get(version__municipality__slug="assens", version__key="2014", key="dagtilbud-og-skole")
    chain = selectors.budget_chain(unit)
    assert [(level.level, level.holder.key) for level in chain] == [(1, "vicedirektoer-dagtilbud-og-skole")]


# --- post page panels -----------------------------------------------------------------------------


def test_post_panels_for_the_innovation_director(client, load_fixture):
    """Assens 003 afsnit 6 and 8.3: attends all six standing committees ad hoc, owns the three network types,
    sits in the Direktion and the joint management group, holds no budget level."""
    load_fixture("assens")
    content = post_page(client, "assens", "2014", "direktoer-innovation-og-netvaerk")
    committees = panel(content, "committees")
    assert "Udvalg som stillingen betjener" in committees
    assert len(re.findall(r'data-committee="', committees)) == 6
    assert "Økonomiudvalget : deltager i møderne" in text(committees)
    forums = text(panel(content, "forums"))
    assert "Direktionen direktionsmøde · medlem" in forums
    assert "Samlet chefgruppe ledergruppe · medlem" in forums
    assert forums.count("· ejer") == 3
    assert "Stillingen har intet økonomiansvar angivet." in panel(content, "budget")


def test_post_panels_for_a_vicedirector(client, load_fixture):
    load_fixture("assens")
    content = post_page(client, "assens", "2014", "vicedirektoer-social-sundhed-og-arbejdsmarked")
    committees = text(panel(content, "committees"))
    assert "Social- og Sundhedsudvalget : forbereder dagsorden, deltager i møderne, betjener" in committees
    budget = panel(content, "budget")
    # 003 afsnit 4: the vicedirektører's "stort budgetansvar" is the only budget level the memo states.
    assert "Niveau 1: Vicedirektør (stort budgetansvar) Område: Social, Sundhed og Arbejdsmarked" in text(budget)
    assert reverse("centers:unit", args=["assens", "2014", "social-sundhed-og-arbejdsmarked"]) in budget


def test_post_forum_panel_chair_and_network_leader(client, load_fixture, valid_document):
    structure_format.load(valid_document)
    chair = text(panel(post_page(client, "testby", "2014", "kommunaldirektoer"), "forums"))
    assert "Koncernledelsen ledergruppe · formand · medlem" in chair
    load_fixture("assens")
    leader = text(panel(post_page(client, "assens", "2014", "netvaerksleder"), "forums"))
    assert leader.count("· leder") == 3


# --- each panel costs a constant, small number of queries, rendering included ---------------------

PANEL_QUERIES = {"committees": 1, "forums": 2, "budget": 1}


def governance_panels(panels: list[Panel]) -> list[Panel]:
    return [panel for panel in panels if panel.template_name.startswith("governance/")]


def render_panel(panel: Panel, subject) -> str:
    context = {
        "panel": panel.context(subject),
        "municipality": subject.version.municipality,
        "version": subject.version,
    }
    return render_to_string(panel.template_name, context)


def queries_allowed(panel: Panel) -> int:
    return PANEL_QUERIES[panel.template_name.rsplit("_", 1)[1].removesuffix(".html")]


def test_governance_registers_three_panels_on_each_page():
    assert [panel.template_name for panel in governance_panels(extensions.registry.unit_panels)] == [
        "governance/panels/unit_committees.html",
        "governance/panels/unit_forums.html",
        "governance/panels/unit_budget.html",
    ]
    assert len(governance_panels(extensions.registry.post_panels)) == 3


@pytest.mark.parametrize("panel", governance_panels(extensions.registry.unit_panels), ids=lambda p: p.template_name)
def test_unit_panel_queries(load_fixture, load_synthetic, django_assert_num_queries, panel):
    """The largest fixture's top unit and synthetic units with 3-30 rows each: the same query count."""
    load_fixture("ltk")
    load_synthetic()
    units = Unit.objects.select_related("version__municipality")
    subjects = [
        units.get(version__municipality__slug="ltk", version__key="2012", key="enhedsdirektion"),
        units.get(version__municipality__slug="syntetisk", key="center-0-0"),
        units.get(version__municipality__slug="syntetisk", key="inst-9-2-9"),
    ]
    rendered = []
    for unit in subjects:
        with django_assert_num_queries(queries_allowed(panel)):
            rendered.append(render_panel(panel, unit))
    assert "<li" in rendered[1]  # center-0-0 serves the committee, sits in every forum, has a budget chain


@pytest.mark.parametrize("panel", governance_panels(extensions.registry.post_panels), ids=lambda p: p.template_name)
def test_post_panel_queries(load_synthetic, django_assert_num_queries, panel):
    load_synthetic()
    rendered = []
    for key in ("kd", "centerchef-0-0", "direktoer-3"):
        post = Post.objects.select_related("version__municipality").get(
            version__municipality__slug="syntetisk", key=key
        )
        with django_assert_num_queries(queries_allowed(panel)):
            rendered.append(render_panel(panel, post))
    assert any("<li" in fragment for fragment in rendered)


def test_synthetic_panels_have_every_row(load_synthetic):
    load_synthetic()
    chief = Post.objects.get(version__municipality__slug="syntetisk", key="kd")
    forums = selectors.post_forum_panel(chief)
    assert len(forums["forums"]) == 10 and all(forum.is_member for forum in forums["forums"])
    assert len(forums["networks"]) == 10
    institution = Unit.objects.get(version__municipality__slug="syntetisk", key="inst-4-1-0")
    assert [level.scope.key for level in selectors.budget_chain(institution)] == [
        "direktion",
        "omraade-4",
        "center-4-1",
    ]
    centre = Unit.objects.get(version__municipality__slug="syntetisk", key="center-4-1")
    assert len(selectors.unit_committee_panel(centre)["services"]) == 3


# --- reporting line -------------------------------------------------------------------------------


def test_reporting_tail_is_finance_committee_then_council(django_assert_num_queries, load_fixture):
    load_fixture("lejre")
    version = OrgVersion.objects.select_related("municipality").get(municipality__slug="lejre", key="2014")
    with django_assert_num_queries(1):
        tail = selectors.political_tail(version)
    assert [(step.kind, step.label) for step in tail] == [
        ("committee", "Økonomiudvalget"),
        ("committee", "Kommunalbestyrelsen"),
    ]
    assert tail[0].url == reverse("governance:committee", args=["lejre", "2014", "oeu"])
    assert tail[1].url == reverse("governance:committee", args=["lejre", "2014", "kb"])


def test_reporting_line_of_a_unit_ends_with_oekonomiudvalget_then_byraadet(client, load_fixture):
    """Assens 003 afsnit 1: the administration answers to Økonomiudvalget and Byrådet."""
    load_fixture("assens")
    unit = Unit.objects.select_related("version__municipality").get(
        version__municipality__slug="assens", version__key="2014", key="dagtilbud-og-skole"
    )
    steps = centers_selectors.reporting_line(unit)
    assert [step.label for step in steps[-3:]] == ["Kommunaldirektør", "Økonomiudvalget", "Byrådet"]
    assert [step.kind for step in steps[-2:]] == ["committee", "committee"]
    content = unit_page(client, "assens", "2014", "dagtilbud-og-skole")
    line = content[content.index("data-reporting-line") :]
    committees = re.findall(r'<li class="step step-committee">\s*<span[^>]*>[^<]*</span>\s*<a href="([^"]+)">', line)
    assert committees == [  # the page lists the line top-down: the council first
        reverse("governance:committee", args=["assens", "2014", "byraadet"]),
        reverse("governance:committee", args=["assens", "2014", "oekonomiudvalget"]),
    ]


# --- search ---------------------------------------------------------------------------------------


def test_search_committees_in_one_municipality(load_fixture):
    load_fixture("assens")
    load_fixture("lejre")
    municipality = OrgVersion.objects.get(municipality__slug="assens", key="2014").municipality
    hits = selectors.search_committees("udvalg", municipality, 50)
    assert {hit.municipality for hit in hits} == {"Assens Kommune"}
    assert {hit.kind for hit in hits} == {"committee"}
    titles = [hit.title for hit in hits]
    assert "Social- og Sundhedsudvalget" in titles and "Økonomiudvalget" in titles
    assert "Byrådet" not in titles
    social = next(hit for hit in hits if hit.title == "Social- og Sundhedsudvalget")
    # Linked in the current version.
    assert social.url == reverse("governance:committee", args=["assens", "2014", "social-og-sundhedsudvalget"])


def test_search_committees_across_municipalities_by_english_name_and_key(
    load_fixture, valid_document, django_assert_max_num_queries
):
    structure_format.load(valid_document)
    for slug in ("ltk", "lejre", "assens", "albertslund"):
        load_fixture(slug)
    with django_assert_max_num_queries(2):
        hits = selectors.search_committees("finance committee", None, 50)
    assert len({hit.municipality for hit in hits}) == 5
    # A committee hit opens the committee in the version a visitor sees first: for Lyngby-Taarbæk the 2011
    # organisation, since 000 and 002 call the 2012 structure "direktionens forslag".
    assert selectors.search_committees("kkr", None, 50)[0].url == reverse(
        "governance:committee", args=["ltk", "2011", "kkr"]
    )
    assert len(selectors.search_committees("udvalg", None, 3)) == 3


def test_site_search_shows_committee_hits(client, load_fixture):
    load_fixture("assens")
    response = client.get(reverse("centers:search"), {"q": "Fritidsudvalg", "kommune": "assens"})
    content = response.content.decode()
    target = reverse("governance:committee", args=["assens", "2014", "kultur-og-fritidsudvalget"])
    assert f'<a href="{target}">Kultur- og Fritidsudvalget</a>' in content
