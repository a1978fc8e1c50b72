"""Every read of the API costs the same number of queries for a version of 40 units as for one of 400 (with
people, holders, duties, memberships, forums, networks and budget rows growing with it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from centers import structure_format
from centers.synthetic import synthetic_document

pytestmark = pytest.mark.django_db

SIZES = {"lille": 40, "stor": 400}


def grown(slug: str, unit_count: int, kommunekode: int) -> structure_format.Document:
    """A synthetic municipality whose people, memberships, forums and networks grow with its size."""
    data = synthetic_document(slug, unit_count, kommunekode=kommunekode)
    version = data["versions"][0]
    posts = version["posts"]
    data["people"] = [{"key": f"person-{index}", "name": f"Person {index}"} for index in range(len(posts))]
    for index, post in enumerate(posts):
        post["holder"] = f"person-{index}"
        post["duties"] = [{"key": "ansvar", "name": f"Ansvar {index}"}]
    data["memberships"] = [
        {"person": person["key"], "committee": "oeu", "role": "medlem", "party": "A"} for person in data["people"]
    ]
    units = [unit["key"] for unit in version["units"]]
    version["committee_services"] += [{"committee": "kb", "unit": key, "role": "serves"} for key in units[1:]]
    version["forums"] = [
        {
            "key": f"forum-{index}",
            "name": f"Forum {index}",
            "kind": "management_group",
            "chair": posts[index]["key"],
            "member_units": units[index : index + 5],
            "member_posts": [post["key"] for post in posts[index : index + 5]],
        }
        for index in range(len(posts) // 4)
    ]
    version["networks"] = [
        {
            "key": f"netvaerk-{index}",
            "name": f"Netværk {index}",
            "kind": "network",
            "member_units": units[index : index + 5],
        }
        for index in range(len(posts) // 4)
    ]
    version["budget_responsibilities"] += [
        {"level": 2, "holder": post["key"], "scope": post["unit"]} for post in posts[1:]
    ]
    return structure_format.Document(data, f"tests:{slug}")


READS = [
    "",
    "municipalities/",
    "municipalities/{slug}/",
    "municipalities/{slug}/versions/",
    "municipalities/{slug}/versions/?dato=2020-01-01",
    "municipalities/{slug}/versions/syntetisk/",
    "municipalities/{slug}/versions/syntetisk/tree/",
    "municipalities/{slug}/versions/syntetisk/units/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/units/?kind=centre&q=enhed&page_size=1000",
    "municipalities/{slug}/versions/syntetisk/units/enhed-2/",
    "municipalities/{slug}/versions/syntetisk/units/enhed-2/subtree/",
    "municipalities/{slug}/versions/syntetisk/units/enhed-30/reporting-line/",
    "municipalities/{slug}/versions/syntetisk/units/enhed-2/history/",
    "municipalities/{slug}/versions/syntetisk/units/enhed-30/budget-chain/",
    "municipalities/{slug}/versions/syntetisk/units/enhed-2/committees/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/posts/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/posts/leder-2/",
    "municipalities/{slug}/versions/syntetisk/posts/leder-9/reporting-line/",
    "municipalities/{slug}/versions/syntetisk/posts/leder-0/committees/",
    "municipalities/{slug}/versions/syntetisk/tasks/?page_size=1000",
    "municipalities/{slug}/people/?page_size=1000",
    "municipalities/{slug}/people/person-1/",
    "municipalities/{slug}/committees/",
    "municipalities/{slug}/committees/oeu/",
    "municipalities/{slug}/memberships/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/committee-services/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/committee-services/?committee=kb&page_size=1000",
    "municipalities/{slug}/versions/syntetisk/forums/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/forums/forum-1/",
    "municipalities/{slug}/versions/syntetisk/networks/?page_size=1000",
    "municipalities/{slug}/versions/syntetisk/networks/netvaerk-1/",
    "municipalities/{slug}/versions/syntetisk/budget-responsibilities/?page_size=1000",
    "municipalities/{slug}/comparison/?fra=syntetisk&til=udkast",
]


@pytest.fixture
def two_sizes(db):
    from centers import services
    from centers.models import OrgVersion

    for number, (slug, size) in enumerate(SIZES.items()):
        structure_format.load(grown(slug, size, 990 + number))
        version = OrgVersion.objects.get(municipality__slug=slug)
        services.clone_version(version, "udkast", actor=services.SYSTEM)


def counted(client: APIClient, path: str) -> list[int]:
    counts = []
    for slug in SIZES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/{path.format(slug=slug)}")
        assert response.status_code == 200, (path, response.content[:300])
        counts.append(len(queries))
    return counts


def test_every_read_costs_the_same_at_two_sizes(two_sizes):
    """One load for every read (the data is large); every difference is reported at once."""
    client = APIClient()
    counts = {path: counted(client, path) for path in READS}
    uneven = {path: found for path, found in counts.items() if len(set(found)) != 1 or found[0] > 20}
    assert not uneven, f"queries at {list(SIZES.values())} units: {uneven}"


def test_every_list_route_of_the_api_is_counted():
    """A new list or detail route must be added to READS (each route's first path segment after the version)."""
    from orgmodel.api_urls import router

    covered = "".join(READS)
    for prefix, _viewset, _basename in router.registry:
        last = prefix.rsplit("/", 1)[-1]
        assert f"/{last}/" in covered or prefix == "municipalities", prefix
