"""Benchmarks: figures as ratios to a floor measured in the same run, plus query counts and sizes.

Everything runs inside one transaction that is rolled back, so the database is left as it was.
"""

import json
import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from centers import selectors, structure_format
from centers.models import OrgVersion, Unit
from centers.synthetic import synthetic_structure


class Rollback(Exception):
    """Raised to undo everything the benchmark wrote."""


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in milliseconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


class Command(BaseCommand):
    help = "Measure loading, the chart's tree JSON, the unit page and search on synthetic structures."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="5000,20000", help="Comma-separated unit counts (default 5000,20000).")
        parser.add_argument("--repeat", type=int, default=5, help="Runs per measurement; the median is shown.")
        parser.add_argument(
            "--national",
            type=int,
            default=98,
            choices=range(99),
            metavar="0-98",
            help="Municipalities in the national set (0: skip).",
        )

    def handle(self, *args, sizes, repeat, national, **options):
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.repeat = repeat
        self.stdout.write(f"Orgmodel benchmark on {connection.vendor}, median of {repeat} runs")
        try:
            with transaction.atomic():
                for position, size in enumerate(int(value) for value in sizes.split(",") if value):
                    self.tree_benchmark(size, kommunekode=999 - position)
                if national:
                    self.national_benchmark(national)
                raise Rollback
        except Rollback:
            pass

    def request(self, url: str) -> tuple[float, int, int]:
        """Median milliseconds, query count and response size of a GET."""
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        milliseconds, response = timed(lambda: self.client.get(url), self.repeat)
        return milliseconds, len(queries), len(response.content)

    def tree_benchmark(self, size: int, kommunekode: int) -> None:
        slug = f"benchmark-{size}"
        document = synthetic_structure(slug, size, kommunekode=kommunekode)
        start = time.perf_counter()
        structure_format.load(document)
        load_ms = (time.perf_counter() - start) * 1000
        version = OrgVersion.objects.get(municipality__slug=slug)

        def floor():
            rows = list(Unit.objects.filter(version=version).values_list("key", "parent_id", "name", "kind"))
            return json.dumps(rows)

        floor_ms, _ = timed(floor, self.repeat)
        tree_ms, tree_queries, tree_bytes = self.request(reverse("centers:tree", args=[slug, version.key]))
        selector_ms, _ = timed(lambda: selectors.version_tree(version), self.repeat)
        centre = Unit.objects.filter(version=version, kind="centre").order_by("-lft").first()
        unit_ms, unit_queries, _ = self.request(reverse("centers:unit", args=[slug, version.key, centre.key]))
        export_ms, _ = timed(lambda: structure_format.export(version.municipality), 1)
        self.stdout.write(f"\n{size} units")
        self.stdout.write(f"  load_structure            {load_ms:9.1f} ms  ({load_ms / size * 1000:.0f} µs per unit)")
        self.stdout.write(f"  floor: SELECT + json.dumps {floor_ms:8.1f} ms")
        self.stdout.write(
            f"  tree JSON (HTTP)          {tree_ms:9.1f} ms  = {tree_ms / floor_ms:5.1f} × floor, "
            f"{tree_queries} queries, {tree_bytes / 1024:.0f} KiB"
        )
        self.stdout.write(f"  tree selector only        {selector_ms:9.1f} ms  = {selector_ms / floor_ms:5.1f} × floor")
        self.stdout.write(f"  unit page (HTTP)          {unit_ms:9.1f} ms  {unit_queries} queries")
        self.stdout.write(f"  export_structure          {export_ms:9.1f} ms")

    def national_benchmark(self, count: int) -> None:
        start = time.perf_counter()
        for index in range(count):
            structure_format.load(synthetic_structure(f"national-{index}", 150, kommunekode=900 + index))
        load_ms = (time.perf_counter() - start) * 1000
        home_ms, home_queries, _ = self.request(reverse("home"))
        search_ms, search_queries, _ = self.request(reverse("centers:search") + "?q=enhed+14")
        self.stdout.write(f"\nNational set: {count} municipalities × 150 units")
        self.stdout.write(f"  load all                  {load_ms:9.1f} ms")
        self.stdout.write(f"  home page (HTTP)          {home_ms:9.1f} ms  {home_queries} queries")
        self.stdout.write(f"  search all (HTTP)         {search_ms:9.1f} ms  {search_queries} queries")
