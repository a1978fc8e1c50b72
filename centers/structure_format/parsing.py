"""Reading and writing structure documents: YAML and JSON with the line of every node, canonical dumps, and the
conversions of dates and optional texts between documents and models."""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.conf import settings

FORMAT = "orgmodel/1"
MAX_REPORTED_ERRORS = 50
# How deeply collections may nest. A structure document needs 7 levels; YAML and JSON parsers recurse per level,
# so deeper input is refused before it is composed or decoded.
MAX_NESTING = 64


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
    """A parsed structure document with the line of every node, for error messages. A JSON document keeps its
    text instead and finds the lines when the first error asks for one: json.loads reads a 3,000-unit file in
    a tenth of a second, and the line map of PyYAML's composer takes seconds."""

    data: Any
    name: str
    lines: dict[NodePath, int] = field(default_factory=dict)
    json_text: str | None = field(default=None, repr=False, compare=False)

    def line(self, path: NodePath) -> int:
        if self.json_text is not None:
            self.lines, self.json_text = _json_lines(self.json_text), None
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: NodePath, message: str) -> StructureError:
        return StructureError(self.line(path), format_path(path), message, self.name)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict) -> dict:
    """A copy of a resolver table without implicit dates; PyYAML's own table, shared by every loader and dumper
    in the process, stays as it is."""
    return {
        first: [(tag, regexp) for tag, regexp in mappings if tag != _TIMESTAMP] for first, mappings in resolvers.items()
    }


class _Refused(yaml.MarkedYAMLError):
    """Well-formed YAML that a structure file may not contain; reported as it is, at its line."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    return {bytes: "bytes", list: "a list", dict: "a mapping", set: "a set"}.get(type(value), type(value).__name__)


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates (dates stay ISO strings, as in JSON), without aliases, with string keys
    only, and nested at most MAX_NESTING collections deep (PyYAML's composer recurses once per level)."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)
    _nesting = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed in a structure file", event.start_mark
            )
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self._nesting += 1
        try:
            if self._nesting > MAX_NESTING:
                raise _Refused(f"the document nests deeper than {MAX_NESTING} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # a value its constructor fails on: a 5000-digit number, !!timestamp 2020-13-01
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value: {str(exc)[:200]}", node.start_mark
            ) from exc

    def construct_mapping(self, node, deep=False):
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                raise _Refused(f"a key must be a string, not {kind}", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise _Refused(
                    f"a key must be a string, not {_kind(key)} ({key_node.value[:40]}); quote it if it is text",
                    key_node.start_mark,
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """Block-style YAML whose plain scalars read back as the same strings through `_Loader`."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def character_problem(character: str) -> str:
    """Which character cannot be in a structure document (nor in a database column), and what it is."""
    code = f"U+{ord(character):04X}"
    if character == "\x00":
        return f"the character {code} (NUL)"
    category = unicodedata.category(character)
    if category == "Cs":
        return f"the character {code} (half of a surrogate pair: write the character itself)"
    return f"the character {code} ({'a control character' if category == 'Cc' else 'not a character'})"


# What a YAML file may hold (YAML 1.1's printable set, which PyYAML checks): every string of a document, from
# YAML or JSON, is held to it, so that both formats give the same verdict and every value can be stored.
UNSTORABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    loader = None
    try:
        loader = _Loader(text)  # checks that every character is printable
        node = loader.get_single_node()
        if node is None:
            raise StructureInvalid([StructureError(1, "", "the file is empty", name)])
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problem = f"{character_problem(chr(exc.character))} is not allowed in a structure file"
        raise StructureInvalid([StructureError(line, "", problem, name)]) from exc
    except _Refused as exc:
        raise StructureInvalid([StructureError(exc.problem_mark.line + 1, "", exc.problem, name)]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise StructureInvalid([StructureError(line, "", f"not valid YAML: {exc.problem or exc}", name)]) from exc
    except yaml.YAMLError as exc:
        raise StructureInvalid([StructureError(1, "", f"not valid YAML: {exc}", name)]) from exc
    finally:
        if loader is not None:
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


# A JSON string (with its escapes), a bracket, or a quote that opens a string never closed.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|"', re.DOTALL)


def _json_too_deep(text: str) -> int | None:
    """Where `text` first nests deeper than MAX_NESTING, counting brackets outside strings, without recursion
    (json.loads recurses once per level); None if it does not."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return match.start()
        elif token in ("]", "}"):
            depth -= 1
        elif token == '"':
            return None  # an unterminated string: json.loads says where
    return None


def _parse_json(text: str, name: str) -> Document:
    too_deep = False
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except RecursionError:  # nested far deeper than MAX_NESTING
        too_deep = True
    except json.JSONDecodeError as exc:
        raise StructureInvalid([StructureError(exc.lineno, "", f"not valid JSON: {exc.msg}", name)]) from exc
    except ValueError as exc:
        raise StructureInvalid([StructureError(1, "", f"not valid JSON: {exc}", name)]) from exc
    if too_deep or _nests_deeper(data, MAX_NESTING):
        line = text.count("\n", 0, _json_too_deep(text) or 0) + 1
        raise StructureInvalid([StructureError(line, "", f"the document nests deeper than {MAX_NESTING} levels", name)])
    return Document(data, name, json_text=text)


def _nests_deeper(data: Any, limit: int) -> bool:
    """Whether lists and mappings in `data` nest more than `limit` levels deep (walked without recursion)."""
    pending = [(data, 1)] if isinstance(data, dict | list) else []
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _json_lines(text: str) -> dict[NodePath, int]:
    """The line of every node of a JSON text (JSON is YAML: its composer knows them)."""
    lines: dict[NodePath, int] = {}
    try:
        _node_lines(yaml.compose(text, Loader=_Loader), (), lines)
    except yaml.YAMLError:
        return {}
    return lines


def parse_text(text: str, name: str, fmt: str | None = None) -> Document:
    """Parse `text` as JSON (``fmt="json"`` or a ``.json`` name) or YAML."""
    if not text.strip():
        raise StructureInvalid([StructureError(1, "", "the file is empty", name)])
    if fmt == "json" or (fmt is None and name.lower().endswith(".json")):
        return _parse_json(text, name)
    return _parse_yaml(text, name)


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, what: str) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((kind for test, kind in _FILE_KINDS if test(mode)), "not a plain file")
    return f"not a regular file ({kind}): {what} must be a plain file"


def _read_at_most(handle, count: int) -> bytes:
    return handle.read(count)


def read_file(path: str | os.PathLike, fmt: str | None = None, what: str = "a structure file") -> Document:
    """Read and parse a structure file (or, with `fmt` and `what`, another document, such as a Popolo file): only
    a regular file, refused before it is read when it is over the size limit, and never read beyond the limit (a
    file that grows meanwhile is refused too). `fmt` is yaml or json; by default the file name's ending decides."""
    name = os.fspath(path)
    limit = settings.ORGMODEL_MAX_STRUCTURE_BYTES
    megabytes = f"{limit / 1_048_576:.1f} MB (ORGMODEL_MAX_STRUCTURE_BYTES)"

    def refuse(message: str) -> StructureInvalid:
        return StructureInvalid([StructureError(1, "", message, name)])

    try:
        status = os.stat(name)
        if problem := _not_regular(status.st_mode, what):
            raise refuse(problem)
        if status.st_size > limit:
            raise refuse(f"the file is {status.st_size / 1_048_576:.1f} MB, more than the limit of {megabytes}")
        # O_NONBLOCK: should the file have been replaced by a FIFO since, opening it does not wait for a writer.
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            if problem := _not_regular(os.fstat(handle.fileno()).st_mode, what):
                raise refuse(problem)
            content = _read_at_most(handle, limit + 1)
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror}") from exc
    if len(content) > limit:
        raise refuse(f"the file is more than the limit of {megabytes}")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse("not a text file (it is not UTF-8)") from exc
    # Universal newlines, as a file opened in text mode reads them.
    return parse_text(text.replace("\r\n", "\n").replace("\r", "\n"), name, fmt)


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
