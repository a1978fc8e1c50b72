"""`manage.py benchmark --json`: every figure comes with its floor as a `*_ratio`, moves leave the tree valid, and
the database is left as it was (everything runs in a transaction that is rolled back). No timing is asserted."""

import io
import json

import pytest
from django.core.management import call_command

from centers.models import Municipality, Unit

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_ratios_to_floors_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command(
        "benchmark", "--sizes", "120", "--national", "2", "--comparison", "120", "--repeat", "1", "--json", stdout=out
    )
    figures = json.loads(out.getvalue())
    tree = figures["tree_120"]
    for ratio in ("tree_ratio", "selector_ratio", "load_ratio", "move_ratio"):
        assert tree[ratio] > 0, ratio
    assert figures["comparison_120"]["compare_ratio"] > 0
    assert tree["tree_consistent_after_moves"] is True
    assert tree["tree_queries"] == 2 and tree["api_tree_queries"] <= 3
    assert tree["tree_peak_bytes"] > 0
    assert figures["national"]["municipalities"] == 2
    assert not Municipality.objects.exists() and not Unit.objects.exists()
