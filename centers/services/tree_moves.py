"""Moving a unit inside its tree by one UPDATE of the rows whose nested-set numbers change.

django-mptt rewrites every row of the tree for a move (its UPDATE has no bound but the tree id), which on
PostgreSQL costs a new row version and an entry in every index per row: a move of a team in a 5,000-unit
municipality rewrote 5,000 rows. Here only the rows numbered between the unit's old and new place are written.
Moves that create or join trees (a root involved) stay with django-mptt.
"""

from __future__ import annotations

from django.db import connection
from mptt.exceptions import InvalidMove

from centers import invariants
from centers.models import Unit

TREE_FIELDS = ("lft", "rght", "level", "tree_id", "parent_id")


def move(unit: Unit, target: Unit | None, position: str) -> None:
    """Move `unit` (and its subtree) to `position` ("last-child", "first-child", "left", "right") of `target`
    (None: make it a root), saving `unit` once: that save is its history record. Call it holding the version's
    lock."""
    as_child = position.endswith("child")
    fresh = {
        row["pk"]: row
        for row in Unit.objects.filter(pk__in=[unit.pk, getattr(target, "pk", None)]).values("pk", *TREE_FIELDS)
    }
    node, place = fresh[unit.pk], fresh.get(getattr(target, "pk", None))
    if (
        place is None
        or node["parent_id"] is None
        or place["tree_id"] != node["tree_id"]
        or (place["parent_id"] is None and not as_child)
    ):
        unit.move_to(target, position)
        return
    left, right = node["lft"], node["rght"]
    if left <= place["lft"] <= right:
        raise InvalidMove(invariants.MESSAGES["inside_itself"])
    # `edge`: the number the unit's lft takes, counted while the unit is still where it is.
    edge = {
        "last-child": place["rght"],
        "first-child": place["lft"] + 1,
        "left": place["lft"],
        "right": place["rght"] + 1,
    }[position]
    width = right - left + 1
    if edge > right:  # to the right: the rows in between close up to the left
        shift, others, low, high = edge - right - 1, -width, left, edge - 1
    else:  # to the left: the rows in between make room
        shift, others, low, high = edge - left, width, edge, right
    level_change = place["level"] + (1 if as_child else 0) - node["level"]
    _renumber(
        node["tree_id"],
        {"left": left, "right": right, "level": level_change, "shift": shift, "others": others},
        low,
        high,
    )
    unit.parent_id = target.pk if as_child else place["parent_id"]
    unit.lft, unit.rght = left + shift, right + shift
    unit.level, unit.tree_id = node["level"] + level_change, node["tree_id"]
    # django-mptt moves a node whose parent differs from the one it was read with; this one is in place already.
    unit._mptt_meta.update_mptt_cached_fields(unit)
    unit.save()


def _renumber(tree_id: int, subtree: dict, low: int, high: int) -> None:
    """Shift the subtree numbered `left`..`right` by `shift` (and its levels by `level`), and the other rows
    numbered between `low` and `high` by `others`; rows outside that range are not touched."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "
            "level = CASE WHEN lft BETWEEN %(left)s AND %(right)s THEN level + %(level)s ELSE level END, "
            "lft = CASE WHEN lft BETWEEN %(left)s AND %(right)s THEN lft + %(shift)s "
            "WHEN lft BETWEEN %(low)s AND %(high)s THEN lft + %(others)s ELSE lft END, "
            "rght = CASE WHEN rght BETWEEN %(left)s AND %(right)s THEN rght + %(shift)s "
            "WHEN rght BETWEEN %(low)s AND %(high)s THEN rght + %(others)s ELSE rght END "
            "WHERE tree_id = %(tree)s AND (lft BETWEEN %(low)s AND %(high)s OR rght BETWEEN %(low)s AND %(high)s)",
            {**subtree, "low": low, "high": high, "tree": tree_id},
        )
