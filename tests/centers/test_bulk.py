"""The loader's bulk writes (centers.bulk): ids taken before the rows, rows written as they are (by COPY on
PostgreSQL), seen by the query log like any statement."""

import datetime
import sqlite3

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centers import structure_format
from centers.bulk import allocate_ids, build, insert
from centers.models import Municipality, OrgVersion, Person
from centers.synthetic_realistic import municipality_document

pytestmark = pytest.mark.django_db

AWKWARD = "Tab\there, line\nbreak, carriage\rreturn, back\\slash, \\N, æøå ÆØÅ, 'quote\" and 😀"


@pytest.fixture
def municipality():
    return Municipality.objects.create(slug="bulkby", name="Bulkby Kommune", kommunekode=998)


def test_texts_dates_and_nulls_are_stored_as_they_are(municipality):
    (version,) = insert(
        [
            build(
                OrgVersion,
                municipality_id=municipality.pk,
                key="v1",
                label=AWKWARD,
                status="draft",
                effective_from=datetime.date(2024, 1, 1),
                note="",
            )
        ]
    )
    stored = OrgVersion.objects.get(pk=version.pk)
    assert (stored.label, stored.effective_from, stored.effective_to, stored.note) == (
        AWKWARD,
        datetime.date(2024, 1, 1),
        None,
        "",
    )
    assert version._state.adding is False


def test_ids_are_taken_before_and_never_handed_out_twice(municipality):
    first = insert(build(Person, municipality_id=municipality.pk, key=f"p{n}", name=f"P {n}") for n in range(3))
    Person.objects.filter(pk=first[-1].pk).delete()
    later = allocate_ids(Person, 2)
    assert min(later) > max(person.pk for person in first)
    assert len(set(later)) == 2
    # Rows built with the ids they point at are written with them.
    rows = insert(build(Person, id=pk, municipality_id=municipality.pk, key=f"q{pk}", name="Q") for pk in later)
    assert sorted(Person.objects.filter(key__startswith="q").values_list("pk", flat=True)) == later
    assert [row.pk for row in rows] == later


def test_a_bulk_write_is_two_logged_statements_whatever_the_number_of_rows(municipality, monkeypatch):
    if connection.vendor == "sqlite":  # Django splits statements at 999 parameters: lift it to the real limit
        limit = sqlite3.connect(":memory:").getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(connection.features, "max_query_params", limit)
    for count in (5, 500):
        with CaptureQueriesContext(connection) as queries:
            insert(build(Person, municipality_id=municipality.pk, key=f"n{count}-{n}", name="N") for n in range(count))
        assert len(queries) == 2, [query["sql"] for query in queries.captured_queries]
    assert Person.objects.filter(municipality=municipality).count() == 505


def test_an_unknown_column_is_refused():
    with pytest.raises(TypeError, match="'parent'"):
        build(Person, parent=1)


def test_nothing_to_insert_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert insert([]) == []
    assert len(queries) == 0


@pytest.mark.postgres
def test_a_load_leaves_nothing_in_the_trigram_indexes_pending_lists():
    """Bulk writes go to a GIN index's pending list, which every search reads whole until it is merged; the
    loader merges it (centers.bulk.merge_pending_index_entries), so nothing is left to merge after a load."""
    document = municipality_document("ventende", "Ventende Kommune", 997, 300, seed=1)
    structure_format.load(structure_format.Document(document, "ventende"))
    with connection.cursor() as cursor:
        for index in ("centers_unit_name_trgm", "centers_post_title_trgm", "centers_person_name_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone()[0] == 0, index
