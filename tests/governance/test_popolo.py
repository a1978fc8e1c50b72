"""Popolo: the export of every fixture against our JSON Schemas of the specification, its contents, the download,
and the import of committees, people and memberships (round trip, changes, history)."""

import copy
import io
import json

import jsonschema
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from referencing.exceptions import Unresolvable

from centers import services, structure_format
from centers.models import Municipality, Person
from governance import popolo
from governance.models import Committee, Membership
from governance.popolo_import import import_popolo

pytestmark = pytest.mark.django_db

FIXTURE_SLUGS = ["albertslund", "assens", "lejre", "ltk"]
BASE_URL = "http://testserver/"
DATE_PATTERN = "^[0-9]{4}((-[0-9]{2}){0,2})$"


def popolo_of(municipality: Municipality) -> dict:
    return popolo.to_popolo(structure_format.export(municipality), BASE_URL)


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def schema_errors(instance, name: str = "popolo.json") -> list[jsonschema.ValidationError]:
    return list(popolo.validator(name).iter_errors(instance))


# --- the schemas ----------------------------------------------------------------------------------------------


def test_every_schema_is_a_valid_draft_2020_12_schema_with_its_own_id():
    schemas = popolo.schemas()
    assert set(schemas) >= {
        "person.json",
        "organization.json",
        "post.json",
        "membership.json",
        "link.json",
        "other_name.json",
        "identifier.json",
        "popolo.json",
    }
    for name, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/{name}")
    assert len({schema["$id"] for schema in schemas.values()}) == len(schemas)


def references(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def test_every_reference_between_the_schemas_resolves():
    for name, schema in popolo.schemas().items():
        resolver = popolo.registry().resolver(base_uri=schema["$id"])
        for reference in references(schema):
            try:
                resolver.lookup(reference)
            except Unresolvable:  # pragma: no cover - the assertion says which
                pytest.fail(f"{name}: {reference} does not resolve")


def test_dates_follow_the_specifications_pattern():
    """Popolo dates are YYYY, YYYY-MM or YYYY-MM-DD: every date property of every class has that pattern."""
    dates = {
        "person.json": ["birth_date", "death_date"],
        "organization.json": ["founding_date", "dissolution_date"],
        "post.json": ["start_date", "end_date"],
        "membership.json": ["start_date", "end_date"],
        "other_name.json": ["start_date", "end_date"],
    }
    for name, properties in dates.items():
        for property_name in properties:
            assert popolo.schemas()[name]["properties"][property_name]["pattern"] == DATE_PATTERN


def test_the_specification_allows_extra_properties_but_the_document_does_not():
    extra = {"persons": [{"name": "Ane", "x-local": 1}], "organizations": [{"name": "Udvalget", "x": []}]}
    assert schema_errors(extra) == []
    errors = schema_errors({"persons": [], "areas": []})
    assert [(error.validator, list(error.path)) for error in errors] == [("additionalProperties", [])]


VALID_OBJECTS = {
    "person.json": {"name": "Ane Hansen", "birth_date": "1970", "sources": [{"url": "https://example.org/"}]},
    "organization.json": {
        "id": "committee:oeu",
        "name": "Økonomiudvalget",
        "other_names": [{"name": "Finance Committee", "note": "English"}],
        "identifiers": [{"identifier": "0350", "scheme": "kommunekode"}],
        "founding_date": "2014-05",
    },
    "post.json": {"label": "Direktør", "organization_id": "unit:2014:direktion", "start_date": "2014-05-01"},
    "membership.json": {"person_id": "person:ane", "organization_id": "committee:oeu", "end_date": "2018"},
    "link.json": {"url": "https://example.org/", "note": "001 afsnit 1"},
    "popolo.json": {"persons": [], "organizations": [], "posts": [], "memberships": []},
}


@pytest.mark.parametrize("name", sorted(VALID_OBJECTS))
def test_a_valid_object_of_each_class_passes(name):
    assert schema_errors(VALID_OBJECTS[name], name) == []


def changed(name: str, change) -> dict:
    instance = copy.deepcopy(VALID_OBJECTS[name])
    change(instance)
    return instance


INVALID_OBJECTS = [
    ("person.json", changed("person.json", lambda person: person.pop("name")), "required", []),
    ("person.json", changed("person.json", lambda person: person.update(name=5)), "type", ["name"]),
    ("person.json", changed("person.json", lambda person: person.update(birth_date="1.5.1970")), "pattern", []),
    ("person.json", changed("person.json", lambda person: person["sources"][0].pop("url")), "required", []),
    ("organization.json", changed("organization.json", lambda o: o.update(founding_date="2014-5")), "pattern", []),
    ("organization.json", changed("organization.json", lambda o: o["other_names"][0].pop("name")), "required", []),
    (
        "organization.json",
        changed("organization.json", lambda o: o["identifiers"][0].pop("identifier")),
        "required",
        [],
    ),
    ("organization.json", changed("organization.json", lambda o: o.update(other_names={})), "type", []),
    ("post.json", changed("post.json", lambda post: post.pop("organization_id")), "anyOf", []),
    ("post.json", changed("post.json", lambda post: post.update(organization_id=None)), "anyOf", []),
    ("membership.json", changed("membership.json", lambda m: m.pop("organization_id")), "anyOf", []),
    ("membership.json", changed("membership.json", lambda m: m.pop("person_id")), "anyOf", []),
    ("membership.json", changed("membership.json", lambda m: m.update(start_date="2014-05-01T10:00")), "pattern", []),
    ("link.json", {"note": "no address"}, "required", []),
    ("link.json", {"url": 5}, "type", ["url"]),
    ("popolo.json", [], "type", []),
    ("popolo.json", {"persons": {}}, "type", ["persons"]),
    ("popolo.json", {"persons": [{"id": "person:ane"}]}, "required", ["persons", 0]),
    ("popolo.json", {"memberships": [{"person_id": "person:ane"}]}, "anyOf", ["memberships", 0]),
    ("popolo.json", {"organisations": []}, "additionalProperties", []),
]


@pytest.mark.parametrize(("name", "instance", "validator", "path"), INVALID_OBJECTS)
def test_an_invalid_object_is_refused(name, instance, validator, path):
    errors = schema_errors(instance, name)
    assert errors, f"{name} accepts {instance!r}"
    assert any(error.validator == validator for error in errors), [error.message for error in errors]
    if path:
        assert any(list(error.absolute_path) == path for error in errors), [error.message for error in errors]


# --- the export -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_the_export_of_every_fixture_validates_against_the_schemas(load_fixture, slug):
    municipality = load_fixture(slug)
    document = structure_format.export(municipality)
    exported = popolo_of(municipality)
    assert schema_errors(exported) == []
    units = sum(len(version["units"]) for version in document["versions"])
    parties = {membership["party"] for membership in document["memberships"] if membership.get("party")}
    assert len(exported["organizations"]) == 1 + len(document["committees"]) + units + len(parties)
    assert len(exported["posts"]) == sum(len(version["posts"]) for version in document["versions"])
    assert len(exported["persons"]) == len(document["people"])
    for collection in ("persons", "organizations", "posts", "memberships"):
        ids = [item["id"] for item in exported[collection]]
        assert len(ids) == len(set(ids)), collection


def test_the_municipality_is_an_organization_with_its_kommunekode(load_fixture):
    organization = popolo_of(load_fixture("lejre"))["organizations"][0]
    assert organization == {
        "id": "municipality:lejre",
        "name": "Lejre Kommune",
        "classification": "kommune",
        "identifiers": [{"identifier": "0350", "scheme": "kommunekode"}],
    }


def test_a_committees_members_sit_on_behalf_of_their_party(load_fixture):
    """LTK 002: Økonomiudvalget's members named in the decisions of 24.1.2012 and 2./3.2.2012 with their parties."""
    exported = popolo_of(load_fixture("ltk"))
    organizations = by_id(exported["organizations"])
    members = [
        membership
        for membership in exported["memberships"]
        if membership["organization_id"] == "committee:oekonomiudvalget"
    ]
    assert [
        (membership["person_id"], membership["role"], organizations[membership["on_behalf_of_id"]]["name"])
        for membership in members
    ] == [
        ("person:rolf-aagaard-svendsen", "medlem", "C"),
        ("person:henrik-brade-johansen", "medlem", "B"),
        ("person:sofia-osmani", "medlem", "C"),
    ]
    assert organizations["party:c"]["classification"] == "party"
    assert [item["id"] for item in exported["organizations"] if item["classification"] == "party"] == [
        "party:c",
        "party:b",
    ]
    assert members[1]["sources"] == [
        {"url": "http://testserver/ltk/2011/udvalg/oekonomiudvalget/", "note": "002 ØU 2./3.2.2012"}
    ]
    committee = organizations["committee:oekonomiudvalget"]
    assert committee["classification"] == "finance"
    assert committee["parent_id"] == "municipality:ltk"
    assert committee["other_names"] == [{"name": "Finance Committee", "note": "English"}]


def test_a_post_holding_is_a_membership_of_the_posts_organization(load_fixture):
    """Assens 003 s. 15: Henning Qvick signs as kommunaldirektør, in the Direktion from 1 April 2014."""
    exported = popolo_of(load_fixture("assens"))
    holding = by_id(exported["memberships"])["holding:2014:kommunaldirektoer"]
    assert holding == {
        "id": "holding:2014:kommunaldirektoer",
        "person_id": "person:henning-qvick",
        "post_id": "post:2014:kommunaldirektoer",
        "organization_id": "unit:2014:direktion",
        "role": "Kommunaldirektør",
        "start_date": "2014-04-01",
    }
    post = by_id(exported["posts"])["post:2014:kommunaldirektoer"]
    assert (post["label"], post["role"], post["organization_id"]) == (
        "Kommunaldirektør",
        "chief_executive",
        "unit:2014:direktion",
    )
    assert by_id(exported["persons"])["person:henning-qvick"]["name"] == "Henning Qvick"


def test_a_unit_is_an_organization_under_its_parent_unit(load_fixture):
    """Lejre 001 afsnit 4-5: Kommunikationsteamet sits in Koncernsekretariat & Udvikling under the
    Koncerndirektion, the top of the organisation proposed from 1 May 2014."""
    exported = popolo_of(load_fixture("lejre"))
    organizations = by_id(exported["organizations"])
    team = organizations["unit:2014:kommunikationsteam"]
    assert team["parent_id"] == "unit:2014:koncernsekretariat-udvikling"
    assert team["classification"] == "team"
    assert team["founding_date"] == "2014-05-01"
    assert "dissolution_date" not in team
    assert team["sources"] == [
        {"url": "http://testserver/lejre/2014/enheder/kommunikationsteam/", "note": "001 afsnit 5, afsnit 7"}
    ]
    assert organizations["unit:2014:koncernsekretariat-udvikling"]["parent_id"] == "unit:2014:koncerndirektion"
    assert organizations["unit:2014:koncerndirektion"]["parent_id"] == "municipality:lejre"


def test_an_element_without_a_source_has_no_sources(load_fixture):
    """Every element of the fixtures cites its source; without a citation there is nothing to link. A committee
    links to its page in the current version (Lejre's is 2011: 2014 is the proposal)."""
    document = structure_format.export(load_fixture("lejre"))
    post, unit, committee = (
        document["versions"][1]["posts"][0],
        document["versions"][1]["units"][0],
        document["committees"][0],
    )
    cited = popolo.to_popolo(document, BASE_URL)
    assert by_id(cited["posts"])[f"post:2014:{post['key']}"]["sources"] == [
        {"url": f"http://testserver/lejre/2014/stillinger/{post['key']}/", "note": post["source"]}
    ]
    assert by_id(cited["organizations"])[f"committee:{committee['key']}"]["sources"] == [
        {"url": f"http://testserver/lejre/2011/udvalg/{committee['key']}/", "note": committee["source"]}
    ]
    post["source"] = unit["source"] = committee["source"] = None
    uncited = popolo.to_popolo(document, BASE_URL)
    assert "sources" not in by_id(uncited["posts"])[f"post:2014:{post['key']}"]
    assert "sources" not in by_id(uncited["organizations"])[f"unit:2014:{unit['key']}"]
    assert "sources" not in by_id(uncited["organizations"])[f"committee:{committee['key']}"]
    assert all("sources" not in person for person in uncited["persons"])


def test_party_ids_are_slugs_of_danish_names():
    document = {
        "municipality": {"slug": "tovby", "name": "Tovby Kommune", "kommunekode": 997},
        "people": [{"key": "ane", "name": "Ane"}],
        "committees": [{"key": "oeu", "name": "Økonomiudvalget", "kind": "finance"}],
        "memberships": [
            {"person": "ane", "committee": "oeu", "party": party}
            for party in ("Ø", "Enhedslisten – De Rød-Grønne", "ø", "Æ")
        ],
        "versions": [],
    }
    organizations = popolo.to_popolo(document, BASE_URL)["organizations"]
    parties = [item for item in organizations if item["id"].startswith("party:")]
    assert [(item["id"], item["name"]) for item in parties] == [
        ("party:oe", "Ø"),
        ("party:enhedslisten-de-roed-groenne", "Enhedslisten – De Rød-Grønne"),
        ("party:oe-2", "ø"),
        ("party:ae", "Æ"),
    ]
    memberships = popolo.to_popolo(document, BASE_URL)["memberships"]
    assert [membership["id"] for membership in memberships] == [
        "membership:oeu:ane",
        "membership:oeu:ane:2",
        "membership:oeu:ane:3",
        "membership:oeu:ane:4",
    ]
    # without versions a committee has no page of its own: its links open the municipality
    assert popolo.to_popolo(
        {**document, "committees": [{**document["committees"][0], "source": "001"}]}, "https://x.example/"
    )["organizations"][1]["sources"] == [{"url": "https://x.example/tovby/", "note": "001"}]


def test_the_export_is_deterministic(load_fixture):
    municipality = load_fixture("assens")
    assert popolo.dump(popolo_of(municipality)) == popolo.dump(popolo_of(municipality))


# --- the download ---------------------------------------------------------------------------------------------


def test_the_download_is_the_popolo_document_as_a_json_attachment(client, load_fixture):
    municipality = load_fixture("ltk")
    response = client.get(reverse("governance:popolo", args=["ltk"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ltk-popolo.json"'
    assert json.loads(response.content.decode("utf-8")) == popolo_of(municipality)
    assert reverse("governance:popolo", args=["ltk"]) == "/ltk/popolo.json"


def test_the_download_of_an_unknown_municipality_is_404(client, load_fixture):
    load_fixture("ltk")
    assert client.get(reverse("governance:popolo", args=["ukendt"])).status_code == 404


def test_the_download_costs_the_same_queries_whatever_the_size(
    client, load_fixture, load_synthetic, django_assert_max_num_queries
):
    load_fixture("lejre")
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("governance:popolo", args=["lejre"])).status_code == 200
    load_synthetic()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("governance:popolo", args=["syntetisk"]))
    assert response.status_code == 200
    assert len(json.loads(response.content)["organizations"]) == 1 + 3 + 341


def test_the_committee_list_links_both_downloads(client, load_fixture):
    load_fixture("assens")
    content = client.get(reverse("governance:committees", args=["assens", "2014"])).content.decode()
    downloads = content[content.index('data-downloads="committees"') :]
    downloads = downloads[: downloads.index("</p>")]
    assert f'href="{reverse("governance:popolo", args=["assens"])}"' in downloads
    assert f'href="{reverse("governance:committee-services-csv", args=["assens", "2014"])}"' in downloads
    assert "Popolo JSON" in downloads


def test_the_popolo_download_is_offered_for_the_municipality(load_fixture):
    from centers import downloads

    municipality = load_fixture("lejre")
    assert ("Popolo JSON", "/lejre/popolo.json") in downloads.offered("municipality", municipality)
    version = municipality.versions.get(key="2014")
    assert "/lejre/popolo.json" not in [url for _label, url in downloads.offered("version", version)]


# --- the import -----------------------------------------------------------------------------------------------


def write(tmp_path, document: dict, name: str = "popolo.json"):
    path = tmp_path / name
    path.write_text(popolo.dump(document), encoding="utf-8")
    return path


def run_import(path, slug: str) -> str:
    out = io.StringIO()
    call_command("import_popolo", str(path), "--municipality", slug, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_export_import_export_is_identity(load_fixture, tmp_path, slug):
    municipality = load_fixture(slug)
    before = popolo_of(municipality)
    structure_before = structure_format.export(municipality)
    output = run_import(write(tmp_path, before), slug)
    assert popolo_of(municipality) == before
    assert structure_format.export(municipality) == structure_before
    people, committees = len(before["persons"]), len(structure_before["committees"])
    assert f"persons: 0 created, 0 updated, {people} unchanged" in output
    assert f"committees: 0 created, 0 updated, {committees} unchanged" in output


@pytest.mark.parametrize("slug", FIXTURE_SLUGS)
def test_an_import_restores_what_the_export_said(load_fixture, tmp_path, slug):
    """Export, then change committees, people and memberships in the database; importing the export brings the
    Popolo document (and the structure document) back to what they were."""
    municipality = load_fixture(slug)
    before = popolo_of(municipality)
    structure_before = structure_format.export(municipality)
    path = write(tmp_path, before)
    for committee in municipality.committees.all():
        committee.name, committee.name_en, committee.source = f"{committee.name} (omdøbt)", "", ""
        services.save_row(committee, actor=services.SYSTEM)
    for person in municipality.people.all():
        person.name = f"{person.name} (omdøbt)"
        services.save_row(person, actor=services.SYSTEM)
    for membership in Membership.objects.filter(committee__municipality=municipality):
        services.delete_row(membership, actor=services.SYSTEM)
    assert popolo_of(municipality) != before
    run_import(path, slug)
    assert popolo_of(municipality) == before
    assert structure_format.export(municipality) == structure_before


def test_an_import_adds_a_committee_and_a_membership_and_renames_a_person(load_fixture, tmp_path):
    municipality = load_fixture("ltk")
    document = popolo_of(municipality)
    oekonomiudvalget = list(Membership.objects.filter(committee__key="oekonomiudvalget").values_list("pk", "role"))
    document["persons"][2]["name"] = "Sofia Osmani Jensen"
    document["persons"].append({"id": "person:ida-holm", "name": "Ida Holm"})
    document["organizations"] += [
        {
            "id": "committee:klimaudvalget",
            "name": "Klimaudvalget",
            "other_names": [{"name": "Climate Committee", "note": "English"}],
            "classification": "special",
            "parent_id": "municipality:ltk",
            "sources": [{"url": "https://example.org/referat", "note": "Referat 3.3.2014"}],
        },
        {"id": "party:oe", "name": "Ø", "classification": "party"},
    ]
    document["memberships"].append(
        {
            "id": "membership:klimaudvalget:ida-holm",
            "person_id": "person:ida-holm",
            "organization_id": "committee:klimaudvalget",
            "role": "formand",
            "on_behalf_of_id": "party:oe",
            "start_date": "2014-03-03",
            "sources": [{"url": "https://example.org/referat", "note": "Referat 3.3.2014"}],
        }
    )
    output = run_import(write(tmp_path, document), "ltk")
    assert "persons: 1 created, 1 updated, 3 unchanged" in output
    assert "committees: 1 created, 0 updated, 7 unchanged" in output
    assert "memberships: 1 created, 0 deleted, 3 unchanged" in output

    sofia = Person.objects.get(municipality=municipality, key="sofia-osmani")
    assert sofia.name == "Sofia Osmani Jensen"
    committee = Committee.objects.get(municipality=municipality, key="klimaudvalget")
    assert (committee.name, committee.name_en, committee.kind, committee.source) == (
        "Klimaudvalget",
        "Climate Committee",
        "special",
        "Referat 3.3.2014",
    )
    membership = committee.memberships.get()
    assert (membership.person.key, membership.role, membership.party, str(membership.start), membership.source) == (
        "ida-holm",
        "formand",
        "Ø",
        "2014-03-03",
        "Referat 3.3.2014",
    )
    assert list(Membership.objects.filter(committee__key="oekonomiudvalget").values_list("pk", "role")) == (
        oekonomiudvalget
    )
    assert sofia.history.first().history_change_reason == "import"
    assert committee.history.get().history_change_reason == "import"
    assert membership.history.get().history_change_reason == "import"
    assert Person.objects.get(key="ida-holm").history.get().history_type == "+"
    # it exports as it was imported, its links now to its own page
    page = [{"url": "http://testserver/ltk/2011/udvalg/klimaudvalget/", "note": "Referat 3.3.2014"}]
    again = popolo_of(municipality)
    assert by_id(again["organizations"])["committee:klimaudvalget"] == {
        **document["organizations"][-2],
        "sources": page,
    }
    assert by_id(again["memberships"])["membership:klimaudvalget:ida-holm"] == {
        **document["memberships"][-1],
        "sources": page,
    }


def test_a_committees_memberships_are_replaced_and_the_deletions_recorded(load_fixture, tmp_path):
    municipality = load_fixture("ltk")
    document = popolo_of(municipality)
    old = list(Membership.objects.filter(committee__key="oekonomiudvalget").order_by("pk"))
    document["memberships"] = [m for m in document["memberships"] if "sofia-osmani" not in m["person_id"]]
    document["memberships"][0]["role"] = "formand"
    output = run_import(write(tmp_path, document), "ltk")
    assert "memberships: 2 created, 3 deleted, 0 unchanged" in output
    rows = Membership.objects.filter(committee__key="oekonomiudvalget").order_by("pk")
    assert [(row.person.key, row.role, row.party) for row in rows] == [
        ("rolf-aagaard-svendsen", "formand", "C"),
        ("henrik-brade-johansen", "medlem", "B"),
    ]
    deleted = Membership.history.filter(id__in=[membership.pk for membership in old], history_type="-")
    assert sorted(deleted.values_list("history_change_reason", flat=True)) == ["import"] * 3


def test_what_the_document_does_not_name_stays(load_fixture, tmp_path):
    """A document with one committee and no memberships: that committee loses its members, the others keep
    theirs, and no person or committee is deleted."""
    municipality = load_fixture("ltk")
    committees, people = municipality.committees.count(), municipality.people.count()
    note = municipality.committees.get(key="oekonomiudvalget").note
    document = {
        "organizations": [{"id": "committee:oekonomiudvalget", "name": "Økonomiudvalget", "classification": "finance"}]
    }
    output = run_import(write(tmp_path, document), "ltk")
    assert "committees: 0 created, 1 updated, 0 unchanged" in output
    assert "memberships: 0 created, 3 deleted, 0 unchanged" in output
    assert (municipality.committees.count(), municipality.people.count()) == (committees, people)
    committee = municipality.committees.get(key="oekonomiudvalget")
    assert (committee.name_en, committee.source, committee.memberships.count()) == ("", "", 0)
    assert committee.note == note != ""  # Popolo has no place for it: the import leaves it as it is


def test_import_popolo_returns_what_it_did(load_fixture):
    municipality = load_fixture("lejre")
    document = popolo_of(municipality)
    document["persons"][0]["name"] = "Mikkel Bojsen-Møller"
    summary = import_popolo(municipality, document, actor=services.SYSTEM)
    assert (summary.persons.updated, summary.persons.unchanged, summary.committees.unchanged) == (1, 0, 3)
    assert municipality.people.get().name == "Mikkel Bojsen-Møller"
    again = import_popolo(municipality, document, actor=services.SYSTEM)
    assert (again.persons.updated, again.persons.unchanged) == (0, 1)


def test_units_posts_and_holdings_are_ignored(load_fixture, tmp_path):
    municipality = load_fixture("assens")
    structure_before = structure_format.export(municipality)
    document = popolo_of(municipality)
    for organization in document["organizations"]:
        if organization["id"].startswith("unit:"):
            organization["name"] = "Omdøbt"
    document["posts"][0]["label"] = "Omdøbt"
    document["memberships"] = [m for m in document["memberships"] if m["id"] != "holding:2014:kommunaldirektoer"]
    run_import(write(tmp_path, document), "assens")
    assert structure_format.export(municipality) == structure_before
