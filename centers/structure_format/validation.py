"""Validation of a parsed document: its shape against the JSON Schema, then its references and rules."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from centers import extensions, invariants
from centers.slugs import reserved_slug_problem, reserved_version_key_problem

from .parsing import (
    FORMAT,
    UNSTORABLE,
    Document,
    NodePath,
    StructureError,
    StructureInvalid,
    character_problem,
    parse_date,
)

SCHEMA_PATH = Path(__file__).parent / "schema" / "orgmodel-1.schema.json"


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _describe(value: Any) -> str:
    kind = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)
    return f"{kind} ({json.dumps(value, ensure_ascii=False, default=str)[:60]})" if value is not None else kind


def _shown(value: Any) -> str:
    """A value as an error message quotes it: its repr, shortened."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _repeated(items: list) -> Any:
    seen = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


@cache
def _conforms():
    """The schema compiled to Python by fastjsonschema: it tells in one pass whether a document conforms. Every
    keyword the schema uses means the same in draft 7, which fastjsonschema implements; a test keeps the two
    validators in agreement."""
    return fastjsonschema.compile({**schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def _schema_errors(document: Document) -> Iterator[StructureError]:
    """Every departure from the schema, with its path. jsonschema finds all of them, but takes twenty times as
    long as the compiled check, so it runs only on a document that the compiled check refuses."""
    try:
        _conforms()(document.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    validator = jsonschema.Draft202012Validator(schema())
    for error in validator.iter_errors(document.data):
        path: NodePath = tuple(error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            yield document.error(path, f"missing required key '{missing}'")
        elif error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(allowed)):
                yield document.error((*path, key), f"unknown key '{key}'; allowed keys: {', '.join(allowed)}")
        elif error.validator == "enum":
            choices = ", ".join(str(choice) for choice in error.validator_value)
            yield document.error(path, f"unknown value {_shown(error.instance)}; expected one of: {choices}")
        elif error.validator == "const":
            yield document.error(path, f"must be {error.validator_value!r}, not {_shown(error.instance)}")
        elif error.validator == "maxLength":
            # The schema's lengths are the columns' (PostgreSQL refuses longer values; SQLite would keep them).
            yield document.error(path, f"too long: {len(error.instance)} characters, at most {error.validator_value}")
        elif error.validator == "minLength" and error.validator_value == 1:
            yield document.error(path, "must not be empty")
        elif error.validator == "uniqueItems":
            yield document.error(path, f"{_shown(_repeated(error.instance))} is listed twice")
        elif error.validator == "type":
            expected = error.validator_value
            expected = " or ".join(expected) if isinstance(expected, list) else expected
            yield document.error(path, f"expected {expected}, got {_describe(error.instance)}")
        elif error.validator == "pattern" and path and path[-1] in DATE_FIELDS:
            yield document.error(path, f"bad date {_shown(error.instance)}: write it as YYYY-MM-DD")
        elif error.validator == "pattern":
            yield document.error(
                path, f"{_shown(error.instance)} is not a valid key: use lowercase letters, digits and hyphens"
            )
        else:
            yield document.error(path, error.message)


DATE_FIELDS = frozenset({"effective_from", "effective_to", "decided_on", "start", "end"})


class Checker:
    """Collects rule violations of a schema-valid document, with helpers to resolve references."""

    def __init__(self, document: Document):
        self.document = document
        self.errors: list[StructureError] = []
        data = document.data
        self.versions: list[dict] = data["versions"]
        self.version_keys = {version["key"]: index for index, version in enumerate(self.versions)}
        self.units = [self._index(version.get("units", []), "key") for version in self.versions]
        self.posts = [self._index(version.get("posts", []), "key") for version in self.versions]
        self.people = self._index(data.get("people", []), "key")

    @staticmethod
    def _index(items: list[dict], key: str) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, item in enumerate(items):
            index.setdefault(item[key], position)
        return index

    def report(self, path: NodePath, message: str) -> None:
        self.errors.append(self.document.error(path, message))

    def problem(self, path: NodePath, problem: invariants.Problem | None) -> None:
        """Report a broken domain rule (centers.invariants) on its field under `path`."""
        if problem is not None:
            self.report((*path, problem.field), problem.english)

    def unique(self, items: list[dict], base: NodePath, what: str, key: str = "key") -> None:
        first: dict[str, int] = {}
        for position, item in enumerate(items):
            value = item[key]
            if value in first:
                line = self.document.line((*base, first[value]))
                self.report((*base, position, key), f"duplicate {what} key '{value}' (first on line {line})")
            else:
                first[value] = position

    def _resolve(self, table: list[dict[str, int]], what: str, index: int, value, path: NodePath) -> bool:
        if value is None or value in table[index]:
            return True
        elsewhere = [self.versions[other]["key"] for other, keys in enumerate(table) if value in keys]
        if elsewhere:
            self.report(
                path,
                f"{what} '{value}' belongs to version '{elsewhere[0]}', not to version "
                f"'{self.versions[index]['key']}': references stay inside one version",
            )
        else:
            self.report(path, f"unknown {what} '{value}' in version '{self.versions[index]['key']}'")
        return False

    def unit(self, version_index: int, value: str | None, path: NodePath) -> bool:
        return self._resolve(self.units, "unit", version_index, value, path)

    def post(self, version_index: int, value: str | None, path: NodePath) -> bool:
        return self._resolve(self.posts, "post", version_index, value, path)

    def units_list(self, version_index: int, values: list[str], path: NodePath) -> None:
        for position, value in enumerate(values):
            self.unit(version_index, value, (*path, position))

    def posts_list(self, version_index: int, values: list[str], path: NodePath) -> None:
        for position, value in enumerate(values):
            self.post(version_index, value, (*path, position))

    def date(self, value: str | None, path: NodePath) -> datetime.date | None:
        try:
            return parse_date(value)
        except ValueError as exc:
            self.report(path, f"bad date {value!r}: {exc}")
            return None


def _texts(data: Any) -> Iterator[str]:
    """Every string of `data`, keys included, in no particular order."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from (key for key in value if isinstance(key, str))
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def _character_errors(document: Document) -> list[StructureError]:
    """Strings (and keys) with a character no database column can hold (NUL, a lone surrogate) or no YAML file
    may contain (control characters): walked without recursion, before anything else looks at the values."""
    if not UNSTORABLE.search("\n".join(_texts(document.data))):
        return []
    errors: list[StructureError] = []
    pending: list[tuple[NodePath, Any]] = [((), document.data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if found := UNSTORABLE.search(value):
                errors.append(document.error(path, f"contains {character_problem(found.group())}"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (found := UNSTORABLE.search(key)):
                    errors.append(document.error(path, f"a key contains {character_problem(found.group())}"))
                else:
                    pending.append(((*path, key), item))
        elif isinstance(value, list):
            pending.extend(((*path, position), item) for position, item in enumerate(value))
    return errors


def _check_municipality(checker: Checker) -> None:
    slug = checker.document.data["municipality"]["slug"]
    checker.problem(("municipality",), reserved_slug_problem(slug))


def _check_versions(checker: Checker) -> None:
    versions = checker.versions
    checker.unique(versions, ("versions",), "version")
    checker.unique(checker.document.data.get("sources", []), ("sources",), "source")
    checker.unique(checker.document.data.get("people", []), ("people",), "person")
    current = [index for index, version in enumerate(versions) if version["status"] == "current"]
    for index in current[1:]:
        checker.report(
            ("versions", index, "status"),
            f"a second current version: version '{versions[current[0]]['key']}' is already current "
            "(one current version per municipality)",
        )
    for index, version in enumerate(versions):
        base: NodePath = ("versions", index)
        checker.problem(base, reserved_version_key_problem(version["key"]))
        start = checker.date(version.get("effective_from"), (*base, "effective_from"))
        end = checker.date(version.get("effective_to"), (*base, "effective_to"))
        checker.date(version.get("decided_on"), (*base, "decided_on"))
        if start and end and end < start:
            checker.report((*base, "effective_to"), f"effective_to {end} is before effective_from {start}")
        based_on = version.get("based_on")
        if based_on is not None:
            if based_on == version["key"]:
                checker.report((*base, "based_on"), "a version cannot be based on itself")
            elif based_on not in checker.version_keys:
                checker.report((*base, "based_on"), f"unknown version '{based_on}'")
    for index in range(len(versions)):
        seen, cursor = set(), index
        while cursor is not None and cursor not in seen:
            seen.add(cursor)
            parent = versions[cursor].get("based_on")
            cursor = checker.version_keys.get(parent) if parent != versions[cursor]["key"] else None
        if cursor == index:
            checker.report(("versions", index, "based_on"), "the versions' based_on form a cycle")


def _check_units(checker: Checker, index: int) -> None:
    version = checker.versions[index]
    base: NodePath = ("versions", index)
    units, posts = version.get("units", []), version.get("posts", [])
    checker.unique(units, (*base, "units"), "unit")
    checker.unique(posts, (*base, "posts"), "post")
    task_first: dict[str, tuple[int, int]] = {}
    based_on = checker.version_keys.get(version.get("based_on"))
    for position, unit in enumerate(units):
        path = (*base, "units", position)
        parent_key = unit.get("parent")
        if checker.unit(index, parent_key, (*path, "parent")):
            parent = units[checker.units[index][parent_key]] if parent_key else None
            checker.problem(
                path,
                invariants.placement_problem(unit["kind"], parent and parent["kind"], parent_key=parent_key or ""),
            )
        if checker.post(index, unit.get("head"), (*path, "head")) and unit.get("head"):
            head = posts[checker.posts[index][unit["head"]]]
            checker.problem(path, invariants.head_problem(unit["key"], head["key"], head.get("unit")))
        if checker.post(index, unit.get("responsible"), (*path, "responsible")) and unit.get("responsible"):
            responsible = posts[checker.posts[index][unit["responsible"]]]
            checker.problem(path, invariants.responsible_problem(responsible["key"], responsible["kind"]))
        formed_from = unit.get("formed_from") or []
        if formed_from and based_on is None:
            checker.report((*path, "formed_from"), "formed_from needs the version to be based_on another version")
        elif formed_from:
            for position_from, key in enumerate(formed_from):
                if key not in checker.units[based_on]:
                    checker.report(
                        (*path, "formed_from", position_from),
                        f"unit '{key}' is not in the based_on version '{version['based_on']}'",
                    )
        for task_position, task in enumerate(unit.get("tasks", [])):
            task_path = (*path, "tasks", task_position, "key")
            if task["key"] in task_first:
                first_unit, first_task = task_first[task["key"]]
                line = checker.document.line((*base, "units", first_unit, "tasks", first_task))
                checker.report(task_path, f"duplicate task key '{task['key']}' (first on line {line})")
            else:
                task_first[task["key"]] = (position, task_position)
    _check_parent_cycles(checker, index)
    for position, post in enumerate(posts):
        path = (*base, "posts", position)
        checker.unit(index, post.get("unit"), (*path, "unit"))
        checker.post(index, post.get("reports_to"), (*path, "reports_to"))
        checker.unique(post.get("duties", []), (*path, "duties"), "duty")
        holder = post.get("holder")
        if holder is not None and holder not in checker.people:
            checker.report((*path, "holder"), f"unknown person '{holder}' (declare it under people)")
    _check_reporting_cycles(checker, index)


def _first_cycle(edges: dict[str, str | None]) -> list[str] | None:
    state: dict[str, int] = {}
    for start in edges:
        trail: list[str] = []
        node: str | None = start
        while node is not None and node in edges and state.get(node) is None:
            state[node] = 1
            trail.append(node)
            node = edges[node]
        if node is not None and state.get(node) == 1 and node in trail:
            return [*trail[trail.index(node) :], node]
        for visited in trail:
            state[visited] = 2
    return None


def _check_parent_cycles(checker: Checker, index: int) -> None:
    units = checker.versions[index].get("units", [])
    cycle = _first_cycle({unit["key"]: unit.get("parent") for unit in units})
    if cycle:
        position = checker.units[index][cycle[0]]
        checker.report(("versions", index, "units", position, "parent"), f"cycle in parents: {' → '.join(cycle)}")


def _check_reporting_cycles(checker: Checker, index: int) -> None:
    posts = checker.versions[index].get("posts", [])
    cycle = _first_cycle({post["key"]: post.get("reports_to") for post in posts})
    if cycle:
        position = checker.posts[index][cycle[0]]
        checker.report(
            ("versions", index, "posts", position, "reports_to"), f"cycle in reports_to: {' → '.join(cycle)}"
        )


def validate(document: Document) -> None:
    """Raise StructureInvalid with every problem of the document; return quietly if it is valid."""
    if not isinstance(document.data, dict):
        raise StructureInvalid([document.error((), f"the document must be a mapping starting with 'format: {FORMAT}'")])
    # Unstorable characters first and alone: the messages below quote keys and values.
    errors = _character_errors(document) or list(_schema_errors(document))
    if errors:
        raise StructureInvalid(errors)
    checker = Checker(document)
    _check_municipality(checker)
    _check_versions(checker)
    for index in range(len(checker.versions)):
        _check_units(checker, index)
    for section in extensions.registry.structure_sections:
        section.check(checker)
    if checker.errors:
        raise StructureInvalid(checker.errors)
