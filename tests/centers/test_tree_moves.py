"""`centers.services.tree_moves.move` writes only the rows whose numbers change, and leaves every unit exactly
where django-mptt's own `move_to` would: the same parents, nested-set numbers and levels, for any move."""

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centers import selectors, structure_format
from centers.models import OrgVersion, Unit
from centers.services import tree_moves
from centers.synthetic import synthetic_structure

pytestmark = pytest.mark.django_db

POSITIONS = ("last-child", "first-child", "left", "right")
SIZE = 40


class Undo(Exception):
    pass


def tree_after(move_with, node_key: str, target_key: str, position: str) -> dict:
    """The units' places after the move, read back from the database; the move itself is rolled back."""
    places = {}
    try:
        with transaction.atomic():
            version = OrgVersion.objects.get(municipality__slug="flyt")
            node, target = (Unit.objects.get(version=version, key=key) for key in (node_key, target_key))
            move_with(node, target, position)
            for unit in Unit.objects.filter(version=version).select_related("parent"):
                places[unit.key] = (unit.parent.key if unit.parent else None, unit.lft, unit.rght, unit.level)
            places["consistent"] = selectors.tree_is_consistent(version)
            raise Undo
    except Undo:
        pass
    return places


@pytest.fixture
def tree():
    structure_format.load(synthetic_structure("flyt", SIZE, fan_out=3))
    return {unit.key: unit for unit in Unit.objects.filter(version__municipality__slug="flyt")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_move_leaves_the_tree_as_django_mptt_would(tree, data):
    node = data.draw(st.sampled_from(sorted(key for key, unit in tree.items() if unit.parent_id)))
    inside = {unit.key for unit in tree.values() if tree[node].lft <= unit.lft <= tree[node].rght}
    target = data.draw(st.sampled_from(sorted(set(tree) - inside)))
    position = data.draw(st.sampled_from(POSITIONS))

    ours = tree_after(tree_moves.move, node, target, position)
    theirs = tree_after(lambda unit, to, where: unit.move_to(to, where), node, target, position)

    assert ours == theirs
    assert ours["consistent"] is True


def test_a_move_writes_only_the_rows_whose_numbers_change(tree):
    version = OrgVersion.objects.get(municipality__slug="flyt")
    leaves = [unit for unit in Unit.objects.filter(version=version).order_by("lft") if unit.rght == unit.lft + 1]
    node, target = leaves[1], leaves[3]
    before = {
        key: rest for key, *rest in Unit.objects.filter(version=version).values_list("key", "lft", "rght", "level")
    }
    written = []

    def count_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("UPDATE") and "CASE" in sql:
            written.append(context["cursor"].rowcount)
        return result

    with connection.execute_wrapper(count_rows):
        tree_moves.move(node, target, "left")
    after = {
        key: rest for key, *rest in Unit.objects.filter(version=version).values_list("key", "lft", "rght", "level")
    }
    renumbered = sum(1 for key in before if before[key] != after[key])
    assert 0 < renumbered < SIZE / 2
    assert written == [renumbered]
    assert selectors.tree_is_consistent(version)


@pytest.mark.postgres
def test_moves_renumber_in_place_on_postgresql():
    """The units' pages keep room (fillfactor, migration centers 0010) and no index covers the nested-set
    numbers, so a renumbered row is rewritten on its own page without new index entries (a HOT update)."""
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Unit._meta.db_table])
        assert "fillfactor=70" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass",
            [Unit._meta.db_table],
        )
        indexed = {row[0] for row in cursor.fetchall()}
    assert indexed.isdisjoint({"lft", "rght", "level"}), indexed
