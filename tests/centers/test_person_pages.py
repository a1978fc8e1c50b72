"""The person page (/<kommune>/personer/<person>/): posts in every version and committee memberships, the links
to it from the post and committee pages, its query count, and the version key its address reserves."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from centers import structure_format
from centers.models import Person, Post
from centers.slugs import RESERVED_VERSION_KEYS

from ..conftest import TEST_DATA
from .test_load_structure import VALID, assert_located, line_of, mutate, refuse
from .test_search import crowd_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def testby(valid_document):
    return structure_format.load(valid_document)


def person_url(slug: str, key: str) -> str:
    return reverse("centers:person", args=[slug, key])


def section(content: str, marker: str) -> str:
    start = content.index(marker)
    return content[start : content.index("</section>", start)]


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_person_page_lists_posts_in_every_version_and_memberships(client, testby):
    Post.objects.filter(version__key="2011", key="kommunaldirektoer").update(
        holder=Person.objects.get(key="anne", municipality=testby)
    )
    response = client.get(person_url("testby", "anne"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Anne Andersen</h1>" in content
    posts = section(content, "data-person-posts")
    rows = re.findall(r'data-post="([^"]+)"', posts)
    assert rows == ["2014/kommunaldirektoer", "2011/kommunaldirektoer"]  # current first
    assert f'href="{reverse("centers:post", args=["testby", "2014", "kommunaldirektoer"])}">Kommunaldirektør' in posts
    assert f'href="{reverse("centers:post", args=["testby", "2011", "kommunaldirektoer"])}">Kommunaldirektør' in posts
    assert f'href="{reverse("centers:unit", args=["testby", "2014", "direktion"])}">Direktionen' in posts
    assert '<span class="status status-current">gældende</span>' in posts
    assert '<span class="status status-previous">tidligere</span>' in posts
    memberships = section(content, 'data-panel="memberships"')
    committee = reverse("governance:committee", args=["testby", "2014", "oeu"])
    assert f'<a href="{committee}">Økonomiudvalget</a>' in memberships
    assert "formand" in text(memberships) and "1. januar 2014" in text(memberships)


def test_committee_member_page_from_the_fixture(client, load_fixture):
    """LTK 002: Sofia Osmani sits in Økonomiudvalget and holds no post."""
    load_fixture("ltk")
    content = client.get(person_url("ltk", "sofia-osmani")).content.decode()
    assert "<h1>Sofia Osmani</h1>" in content
    assert "Personen har ingen stillinger" in text(section(content, "data-person-posts"))
    memberships = text(section(content, 'data-panel="memberships"'))
    assert "Økonomiudvalget" in memberships and "medlem" in memberships


def test_unknown_person_or_municipality_is_404(client, testby):
    assert client.get(person_url("testby", "nobody")).status_code == 404
    assert client.get(person_url("nowhere", "anne")).status_code == 404


def test_person_page_in_english(client, testby):
    content = client.get(person_url("testby", "anne"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content
    assert "Finance Committee" in text(section(content, 'data-panel="memberships"'))


def test_person_model_url(testby):
    assert Person.objects.get(key="anne").get_absolute_url() == "/testby/personer/anne/"


# --- links to the page -----------------------------------------------------------------------------------------


def test_committee_members_link_to_their_person_pages(client, load_fixture):
    load_fixture("ltk")
    content = client.get(reverse("governance:committee", args=["ltk", "2012", "oekonomiudvalget"])).content.decode()
    members = section(content, "data-members")
    assert f'<a href="{person_url("ltk", "sofia-osmani")}">Sofia Osmani</a>' in members
    assert f'<a href="{person_url("ltk", "rolf-aagaard-svendsen")}">Rolf Aagaard-Svendsen</a>' in members


def test_post_holder_links_to_the_person_page(client, testby):
    content = client.get(reverse("centers:post", args=["testby", "2014", "kommunaldirektoer"])).content.decode()
    holder = content[content.index("<dd data-holder>") : content.index("</dd>", content.index("<dd data-holder>"))]
    assert f'<a href="{person_url("testby", "anne")}">Anne Andersen</a>' in holder
    vacant = client.get(reverse("centers:post", args=["testby", "2014", "direktoer-teknik"])).content.decode()
    assert 'class="vacant"' in vacant[vacant.index("<dd data-holder>") :]


# --- bounded queries -------------------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_person_page_costs_the_same_number_of_queries_for_few_and_many_posts(client):
    structure_format.load(crowd_document("lille", 2, 901))
    structure_format.load(crowd_document("stor", 80, 902))
    few = Person.objects.get(municipality__slug="lille", key="person-0")
    many = Person.objects.get(municipality__slug="stor", key="person-0")
    assert (few.posts.count(), few.memberships.count()) == (2, 2)
    assert (many.posts.count(), many.memberships.count()) == (80, 80)
    small = count_queries(client, few.get_absolute_url())
    large = count_queries(client, many.get_absolute_url())
    assert large == small
    assert small <= 6


# --- the address --------------------------------------------------------------------------------------------


def literal_version_level_segments(patterns, prefix: str = ""):
    """Literal second path segments of the URL configuration that follow a municipality's slug
    (/<slug:slug>/personer/...), through includes."""
    for entry in patterns:
        pattern = entry.pattern
        route = prefix + (str(pattern._route) if hasattr(pattern, "_route") else pattern._regex.lstrip("^").rstrip("$"))
        if isinstance(entry, URLResolver):
            yield from literal_version_level_segments(entry.url_patterns, route)
            continue
        parts = route.split("/")
        if len(parts) > 2 and parts[0] == "<slug:slug>" and re.fullmatch(r"[-\w]+", parts[1]):
            yield parts[1]


def test_every_municipality_level_page_reserves_its_version_key():
    segments = set(literal_version_level_segments(get_resolver().url_patterns))
    assert "personer" in segments
    assert segments <= RESERVED_VERSION_KEYS


def test_a_version_key_that_is_a_page_of_the_site_is_refused(tmp_path):
    call_command("load_structure", str(TEST_DATA / "valid.yaml"), stdout=io.StringIO())
    text = mutate('key: "2014"', 'key: "personer"')
    message = refuse(tmp_path, text)
    assert_located(
        message, tmp_path / "bad.yaml", line_of(VALID, 'key: "2014"'), "versions[1].key", "'personer' is reserved"
    )
