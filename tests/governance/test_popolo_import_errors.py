"""import_popolo under careless or hostile input: every problem of the document is reported at its JSON path
(`file:line path: message`), the command exits with status 1, never with a traceback, and nothing is written."""

import copy
import io
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centers import services, structure_format
from centers.models import Municipality
from governance import popolo

from .test_popolo import BASE_URL

pytestmark = [pytest.mark.django_db, pytest.mark.shared_fixtures("ltk")]


@pytest.fixture
def ltk(load_fixture):
    return load_fixture("ltk")


@pytest.fixture
def exported(ltk) -> dict:
    """LTK as Popolo: persons[0..3] Rolf, Henrik, Sofia, Zita; organizations[0] the municipality, [1]
    Kommunalbestyrelsen, [2] Økonomiudvalget; memberships[0..2] Økonomiudvalget's three members."""
    return popolo.to_popolo(structure_format.export(ltk), BASE_URL)


def snapshot() -> str:
    return structure_format.dump(structure_format.export(Municipality.objects.get(slug="ltk")), "json")


def refuse(tmp_path: Path, content: str | bytes, slug: str = "ltk") -> tuple[Path, str]:
    """Import `content` into LTK; assert that the command fails and that LTK is exactly as before."""
    path = tmp_path / "popolo.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("import_popolo", str(path), "--municipality", slug, stdout=io.StringIO())
    assert snapshot() == before
    assert raised.value.returncode == 1
    message = str(raised.value)
    assert message.startswith(f"{path}: refused, nothing was written:\n"), message
    return path, message


def refuse_changed(tmp_path: Path, document: dict, change) -> tuple[Path, str, str]:
    document = copy.deepcopy(document)
    change(document)
    text = popolo.dump(document)
    path, message = refuse(tmp_path, text)
    return path, message, text


def assert_reported(message: str, path: Path, expected: str, line: int | None = None) -> None:
    """`expected` is one line of the refusal after `file:line`: "memberships[0].person_id: unknown person
    'person:xyz'" for a problem at a path, ": not valid JSON: ..." for the file as a whole; at `line` if given."""
    where = str(line) if line is not None else r"\d+"
    separator = "" if expected.startswith(": ") else " "
    pattern = rf"^{re.escape(str(path))}:{where}{separator}{re.escape(expected)}$"
    assert re.search(pattern, message, re.MULTILINE), message


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


# --- the file -------------------------------------------------------------------------------------------------


def test_not_json(ltk, tmp_path):
    path, message = refuse(tmp_path, '{\n  "persons": [\n    {"name": "Ane",}\n  ]\n}\n')
    assert_reported(message, path, ": not valid JSON: Expecting property name enclosed in double quotes", 3)


def test_an_empty_file(ltk, tmp_path):
    path, message = refuse(tmp_path, "\n")
    assert_reported(message, path, ": the file is empty", 1)


def test_a_duplicate_key(ltk, tmp_path):
    path, message = refuse(tmp_path, '{"persons": [], "persons": []}')
    assert_reported(message, path, ": not valid JSON: duplicate key 'persons'", 1)


@pytest.mark.parametrize(
    ("content", "shown"),
    [("[]", "a list ([])"), ('"popolo"', "a string ('popolo')"), ("null", "null"), ("42", "a number (42)")],
)
def test_a_document_that_is_not_an_object(ltk, tmp_path, content, shown):
    path, message = refuse(tmp_path, content)
    assert_reported(message, path, f": a Popolo document is a JSON object, not {shown}", 1)


def test_an_oversized_file_is_refused_before_it_is_read(ltk, tmp_path, settings):
    settings.ORGMODEL_MAX_STRUCTURE_BYTES = 1_048_576
    content = json.dumps({"persons": [{"name": "x" * 1000}] * 1600})
    assert 1.4 * 1_048_576 < len(content) < 1.6 * 1_048_576
    path, message = refuse(tmp_path, content)
    assert_reported(
        message, path, ": the file is 1.5 MB, more than the limit of 1.0 MB (ORGMODEL_MAX_STRUCTURE_BYTES)", 1
    )


def test_a_file_that_is_not_utf_8(ltk, tmp_path, exported):
    content = popolo.dump(exported).replace("Sofia Osmani", "Søfia Osmani").encode("utf-8")
    content = content.replace("Søfia".encode(), "Søfia".encode("latin-1"))
    path, message = refuse(tmp_path, content)
    assert_reported(message, path, ": not a text file (it is not UTF-8)", 1)


def test_a_directory_and_a_missing_file(ltk, tmp_path):
    directory = tmp_path / "mappe.json"
    directory.mkdir()
    with pytest.raises(CommandError) as raised:
        call_command("import_popolo", str(directory), "--municipality", "ltk", stdout=io.StringIO())
    assert_reported(
        str(raised.value), directory, ": not a regular file (a directory): a Popolo document must be a plain file", 1
    )
    missing = tmp_path / "findes-ikke.json"
    with pytest.raises(CommandError) as raised:
        call_command("import_popolo", str(missing), "--municipality", "ltk", stdout=io.StringIO())
    assert_reported(str(raised.value), missing, ": cannot read the file: No such file or directory", 1)


def test_an_unknown_municipality(ltk, tmp_path, exported):
    path = tmp_path / "popolo.json"
    path.write_text(popolo.dump(exported), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_popolo", str(path), "--municipality", "ukendt", stdout=io.StringIO())
    assert str(raised.value) == "unknown municipality 'ukendt' (loaded: ltk)"


def test_a_refusal_exits_with_status_1_and_no_traceback(ltk, tmp_path, capsys, monkeypatch):
    """From the command line: the refusal on standard error, exit status 1."""
    from django.db import connections

    from governance.management.commands.import_popolo import Command

    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction stays open
    path = tmp_path / "popolo.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        Command().run_from_argv(["manage.py", "import_popolo", str(path), "--municipality", "ltk"])
    assert raised.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"CommandError: {path}: refused, nothing was written:\n{path}:1: a Popolo document is a JSON object" in err


# --- the schema -----------------------------------------------------------------------------------------------


def test_a_person_without_a_name(ltk, tmp_path, exported):
    path, message, text = refuse_changed(tmp_path, exported, lambda d: d["persons"][1].pop("name"))
    # a missing key is reported at the line of the object that lacks it
    assert_reported(
        message, path, "persons[1].name: required", line_of(text, '"id": "person:henrik-brade-johansen"') - 1
    )


def test_a_name_that_is_not_a_string(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d["persons"][0].update(name=["Rolf"]))
    assert_reported(message, path, "persons[0].name: expected string, got a list (['Rolf'])")


def test_a_list_that_is_an_object(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d.update(persons={}))
    assert_reported(message, path, "persons: expected array, got an object ({})")


def test_an_unknown_top_level_key(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d.update(areas=[]))
    assert_reported(
        message, path, "areas: unknown key; a Popolo document has only memberships, organizations, persons, posts"
    )


def test_a_membership_without_an_organization_or_a_person(ltk, tmp_path, exported):
    def change(document):
        document["memberships"][0].pop("organization_id")
        document["memberships"][1].pop("person_id")

    path, message, _text = refuse_changed(tmp_path, exported, change)
    assert_reported(message, path, "memberships[0].organization_id: required (or organization)")
    assert_reported(message, path, "memberships[1].person_id: required (or person, member)")


def test_a_membership_with_an_organization_id_that_is_not_a_string(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d["memberships"][0].update(organization_id=7))
    assert_reported(message, path, "memberships[0].organization_id: expected string, got a number (7)")


def test_a_link_without_a_url(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d["organizations"][2]["sources"][0].pop("url"))
    assert_reported(message, path, "organizations[2].sources[0].url: required")


def test_a_date_in_another_format(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(
        tmp_path, exported, lambda d: d["memberships"][2].update(start_date="2.2.2012")
    )
    assert_reported(
        message, path, "memberships[2].start_date: not a date: '2.2.2012'; write it as YYYY, YYYY-MM or YYYY-MM-DD"
    )


# --- the domain -----------------------------------------------------------------------------------------------


def test_an_unknown_person(ltk, tmp_path, exported):
    path, message, text = refuse_changed(
        tmp_path, exported, lambda d: d["memberships"][1].update(person_id="person:xyz")
    )
    assert_reported(message, path, "memberships[1].person_id: unknown person 'person:xyz'", line_of(text, "person:xyz"))


def test_a_person_of_the_municipality_need_not_be_in_the_document(ltk, tmp_path, exported):
    """Zita Korsholm is stored in LTK: a membership may name her although the document leaves her out."""
    document = copy.deepcopy(exported)
    document["persons"] = document["persons"][:3]
    document["memberships"][0]["person_id"] = "person:zita-korsholm"
    path = tmp_path / "popolo.json"
    path.write_text(popolo.dump(document), encoding="utf-8")
    call_command("import_popolo", str(path), "--municipality", "ltk", stdout=io.StringIO())
    members = ltk.committees.get(key="oekonomiudvalget").memberships.order_by("pk")
    assert [membership.person.key for membership in members][0] == "zita-korsholm"


def test_an_unknown_organization_and_party_and_post(ltk, tmp_path, exported):
    def change(document):
        document["memberships"][0]["organization_id"] = "committee:findes-ikke"
        document["memberships"][1]["on_behalf_of_id"] = "party:findes-ikke"
        document["memberships"].append(
            {
                "person_id": "person:zita-korsholm",
                "organization_id": "municipality:ltk",
                "post_id": "post:2012:findes-ikke",
            }
        )

    path, message, _text = refuse_changed(tmp_path, exported, change)
    assert_reported(message, path, "memberships[0].organization_id: unknown organization 'committee:findes-ikke'")
    assert_reported(message, path, "memberships[1].on_behalf_of_id: unknown organization 'party:findes-ikke'")
    assert_reported(message, path, "memberships[3].post_id: unknown post 'post:2012:findes-ikke'")


def test_a_membership_of_an_organization_that_is_not_a_committee(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(
        tmp_path, exported, lambda d: d["memberships"][0].update(organization_id="party:c")
    )
    assert_reported(
        message,
        path,
        "memberships[0].organization_id: 'party:c' is not a committee (classification 'party'): "
        "only committee memberships and post holdings can be imported",
    )


def test_duplicate_ids(ltk, tmp_path, exported):
    def change(document):
        document["persons"].append(dict(document["persons"][2], name="Sofia Osmani II"))
        document["organizations"].append(dict(document["organizations"][2]))
        document["memberships"].append(dict(document["memberships"][0]))

    path, message, _text = refuse_changed(tmp_path, exported, change)
    organizations = len(exported["organizations"])
    assert_reported(message, path, "persons[4].id: duplicate id 'person:sofia-osmani' (first at persons[2])")
    assert_reported(
        message,
        path,
        f"organizations[{organizations}].id: duplicate id 'committee:oekonomiudvalget' (first at organizations[2])",
    )
    assert_reported(
        message,
        path,
        "memberships[3].id: duplicate id 'membership:oekonomiudvalget:rolf-aagaard-svendsen' (first at memberships[0])",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2012-02-30", "not a real date: '2012-02-30'"),
        ("2012-13", "not a real date: '2012-13'"),
        ("0000", "not a real date: '0000'"),
        ("2012-02", "'2012-02' is not a whole date: a committee membership's dates are YYYY-MM-DD"),
        ("2012", "'2012' is not a whole date: a committee membership's dates are YYYY-MM-DD"),
    ],
)
def test_a_bad_date(ltk, tmp_path, exported, value, expected):
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d["memberships"][1].update(start_date=value))
    assert_reported(message, path, f"memberships[1].start_date: {expected}")


def test_a_bad_date_of_what_is_not_imported_is_reported_too(ltk, tmp_path, exported):
    path, message, _text = refuse_changed(
        tmp_path, exported, lambda d: d["organizations"][5].update(founding_date="2012-02-31")
    )
    assert_reported(message, path, "organizations[5].founding_date: not a real date: '2012-02-31'")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2012-02-01", "2012-01-31", "ends before it starts: 2012-01-31 is before start_date 2012-02-01"),
        ("2012-02-01", "2011", None),
    ],
)
def test_an_end_before_the_start(ltk, tmp_path, exported, start, end, expected):
    def change(document):
        document["memberships"][2].update(start_date=start, end_date=end)
        document["posts"][0].update(start_date="2012-03", end_date="2012-02-28")

    path, message, _text = refuse_changed(tmp_path, exported, change)
    if expected:
        assert_reported(message, path, f"memberships[2].end_date: {expected}")
    else:
        assert_reported(
            message,
            path,
            "memberships[2].end_date: '2011' is not a whole date: a committee membership's dates are YYYY-MM-DD",
        )
        assert_reported(
            message, path, "memberships[2].end_date: ends before it starts: 2011 is before start_date 2012-02-01"
        )
    assert_reported(message, path, "posts[0].end_date: ends before it starts: 2012-02-28 is before start_date 2012-03")


def test_an_unknown_committee_classification(ltk, tmp_path, exported):
    path, message, text = refuse_changed(
        tmp_path, exported, lambda d: d["organizations"][1].update(classification="udvalg")
    )
    assert_reported(
        message,
        path,
        "organizations[1].classification: unknown committee kind 'udvalg'; "
        "expected one of: council, finance, standing, special, other",
        line_of(text, '"classification": "udvalg"'),
    )


@pytest.mark.parametrize(
    ("where", "identifier", "expected"),
    [
        ("persons", "sofia", "'sofia' is not a person id: write it as 'person:<key>'"),
        ("persons", None, "required: a person's id is 'person:<key>'"),
        (
            "persons",
            "person:Sofia Osmani",
            "'Sofia Osmani' is not a valid key: use lowercase letters, digits and hyphens (at most 100)",
        ),
        ("organizations", "udvalg:oeu", "'udvalg:oeu' is not a committee id: write it as 'committee:<key>'"),
        (
            "organizations",
            "committee:" + "x" * 101,
            f"'{'x' * 101}' is not a valid key: use lowercase letters, digits and hyphens (at most 100)",
        ),
    ],
)
def test_an_id_that_names_no_key(ltk, tmp_path, exported, where, identifier, expected):
    position = 2

    def change(document):
        if identifier is None:
            document[where][position].pop("id")
        else:
            document[where][position]["id"] = identifier

    path, message, _text = refuse_changed(tmp_path, exported, change)
    assert_reported(message, path, f"{where}[{position}].id: {expected}")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["persons"][0].update(name=""), "persons[0].name: must not be empty"),
        (lambda d: d["persons"][0].update(name="x" * 201), "persons[0].name: too long: 201 characters, at most 200"),
        (
            lambda d: d["persons"][0].update(name="Rolf\x00"),
            "persons[0].name: the character U+0000 (NUL) is not allowed",
        ),
        (lambda d: d["organizations"][2].update(name=None), "organizations[2].name: required"),
        (
            lambda d: d["memberships"][0].update(role="r" * 101),
            "memberships[0].role: too long: 101 characters, at most 100",
        ),
        (
            lambda d: d["organizations"][2]["other_names"][0].update(name="F" * 301),
            "organizations[2].other_names[0].name: too long: 301 characters, at most 300",
        ),
        (
            lambda d: d["memberships"][0]["sources"][0].update(note="s" * 201),
            "memberships[0].sources: too long: 201 characters, at most 200",
        ),
    ],
)
def test_a_text_that_does_not_fit_its_column(ltk, tmp_path, exported, change, expected):
    path, message, _text = refuse_changed(tmp_path, exported, change)
    assert_reported(message, path, expected)


def test_a_party_without_a_name(ltk, tmp_path, exported):
    position = next(i for i, item in enumerate(exported["organizations"]) if item["id"] == "party:c")
    path, message, _text = refuse_changed(tmp_path, exported, lambda d: d["organizations"][position].pop("name"))
    assert_reported(message, path, f"organizations[{position}].name: required")


def reported(message: str) -> list[str]:
    """The problems of a refusal without their `file:line`."""
    return [re.sub(r"^\S+:\d+:? ", "", line) for line in message.splitlines()[1:]]


def test_every_problem_of_the_shape_is_reported_at_once(ltk, tmp_path, exported):
    """The domain is checked only in a document of the right shape: here the shape's problems are all there is."""

    def change(document):
        document["memberships"][2]["person_id"] = "person:xyz"
        document["memberships"][0].pop("organization_id")
        document["persons"][3].pop("name")
        document["organizations"][1]["classification"] = 3

    _path, message, _text = refuse_changed(tmp_path, exported, change)
    assert reported(message) == [
        "persons[3].name: required",
        "organizations[1].classification: expected string or null, got a number (3)",
        "memberships[0].organization_id: required (or organization)",
    ]


def test_every_problem_of_the_domain_is_reported_at_once_in_document_order(ltk, tmp_path, exported):
    def change(document):
        document["memberships"][2].update(start_date="2012-01-01", end_date="2000-01-01")
        document["memberships"][0]["person_id"] = "person:xyz"
        document["organizations"][1]["classification"] = "udvalg"
        document["persons"][3]["id"] = "zita"

    _path, message, _text = refuse_changed(tmp_path, exported, change)
    assert reported(message) == [
        "persons[3].id: 'zita' is not a person id: write it as 'person:<key>'",
        "organizations[1].classification: unknown committee kind 'udvalg'; "
        "expected one of: council, finance, standing, special, other",
        "memberships[0].person_id: unknown person 'person:xyz'",
        "memberships[2].end_date: ends before it starts: 2000-01-01 is before start_date 2012-01-01",
    ]


def test_a_refusal_of_the_services_while_writing_leaves_nothing_written(ltk, tmp_path, exported, monkeypatch):
    """The rules are checked again as each row is written: a refusal then is reported at the element's path and
    undoes what the import had written before it."""
    document = copy.deepcopy(exported)
    document["persons"][0]["name"] = "Rolf Omdøbt"
    document["persons"][1]["name"] = "Henrik Omdøbt"
    real_save_row, calls = services.save_row, []

    def save_row(instance, **kwargs):
        calls.append(instance)
        if len(calls) == 2:
            raise services.EditRefused({"name": ["Navnet kan ikke bruges."]})
        return real_save_row(instance, **kwargs)

    monkeypatch.setattr(services, "save_row", save_row)
    path, message = refuse(tmp_path, popolo.dump(document))
    assert len(calls) == 2
    assert_reported(message, path, "persons[1].name: Navnet kan ikke bruges.")
    assert ltk.people.get(key="rolf-aagaard-svendsen").name == "Rolf Aagaard-Svendsen"


def test_the_limit_on_reported_problems(ltk, tmp_path, exported):
    document = copy.deepcopy(exported)
    document["memberships"] = [
        {"person_id": f"person:p{number}", "organization_id": "committee:oekonomiudvalget"} for number in range(60)
    ]
    path, message = refuse(tmp_path, popolo.dump(document))
    lines = message.splitlines()
    assert len(lines) == 1 + structure_format.MAX_REPORTED_ERRORS + 1
    assert lines[-1] == f"... and {60 - structure_format.MAX_REPORTED_ERRORS} more"
    assert os.fspath(path) in lines[1]
