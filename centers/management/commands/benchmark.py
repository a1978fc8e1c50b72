"""Benchmarks: figures as ratios to a floor measured in the same run, plus query counts and sizes.

Everything runs inside one transaction that is rolled back, so the database is left as it was.
"""

import copy
import io
import json
import random
import statistics
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable

from django.core.management.base import BaseCommand, OutputWrapper
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from centers import selectors, services, structure_format
from centers.choices import UnitKind
from centers.comparison import compare
from centers.models import Municipality, OrgVersion, Unit
from centers.synthetic import synthetic_document, synthetic_structure

MOVES = 40

COMPARISON_EDITS = 500
COMPARISON_SEED = 2014


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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def edited_copy(version: dict, edits: int, seed: int) -> dict:
    """A version based on `version` with `edits` seeded random edits: moves, renames, kind changes, task moves,
    merges of two sibling leaves into a new unit and splits of a leaf into two new units."""
    rng = random.Random(seed)
    after = copy.deepcopy(version)
    after["key"], after["based_on"] = f"{version['key']}-redigeret", version["key"]
    units = {unit["key"]: unit for unit in after["units"]}
    for unit in units.values():
        unit["formed_from"] = [unit["key"]]
    referenced = {post.get("unit") for post in after.get("posts", [])}
    referenced |= {row.get("unit") for row in after.get("committee_services", [])}
    referenced |= {row["scope"] for row in after.get("budget_responsibilities", [])}
    children = Counter(unit.get("parent") for unit in units.values())

    def free_leaf(key: str) -> bool:
        return not children[key] and key not in referenced

    applied = 0
    while applied < edits:
        edit = rng.choice(("move", "rename", "kind", "task", "merge", "split"))
        keys = list(units)
        unit = units[rng.choice(keys)]
        if edit == "move" and unit.get("parent"):
            parent = ancestor = rng.choice(keys)
            while ancestor is not None and ancestor != unit["key"]:
                ancestor = units[ancestor].get("parent")
            if ancestor is not None or parent == unit["parent"]:
                continue
            children[unit["parent"]] -= 1
            children[parent] += 1
            unit["parent"] = parent
        elif edit == "rename":
            unit["name"] = f"{unit['name']} (ny {applied})"
        elif edit == "kind":
            unit["kind"] = rng.choice([kind for kind in UnitKind.values if kind != unit["kind"]])
        elif edit == "task" and unit.get("tasks"):
            target = rng.choice(keys)
            if target == unit["key"]:
                continue
            units[target].setdefault("tasks", []).append(unit["tasks"].pop())
        elif edit == "merge" and unit.get("parent") and free_leaf(unit["key"]):
            siblings = [key for key in keys if key != unit["key"] and units[key].get("parent") == unit["parent"]]
            siblings = [key for key in siblings if free_leaf(key)]
            if not siblings:
                continue
            other = units.pop(rng.choice(siblings))
            del units[unit["key"]]
            key = f"sammenlagt-{applied}"
            units[key] = {
                **unit,
                "key": key,
                "name": f"Sammenlagt enhed {applied}",
                "formed_from": [unit["key"], other["key"]],
                "tasks": unit.get("tasks", []) + other.get("tasks", []),
            }
            children[unit["parent"]] -= 1
        elif edit == "split" and unit.get("parent") and free_leaf(unit["key"]):
            del units[unit["key"]]
            for part in ("a", "b"):
                units[f"{unit['key']}-{part}"] = {
                    **unit,
                    "key": f"{unit['key']}-{part}",
                    "name": f"{unit['name']} {part.upper()}",
                    "formed_from": [unit["key"]],
                    "tasks": unit.get("tasks", []) if part == "a" else [],
                }
            children[unit["parent"]] += 1
        else:
            continue
        applied += 1
    after["units"] = list(units.values())
    return after


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
        parser.add_argument(
            "--comparison",
            type=int,
            default=5000,
            metavar="UNITS",
            help=f"Units in each of the two compared versions, {COMPARISON_EDITS} edits apart (0: skip).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="json_output", help="Print the figures as one JSON object instead."
        )

    def handle(self, *args, sizes, repeat, national, comparison, json_output, **options):
        self.figures = {"database": connection.vendor, "repeat": repeat}
        report = self.stdout
        if json_output:
            self.stdout = OutputWrapper(io.StringIO())
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
        if comparison:
            self.comparison_benchmark(comparison)
        if json_output:
            self.stdout = report
            self.stdout.write(json.dumps(self.figures, indent=2))

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

        tree_sql, tree_parameters = (
            Unit.objects.filter(version=version)
            .order_by("tree_id", "lft")
            .values_list(*selectors.TREE_COLUMNS)
            .query.sql_with_params()
        )

        def floor():
            """The chart's columns by a bare SELECT (the same joins) and json.dumps of the rows as they come."""
            with connection.cursor() as cursor:
                cursor.execute(tree_sql, tree_parameters)
                return json.dumps(cursor.fetchall(), ensure_ascii=False)

        floor_ms, _ = timed(floor, self.repeat)
        tree_ms, tree_queries, tree_bytes = self.request(reverse("centers:tree", args=[slug, version.key]))
        selector_ms, _ = timed(lambda: selectors.version_tree(version), self.repeat)
        centre = Unit.objects.filter(version=version, kind="centre").order_by("-lft").first()
        unit_ms, unit_queries, _ = self.request(reverse("centers:unit", args=[slug, version.key, centre.key]))
        export_ms, _ = timed(lambda: structure_format.export(version.municipality), 1)
        load_floor_ms = self.bulk_create_floor(document, kommunekode)
        tree_peak = self.peak_memory(reverse("centers:tree", args=[slug, version.key]))
        api = {
            name: self.request(url)
            for name, url in {
                "api_tree": reverse("api:version-tree", kwargs={"slug": slug, "key": version.key}),
                "api_units": reverse("api:unit-list", kwargs={"slug": slug, "version": version.key})
                + "?page_size=1000",
                "api_reporting_line": reverse(
                    "api:unit-reporting-line", kwargs={"slug": slug, "version": version.key, "key": centre.key}
                ),
            }.items()
        }
        moves = self.move_benchmark(version)
        self.stdout.write(f"\n{size} units")
        self.stdout.write(f"  load_structure            {load_ms:9.1f} ms  ({load_ms / size * 1000:.0f} µs per unit)")
        self.stdout.write(
            f"  floor: bare bulk_create   {load_floor_ms:9.1f} ms  → load = {load_ms / load_floor_ms:5.1f} × floor"
        )
        self.stdout.write(f"  floor: SELECT of the chart's columns + json.dumps {floor_ms:8.1f} ms")
        self.stdout.write(
            f"  tree JSON (HTTP)          {tree_ms:9.1f} ms  = {tree_ms / floor_ms:5.1f} × floor, "
            f"{tree_queries} queries, {tree_bytes / 1024:.0f} KiB"
        )
        self.stdout.write(f"  tree selector only        {selector_ms:9.1f} ms  = {selector_ms / floor_ms:5.1f} × floor")
        self.stdout.write(f"  unit page (HTTP)          {unit_ms:9.1f} ms  {unit_queries} queries")
        self.stdout.write(f"  export_structure          {export_ms:9.1f} ms")
        self.stdout.write(f"  tree JSON peak memory     {tree_peak / 1_048_576:9.1f} MiB (tracemalloc)")
        for name, (milliseconds, queries, _size) in api.items():
            self.stdout.write(f"  {name:<25} {milliseconds:9.1f} ms  {queries} queries")
        self.stdout.write(
            f"  move (service), median    {moves['service_median_ms']:9.2f} ms  p95 {moves['service_p95_ms']:.2f} ms"
            f"  = {moves['move_ratio']:5.1f} × bare mptt move_to ({moves['bare_median_ms']:.2f} ms,"
            f" p95 {moves['bare_p95_ms']:.2f} ms)"
        )
        self.figures[f"tree_{size}"] = {
            "load_floor_ms": load_floor_ms,
            "load_ratio": load_ms / load_floor_ms,
            "tree_peak_bytes": tree_peak,
            **{f"{name}_ms": milliseconds for name, (milliseconds, _queries, _size) in api.items()},
            **{f"{name}_queries": queries for name, (_ms, queries, _size) in api.items()},
            **moves,
            "load_ms": load_ms,
            "floor_ms": floor_ms,
            "tree_ms": tree_ms,
            "tree_ratio": tree_ms / floor_ms,
            "tree_queries": tree_queries,
            "tree_bytes": tree_bytes,
            "selector_ms": selector_ms,
            "selector_ratio": selector_ms / floor_ms,
            "unit_ms": unit_ms,
            "unit_queries": unit_queries,
            "export_ms": export_ms,
        }

    def bulk_create_floor(self, document: structure_format.Document, kommunekode: int) -> float:
        """The same units written by a bare `bulk_create` (nested sets computed, no validation, no history, no
        posts), one statement per tree level, into a fresh municipality."""
        spec = document.data["versions"][0]
        start = time.perf_counter()
        municipality = Municipality.objects.create(
            slug=f"floor-{kommunekode}", name="Floor", kommunekode=kommunekode + 10000
        )
        version = OrgVersion.objects.create(municipality=municipality, key="floor", label="Floor", status="draft")
        first_tree = (Unit.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0) + 1
        tree = structure_format.nested_sets(spec["units"], first_tree)
        by_level: dict[int, list[dict]] = defaultdict(list)
        for unit in spec["units"]:
            by_level[tree[unit["key"]]["level"]].append(unit)
        created: dict[str, Unit] = {}
        for level in sorted(by_level):
            rows = [
                Unit(
                    version=version,
                    key=unit["key"],
                    name=unit["name"],
                    kind=unit["kind"],
                    parent=created.get(unit.get("parent")),
                    **tree[unit["key"]],
                )
                for unit in by_level[level]
            ]
            created.update((unit.key, unit) for unit in Unit.objects.bulk_create(rows))
        return (time.perf_counter() - start) * 1000

    def peak_memory(self, url: str) -> int:
        """The most memory a GET allocates at once (tracemalloc)."""
        tracemalloc.start()
        self.client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    def move_benchmark(self, version: OrgVersion) -> dict:
        """`services.move_unit` (locks, permission, rules, history) against django-mptt's bare `move_to` of the
        same department between two centres, MOVES times each."""
        centres = list(Unit.objects.filter(version=version, kind="centre").order_by("lft")[:2])
        department = Unit.objects.filter(version=version, kind="department", parent=centres[0]).first()
        if department is None or len(centres) < 2:
            return {}
        service, bare = [], []
        for index in range(MOVES):
            target = centres[(index + 1) % 2]
            start = time.perf_counter()
            services.move_unit(department, target, actor=services.SYSTEM)
            service.append((time.perf_counter() - start) * 1000)
            target = centres[index % 2]
            node = Unit.objects.get(pk=department.pk)
            start = time.perf_counter()
            node.move_to(Unit.objects.get(pk=target.pk), "last-child")
            bare.append((time.perf_counter() - start) * 1000)
        return {
            "service_median_ms": statistics.median(service),
            "service_p95_ms": percentile(service, 0.95),
            "bare_median_ms": statistics.median(bare),
            "bare_p95_ms": percentile(bare, 0.95),
            "move_ratio": statistics.median(service) / statistics.median(bare),
            "tree_consistent_after_moves": selectors.tree_is_consistent(version),
        }

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
        self.figures["national"] = {
            "municipalities": count,
            "load_ms": load_ms,
            "home_ms": home_ms,
            "home_queries": home_queries,
            "search_ms": search_ms,
            "search_queries": search_queries,
        }

    def comparison_benchmark(self, size: int) -> None:
        """compare() of a synthetic version and an edited copy, against indexing both versions by key."""
        before = synthetic_document("comparison", size)["versions"][0]
        after = edited_copy(before, COMPARISON_EDITS, COMPARISON_SEED)

        def floor():
            return [
                (
                    {unit["key"]: unit for unit in version["units"]},
                    {task["key"]: task for unit in version["units"] for task in unit.get("tasks", [])},
                    {post["key"]: post for post in version["posts"]},
                )
                for version in (before, after)
            ]

        floor_ms, _ = timed(floor, self.repeat)
        compare_ms, result = timed(lambda: compare(before, after), self.repeat)
        self.stdout.write(f"\nComparison of two {size}-unit versions, {COMPARISON_EDITS} seeded edits apart")
        self.stdout.write(f"  floor: index both by key  {floor_ms:9.1f} ms")
        self.stdout.write(
            f"  compare (pure)            {compare_ms:9.1f} ms  = {compare_ms / floor_ms:5.1f} × floor, "
            f"{len(result.changes)} changes"
        )
        self.figures[f"comparison_{size}"] = {
            "edits": COMPARISON_EDITS,
            "floor_ms": floor_ms,
            "compare_ms": compare_ms,
            "compare_ratio": compare_ms / floor_ms,
            "changes": len(result.changes),
        }
