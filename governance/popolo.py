"""Popolo (https://www.popoloproject.com/specs/): the municipality's structure document as persons, organizations,
posts and memberships, for parliamentary-monitoring sites. A second codec of the same dict as the structure format:
`to_popolo` reads only the exported document, so its ids and order are as stable as the export's.

- the municipality: organization `municipality:<slug>`, classification `kommune`, identifier `kommunekode`;
- a committee: organization `committee:<key>`, classification = its kind, parent the municipality;
- a unit of a version: organization `unit:<version>:<key>`, classification = its kind, parent its parent unit
  (a root: the municipality), founded and dissolved with the version;
- a party named in a membership: organization `party:<slug of the name>`, classification `party`;
- a person: person `person:<key>`; a post of a version: post `post:<version>:<key>`, label = title, role = kind;
- a committee membership: membership `membership:<committee>:<person>` on behalf of the party;
- a post's holder: membership `holding:<version>:<post>` of the person in the post's organization, holding it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.text import slugify
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_DIRECTORY = Path(__file__).parent / "popolo_schema"
DOCUMENT_SCHEMA = "popolo.json"
ENGLISH = "English"
MUNICIPALITY_CLASSIFICATION = "kommune"
PARTY_CLASSIFICATION = "party"
KOMMUNEKODE_SCHEME = "kommunekode"
# Danish letters that slugify() would drop: Ø is a party letter (Enhedslisten), Æ another (Danmarksdemokraterne).
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@cache
def schemas() -> dict[str, dict]:
    """Our JSON Schemas of the Popolo classes, by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_DIRECTORY.glob("*.json"))}


@cache
def registry() -> Registry:
    """The schemas by their $id, so that their references to each other resolve."""
    return Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas().values())


@cache
def validator(name: str = DOCUMENT_SCHEMA) -> Draft202012Validator:
    """A validator of one of the schemas (the whole document by default)."""
    return Draft202012Validator(schemas()[name], registry=registry())


def person_id(key: str) -> str:
    return f"person:{key}"


def committee_id(key: str) -> str:
    return f"committee:{key}"


def municipality_id(slug: str) -> str:
    return f"municipality:{slug}"


def unit_id(version: str, key: str) -> str:
    return f"unit:{version}:{key}"


def post_id(version: str, key: str) -> str:
    return f"post:{version}:{key}"


def party_slug(name: str) -> str:
    return slugify(name.lower().translate(DANISH_LETTERS))


def _dates(start: str | None, end: str | None, names: tuple[str, str] = ("start_date", "end_date")) -> dict:
    """The dates that are known, under the names the Popolo class gives them."""
    return {name: value for name, value in zip(names, (start, end), strict=True) if value}


def _sources(source: str | None, url: str) -> dict:
    """The `sources` of an element: its citation as the note of a link to its page; nothing without a citation."""
    return {"sources": [{"url": url, "note": source}]} if source else {}


def _english(name_en: str | None) -> dict:
    return {"other_names": [{"name": name_en, "note": ENGLISH}]} if name_en else {}


def _parties(memberships: list[dict]) -> dict[str, str]:
    """The id of every party named in the memberships, by its name, in order of first mention; two names with the
    same slug get numbered ids so that ids stay unique."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for membership in memberships:
        name = membership.get("party")
        if not name or name in ids:
            continue
        base = f"party:{party_slug(name) or 'unnamed'}"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        ids[name] = candidate
        taken.add(candidate)
    return ids


def _committee_version(versions: list[dict]) -> str | None:
    """The version whose committee pages the committees' links open: the current one, else the last one."""
    current = [version["key"] for version in versions if version.get("status") == "current"]
    return current[0] if current else (versions[-1]["key"] if versions else None)


def to_popolo(document: dict, base_url: str) -> dict:
    """The Popolo document of a municipality's structure document (`centers.structure_format.export`); links in
    `sources` are absolute addresses under `base_url` (the site's root)."""
    slug = document["municipality"]["slug"]
    root = base_url.rstrip("/")

    def page(name: str, *args: str) -> str:
        return root + reverse(name, args=[slug, *args])

    municipality = municipality_id(slug)
    municipality_page = page("centers:municipality")
    committee_version = _committee_version(document["versions"])

    def committee_page(key: str) -> str:
        if committee_version is None:
            return municipality_page
        return page("governance:committee", committee_version, key)

    memberships_in = document.get("memberships", [])
    parties = _parties(memberships_in)
    persons = [
        {
            "id": person_id(person["key"]),
            "name": person["name"],
            **_sources(person.get("source"), page("centers:person", person["key"])),
        }
        for person in document.get("people", [])
    ]
    organizations: list[dict] = [
        {
            "id": municipality,
            "name": document["municipality"]["name"],
            "classification": MUNICIPALITY_CLASSIFICATION,
            "identifiers": [
                {"identifier": f"{document['municipality']['kommunekode']:04d}", "scheme": KOMMUNEKODE_SCHEME}
            ],
        }
    ]
    organizations += [
        {
            "id": committee_id(committee["key"]),
            "name": committee["name"],
            **_english(committee.get("name_en")),
            "classification": committee["kind"],
            "parent_id": municipality,
            **_sources(committee.get("source"), committee_page(committee["key"])),
        }
        for committee in document.get("committees", [])
    ]
    posts: list[dict] = []
    holdings: list[dict] = []
    for version in document["versions"]:
        key = version["key"]
        dates = (version.get("effective_from"), version.get("effective_to"))
        for unit in version["units"]:
            organizations.append(
                {
                    "id": unit_id(key, unit["key"]),
                    "name": unit["name"],
                    **_english(unit.get("name_en")),
                    "classification": unit["kind"],
                    "parent_id": unit_id(key, unit["parent"]) if unit.get("parent") else municipality,
                    **_dates(*dates, ("founding_date", "dissolution_date")),
                    **_sources(unit.get("source"), page("centers:unit", key, unit["key"])),
                }
            )
        for post in version["posts"]:
            organization = unit_id(key, post["unit"]) if post.get("unit") else municipality
            posts.append(
                {
                    "id": post_id(key, post["key"]),
                    "label": post["title"],
                    **({"other_label": [post["title_en"]]} if post.get("title_en") else {}),
                    "role": post["kind"],
                    "organization_id": organization,
                    **_dates(*dates),
                    **_sources(post.get("source"), page("centers:post", key, post["key"])),
                }
            )
            if post.get("holder"):
                holdings.append(
                    {
                        "id": f"holding:{key}:{post['key']}",
                        "person_id": person_id(post["holder"]),
                        "post_id": post_id(key, post["key"]),
                        "organization_id": organization,
                        "role": post["title"],
                        **_dates(*dates),
                    }
                )
    organizations += [
        {"id": party, "name": name, "classification": PARTY_CLASSIFICATION} for name, party in parties.items()
    ]
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": posts,
        "memberships": _committee_memberships(memberships_in, parties, committee_page) + holdings,
    }


def _committee_memberships(memberships: list[dict], parties: dict[str, str], page: Callable[[str], str]) -> list[dict]:
    """The committee memberships; a person's second seat in the same committee gets a numbered id."""
    seen: dict[str, int] = {}
    exported = []
    for membership in memberships:
        base = f"membership:{membership['committee']}:{membership['person']}"
        seen[base] = seen.get(base, 0) + 1
        item = {
            "id": base if seen[base] == 1 else f"{base}:{seen[base]}",
            "person_id": person_id(membership["person"]),
            "organization_id": committee_id(membership["committee"]),
        }
        if membership.get("role"):
            item["role"] = membership["role"]
        if membership.get("party"):
            item["on_behalf_of_id"] = parties[membership["party"]]
        item.update(_dates(membership.get("start"), membership.get("end")))
        item.update(_sources(membership.get("source"), page(membership["committee"])))
        exported.append(item)
    return exported


def dump(popolo: dict) -> str:
    """The Popolo document as JSON text: the same document always gives the same bytes."""
    return json.dumps(popolo, ensure_ascii=False, indent=2) + "\n"
