"""Realistic synthetic structures (centers.synthetic_realistic) and `manage.py generate_synthetic`."""

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from centers import structure_format
from centers.models import Municipality, Unit
from centers.slugs import RESERVED_SLUGS
from centers.synthetic_realistic import (
    municipality_document,
    municipality_slug,
    national_documents,
    read_kommuner,
)

KOMMUNER = Path(__file__).resolve().parents[3] / "shared" / "kommuner.csv"
KOMMUNER_ROWS = [(101, "København"), (147, "Frederiksberg"), (173, "Lyngby-Taarbæk"), (492, "Ærø")]


def document(unit_count: int = 300, seed: int = 1) -> dict:
    return municipality_document("testkommune", "Testkommune", 950, unit_count, seed=seed)


@pytest.fixture(scope="module")
def thousand() -> dict:
    return document(1000)


def validate(data: dict) -> None:
    structure_format.validate(structure_format.Document(data, "synthetic"))


def units_of(data: dict) -> list[dict]:
    return data["versions"][0]["units"]


@pytest.fixture
def kommuner_file(tmp_path) -> Path:
    path = tmp_path / "kommuner.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kommunekode", "navn"])
        writer.writerows(KOMMUNER_ROWS[:3])
    return path


def test_same_seed_gives_identical_text_and_another_seed_another():
    first = structure_format.dump(document(seed=7), "yaml")
    assert structure_format.dump(document(seed=7), "yaml") == first
    assert structure_format.dump(document(seed=8), "yaml") != first


@pytest.mark.parametrize("unit_count", [60, 300, 1001, 2345])
def test_exact_unit_count(unit_count):
    assert len(units_of(document(unit_count))) == unit_count


def test_too_few_units_is_refused():
    with pytest.raises(ValueError, match="at least 60"):
        document(59)


def test_thousand_unit_document_is_valid(thousand):
    validate(thousand)


def test_institutions_are_the_most_common_kind_and_every_level_is_there(thousand):
    kinds = Counter(unit["kind"] for unit in units_of(thousand))
    assert kinds.most_common(1)[0][0] == "institution"
    assert kinds["institution"] > len(units_of(thousand)) / 2
    assert kinds["directorate"] == 1
    assert 3 <= kinds["director_area"] <= 5
    for kind in ("centre", "shared_centre", "staff", "secretariat", "department", "team"):
        assert kinds[kind] > 0, kind


def test_every_director_area_and_centre_has_a_responsible_director(thousand):
    units, posts = units_of(thousand), {post["key"]: post for post in thousand["versions"][0]["posts"]}
    by_key = {unit["key"]: unit for unit in units}
    areas = [unit for unit in units if unit["kind"] == "director_area"]
    for area in areas:
        assert posts[area["responsible"]]["kind"] == "director"
        assert posts[area["head"]]["unit"] == area["key"]
    for centre in (unit for unit in units if unit["kind"] == "centre"):
        assert centre["responsible"] == by_key[centre["parent"]]["responsible"]


def test_every_centre_staff_and_department_has_a_head_and_some_posts_are_vacant(thousand):
    units = units_of(thousand)
    posts = thousand["versions"][0]["posts"]
    headed = {"centre", "shared_centre", "staff", "secretariat", "department", "director_area", "directorate"}
    assert all(unit["head"] for unit in units if unit["kind"] in headed)
    vacant = sum(post["holder"] is None for post in posts)
    assert 0 < vacant < len(posts) / 5
    assert {post["holder"] for post in posts if post["holder"]} <= {person["key"] for person in thousand["people"]}


def test_repeated_names_under_different_parents_and_names_with_danish_letters(thousand):
    units = units_of(thousand)
    parents_by_name: dict[str, set] = {}
    for unit in units:
        parents_by_name.setdefault(unit["name"], set()).add(unit["parent"])
    for name in ("Administration", "Sekretariat", "Team Syd"):
        assert len(parents_by_name.get(name, ())) >= 2, name
    assert len({unit["key"] for unit in units}) == len(units)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", unit["key"]) for unit in units)
    assert sum(bool(re.search("[æøåÆØÅ]", unit["name"])) for unit in units) > len(units) / 10
    assert any(re.search("[æøå]", person["name"]) for person in thousand["people"])


def test_tasks_committees_memberships_forums_networks_and_budgets(thousand):
    version = thousand["versions"][0]
    for unit in units_of(thousand):
        if unit["kind"] in {"centre", "department"}:
            assert 1 <= len(unit["tasks"]) <= 4
    kinds = Counter(committee["kind"] for committee in thousand["committees"])
    assert kinds["council"] == kinds["finance"] == 1 and 3 <= kinds["standing"] <= 5
    members = Counter(membership["committee"] for membership in thousand["memberships"])
    assert all(9 <= members[committee["key"]] <= 15 for committee in thousand["committees"])
    assert all(membership["party"] for membership in thousand["memberships"])
    served = {service["unit"] for service in version["committee_services"]}
    assert {unit["key"] for unit in units_of(thousand) if unit["kind"] in {"centre", "staff"}} <= served
    assert {forum["kind"] for forum in version["forums"]} >= {"executive_board", "leaders_circle", "med"}
    assert all(network["member_units"] for network in version["networks"])
    assert {budget["level"] for budget in version["budget_responsibilities"]} == {1, 2, 3}


def test_national_documents_from_the_real_list():
    """The shared list has the 98 municipalities; their slugs are unique, never reserved, and the codes the CSV's."""
    rows = read_kommuner(KOMMUNER)
    assert len(rows) == 98
    slugs = [municipality_slug(name) for _code, name in rows]
    assert len(set(slugs)) == 98 and not set(slugs) & RESERVED_SLUGS
    assert "koebenhavn" in slugs and "lyngby-taarbaek" in slugs and "aeroe" in slugs
    assert len({code for code, _name in rows}) == 98


def test_national_documents_names_codes_and_counts_within_bounds():
    documents = list(national_documents(KOMMUNER_ROWS, seed=3, low=80, high=150))
    assert [data["municipality"]["kommunekode"] for data in documents] == [code for code, _name in KOMMUNER_ROWS]
    assert [data["municipality"]["name"] for data in documents] == [
        "København Kommune",
        "Frederiksberg Kommune",
        "Lyngby-Taarbæk Kommune",
        "Ærø Kommune",
    ]
    assert [data["municipality"]["slug"] for data in documents] == [
        "koebenhavn",
        "frederiksberg",
        "lyngby-taarbaek",
        "aeroe",
    ]
    counts = [len(units_of(data)) for data in documents]
    assert all(80 <= count <= 150 for count in counts) and len(set(counts)) > 1
    for data in documents[:3]:
        validate(data)
    again = list(national_documents(KOMMUNER_ROWS[:1], seed=3, low=80, high=150))
    assert again[0] == documents[0]


def test_reserved_slug_gets_a_suffix():
    assert municipality_slug("Admin") == "admin-kommune"


@pytest.mark.django_db
def test_command_writes_files_that_load_structure_loads(tmp_path, kommuner_file):
    out = io.StringIO()
    call_command(
        "generate_synthetic",
        "--output",
        str(tmp_path),
        "--units",
        "300",
        "--national",
        "--kommuner",
        str(kommuner_file),
        "--low",
        "70",
        "--high",
        "90",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "wrote synthetic-300.yaml (300 units)"
    assert re.fullmatch(r"wrote national/koebenhavn\.yaml \(\d+ units\)", lines[1])
    assert re.fullmatch(r"4 files, [\d,]+ units in [\d.]+ s, written to .*", lines[-1])
    assert "\r" not in out.getvalue()
    files = [tmp_path / "synthetic-300.yaml", *sorted((tmp_path / "national").glob("*.yaml"))]
    assert [path.name for path in files[1:]] == ["frederiksberg.yaml", "koebenhavn.yaml", "lyngby-taarbaek.yaml"]
    call_command("load_structure", *map(str, files), stdout=io.StringIO())
    synthetic = Municipality.objects.get(slug="synthetic-300")
    assert Unit.objects.filter(version__municipality=synthetic).count() == 300
    assert Municipality.objects.get(kommunekode=173).name == "Lyngby-Taarbæk Kommune"


def test_command_json_format_is_the_same_document(tmp_path):
    call_command(
        "generate_synthetic", "--output", str(tmp_path), "--units", "120", "--format", "json", stdout=io.StringIO()
    )
    text = (tmp_path / "synthetic-120.json").read_text(encoding="utf-8")
    expected = municipality_document("synthetic-120", "Syntetisk Kommune 120", 901, 120, seed=1)
    assert text == structure_format.dump(expected, "json")


@pytest.mark.django_db
def test_a_file_over_the_loaders_size_limit_is_named_with_the_setting_that_loads_it(tmp_path, settings):
    settings.ORGMODEL_MAX_STRUCTURE_BYTES = 50_000
    errors = io.StringIO()
    call_command(
        "generate_synthetic",
        "--output",
        str(tmp_path),
        "--units",
        "60",
        "--units",
        "400",
        stdout=io.StringIO(),
        stderr=errors,
    )
    size = (tmp_path / "synthetic-400.yaml").stat().st_size
    assert (tmp_path / "synthetic-60.yaml").stat().st_size <= 50_000 < size
    assert errors.getvalue().splitlines() == [
        f"synthetic-400.yaml is {size / 1_048_576:.1f} MB, more than load_structure reads (0.0 MB): "
        "load it with ORGMODEL_MAX_STRUCTURE_BYTES=1048576"
    ]
    settings.ORGMODEL_MAX_STRUCTURE_BYTES = 1048576
    call_command("load_structure", str(tmp_path / "synthetic-400.yaml"), stdout=io.StringIO())
    assert Unit.objects.filter(version__municipality__slug="synthetic-400").count() == 400


def test_command_progress_bar_on_a_terminal(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    call_command("generate_synthetic", "--output", str(tmp_path), "--units", "100", "--units", "110", stdout=out)
    text = out.getvalue()
    assert "\r[" in text and "] 1/2 synthetic-100" in text and "] 2/2 synthetic-110" in text
    assert "wrote " not in text


def test_command_says_clearly_that_the_kommuner_file_is_missing(tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(CommandError, match=f"kommuner file not found: {re.escape(str(missing))}"):
        call_command("generate_synthetic", "--output", str(tmp_path), "--national", "--kommuner", str(missing))


def test_command_refuses_too_small_sizes(tmp_path):
    with pytest.raises(CommandError, match="at least 60 units"):
        call_command("generate_synthetic", "--output", str(tmp_path), "--units", "10")
