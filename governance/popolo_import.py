"""Importing a Popolo document (`governance.popolo`) into a stored municipality: its people, its committees and
their memberships. Units, posts and post holdings are left out: the organisation comes from the structure file.

The document is checked whole first, against our JSON Schemas of Popolo and then against the domain, and every
problem is named by its JSON path (`memberships[3].person_id: unknown person 'person:xyz'`); only a document
without problems is written, in one transaction, through the services (so the rules are checked and the history
records each change with the reason "import").
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from centers import services, structure_format
from centers.models import Municipality, Person
from centers.structure_format import Document, NodePath, format_path
from centers.structure_format.parsing import UNSTORABLE, character_problem

from . import popolo
from .models import Committee, Membership

REASON = "import"
COLLECTIONS = ("persons", "organizations", "posts", "memberships")
# The date properties of each collection's objects, as (start, end).
DATE_PAIRS = {
    "persons": ("birth_date", "death_date"),
    "organizations": ("founding_date", "dissolution_date"),
    "posts": ("start_date", "end_date"),
    "memberships": ("start_date", "end_date"),
}
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
COMMITTEE_KINDS = tuple(Committee.Kind.values)


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a JSON path in the document (empty for the file as a whole)."""

    path: NodePath
    message: str
    line: int | None = None  # where the file's own problems are (not JSON at all ...), which have no path

    def __str__(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message


def _document_order(problem: Problem) -> tuple:
    """Collections in the order a document lists them, elements by position; an element's problems as found."""
    collection = problem.path[0] if problem.path else None
    rank = COLLECTIONS.index(collection) if collection in COLLECTIONS else -1
    position = problem.path[1] if len(problem.path) > 1 and isinstance(problem.path[1], int) else -1
    return (rank, position)


class PopoloInvalid(Exception):
    """The document cannot be imported; `problems` says where and why. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(dict.fromkeys(problems), key=_document_order)  # a party named twice: once
        shown = self.problems[: structure_format.MAX_REPORTED_ERRORS]
        super().__init__("\n".join(str(problem) for problem in shown))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportSummary:
    persons: Counts = field(default_factory=Counts)
    committees: Counts = field(default_factory=Counts)
    memberships: Counts = field(default_factory=Counts)

    def lines(self) -> list[str]:
        return [
            f"persons: {self.persons.created} created, {self.persons.updated} updated, "
            f"{self.persons.unchanged} unchanged",
            f"committees: {self.committees.created} created, {self.committees.updated} updated, "
            f"{self.committees.unchanged} unchanged",
            f"memberships: {self.memberships.created} created, {self.memberships.deleted} deleted, "
            f"{self.memberships.unchanged} unchanged",
        ]


# --- reading a file -------------------------------------------------------------------------------------------


def read_document(path: str | os.PathLike) -> Document:
    """Read a Popolo file as the structure loader reads its files: a regular file, UTF-8, JSON, no larger than
    ORGMODEL_MAX_STRUCTURE_BYTES (refused before it is read, and never read beyond the limit); the Document knows
    the line of every node."""
    try:
        return structure_format.read_file(path, "json", what="a Popolo document")
    except structure_format.StructureInvalid as exc:
        raise PopoloInvalid([Problem((), error.message, error.line) for error in exc.errors]) from exc


# --- checking -------------------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    if value is None:
        return "null"
    shown = repr(value) if len(repr(value)) <= 60 else f"{repr(value)[:57]}..."
    return f"{kinds.get(type(value), type(value).__name__)} ({shown})"


def _schema_problem(error) -> list[Problem]:
    path: NodePath = tuple(error.absolute_path)
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        if not path:
            return [Problem(path, f"a Popolo document is a JSON object, not {_describe(error.instance)}")]
        return [Problem(path, f"expected {expected}, got {_describe(error.instance)}")]
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return [Problem((*path, missing), "required")]
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [Problem((*path, key), f"unknown key; a Popolo document has only {allowed}") for key in extra]
    if error.validator == "pattern":
        return [Problem(path, f"not a date: {error.instance!r}; write it as YYYY, YYYY-MM or YYYY-MM-DD")]
    if error.validator == "anyOf" and all(len(option.get("required", ())) == 1 for option in error.validator_value):
        keys = [option["required"][0] for option in error.validator_value]
        present = next((index for index, key in enumerate(keys) if key in error.instance), None)
        if present is None:
            return [Problem((*path, keys[0]), f"required (or {', '.join(keys[1:])})")]
        return [
            problem
            for child in error.context
            if child.relative_schema_path[0] == present
            for problem in _schema_problem(child)
        ]
    return [Problem(path, error.message)]


def schema_problems(data: Any) -> list[Problem]:
    """The document's departures from our JSON Schema of a Popolo document (governance/popolo_schema)."""
    return [problem for error in popolo.validator().iter_errors(data) for problem in _schema_problem(error)]


def _partial_date(value: str) -> tuple[int, ...] | None:
    """A Popolo date (YYYY, YYYY-MM or YYYY-MM-DD) as its numbers, or None if it is no real date."""
    match = PARTIAL_DATE.fullmatch(value)
    if match is None:
        return None
    parts = tuple(int(part) for part in match.groups() if part is not None)
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


KEY_SCHEMA = structure_format.schema()["$defs"]["person"]["properties"]["key"]


class _Checker:
    """The domain's verdict on a schema-valid document, for one municipality."""

    def __init__(self, municipality: Municipality, data: dict):
        self.data = data
        self.problems: list[Problem] = []
        self.stored_people = set(municipality.people.values_list("key", flat=True))
        self.organizations = self._first_index("organizations")
        self.posts = self._first_index("posts")
        self.persons = self._first_index("persons")
        self._first_index("memberships")
        self.committees: set[str] = set()

    def report(self, path: NodePath, message: str) -> None:
        self.problems.append(Problem(path, message))

    def _first_index(self, collection: str) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, item in enumerate(self.data.get(collection, [])):
            identifier = item.get("id")
            if identifier is None:
                continue
            if identifier in index:
                first = format_path((collection, index[identifier]))
                self.report((collection, position, "id"), f"duplicate id {identifier!r} (first at {first})")
            else:
                index[identifier] = position
        return index

    def key(self, identifier: str | None, prefix: str, noun: str, path: NodePath) -> str | None:
        """The key in `<prefix>:<key>`, reported unless it is a key the structure format accepts."""
        if identifier is None:
            self.report(path, f"required: a {noun}'s id is '{prefix}:<key>'")
            return None
        if not identifier.startswith(f"{prefix}:"):
            self.report(path, f"{identifier!r} is not a {noun} id: write it as '{prefix}:<key>'")
            return None
        key = identifier.removeprefix(f"{prefix}:")
        if not re.fullmatch(KEY_SCHEMA["pattern"], key) or len(key) > KEY_SCHEMA["maxLength"]:
            self.report(
                path,
                f"{key!r} is not a valid key: use lowercase letters, digits and hyphens "
                f"(at most {KEY_SCHEMA['maxLength']})",
            )
            return None
        return key

    def text(self, value: str | None, path: NodePath, model, field_name: str, *, required: bool = False) -> None:
        """A text that goes into a column: present if required, not longer than the column, storable."""
        if not value:
            if required:
                self.report(path, "required" if value is None else "must not be empty")
            return
        limit = model._meta.get_field(field_name).max_length
        if limit and len(value) > limit:
            self.report(path, f"too long: {len(value)} characters, at most {limit}")
        if bad := UNSTORABLE.search(value):
            self.report(path, f"{character_problem(bad.group())} is not allowed")

    def check(self) -> list[Problem]:
        self.check_dates()
        self.check_persons()
        self.check_organizations()
        self.check_memberships()
        return self.problems

    def check_dates(self) -> None:
        for collection, (start_name, end_name) in DATE_PAIRS.items():
            for position, item in enumerate(self.data.get(collection, [])):
                parts = {}
                for name in (start_name, end_name):
                    value = item.get(name)
                    if value is None:
                        continue
                    parts[name] = _partial_date(value)
                    if parts[name] is None:
                        self.report((collection, position, name), f"not a real date: {value!r}")
                start, end = parts.get(start_name), parts.get(end_name)
                if start and end and end[: len(start)] < start[: len(end)]:
                    self.report(
                        (collection, position, end_name),
                        f"ends before it starts: {item[end_name]} is before {start_name} {item[start_name]}",
                    )

    def check_persons(self) -> None:
        for position, person in enumerate(self.data.get("persons", [])):
            path = ("persons", position)
            self.key(person.get("id"), "person", "person", (*path, "id"))
            self.text(person["name"], (*path, "name"), Person, "name", required=True)

    def check_organizations(self) -> None:
        for position, organization in enumerate(self.data.get("organizations", [])):
            path = ("organizations", position)
            identifier, classification = organization.get("id"), organization.get("classification")
            if classification not in COMMITTEE_KINDS:
                if isinstance(identifier, str) and identifier.startswith("committee:"):
                    self.report(
                        (*path, "classification"),
                        f"unknown committee kind {classification!r}; expected one of: {', '.join(COMMITTEE_KINDS)}",
                    )
                continue
            if identifier is not None:
                self.committees.add(identifier)
            if self.key(identifier, "committee", "committee", (*path, "id")) is None:
                continue
            self.text(organization.get("name"), (*path, "name"), Committee, "name", required=True)
            names = organization.get("other_names", [])
            english = _english_position(names)
            if english is not None:
                self.text(names[english]["name"], (*path, "other_names", english, "name"), Committee, "name_en")
            self.text(_citation(organization), (*path, "sources"), Committee, "source")

    def check_memberships(self) -> None:
        for position, membership in enumerate(self.data.get("memberships", [])):
            path = ("memberships", position)
            person = membership.get("person_id")
            if person is None:
                self.report((*path, "person_id"), "required: embedded persons and members are not read")
            elif person not in self.persons and not (
                person.startswith("person:") and person.removeprefix("person:") in self.stored_people
            ):
                self.report((*path, "person_id"), f"unknown person {person!r}")
            organization = membership.get("organization_id")
            if organization is None:
                self.report((*path, "organization_id"), "required: embedded organizations are not read")
            elif organization not in self.organizations:
                self.report((*path, "organization_id"), f"unknown organization {organization!r}")
            elif membership.get("post_id") is not None:  # a post holding: not imported, but it must add up
                if membership["post_id"] not in self.posts:
                    self.report((*path, "post_id"), f"unknown post {membership['post_id']!r}")
            elif organization not in self.committees:
                classification = self.data["organizations"][self.organizations[organization]].get("classification")
                self.report(
                    (*path, "organization_id"),
                    f"{organization!r} is not a committee (classification {classification!r}): "
                    "only committee memberships and post holdings can be imported",
                )
            else:
                self.check_committee_membership(membership, path)

    def check_committee_membership(self, membership: dict, path: NodePath) -> None:
        party = membership.get("on_behalf_of_id")
        if party is None and membership.get("on_behalf_of") is not None:
            self.report((*path, "on_behalf_of"), "embedded organizations are not read: give on_behalf_of_id")
        elif party is not None and party not in self.organizations:
            self.report((*path, "on_behalf_of_id"), f"unknown organization {party!r}")
        elif party is not None:
            position = self.organizations[party]
            name = self.data["organizations"][position].get("name")
            self.text(name, ("organizations", position, "name"), Membership, "party", required=True)
        self.text(membership.get("role"), (*path, "role"), Membership, "role")
        self.text(_citation(membership), (*path, "sources"), Membership, "source")
        for name in ("start_date", "end_date"):
            value = membership.get(name)
            parts = _partial_date(value) if value else None
            if parts is not None and len(parts) < 3:
                self.report(
                    (*path, name), f"{value!r} is not a whole date: a committee membership's dates are YYYY-MM-DD"
                )


def _english_position(names: list[dict]) -> int | None:
    return next(
        (index for index, name in enumerate(names) if (name.get("note") or "").strip().lower() == "english"), None
    )


def _citation(item: dict) -> str:
    """An element's source citation: the notes of its `sources` links."""
    return "; ".join(link["note"] for link in item.get("sources", []) if link.get("note"))


def check(municipality: Municipality, data: Any) -> list[Problem]:
    """Every problem of the document for an import into `municipality`: its shape first, then the domain."""
    problems = schema_problems(data)
    if problems:
        return problems
    return _Checker(municipality, data).check()


# --- writing --------------------------------------------------------------------------------------------------


def _save(instance, counts: Counts, changed: bool, *, actor, path: NodePath) -> None:
    created = instance.pk is None
    if not created and not changed:
        counts.unchanged += 1
        return
    try:
        services.save_row(instance, actor=actor, reason=REASON)
    except services.EditRefused as exc:
        raise PopoloInvalid(
            [Problem((*path, name), message) for name, messages in exc.message_dict.items() for message in messages]
        ) from exc
    if created:
        counts.created += 1
    else:
        counts.updated += 1


def _membership_rows(data: dict, committee: str) -> list[dict]:
    """The committee's memberships in the document as model fields, in document order."""
    organizations = {item["id"]: item for item in data.get("organizations", []) if item.get("id")}
    rows = []
    for position, membership in enumerate(data.get("memberships", [])):
        if membership.get("organization_id") != committee or membership.get("post_id") is not None:
            continue
        party = membership.get("on_behalf_of_id")
        rows.append(
            {
                "position": position,
                "person": membership["person_id"].removeprefix("person:"),
                "role": membership.get("role") or "",
                "party": organizations[party]["name"] if party else "",
                "start": structure_format.parse_date(membership.get("start_date")),
                "end": structure_format.parse_date(membership.get("end_date")),
                "source": _citation(membership),
            }
        )
    return rows


def _stored_row(membership: Membership) -> tuple:
    return (
        membership.person.key,
        membership.role,
        membership.party,
        membership.start,
        membership.end,
        membership.source,
    )


def _document_row(row: dict) -> tuple:
    return (row["person"], row["role"], row["party"], row["start"], row["end"], row["source"])


@transaction.atomic
def _write(municipality: Municipality, data: dict, *, actor) -> ImportSummary:
    summary = ImportSummary()
    people = {person.key: person for person in municipality.people.all()}
    for position, item in enumerate(data.get("persons", [])):
        key = item["id"].removeprefix("person:")
        person = people.get(key) or Person(municipality=municipality, key=key)
        changed = person.name != item["name"]
        person.name = item["name"]
        _save(person, summary.persons, changed, actor=actor, path=("persons", position))
        people[key] = person
    committees = {committee.key: committee for committee in municipality.committees.all()}
    for position, item in enumerate(data.get("organizations", [])):
        if item.get("classification") not in COMMITTEE_KINDS:
            continue
        key = item["id"].removeprefix("committee:")
        committee = committees.get(key) or Committee(municipality=municipality, key=key)
        names = item.get("other_names", [])
        english = _english_position(names)
        fields = {
            "name": item["name"],
            "name_en": names[english]["name"] if english is not None else "",
            "kind": item["classification"],
            "source": _citation(item),
        }
        changed = any(getattr(committee, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(committee, name, value)
        _save(committee, summary.committees, changed, actor=actor, path=("organizations", position))
        _replace_memberships(committee, _membership_rows(data, item["id"]), people, summary.memberships, actor=actor)
    return summary


def _replace_memberships(committee: Committee, rows: list[dict], people: dict, counts: Counts, *, actor) -> None:
    """The committee's memberships become the document's; left as they are when they already are."""
    stored = list(committee.memberships.select_related("person").order_by("pk")) if committee.pk else []
    if [_stored_row(membership) for membership in stored] == [_document_row(row) for row in rows]:
        counts.unchanged += len(stored)
        return
    for membership in stored:
        services.delete_row(membership, actor=actor, reason=REASON)
        counts.deleted += 1
    for row in rows:
        membership = Membership(
            committee=committee,
            person=people[row["person"]],
            role=row["role"],
            party=row["party"],
            start=row["start"],
            end=row["end"],
            source=row["source"],
        )
        _save(membership, counts, True, actor=actor, path=("memberships", row["position"]))


def import_popolo(municipality: Municipality, popolo: Any, *, actor) -> ImportSummary:
    """Import the people, committees and committee memberships of a Popolo document into `municipality`, or
    raise PopoloInvalid with every problem of the document (then nothing is written)."""
    problems = check(municipality, popolo)
    if problems:
        raise PopoloInvalid(problems)
    return _write(municipality, popolo, actor=actor)
