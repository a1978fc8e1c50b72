"""`centers.chart_benchmark.measure_chart`: the chart of a version that exists only in an uncommitted transaction,
timed in Debian's chromium without a server. The figures are checked for what they are, never for how fast."""

import os

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import chart_benchmark, structure_format
from centers.chart_benchmark import ChartBenchmarkUnavailable, measure_chart
from centers.models import Municipality, OrgVersion, Unit
from centers.synthetic import synthetic_structure

UNITS = 200
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def require_chromium():
    if not chart_benchmark.CHROMIUM.exists():
        message = f"{chart_benchmark.CHROMIUM} is missing: install Debian's chromium package (scripts/setup does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.browser
@pytest.mark.django_db
def test_measure_chart_opens_and_expands_a_version_of_an_open_transaction_and_writes_nothing(monkeypatch):
    require_chromium()
    structure_format.load(synthetic_structure("maaling", UNITS))
    version = OrgVersion.objects.get(municipality__slug="maaling")
    rows_before = (Municipality.objects.count(), OrgVersion.objects.count(), Unit.objects.count())
    closes = []
    monkeypatch.setattr(connection, "close", lambda: closes.append("close"))  # would end the transaction

    with CaptureQueriesContext(connection) as queries:
        figures = measure_chart(
            Client(HTTP_HOST="127.0.0.1"),
            reverse("centers:chart", args=["maaling", version.key]),
            expand_all=True,
            repeat=2,
        )

    assert set(figures) == {"interactive_ms", "data_ms", "render_ms", "expand_all_ms", "expanded_cards"}
    for name in ("interactive_ms", "data_ms", "render_ms", "expand_all_ms"):
        assert isinstance(figures[name], float | int) and figures[name] > 0, name
    assert figures["interactive_ms"] > figures["data_ms"]  # the chart cannot be usable before its data is there
    assert figures["expanded_cards"] == UNITS == Unit.objects.filter(version=version).count()
    assert queries.captured_queries, "the page and its tree were served on the caller's connection"
    assert closes == [] and not connection.needs_rollback
    assert not [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().upper().startswith(WRITES)]
    assert (Municipality.objects.count(), OrgVersion.objects.count(), Unit.objects.count()) == rows_before


@pytest.mark.browser
@pytest.mark.django_db
def test_measure_chart_without_expand_all_gives_the_opening_figures_only():
    require_chromium()
    structure_format.load(synthetic_structure("aabning", 40))
    version = OrgVersion.objects.get(municipality__slug="aabning")

    figures = measure_chart(Client(), reverse("centers:chart", args=["aabning", version.key]), repeat=1)

    assert set(figures) == {"interactive_ms", "data_ms", "render_ms"}
    assert figures["interactive_ms"] > 0


def test_measure_chart_says_so_when_chromium_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(chart_benchmark, "CHROMIUM", tmp_path / "chromium")

    with pytest.raises(ChartBenchmarkUnavailable, match="chromium"):
        measure_chart(Client(), "/lejre/2014/")
