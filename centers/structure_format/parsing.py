"""Reading and writing structure documents: YAML and JSON with the line of every node, canonical dumps, and the
conversions of dates and optional texts between documents and models."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.conf import settings

FORMAT = "orgmodel/1"
MAX_REPORTED_ERRORS = 50

NodePath = tuple[str | int, ...]


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


def format_path(path: NodePath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class Document:
    """A parsed structure document with the line of every node, for error messages."""

    data: Any
    name: str
    lines: dict[NodePath, int] = field(default_factory=dict)

    def line(self, path: NodePath) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: NodePath, message: str) -> StructureError:
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


def _node_lines(node: yaml.Node, path: NodePath, lines: dict[NodePath, int]) -> None:
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
    lines: dict[NodePath, int] = {}
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
    lines: dict[NodePath, int] = {}
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


# --- serialisation ------------------------------------------------------------------------------


def dump(data: dict, fmt: str) -> str:
    """Serialise an exported document canonically: the same data always gives the same bytes."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
