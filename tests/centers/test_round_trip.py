"""Load → export → load → export is byte-identical, for the test document and every shipped fixture."""

import io

import pytest
from django.core.management import call_command

from centers import structure_format
from centers.models import OrgVersion, Post, Task, Unit
from governance.models import BudgetResponsibility, CommitteeService, Forum, Network

from ..conftest import FIXTURES, TEST_DATA

pytestmark = pytest.mark.django_db

FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))


def export(slug: str, fmt: str) -> str:
    out = io.StringIO()
    call_command("export_structure", slug, "--format", fmt, stdout=out)
    return out.getvalue()


def round_trip(path, slug: str, fmt: str, tmp_path) -> None:
    call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    first = export(slug, fmt)
    exported = tmp_path / f"a.{fmt}"
    exported.write_text(first, encoding="utf-8")
    call_command("load_structure", str(exported), "--replace", stdout=io.StringIO())
    assert export(slug, fmt) == first


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_test_document_round_trips(fmt, tmp_path):
    round_trip(TEST_DATA / "valid.yaml", "testby", fmt, tmp_path)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[path.stem for path in FIXTURE_FILES])
def test_fixture_round_trips_byte_identically(path, tmp_path):
    round_trip(path, path.stem, "yaml", tmp_path)


def test_there_is_a_fixture_per_municipality():
    assert {path.stem for path in FIXTURE_FILES} == {"ltk", "lejre", "assens", "albertslund"}


def test_loaded_document_has_every_part(valid_document):
    municipality = structure_format.load(valid_document)
    current = municipality.versions.get(status=OrgVersion.Status.CURRENT)
    merged = current.units.get(key="center-trafik-ejendomme")
    assert sorted(merged.formed_from.values_list("key", flat=True)) == ["center-ejendomme", "center-veje"]
    assert merged.formed_from.first().version.key == "2011"
    assert merged.head.key == "centerchef-trafik" and merged.responsible.key == "direktoer-teknik"
    assert list(merged.get_children().values_list("key", flat=True)) == ["skolen"]
    assert Unit.objects.get(version=current, key="skolen").get_ancestors().count() == 2
    moves = Task.objects.filter(key="vejdrift").order_by("version__key").values_list("version__key", "unit__key")
    assert list(moves) == [("2011", "center-veje"), ("2014", "center-trafik-ejendomme")]
    assert Post.objects.get(version=current, key="centerchef-trafik").reports_to.key == "direktoer-teknik"
    assert CommitteeService.objects.get(version=current, committee__key="oeu").post.key == "kommunaldirektoer"
    assert list(Forum.objects.get(key="koncernledelse").member_posts.values_list("key", flat=True)) == [
        "direktoer-teknik",
        "kommunaldirektoer",
    ]
    assert Network.objects.get(key="konsulentnetvaerk").owner.key == "direktoer-teknik"
    assert list(BudgetResponsibility.objects.filter(version=current).values_list("level", "scope__key")) == [
        (1, "direktion"),
        (2, "center-trafik-ejendomme"),
    ]
