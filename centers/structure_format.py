"""The structure format (orgmodel/1): parsing with line numbers, validation, canonical serialisation.

A document is validated in full before anything is written: first its shape against the JSON Schema
(`schema/orgmodel-1.schema.json`), then its references and rules. Every problem is reported as
``file:line path: message``. Apps that own part of the document (governance) register a section.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import jsonschema
import yaml
from django.conf import settings

from .models import CONTAINER_UNIT_KINDS, DIRECTOR_POST_KINDS

FORMAT = "orgmodel/1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "orgmodel-1.schema.json"
MAX_REPORTED_ERRORS = 50

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class StructureError:
    line: int
    path: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}"
        return f"{location} {self.path}: {self.message}" if self.path else f"{location}: {self.message}"


class StructureInvalid(Exception):
    """The document breaks the format; `errors` says where and how. Nothing was written."""

    def __init__(self, errors: Iterable[StructureError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(error) for error in self.errors[:MAX_REPORTED_ERRORS]))


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class Document:
    """A parsed structure document with the line of every node, for error messages."""

    data: Any
    name: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: Path_, message: str) -> StructureError:
        return StructureError(self.line(path), format_path(path), message, self.name)


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates (dates stay ISO strings, as in JSON) and without aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in a structure file", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """Block-style YAML whose plain scalars read back as the same strings through `_Loader`."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


for _resolvers in (_Loader.yaml_implicit_resolvers, _Dumper.yaml_implicit_resolvers):
    for _first, _mappings in list(_resolvers.items()):
        _resolvers[_first] = [(tag, regexp) for tag, regexp in _mappings if tag != "tag:yaml.org,2002:timestamp"]


def _node_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            _node_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), lines)


def _parse_yaml(text: str, name: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise StructureInvalid([StructureError(1, "", "the file is empty", name)])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise StructureInvalid([StructureError(line, "", f"not valid YAML: {exc.problem or exc}", name)]) from exc
    except yaml.YAMLError as exc:
        raise StructureInvalid([StructureError(1, "", f"not valid YAML: {exc}", name)]) from exc
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _node_lines(node, (), lines)
    return Document(data, name, lines)


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _parse_json(text: str, name: str) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise StructureInvalid([StructureError(exc.lineno, "", f"not valid JSON: {exc.msg}", name)]) from exc
    except ValueError as exc:
        raise StructureInvalid([StructureError(1, "", f"not valid JSON: {exc}", name)]) from exc
    lines: dict[Path_, int] = {}
    try:  # JSON is YAML: its composer gives the line of every node.
        _node_lines(yaml.compose(text, Loader=_Loader), (), lines)
    except yaml.YAMLError:
        lines = {}
    return Document(data, name, lines)


def parse_text(text: str, name: str, fmt: str | None = None) -> Document:
    """Parse `text` as JSON (``fmt="json"`` or a ``.json`` name) or YAML."""
    if not text.strip():
        raise StructureInvalid([StructureError(1, "", "the file is empty", name)])
    if fmt == "json" or (fmt is None and name.lower().endswith(".json")):
        return _parse_json(text, name)
    return _parse_yaml(text, name)


def read_file(path: str | os.PathLike) -> Document:
    """Read and parse a structure file, refusing an oversized file before reading it."""
    name = os.fspath(path)
    limit = settings.ORGMODEL_MAX_STRUCTURE_BYTES
    try:
        size = os.path.getsize(name)
        if size > limit:
            raise StructureInvalid(
                [
                    StructureError(
                        1,
                        "",
                        f"the file is {size / 1_048_576:.1f} MB, more than the limit of "
                        f"{limit / 1_048_576:.1f} MB (ORGMODEL_MAX_STRUCTURE_BYTES)",
                        name,
                    )
                ]
            )
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise StructureInvalid([StructureError(1, "", "not a text file (it is not UTF-8)", name)]) from exc
    except OSError as exc:
        raise StructureInvalid([StructureError(1, "", f"cannot read the file: {exc.strerror}", name)]) from exc
    return parse_text(text, name)


# --- validation ---------------------------------------------------------------------------------


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


def _schema_errors(document: Document) -> Iterator[StructureError]:
    validator = jsonschema.Draft202012Validator(schema())
    for error in validator.iter_errors(document.data):
        path: Path_ = tuple(error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            yield document.error(path, f"missing required key '{missing}'")
        elif error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(allowed)):
                yield document.error((*path, key), f"unknown key '{key}'; allowed keys: {', '.join(allowed)}")
        elif error.validator == "enum":
            choices = ", ".join(str(choice) for choice in error.validator_value)
            yield document.error(path, f"unknown value {error.instance!r}; expected one of: {choices}")
        elif error.validator == "const":
            yield document.error(path, f"must be {error.validator_value!r}, not {error.instance!r}")
        elif error.validator == "type":
            expected = error.validator_value
            expected = " or ".join(expected) if isinstance(expected, list) else expected
            yield document.error(path, f"expected {expected}, got {_describe(error.instance)}")
        elif error.validator == "pattern" and path and path[-1] in DATE_FIELDS:
            yield document.error(path, f"bad date {error.instance!r}: write it as YYYY-MM-DD")
        elif error.validator == "pattern":
            yield document.error(
                path, f"{error.instance!r} is not a valid key: use lowercase letters, digits and hyphens"
            )
        else:
            yield document.error(path, error.message)


DATE_FIELDS = frozenset({"effective_from", "effective_to", "decided_on", "start", "end"})


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def format_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def stored_text(value: str | None) -> str:
    """A document's optional text as a model stores it: null becomes the empty string."""
    return value or ""


def document_text(value: str) -> str | None:
    """A model's optional text as a document writes it: the empty string becomes null."""
    return value or None


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

    def report(self, path: Path_, message: str) -> None:
        self.errors.append(self.document.error(path, message))

    def unique(self, items: list[dict], base: Path_, what: str, key: str = "key") -> None:
        first: dict[str, int] = {}
        for position, item in enumerate(items):
            value = item[key]
            if value in first:
                line = self.document.line((*base, first[value]))
                self.report((*base, position, key), f"duplicate {what} key '{value}' (first on line {line})")
            else:
                first[value] = position

    def _resolve(self, table: list[dict[str, int]], what: str, index: int, value, path: Path_) -> bool:
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

    def unit(self, version_index: int, value: str | None, path: Path_) -> bool:
        return self._resolve(self.units, "unit", version_index, value, path)

    def post(self, version_index: int, value: str | None, path: Path_) -> bool:
        return self._resolve(self.posts, "post", version_index, value, path)

    def units_list(self, version_index: int, values: list[str], path: Path_) -> None:
        for position, value in enumerate(values):
            self.unit(version_index, value, (*path, position))

    def posts_list(self, version_index: int, values: list[str], path: Path_) -> None:
        for position, value in enumerate(values):
            self.post(version_index, value, (*path, position))

    def date(self, value: str | None, path: Path_) -> datetime.date | None:
        try:
            return parse_date(value)
        except ValueError as exc:
            self.report(path, f"bad date {value!r}: {exc}")
            return None


class StructureSection(Protocol):
    """Part of the document owned by another app (governance): checked, written and exported by it."""

    def check(self, checker: Checker) -> None: ...

    def write(self, municipality, data: dict, versions: dict, units: dict, posts: dict, people: dict) -> None: ...

    def export(self, municipality, versions: list) -> tuple[dict, dict]: ...


_sections: list[StructureSection] = []


def register_section(section: StructureSection) -> None:
    if not any(type(existing) is type(section) for existing in _sections):
        _sections.append(section)


def sections() -> list[StructureSection]:
    return list(_sections)


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
        base: Path_ = ("versions", index)
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
    base: Path_ = ("versions", index)
    units, posts = version.get("units", []), version.get("posts", [])
    checker.unique(units, (*base, "units"), "unit")
    checker.unique(posts, (*base, "posts"), "post")
    task_first: dict[str, tuple[int, int]] = {}
    based_on = checker.version_keys.get(version.get("based_on"))
    for position, unit in enumerate(units):
        path = (*base, "units", position)
        if checker.unit(index, unit.get("parent"), (*path, "parent")) and unit.get("parent"):
            parent = units[checker.units[index][unit["parent"]]]
            if unit["kind"] == "directorate":
                checker.report((*path, "parent"), "a directorate is the top of its tree and has no parent")
            elif parent["kind"] == "institution" and unit["kind"] in CONTAINER_UNIT_KINDS:
                checker.report(
                    (*path, "parent"),
                    f"an institution ('{parent['key']}') cannot hold a unit of kind {unit['kind']}",
                )
        if checker.post(index, unit.get("head"), (*path, "head")) and unit.get("head"):
            head = posts[checker.posts[index][unit["head"]]]
            if head.get("unit") != unit["key"]:
                checker.report(
                    (*path, "head"),
                    f"head post '{head['key']}' belongs to unit '{head.get('unit')}', not to '{unit['key']}'",
                )
        if checker.post(index, unit.get("responsible"), (*path, "responsible")) and unit.get("responsible"):
            responsible = posts[checker.posts[index][unit["responsible"]]]
            if responsible["kind"] not in DIRECTOR_POST_KINDS:
                checker.report(
                    (*path, "responsible"),
                    f"responsible post '{responsible['key']}' is a {responsible['kind']} post, not a director",
                )
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
    errors = list(_schema_errors(document))
    if errors:
        raise StructureInvalid(errors)
    checker = Checker(document)
    _check_versions(checker)
    for index in range(len(checker.versions)):
        _check_units(checker, index)
    for section in sections():
        section.check(checker)
    if checker.errors:
        raise StructureInvalid(checker.errors)


# --- serialisation ------------------------------------------------------------------------------


def dump(data: dict, fmt: str) -> str:
    """Serialise an exported document canonically: the same data always gives the same bytes."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
