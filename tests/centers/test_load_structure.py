"""load_structure refuses every class of bad input with file, line and path, and writes nothing."""

import datetime
import io
import re
import tracemalloc
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from centers import structure_format
from centers.models import Municipality

from ..conftest import TEST_DATA

VALID = (TEST_DATA / "valid.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("centers", "governance")
        for model in apps.get_app_config(app).get_models()
    }


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th occurrence of `needle` in `text`."""
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def mutate(old: str, new: str, occurrence: int = 1) -> str:
    parts = VALID.split(old)
    assert len(parts) > occurrence, f"{old!r} occurs fewer than {occurrence} times in valid.yaml"
    return old.join(parts[:occurrence]) + new + old.join(parts[occurrence:])


@pytest.fixture
def loaded():
    """The valid document is already loaded: a refused --replace must leave it exactly as it was."""
    call_command("load_structure", str(TEST_DATA / "valid.yaml"), stdout=io.StringIO())
    return Municipality.objects.get(slug="testby")


def refuse(tmp_path: Path, text: str, suffix: str = ".yaml") -> str:
    """Load `text` with --replace over the loaded document; return the error, asserting nothing changed."""
    before_counts = row_counts()
    before_export = structure_format.dump(structure_format.export(Municipality.objects.get(slug="testby")), "yaml")
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    assert row_counts() == before_counts
    after_export = structure_format.dump(structure_format.export(Municipality.objects.get(slug="testby")), "yaml")
    assert after_export == before_export
    return str(raised.value)


def assert_located(message: str, path: Path, line: int, where: str, what: str) -> None:
    expected = f"{path}:{line} {where}: " if where else f"{path}:{line}: "
    assert expected in message, message
    assert re.search(what, message), message


def test_not_yaml(loaded, tmp_path):
    text = VALID.replace("label: Organisation 2011", "label: [Organisation 2011")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", line_of(text, "status: previous"), "", "not valid YAML")


def test_not_json(loaded, tmp_path):
    text = '{\n  "format": "orgmodel/1",\n  "municipality": ,\n}\n'
    message = refuse(tmp_path, text, suffix=".json")
    assert_located(message, tmp_path / "bad.json", 3, "", "not valid JSON: Expecting value")


def test_wrong_format(loaded, tmp_path):
    text = mutate("format: orgmodel/1", "format: orgmodel/2")
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", 2, "format", "must be 'orgmodel/1', not 'orgmodel/2'")


def test_missing_required_key(loaded, tmp_path):
    text = mutate("    label: Organisation 2011\n", "")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, 'key: "2011"'),
        r"versions[0]",
        "missing required key 'label'",
    )


def test_unknown_key(loaded, tmp_path):
    text = mutate('        source: "T1 afsnit 3.4"', '        colour: red\n        source: "T1 afsnit 3.4"')
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "colour: red"),
        "versions[1].units[1].colour",
        "unknown key 'colour'",
    )


def test_unknown_key_in_json_names_its_line(loaded, tmp_path):
    document = structure_format.export(loaded)
    document["versions"][1]["units"][1]["colour"] = "red"
    text = structure_format.dump(document, "json")
    message = refuse(tmp_path, text, suffix=".json")
    assert_located(
        message,
        tmp_path / "bad.json",
        line_of(text, '"colour"'),
        "versions[1].units[1].colour",
        "unknown key 'colour'",
    )


def test_wrong_type(loaded, tmp_path):
    text = mutate("kommunekode: 999", 'kommunekode: "nine"')
    message = refuse(tmp_path, text)
    assert_located(message, tmp_path / "bad.yaml", 3, "municipality.kommunekode", "expected integer, got a string")


def test_unknown_unit_kind(loaded, tmp_path):
    text = mutate("        kind: centre\n", "        kind: center\n")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "kind: center\n"),
        "versions[1].units[1].kind",
        "unknown value 'center'; expected one of: directorate, director_area, centre",
    )


def test_unknown_status(loaded, tmp_path):
    text = mutate("status: previous", "status: old")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "status: old"),
        "versions[0].status",
        "unknown value 'old'",
    )


def test_unknown_role(loaded, tmp_path):
    text = mutate("role: serves", "role: helps")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "role: helps"),
        "versions[1].committee_services[0].role",
        "unknown value 'helps'",
    )


def test_bad_date(loaded, tmp_path):
    text = mutate("effective_from: 2014-05-01", "effective_from: 2014-13-01")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "2014-13-01"),
        "versions[1].effective_from",
        "bad date '2014-13-01': month must be in 1..12",
    )


def test_date_in_words(loaded, tmp_path):
    text = mutate("decided_on: 2014-03-27", 'decided_on: "27. marts 2014"')
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "27. marts"),
        "versions[1].decided_on",
        "write it as YYYY-MM-DD",
    )


def test_effective_to_before_effective_from(loaded, tmp_path):
    text = mutate("effective_to: 2014-04-30", "effective_to: 2010-04-30")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "2010-04-30"),
        "versions[0].effective_to",
        "effective_to 2010-04-30 is before effective_from 2011-01-01",
    )


def test_duplicate_unit_key(loaded, tmp_path):
    text = mutate("{key: center-ejendomme,", "{key: center-veje,")
    message = refuse(tmp_path, text)
    first = line_of(text, "{key: center-veje,")
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "{key: center-veje,", 2),
        "versions[0].units[2].key",
        f"duplicate unit key 'center-veje' \\(first on line {first}\\)",
    )


def test_duplicate_post_key(loaded, tmp_path):
    text = mutate("{key: direktoer-teknik, title", "{key: kommunaldirektoer, title")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "{key: kommunaldirektoer, title", 3),
        "versions[1].posts[1].key",
        "duplicate post key 'kommunaldirektoer'",
    )


def test_duplicate_task_key(loaded, tmp_path):
    text = mutate(
        "parent: center-trafik-ejendomme}",
        "parent: center-trafik-ejendomme,\n         tasks: [{key: vejdrift, name: Igen}]}",
    )
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "{key: vejdrift, name: Igen}"),
        "versions[1].units[2].tasks[0].key",
        "duplicate task key 'vejdrift'",
    )


def test_parent_does_not_resolve(loaded, tmp_path):
    text = mutate("parent: center-trafik-ejendomme}", "parent: center-for-veje}")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "parent: center-for-veje"),
        "versions[1].units[2].parent",
        "unknown unit 'center-for-veje' in version '2014'",
    )


def test_cycle_in_parents(loaded, tmp_path):
    text = mutate(
        "name_en: Executive Board, kind: directorate}",
        "name_en: Executive Board, kind: unit,\n parent: center-veje}",
    )
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "parent: center-veje}"),
        "versions[0].units[0].parent",
        "cycle in parents: direktion → center-veje → direktion",
    )


def test_reference_into_another_version(loaded, tmp_path):
    text = mutate("parent: center-trafik-ejendomme}", "parent: center-veje}")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "parent: center-veje}"),
        "versions[1].units[2].parent",
        "unit 'center-veje' belongs to version '2011', not to version '2014'",
    )


def test_two_current_versions(loaded, tmp_path):
    text = mutate("status: previous", "status: current")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "status: current", 2),
        "versions[1].status",
        "a second current version: version '2011' is already current",
    )


def test_formed_from_not_in_based_on_version(loaded, tmp_path):
    text = mutate("formed_from: [center-veje, center-ejendomme]", "formed_from: [center-veje, center-parker]")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "center-parker"),
        "versions[1].units[1].formed_from[1]",
        "unit 'center-parker' is not in the based_on version '2011'",
    )


def test_committee_service_naming_neither_unit_nor_post(loaded, tmp_path):
    text = mutate("{committee: oeu, unit: null, post: kommunaldirektoer", "{committee: oeu, unit: null, post: null")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "{committee: oeu, unit: null, post: null"),
        "versions[1].committee_services[0]",
        "must name a unit or a post",
    )


def test_head_post_of_another_unit(loaded, tmp_path):
    text = mutate("head: centerchef-trafik", "head: direktoer-teknik")
    message = refuse(tmp_path, text)
    assert_located(
        message,
        tmp_path / "bad.yaml",
        line_of(text, "head: direktoer-teknik"),
        "versions[1].units[1].head",
        "head post 'direktoer-teknik' belongs to unit 'direktion', not to 'center-trafik-ejendomme'",
    )


def test_empty_file(loaded, tmp_path):
    message = refuse(tmp_path, "\n  \n")
    assert_located(message, tmp_path / "bad.yaml", 1, "", "the file is empty")


def test_document_that_is_not_a_mapping(loaded, tmp_path):
    message = refuse(tmp_path, "- just\n- a list\n")
    assert_located(message, tmp_path / "bad.yaml", 1, "", "must be a mapping")


def test_yaml_aliases_are_refused(loaded, tmp_path):
    text = mutate("status: previous", "status: &s previous") + "extra: *s\n"
    message = refuse(tmp_path, text)
    assert_located(
        message, tmp_path / "bad.yaml", line_of(text, "extra: *s"), "", "anchors and aliases are not allowed"
    )


def test_fifty_megabyte_file_is_refused_without_reading_it(loaded, tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.write(b"format: orgmodel/1\n")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    before = row_counts()
    tracemalloc.start()
    with pytest.raises(CommandError) as raised:
        call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert f"{path}:1: the file is 50.0 MB, more than the limit" in str(raised.value)
    assert peak < 5 * 1024 * 1024, f"peak memory {peak} bytes: the file was read"
    assert row_counts() == before


def test_existing_municipality_needs_replace(loaded, tmp_path):
    before = row_counts()
    with pytest.raises(CommandError, match="municipality 'testby' is already loaded; use --replace"):
        call_command("load_structure", str(TEST_DATA / "valid.yaml"), stdout=io.StringIO())
    assert row_counts() == before


def test_every_problem_is_reported_at_once(loaded, tmp_path):
    text = mutate("status: previous", "status: old")
    text = text.replace("role: serves", "role: helps")
    message = refuse(tmp_path, text)
    assert "versions[0].status" in message and "versions[1].committee_services[0].role" in message


def test_importing_the_format_leaves_pyyaml_alone():
    """The loader keeps dates as strings with resolvers of its own: PyYAML's shared ones stay as they were, so
    every other YAML user in the process still reads a date as a date (code review B1)."""
    assert structure_format.parse_text("d: 2020-01-01\n", "a.yaml").data == {"d": "2020-01-01"}
    assert structure_format.dump({"d": "2020-01-01"}, "yaml") == "d: 2020-01-01\n"
    assert yaml.safe_load("d: 2020-01-01") == {"d": datetime.date(2020, 1, 1)}
    assert yaml.load("d: 2020-01-01", Loader=yaml.SafeLoader)["d"] == datetime.date(2020, 1, 1)
    assert yaml.safe_dump({"d": "2020-01-01"}) == "d: '2020-01-01'\n"
