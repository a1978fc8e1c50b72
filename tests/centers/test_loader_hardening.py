"""The loader under hostile or careless input: every document gets a located verdict (`file:line path: message`),
never a traceback, and the same verdict on SQLite and PostgreSQL; several files load all or nothing; a replace
records its history in bulk; concurrent replaces of one municipality are serialised.

Security review D5, D8, D9, D11; code review B6, B7, B10.
"""

import io
import json
import os
import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, models
from django.db.models.signals import post_delete, pre_delete
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from simple_history.models import HistoricalRecords

from centers import structure_format
from centers.choices import PostKind, UnitKind
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Source, Task, Unit
from centers.slugs import RESERVED_SLUGS, reserved_slug_problem
from centers.structure_format import parsing
from centers.synthetic import synthetic_structure
from governance.models import BudgetResponsibility, Committee, CommitteeService, Forum, Membership, Network

from ..conftest import FIXTURES, TEST_DATA, uses_postgresql
from .test_load_structure import VALID, assert_located, line_of, mutate, refuse, row_counts

pytestmark = pytest.mark.django_db

WAIT = 10  # seconds: a read that takes longer than this has blocked


@pytest.fixture
def loaded():
    call_command("load_structure", str(TEST_DATA / "valid.yaml"), stdout=io.StringIO())
    return Municipality.objects.get(slug="testby")


def schema_node(*path: str) -> dict:
    node = structure_format.schema()
    for part in path:
        node = node[part]
    return node


def json_text(municipality: Municipality, change) -> str:
    """The exported JSON document of `municipality`, changed by `change(document)`."""
    document = structure_format.export(municipality)
    change(document)
    return structure_format.dump(document, "json")


# --- D5: version keys are one URL segment; slugs do not shadow the site's own pages ------------------------------


@pytest.mark.parametrize("key", ["2014/x", "..", ".", "2014 x", "-2014", "Efter-2017", "2014.1", "", "ø"])
def test_version_key_that_is_not_one_url_segment_is_refused(loaded, tmp_path, key):
    text = mutate('key: "2014"', f"key: {json.dumps(key, ensure_ascii=False)}")
    message = refuse(tmp_path, text)
    where = line_of(VALID, 'key: "2014"')
    assert_located(
        message, tmp_path / "bad.yaml", where, "versions[1].key", "is not a valid key: use lowercase letters"
    )


def test_every_fixture_version_key_is_a_valid_version_key():
    pattern = re.compile(schema_node("$defs", "version", "properties", "key")["pattern"])
    keys = {
        (path.name, version["key"])
        for path in [*sorted(FIXTURES.glob("*.yaml")), TEST_DATA / "valid.yaml"]
        for version in structure_format.read_file(path).data["versions"]
    }
    assert len(keys) >= 10
    assert [key for key in keys if not pattern.fullmatch(key[1])] == []


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_reserved_municipality_slug_is_refused(loaded, tmp_path, slug):
    text = mutate("slug: testby", f"slug: {slug}")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", 3, "municipality.slug", f"'{slug}' is reserved")


def test_reserved_slug_problem():
    assert reserved_slug_problem("assens") is None
    assert reserved_slug_problem("soeg").english == (
        "'soeg' is reserved: /soeg/ is a page of the site itself, so a municipality cannot have it as its slug"
    )
    assert reserved_slug_problem("soeg").message == "«soeg» er forbeholdt: /soeg/ er en side på selve sitet."
    assert reserved_slug_problem("ADMIN") is not None


def literal_first_segments(patterns, prefix: str = ""):
    """Every literal first path segment of the URL configuration, through includes."""
    for entry in patterns:
        pattern = entry.pattern
        route = str(pattern._route) if hasattr(pattern, "_route") else pattern._regex.lstrip("^").rstrip("$")
        route = prefix + route
        if "/" in route:
            segment = route.split("/", 1)[0]
            if re.fullmatch(r"[-\w.~]+", segment):
                yield segment
        elif isinstance(entry, URLResolver):
            yield from literal_first_segments(entry.url_patterns, route)
        elif route and re.fullmatch(r"[-\w.~]+", route):
            yield route


def test_every_top_level_page_is_a_reserved_slug():
    """A new top-level page (/api/, /konto/ …) must be added to RESERVED_SLUGS, or its URL would be shadowed by,
    or shadow, a municipality with that slug."""
    segments = set(literal_first_segments(get_resolver().url_patterns))
    segments |= {url.strip("/").split("/")[0] for url in (settings.STATIC_URL, settings.MEDIA_URL) if url.strip("/")}
    assert {"admin", "i18n", "soeg", "static"} <= segments  # the walk sees the pages
    slug_shaped = {segment for segment in segments if re.fullmatch(r"[-a-zA-Z0-9_]+", segment)}
    assert slug_shaped - RESERVED_SLUGS == set()


def test_reserved_slugs_are_slugs():
    pattern = re.compile(schema_node("properties", "municipality", "properties", "slug")["pattern"])
    assert {"admin", "api", "i18n", "soeg", "static", "media"} <= RESERVED_SLUGS
    assert [slug for slug in RESERVED_SLUGS if not pattern.fullmatch(slug)] == []


# --- D8: no traceback, whatever the input --------------------------------------------------------------------------


def nested(depth: int, flow: bool = True) -> str:
    """A YAML/JSON value of `depth` nested lists."""
    return "[" * depth + "]" * depth if flow else "".join("  " * level + "-\n" for level in range(depth))


@pytest.mark.parametrize("depth", [parsing.MAX_NESTING, 400, 20_000])
def test_deep_nesting_in_yaml_is_refused_before_it_is_composed(loaded, tmp_path, depth):
    text = VALID + "extra: " + nested(depth) + "\n"
    message = refuse(tmp_path, text)
    assert_located(
        message, tmp_path / "bad.yaml", text.count("\n"), "", f"nests deeper than {parsing.MAX_NESTING} levels"
    )


def test_deep_block_nesting_in_yaml_is_refused(loaded, tmp_path):
    text = VALID + "extra:\n" + "".join("  " * level + "- \n" for level in range(1, 1000)) + "  " * 1000 + "- x\n"
    message = refuse(tmp_path, text)
    line = VALID.count("\n") + 1 + parsing.MAX_NESTING  # the 65th collection: the mapping and 64 lists
    assert_located(message, tmp_path / "bad.yaml", line, "", f"nests deeper than {parsing.MAX_NESTING} levels")


@pytest.mark.parametrize("depth", [parsing.MAX_NESTING, 400, 20_000])
def test_deep_nesting_in_json_is_refused_before_it_is_parsed(loaded, tmp_path, depth):
    text = json_text(loaded, lambda document: None).replace('"note": null', f'"note": {nested(depth)}', 1)
    message = refuse(tmp_path, text, suffix=".json")
    where = line_of(text, '"note": [')
    assert_located(message, tmp_path / "bad.json", where, "", f"nests deeper than {parsing.MAX_NESTING} levels")


def test_brackets_inside_json_strings_do_not_count_as_nesting(loaded, tmp_path):
    text = json_text(loaded, lambda document: document.update(format="[" * 500 + '\\"{'))
    message = refuse(tmp_path, text, suffix=".json")
    assert_located(message, tmp_path / "bad.json", 2, "format", "must be 'orgmodel/1'")


def test_nesting_up_to_the_limit_parses():
    document = structure_format.parse_text("extra: " + nested(parsing.MAX_NESTING - 1) + "\n", "ok.yaml")
    assert document.data["extra"] == eval(nested(parsing.MAX_NESTING - 1))
    document = structure_format.parse_text('{"extra": ' + nested(parsing.MAX_NESTING - 1) + "}", "ok.json")
    assert document.data["extra"] == eval(nested(parsing.MAX_NESTING - 1))


@pytest.mark.parametrize(
    "character, shown",
    [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\ufffe", "U+FFFE")],
)
def test_non_printable_character_in_yaml_is_refused(loaded, tmp_path, character, shown):
    text = mutate("name: Direktionen", f"name: Direk{character}tionen")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", line_of(text, "Direk"), "", re.escape(f"the character {shown}"))


@pytest.mark.parametrize("escape, shown", [("\\0", "U+0000"), ("\\x07", "U+0007"), ("\\ud800", "U+D800")])
def test_escaped_unstorable_character_in_yaml_is_refused(loaded, tmp_path, escape, shown):
    text = mutate("name: Direktionen", f'name: "Direk{escape}tionen"')
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "Direk"),
        "versions[0].units[0].name",
        re.escape(f"contains the character {shown}"),
    )


@pytest.mark.parametrize("character, shown", [("\x00", "U+0000"), ("\x01", "U+0001"), ("\ud800", "U+D800")])
def test_escaped_unstorable_character_in_json_is_refused(loaded, tmp_path, character, shown):
    def change(document):
        document["versions"][1]["units"][1]["name"] = f"Center{character}"
        document["people"][0]["note"] = f"note{character}"

    text = json_text(loaded, change).replace("\ud800", "\\ud800")  # a lone surrogate is written escaped
    assert f"Center\\u{ord(character):04x}" in text
    message = refuse(tmp_path, text, suffix=".json")
    where = line_of(text, "Center\\u")
    assert_located(message, tmp_path / "bad.json", where, "versions[1].units[1].name", re.escape(shown))
    assert_located(message, tmp_path / "bad.json", line_of(text, "note\\u"), "people[0].note", re.escape(shown))


@pytest.mark.parametrize(
    "line, shown",
    [
        ("~: x", "null"),
        ("null: x", "null"),
        ("1: x", "a number"),
        ("2.5: x", "a number"),
        ("yes: x", "a boolean"),
        ("!!binary aGk=: x", "bytes"),
        ("!!timestamp 2020-01-01: x", "a date"),
        ("? [a, b]\n: x", "a list"),
        ("? {a: b}\n: x", "a mapping"),
    ],
)
def test_key_that_is_not_a_string_is_refused(loaded, tmp_path, line, shown):
    text = VALID + line + "\n"
    message = refuse(tmp_path, text)
    assert_located(
        message, tmp_path / "bad.yaml", VALID.count("\n") + 1, "", f"a key must be a string, not {re.escape(shown)}"
    )


def test_key_that_is_not_a_string_inside_a_unit_is_refused(loaded, tmp_path):
    text = mutate("{key: skolen,", "{1: x, key: skolen,")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", line_of(text, "{1: x"), "", "a key must be a string")


@pytest.mark.parametrize(
    "old, field, where",
    [
        ("name_en: Centre for Traffic and Property", "name_en", "versions[1].units[1].name_en"),
        ("file: t1.txt", "file", "sources[0].file"),
        ("role: formand", "role", "memberships[0].role"),
        ("decided_by: Kommunalbestyrelsen", "decided_by", "versions[1].decided_by"),
        ("name_en: Finance Committee", "name_en", "committees[1].name_en"),
        ("frequency: 3-4 gange årligt", "frequency", "versions[1].networks[0].frequency"),
    ],
)
def test_string_longer_than_its_column_is_refused(loaded, tmp_path, old, field, where):
    limit = {"name_en": 300, "file": 200, "role": 100, "decided_by": 200, "frequency": 200}[field]
    text = mutate(old, f"{field}: {'æ' * (limit + 1)}")
    message = refuse(tmp_path, text)
    assert_located(
        message, tmp_path / "bad.yaml", line_of(text, "æææ"), where, f"{limit + 1} characters, at most {limit}"
    )


def test_string_as_long_as_its_column_loads_on_every_database(tmp_path):
    """PostgreSQL counts characters, not bytes: 300 × 'ø' fits a varchar(300), as the schema says."""
    text = mutate("name_en: Centre for Traffic and Property", f"name_en: {'ø' * 300}")
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("load_structure", str(path), stdout=io.StringIO())
    assert Unit.objects.get(key="center-trafik-ejendomme").name_en == "ø" * 300


# Which model each object of the schema is written to.
SCHEMA_MODELS = {
    ("properties", "municipality"): Municipality,
    ("$defs", "source"): Source,
    ("$defs", "person"): Person,
    ("$defs", "committee"): Committee,
    ("$defs", "membership"): Membership,
    ("$defs", "version"): OrgVersion,
    ("$defs", "unit"): Unit,
    ("$defs", "task"): Task,
    ("$defs", "post"): Post,
    ("$defs", "duty"): Duty,
    ("$defs", "committee_service"): CommitteeService,
    ("$defs", "forum"): Forum,
    ("$defs", "network"): Network,
    ("$defs", "budget_responsibility"): BudgetResponsibility,
}


def is_string(node: dict) -> bool:
    kind = node.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def test_every_schema_object_has_its_model():
    objects = {("$defs", name) for name in schema_node("$defs")} | {("properties", "municipality")}
    assert objects == set(SCHEMA_MODELS)


@pytest.mark.parametrize("path", list(SCHEMA_MODELS), ids=[path[-1] for path in SCHEMA_MODELS])
def test_schema_max_length_is_the_column_length(path):
    """Every string of the schema is bounded by the column it is stored in (or the key column it refers to), so
    SQLite, which does not enforce lengths, and PostgreSQL, which does, give the same verdict."""
    model = SCHEMA_MODELS[path]
    checked = 0
    for name, node in schema_node(*path)["properties"].items():
        field = model._meta.get_field(name)
        if node.get("type") == "array" and is_string(node["items"]):
            node = node["items"]
        if not is_string(node):
            continue
        if isinstance(field, models.TextField):
            assert "maxLength" not in node, f"{model.__name__}.{name} is a text column"
            continue
        if isinstance(field, models.DateField):
            assert node["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", f"{model.__name__}.{name}"
            continue
        if field.is_relation:
            field = field.related_model._meta.get_field("key")
        assert isinstance(field, models.CharField), f"{model.__name__}.{name}"
        assert node.get("maxLength") == field.max_length, f"{model.__name__}.{name}"
        checked += 1
    assert checked


VOCABULARIES = [
    (("$defs", "unit", "properties", "kind"), UnitKind, Unit, "kind"),
    (("$defs", "post", "properties", "kind"), PostKind, Post, "kind"),
    (("$defs", "version", "properties", "status"), OrgVersion.Status, OrgVersion, "status"),
    (("$defs", "committee", "properties", "kind"), Committee.Kind, Committee, "kind"),
    (("$defs", "committee_service", "properties", "role"), CommitteeService.Role, CommitteeService, "role"),
    (("$defs", "forum", "properties", "kind"), Forum.Kind, Forum, "kind"),
    (("$defs", "network", "properties", "kind"), Network.Kind, Network, "kind"),
]


@pytest.mark.parametrize("path, choices, model, name", VOCABULARIES, ids=[v[1].__qualname__ for v in VOCABULARIES])
def test_schema_enum_is_the_models_choices(path, choices, model, name):
    field = model._meta.get_field(name)
    assert schema_node(*path)["enum"] == list(choices.values)
    assert list(dict(field.choices)) == list(choices.values)
    assert max(len(value) for value in choices.values) <= field.max_length


def test_every_schema_enum_is_a_known_vocabulary():
    def enums(node, path=()):
        if isinstance(node, dict):
            if "enum" in node:
                yield path
            for key, child in node.items():
                yield from enums(child, (*path, key))

    assert set(enums(structure_format.schema())) == {vocabulary[0] for vocabulary in VOCABULARIES}


@pytest.mark.parametrize(
    "old, new, where, repeated",
    [
        (
            "formed_from: [center-veje, center-ejendomme]",
            "formed_from: [center-veje, center-veje]",
            "versions[1].units[1].formed_from",
            "center-veje",
        ),
        (
            "member_units: [center-trafik-ejendomme], member_posts",
            "member_units: [center-trafik-ejendomme, center-trafik-ejendomme], member_posts",
            "versions[1].forums[0].member_units",
            "center-trafik-ejendomme",
        ),
        (
            "member_posts: [kommunaldirektoer, direktoer-teknik]",
            "member_posts: [kommunaldirektoer, kommunaldirektoer]",
            "versions[1].forums[0].member_posts",
            "kommunaldirektoer",
        ),
    ],
)
def test_repeated_reference_in_a_list_is_refused(loaded, tmp_path, old, new, where, repeated):
    text = mutate(old, new)
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", line_of(text, new), where, f"'{repeated}' is listed twice")


def test_kommunekode_of_another_municipality_is_refused(loaded, tmp_path):
    text = mutate("slug: testby", "slug: andeby")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        3,
        "municipality.kommunekode",
        "kommunekode 999 is already the kommunekode of municipality 'testby'",
    )


@pytest.mark.parametrize("value", ["!!timestamp soon", "!!timestamp 2014-13-01", "!!int 12x", "!!float x"])
def test_explicitly_tagged_value_its_constructor_cannot_read_is_refused(loaded, tmp_path, value):
    """Found by fuzzing: PyYAML's own constructors fail with AttributeError or ValueError on these."""
    text = mutate("decided_on: 2014-03-27", f"decided_on: {value}")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", line_of(text, value), "", "not valid YAML: cannot read the value")


def test_huge_integer_is_refused(loaded, tmp_path):
    text = mutate("kommunekode: 999", f"kommunekode: {'9' * 5001}")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", 3, "", "not valid YAML")


# --- D9: only regular files are read, and never more than the limit --------------------------------------------


def read_in_thread(path: Path) -> BaseException | None:
    """read_file(path) in a thread; fail if it does not return within WAIT seconds."""
    outcome: list[BaseException | None] = []

    def read():
        try:
            structure_format.read_file(path)
            outcome.append(None)
        except BaseException as exc:  # noqa: B036 - handed to the test
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    began = time.perf_counter()
    reader.start()
    reader.join(timeout=WAIT)
    blocked = reader.is_alive()
    if blocked and stat_is_fifo(path):  # unblock the reader so that it does not outlive the test
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=WAIT)
    assert not blocked, f"read_file({path}) did not return within {WAIT} s"
    assert time.perf_counter() - began < WAIT
    return outcome[0]


def stat_is_fifo(path: Path) -> bool:
    import stat

    return stat.S_ISFIFO(os.stat(path).st_mode)


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_what_is_not_a_regular_file_is_refused_at_once(loaded, tmp_path, kind):
    path = tmp_path / "special.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    error = read_in_thread(path)
    assert isinstance(error, structure_format.StructureInvalid), repr(error)
    assert_located(str(error), path, 1, "", "not a regular file")
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    assert_located(str(raised.value), path, 1, "", "not a regular file")
    assert row_counts() == before


def test_a_file_that_grows_after_its_size_was_checked_is_read_only_to_the_limit(tmp_path, settings, monkeypatch):
    settings.ORGMODEL_MAX_STRUCTURE_BYTES = 1000
    small, path = tmp_path / "small.yaml", tmp_path / "grown.yaml"
    small.write_text("format: orgmodel/1\n", encoding="utf-8")
    path.write_text("format: orgmodel/1\n" + "# padding\n" * 10_000, encoding="utf-8")
    real_stat, read_sizes = os.stat, []
    # The size check sees the file as it was (small); by the time it is read it has grown to 100 kB.
    monkeypatch.setattr(parsing.os, "stat", lambda name, *args, **kwargs: real_stat(small))
    real_read = parsing._read_at_most

    def recording_read(handle, limit):
        data = real_read(handle, limit)
        read_sizes.append(len(data))
        return data

    monkeypatch.setattr(parsing, "_read_at_most", recording_read)
    with pytest.raises(structure_format.StructureInvalid) as raised:
        structure_format.read_file(path)
    assert_located(str(raised.value), path, 1, "", "more than the limit of 0.0 MB")
    assert read_sizes == [1001]


def test_crlf_files_still_load(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(VALID.replace("\n", "\r\n").encode("utf-8"))
    call_command("load_structure", str(path), stdout=io.StringIO())
    assert Municipality.objects.filter(slug="testby").exists()


# --- B10: one command, one transaction ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ANDEBY = VALID.replace(
    "slug: testby, name: Testby Kommune, kommunekode: 999", "slug: andeby, name: Andeby, kommunekode: 998"
)


def test_a_broken_second_file_leaves_the_first_unloaded(tmp_path):
    first = write(tmp_path, "a.yaml", ANDEBY)
    second = write(tmp_path, "b.yaml", VALID.replace("status: previous", "status: old"))
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(first), str(second), stdout=io.StringIO())
    assert row_counts() == before
    message = str(raised.value)
    assert_located(message, second, line_of(VALID, "status: previous"), "versions[0].status", "unknown value 'old'")
    assert "1 of 2 files refused, nothing was written" in message


def test_every_files_errors_are_reported(tmp_path):
    first = write(tmp_path, "a.yaml", ANDEBY.replace("role: serves", "role: helps"))
    second = write(tmp_path, "b.yaml", VALID.replace("status: previous", "status: old"))
    third = write(tmp_path, "c.yaml", "format: [\n")
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(first), str(second), str(third), stdout=io.StringIO())
    assert row_counts() == before
    message = str(raised.value)
    assert_located(message, first, line_of(VALID, "role: serves"), "versions[1].committee_services[0].role", "helps")
    assert_located(message, second, line_of(VALID, "status: previous"), "versions[0].status", "old")
    assert re.search(f"{re.escape(str(third))}:\\d+: not valid YAML", message), message
    assert message.index(str(first)) < message.index(str(second)) < message.index(str(third))
    assert "3 of 3 files refused, nothing was written" in message


def test_a_second_file_refused_when_writing_leaves_the_first_unloaded(loaded, tmp_path):
    """The second file is valid, but its municipality is already loaded and --replace was not given."""
    first = write(tmp_path, "a.yaml", ANDEBY)
    before = row_counts()
    with pytest.raises(CommandError, match="municipality 'testby' is already loaded; use --replace"):
        call_command("load_structure", str(first), str(TEST_DATA / "valid.yaml"), stdout=io.StringIO())
    assert row_counts() == before
    assert not Municipality.objects.filter(slug="andeby").exists()


def test_one_municipality_twice_in_one_command_is_refused(tmp_path):
    first = write(tmp_path, "a.yaml", ANDEBY)
    second = write(tmp_path, "b.yaml", ANDEBY.replace("kommunekode: 998", "kommunekode: 997"))
    third = write(tmp_path, "c.yaml", VALID.replace("kommunekode: 999", "kommunekode: 998"))
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(first), str(second), str(third), "--replace", stdout=io.StringIO())
    assert row_counts() == before
    message = str(raised.value)
    assert_located(message, second, 3, "municipality.slug", f"municipality 'andeby' is also in {first}")
    assert_located(message, third, 3, "municipality.kommunekode", f"kommunekode 998 is also in {first}")


def test_several_files_load_in_one_command(tmp_path):
    first = write(tmp_path, "a.yaml", ANDEBY)
    out = io.StringIO()
    call_command("load_structure", str(first), str(TEST_DATA / "valid.yaml"), stdout=out)
    assert sorted(Municipality.objects.values_list("slug", flat=True)) == ["andeby", "testby"]
    assert out.getvalue().splitlines() == [
        f"{first}: loaded Andeby (2 versions)",
        f"{TEST_DATA / 'valid.yaml'}: loaded Testby Kommune (2 versions)",
    ]


# --- B6, B7: history in bulk -----------------------------------------------------------------------------------


def history_models() -> list[type[models.Model]]:
    return [
        model
        for app in ("centers", "governance")
        for model in apps.get_app_config(app).get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def test_every_model_with_history_is_written_by_the_loader():
    assert set(history_models()) == {
        Municipality,
        Source,
        Person,
        OrgVersion,
        Unit,
        Post,
        Duty,
        Task,
        Committee,
        Membership,
        CommitteeService,
        Forum,
        Network,
        BudgetResponsibility,
    }


def test_a_load_records_one_baseline_per_row(valid_document):
    structure_format.load(valid_document)
    for model in history_models():
        rows = list(model.objects.values_list("pk", flat=True))
        assert rows, model.__name__
        history = model.history.all()
        assert sorted(history.values_list("id", flat=True)) == sorted(rows), model.__name__
        assert set(history.values_list("history_type", "history_change_reason")) == {("+", "load")}, model.__name__
    # Forums and networks keep their members in their history: the first edit of a member list diffs against them.
    forum = Forum.objects.get(key="koncernledelse")
    baseline = forum.history.get()
    assert [link.unit_id for link in baseline.member_units.all()] == [unit.pk for unit in forum.member_units.all()]
    assert sorted(link.post_id for link in baseline.member_posts.all()) == sorted(
        post.pk for post in forum.member_posts.all()
    )


def test_a_replace_records_the_deletion_of_every_row(loaded, valid_document):
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in history_models()}
    rows_before = {label: count for label, count in row_counts().items() if ".Historical" not in label}
    structure_format.load(valid_document, replace=True)
    assert {label: count for label, count in row_counts().items() if ".Historical" not in label} == rows_before
    for model, rows in before.items():
        assert not model.objects.filter(pk__in=rows).exists(), model.__name__
    for model, rows in before.items():
        deleted = model.history.filter(history_type="-")
        assert set(deleted.values_list("id", flat=True)) == rows, model.__name__
        assert deleted.count() == len(rows), model.__name__
        assert set(deleted.values_list("history_change_reason", flat=True)) == {"replace"}, model.__name__
        assert model.history.filter(history_type="+").count() == 2 * len(rows), model.__name__
    deleted_forum = Forum.history.get(history_type="-")
    assert deleted_forum.key == "koncernledelse" and deleted_forum.member_posts.count() == 2
    assert Municipality.objects.get().history.get().history_change_reason == "load"


def test_only_history_listens_to_deletes():
    """The bulk replace records deletions in bulk instead of sending a delete signal per row: that is only right
    while django-simple-history is the only listener. A new listener must be taken into account there."""
    for signal in (pre_delete, post_delete):
        for model in [model for app in ("centers", "governance") for model in apps.get_app_config(app).get_models()]:
            for receiver in signal._live_receivers(model)[0]:
                assert isinstance(getattr(receiver, "__self__", None), HistoricalRecords), (model, receiver)


def replace_queries(size: int, kommunekode: int) -> list[str]:
    structure_format.load(synthetic_structure(f"stor-{size}", size, kommunekode=kommunekode, fan_out=20))
    document = synthetic_structure(f"stor-{size}", size, kommunekode=kommunekode, fan_out=20)
    with CaptureQueriesContext(connection) as queries:
        structure_format.load(document, replace=True)
    return [query["sql"] for query in queries.captured_queries]


def test_replace_costs_the_same_number_of_queries_whatever_the_size(monkeypatch):
    if connection.vendor == "sqlite":
        # Django splits bulk statements at 999 parameters, the compile-time limit of old SQLite builds; lift it
        # to this build's real limit, so that the count is of statements per model, not per 999 parameters.
        limit = sqlite3.connect(":memory:").getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(connection.features, "max_query_params", limit)
    small, large = replace_queries(50, 990), replace_queries(400, 991)
    assert Unit.history.filter(history_type="-").count() == 450
    print(f"\nreplace: {len(small)} queries for 50 units, {len(large)} for 400 units ({connection.vendor})")
    assert len(small) == len(large), "\n".join(large)
    # Locks, the rows to delete, the history of the deleted and written rows, then two statements per table
    # written (its ids, its rows): about 80.
    assert len(large) < 85


# --- D11: concurrent replaces of one municipality --------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_replaces_of_one_municipality_are_serialised():
    assert uses_postgresql()
    structure_format.load(structure_format.read_file(TEST_DATA / "valid.yaml"))
    threads, errors = 3, []
    start = threading.Barrier(threads)

    def replace():
        try:
            document = structure_format.read_file(TEST_DATA / "valid.yaml")
            start.wait(timeout=WAIT)
            structure_format.load(document, replace=True)
        except BaseException as exc:  # noqa: B036 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=replace, name=f"loader-{index}") for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=WAIT * 6)
    assert not any(worker.is_alive() for worker in workers), "a load hung"
    assert errors == []
    municipality = Municipality.objects.get()
    assert municipality.slug == "testby" and municipality.versions.count() == 2
    assert Unit.objects.count() == 6
    assert Municipality.history.filter(history_type="-").count() == threads
