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
        "benchmark",
        *("--sizes", "120,240", "--national", "2", "--national-units", "60,80", "--comparison", "120"),
        *("--repeat", "1", "--no-chart", "--json"),
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    tree = figures["tree_120"]
    for ratio in ("tree_ratio", "selector_ratio", "load_ratio"):
        assert tree[ratio] > 0, ratio
    assert figures["moves_120"]["move_ratio"] > 0
    assert figures["comparison_120"]["compare_ratio"] > 0
    assert figures["moves_120"]["tree_consistent_after_moves"] is True
    assert tree["tree_queries"] == 2 and tree["api_tree_queries"] <= 3
    assert tree["tree_peak_bytes"] > 0
    national = figures["national"]
    assert national["municipalities"] == 2 and 120 <= national["units"] <= 160
    assert set(national["searches"]) == {"Plejecenter Åløkke", "Brøndum", "Team Syd"}
    # Every page and API read is counted at both sizes, with the same number of queries.
    counts = figures["query_counts"]
    assert {"centers:unit", "api:unit-list", "governance:committee", "home"} <= set(counts)
    assert all(set(by_size) == {"120", "240"} for by_size in counts.values())
    assert figures["query_counts_equal"] is True
    assert not Municipality.objects.exists() and not Unit.objects.exists()
    for model in (Municipality, Unit):
        assert not model.history.exists()
