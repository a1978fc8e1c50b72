"""Committee, forum, network and budget pages: content from the fixtures, 404s and query ceilings."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import structure_format

pytestmark = pytest.mark.django_db


def text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def element(content: str, marker: str, end: str) -> str:
    """The HTML from `marker` (or, for an attribute, from the end of its tag) to the first `end` after it."""
    start = content.index(marker)
    if not marker.startswith("<"):
        start = content.index(">", start) + 1
    return content[start : content.index(end, start)]


def url(name: str, *args: str) -> str:
    return reverse(f"governance:{name}", args=args)


# --- committees -----------------------------------------------------------------------------------


def test_assens_committee_lists_units_and_posts_serving_it_with_roles(client, load_fixture):
    """Assens notat 003 afsnit 6: the Vicedirektør for Social, Sundhed og Arbejdsmarked prepares the agenda,
    takes part in and serves Social- og Sundhedsudvalget; the Direktør for Velfærd attends."""
    load_fixture("assens")
    response = client.get(url("committee", "assens", "2014", "social-og-sundhedsudvalget"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Social- og Sundhedsudvalget</h1>" in content
    vicedirector = element(content, 'data-server="vicedirektoer-social-sundhed-og-arbejdsmarked"', "</tr>")
    assert reverse("centers:post", args=["assens", "2014", "vicedirektoer-social-sundhed-og-arbejdsmarked"]) in (
        vicedirector
    )
    assert re.search(
        r"Vicedirektør for Social, Sundhed og Arbejdsmarked.*Forbereder dagsorden.*Deltager i møderne.*Betjener",
        text(vicedirector),
    )
    assert "Den daglige betjening af udvalgsformanden." in text(vicedirector)
    director = text(element(content, 'data-server="direktoer-velfaerd"', "</tr>"))
    assert "Direktør for Velfærd" in director and "Deltager i møderne" in director
    assert "Betjener" not in director
    services_section = element(content, "data-services", "</section>")
    assert services_section.count("data-server=") == 3
    assert "Direktør for By, Land og Kultur" not in services_section


def test_assens_byraadet_is_served_by_the_direktion_unit(client, load_fixture):
    """Assens 003 afsnit 5.1: the Direktion serves the city council (a unit, linked to its unit page)."""
    load_fixture("assens")
    content = client.get(url("committee", "assens", "2014", "byraadet")).content.decode()
    row = element(content, 'data-server="direktion"', "</tr>")
    assert reverse("centers:unit", args=["assens", "2014", "direktion"]) in row
    assert "Direktionen" in text(row) and "Betjener" in text(row)
    assert "003 afsnit 5.1" in text(row)


def test_committee_page_shows_members_where_known(client, load_fixture):
    """LTK 002: Økonomiudvalget's members named in the decisions of 24.1.2012 and 2./3.2.2012."""
    load_fixture("ltk")
    content = client.get(url("committee", "ltk", "2012", "oekonomiudvalget")).content.decode()
    members = text(element(content, "data-members", "</section>"))
    assert "Rolf Aagaard-Svendsen medlem C" in members
    assert "Henrik Brade Johansen medlem B" in members
    assert "Sofia Osmani" in members
    assert "Kilderne beskriver ikke, hvem der betjener udvalget" in text(
        element(content, "data-services", "</section>")
    )


def test_committee_page_links_the_same_committee_in_every_version(client, load_fixture):
    load_fixture("assens")
    content = client.get(url("committee", "assens", "2014", "byraadet")).content.decode()
    links = element(content, "data-committee-versions", "</p>")
    for key in ("2013", "2014", "efter-2017"):
        assert f'href="{url("committee", "assens", key, "byraadet")}"' in links
    assert f'href="{url("committee", "assens", "2014", "byraadet")}" aria-current="page"' in links


def test_committee_page_without_members_says_so(client, load_fixture):
    load_fixture("assens")
    content = client.get(url("committee", "assens", "2014", "byraadet")).content.decode()
    assert "Ingen medlemmer registreret." in text(element(content, "data-members", "</section>"))


def test_committee_services_follow_the_selected_version(client, load_fixture):
    """Assens 2013 only codes the Direktion serving Byrådet; the 2014 services must not show there."""
    load_fixture("assens")
    content = client.get(url("committee", "assens", "2013", "social-og-sundhedsudvalget")).content.decode()
    assert "data-server=" not in content
    assert "Kilderne beskriver ikke" in content


def test_committee_list_gives_every_committee_with_kind_and_servers(client, load_fixture):
    load_fixture("assens")
    response = client.get(url("committees", "assens", "2014"))
    content = response.content.decode()
    rows = re.findall(r'<tr data-committee="([^"]+)"', content)
    assert rows == [
        "byraadet",
        "oekonomiudvalget",
        "boerne-og-uddannelsesudvalget",
        "social-og-sundhedsudvalget",
        "beskaeftigelses-og-erhvervsudvalget",
        "miljoe-og-teknikudvalget",
        "kultur-og-fritidsudvalget",
        "ungekoordineringsgruppen",
        "erhvervsforum",
    ]
    byraadet = text(element(content, '<tr data-committee="byraadet"', "</tr>"))
    assert "Byråd/kommunalbestyrelse" in byraadet and "Direktionen (betjener)" in byraadet
    social = text(element(content, '<tr data-committee="social-og-sundhedsudvalget"', "</tr>"))
    assert (
        "Vicedirektør for Social, Sundhed og Arbejdsmarked : ubesat "
        "(forbereder dagsorden, deltager i møderne, betjener)"
    ) in social
    environment = text(element(content, '<tr data-committee="miljoe-og-teknikudvalget"', "</tr>"))
    assert "Direktør for Innovation og Netværk : ubesat (deltager i møderne)" in environment
    assert "Ikke beskrevet i denne version." in text(element(content, '<tr data-committee="erhvervsforum"', "</tr>"))
    assert url("committee", "assens", "2014", "erhvervsforum") in content


def test_committee_page_in_english_uses_english_names(client, load_fixture):
    load_fixture("assens")
    content = client.get(
        url("committee", "assens", "2014", "social-og-sundhedsudvalget"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<h1>Social and Health Committee</h1>" in content


# --- forums and networks --------------------------------------------------------------------------


def test_forum_page_lists_kind_chair_members_and_texts(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(url("forum", "testby", "2014", "koncernledelse")).content.decode()
    assert "<h1>Koncernledelsen</h1>" in content
    assert "Ledergruppe" in content
    chair = text(element(content, "data-chair", "</dd>"))
    assert chair == "Kommunaldirektør : Anne Andersen"
    posts = element(content, "data-member-posts", "</section>")
    assert "(2)" in posts and "Kommunaldirektør" in posts and "Direktør" in posts
    units = element(content, "data-member-units", "</section>")
    assert reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]) in units
    assert "Direktion og centerchefer" in content


def test_assens_forum_page_shows_purpose_source_and_note(client, load_fixture):
    """Assens 003 afsnit 4: the four staff chiefs with the kommunaldirektør and the innovation director."""
    load_fixture("assens")
    content = client.get(url("forum", "assens", "2014", "samlet-chefgruppe")).content.decode()
    assert "Medlemmer (stillinger) (6)" in text(element(content, "data-member-posts", "</section>"))
    assert "Stabschef for Økonomi" in content and "Borgerservice og IT" in content
    assert "Medlemmer (enheder) (4)" in text(element(content, "data-member-units", "</section>"))
    assert "003 afsnit 4" in content
    assert "navnet er notatets ord" in content


def test_forum_list_gives_each_forum_with_kind_and_members(client, load_fixture):
    load_fixture("ltk")
    content = client.get(url("forums", "ltk", "2012")).content.decode()
    assert re.findall(r'<tr data-forum="([^"]+)"', content)[:3] == [
        "direktionsmoeder",
        "koncernledergruppen",
        "lederkredsen",
    ]
    row = text(element(content, '<tr data-forum="koncernledergruppen"', "</tr>"))
    assert "Koncernledergruppen Ledergruppe" in row
    assert "Direktionen, centercheferne og stabscheferne" in row and "Ret hyppige møder" in row


def test_network_page_shows_leader_owner_members_purpose_and_frequency(client, load_fixture):
    """Assens 003 afsnit 8.3: formal networks, each with a netværksleder, owned by the innovation director."""
    load_fixture("assens")
    content = client.get(url("network", "assens", "2014", "formelle-netvaerk")).content.decode()
    leader = text(element(content, "data-leader", "</dd>"))
    assert leader.startswith("Netværksleder : ubesat En netværksleder")
    owner = element(content, "data-owner", "</dd>")
    assert reverse("centers:post", args=["assens", "2014", "direktoer-innovation-og-netvaerk"]) in owner
    assert "Faste eller midlertidige netværk med processuelle krav" in content
    assert "Processuelle krav, fx mødehyppighed" in content
    assert "Medlemsenheder (0)" in text(element(content, "data-member-units", "</section>"))


def test_network_page_with_only_a_leader_text_and_member_units(client, load_fixture):
    """LTK 002 afsnit 4.5: vidensteams are led by a key employee or a team leader, not a named post."""
    load_fixture("ltk")
    content = client.get(url("network", "ltk", "2012", "vidensteam-helhed-i-sagsbehandlingen")).content.decode()
    assert "En nøglemedarbejder eller en driftsleder/teamleder" in text(element(content, "data-leader", "</dd>"))
    members = element(content, "data-member-units", "</section>")
    assert "Medlemsenheder (5)" in text(members)
    assert members.count("<li>") == 5


def test_network_list(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(url("networks", "testby", "2014")).content.decode()
    row = text(element(content, '<tr data-network="konsulentnetvaerk"', "</tr>"))
    assert row == "Konsulentnetværket Netværk – Direktør : ubesat 3-4 gange årligt"


# --- budget ---------------------------------------------------------------------------------------


def test_budget_page_lists_levels_in_order_with_holder_scope_and_support(client, load_fixture):
    """Assens 003 afsnit 4: the three vicedirektører get "et stort budgetansvar", the only budget level the
    memo states; the directors' "samlet driftsansvar" (afsnit 3) is a duty, not a budget level."""
    load_fixture("assens")
    content = client.get(url("budget", "assens", "2014")).content.decode()
    rows = [text(row) for row in re.findall(r'<tr data-level="\d+">.*?</tr>', content, re.S)]
    assert [row.split(" ")[0] for row in rows] == ["1", "1", "1"]
    assert all(row.startswith("1 Vicedirektør (stort budgetansvar) Kilde: 003 afsnit 4") for row in rows)
    assert "driftsansvar for direktørområdet" not in text(content).split("Økonomiansvar", 2)[-1].split("Note")[0]
    assert "Vicedirektør for Dagtilbud og Skole : ubesat Dagtilbud og Skole" in " ".join(rows)
    assert reverse("centers:unit", args=["assens", "2014", "social-sundhed-og-arbejdsmarked"]) in content


def test_budget_page_shows_supported_by(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(url("budget", "testby", "2014")).content.decode()
    rows = [text(row) for row in re.findall(r'<tr data-level="\d+">.*?</tr>', content, re.S)]
    assert rows == [
        "1 Direktionen Kommunaldirektør : Anne Andersen Direktionen –",
        "2 – Centerchef : ubesat Center for Trafik og Ejendomme Direktionen",
    ]


def test_budget_page_without_levels(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(url("budget", "testby", "2011")).content.decode()
    assert "Kilderne beskriver ikke økonomiansvaret i denne version." in content


# --- 404 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("committee", ["testby", "2014", "findes-ikke"]),
        ("committee", ["assens", "2014", "oeu"]),  # Testby's committee key under another municipality
        ("committee", ["testby", "1999", "oeu"]),
        ("committees", ["findes-ikke", "2014"]),
        ("forum", ["testby", "2014", "findes-ikke"]),
        ("forum", ["testby", "2011", "koncernledelse"]),  # the forum exists only in 2014
        ("forums", ["testby", "1999"]),
        ("network", ["testby", "2014", "findes-ikke"]),
        ("networks", ["findes-ikke", "2014"]),
        ("budget", ["testby", "1999"]),
    ],
)
def test_unknown_keys_give_404(client, valid_document, load_fixture, name, args):
    structure_format.load(valid_document)
    load_fixture("assens")
    assert client.get(url(name, *args)).status_code == 404


# --- query ceilings -------------------------------------------------------------------------------

# page -> (ceiling, arguments in Testby (valid.yaml), in LTK (largest fixture), in the synthetic municipality)
PAGES = {
    "committees": (4, [], [], []),
    "committee": (5, ["oeu"], ["de-politiske-udvalg"], ["fagudvalg"]),
    "forums": (5, [], [], []),
    "forum": (5, ["koncernledelse"], ["koncernledergruppen"], ["forum-0"]),
    "networks": (4, [], [], []),
    "network": (4, ["konsulentnetvaerk"], ["vidensteam-helhed-i-sagsbehandlingen"], ["netvaerk-0"]),
    "budget": (3, [], [], []),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_data(
    client, valid_document, load_fixture, load_synthetic, django_assert_max_num_queries, page
):
    """The same number of queries for valid.yaml, LTK and a synthetic municipality of 341 units with
    90 committee services, forums and networks of 30-41 members and 41 budget levels."""
    structure_format.load(valid_document)
    load_fixture("ltk")
    load_synthetic()
    ceiling, small, largest, synthetic = PAGES[page]
    counts = []
    for slug, version, extra in (("testby", "2014", small), ("ltk", "2012", largest), ("syntetisk", "1", synthetic)):
        with django_assert_max_num_queries(ceiling), CaptureQueriesContext(connection) as queries:
            response = client.get(url(page, slug, version, *extra))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_synthetic_pages_show_all_rows(client, load_synthetic):
    """The bounded queries still return everything: 30 servers with three roles each, 41 budget levels."""
    load_synthetic()
    content = client.get(url("committee", "syntetisk", "1", "fagudvalg")).content.decode()
    assert content.count('<tr data-server="') == 30
    assert content.count('class="role role-prepares_agenda"') == 30
    assert "Person 29" in text(element(content, "data-members", "</section>"))
    budget = client.get(url("budget", "syntetisk", "1")).content.decode()
    levels = re.findall(r'<tr data-level="(\d+)">', budget)
    assert levels == ["1"] + ["2"] * 10 + ["3"] * 30
