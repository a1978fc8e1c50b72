"""Benchmarks: figures as ratios to a floor measured in the same run, plus query counts and sizes.

Everything runs inside one transaction that is rolled back, so the database is left as it was.
"""

import copy
import io
import json
import logging
import random
import statistics
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection, router, transaction
from django.db.models.deletion import Collector
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centers import selectors, services, structure_format
from centers.chart_benchmark import ChartBenchmarkUnavailable, measure_chart
from centers.choices import UnitKind
from centers.comparison import compare
from centers.models import Municipality, OrgVersion, Person, Post, Task, Unit
from centers.synthetic import synthetic_document
from centers.synthetic_realistic import (
    DEFAULT_KOMMUNER,
    MIN_UNITS,
    municipality_document,
    national_documents,
    read_kommuner,
)

MOVES = 40
MOVES_KOMMUNEKODE = 990  # above the real kommunekoder and the generated files' (901 on)
SEED = 1
# Searches across the national set: a unit name found in many municipalities, a family name, a broad word.
SEARCHES = ("Plejecenter Åløkke", "Brøndum", "Team Syd")
# The lists of a document whose first key fills a page's address.
KEYED = ("people", "committees", "forums", "networks")
# Reads left out of the query counts: writes, Graphviz pictures, the hearing PDF, the API's own description.
NOT_COUNTED = ("diagram", "compare-pdf", "api:schema", "api:docs", "set_language")
WRITES = ("move", "rename", "revert", "set-head", "set-responsible", "assign-holder", "adopt", "clone")

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


def delete_with_history(municipality: Municipality) -> None:
    """Delete a municipality, everything in it and every history record of those rows, recording nothing."""
    collector = Collector(using=router.db_for_write(Municipality), origin=municipality)
    collector.collect([municipality])
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        for model, rows in collector.data.items():
            if hasattr(model._meta, "simple_history_manager_attribute"):
                model.history.model.objects.filter(id__in=[row.pk for row in rows]).delete()
        municipality.delete()


def by_depth(items: list[dict], depth: Callable[[dict], int]) -> list[list[dict]]:
    """`items` grouped by `depth`, shallowest first."""
    levels: dict[int, list[dict]] = defaultdict(list)
    for item in items:
        levels[depth(item)].append(item)
    return [levels[level] for level in sorted(levels)]


def chain_length(parents: dict[str, str | None], key: str) -> int:
    """How many links lead up from `key` to the top of its chain."""
    length = 0
    while parents.get(key):
        key, length = parents[key], length + 1
    return length


def readable_routes() -> Iterator[tuple[str, str, set[str]]]:
    """(name, route, argument names) of every named page and API read of the site, outside the admin."""

    def walk(patterns, namespace: str | None, prefix: str, arguments: set[str]):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            names = arguments | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace, route, names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if not any(part in name for part in NOT_COUNTED) and not name.endswith(WRITES):
                    yield name, route, names

    yield from walk(get_resolver().url_patterns, None, "", set())


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
    help = (
        "Measure, on the configured database, loading, the chart's tree JSON, pages, the API, moves, search, the "
        "national set and the chart in chromium on realistic synthetic structures; each figure beside its floor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="5000,20000", help="Comma-separated unit counts (default 5000,20000).")
        parser.add_argument("--repeat", type=int, default=5, help="Runs per measurement; the median is shown.")
        parser.add_argument(
            "--national",
            type=int,
            default=98,
            choices=range(99),
            metavar="0-98",
            help="Municipalities of the national set, in the order of the kommuner file (0: skip).",
        )
        parser.add_argument(
            "--national-units",
            default="1000,3000",
            metavar="LOW,HIGH",
            help="Fewest and most units of a municipality in the national set (default 1000,3000).",
        )
        parser.add_argument("--kommuner", metavar="FILE", help=f"kommunekode,navn CSV (default {DEFAULT_KOMMUNER}).")
        parser.add_argument(
            "--comparison",
            type=int,
            default=5000,
            metavar="UNITS",
            help=f"Units in each of the two compared versions, {COMPARISON_EDITS} edits apart (0: skip).",
        )
        parser.add_argument(
            "--no-chart", action="store_false", dest="chart", help="Skip the chart in headless chromium."
        )
        parser.add_argument(
            "--json", action="store_true", dest="json_output", help="Print the figures as one JSON object instead."
        )

    def handle(self, *args, sizes, repeat, national, national_units, kommuner, comparison, chart, json_output, **_):
        sizes = [int(value) for value in sizes.split(",") if value]
        if any(size < MIN_UNITS for size in sizes):
            raise CommandError(f"--sizes: a synthetic municipality has at least {MIN_UNITS} units")
        try:
            low, high = (int(value) for value in national_units.split(","))
        except ValueError as exc:
            raise CommandError(f"--national-units: expected LOW,HIGH, got {national_units!r}") from exc
        rows = read_kommuner(Path(kommuner) if kommuner else DEFAULT_KOMMUNER)[:national] if national else []
        self.figures = {"database": connection.vendor, "repeat": repeat}
        report = self.stdout
        if json_output:
            self.stdout = OutputWrapper(io.StringIO())
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.repeat = repeat
        self.chart = chart
        self.stdout.write(f"Orgmodel benchmark on {connection.vendor}, median of {repeat} runs")
        query_counts: dict[str, dict[int, int]] = defaultdict(dict)
        try:
            with transaction.atomic():
                for position, size in enumerate(sizes):
                    for name, queries in self.tree_benchmark(size, kommunekode=999 - position).items():
                        query_counts[name][size] = queries
                if rows:
                    self.national_benchmark(rows, low, high)
                raise Rollback
        except Rollback:
            pass
        self.query_count_report(query_counts)
        if sizes:
            self.move_benchmark(min(sizes))
        if comparison:
            self.comparison_benchmark(comparison)
        if json_output:
            self.stdout = report
            self.stdout.write(json.dumps(self.figures, indent=2))

    def get(self, url: str) -> tuple[int, HttpResponse]:
        """The query count and the response of one GET."""
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.client.get(url)
        return queries, response

    def request(self, url: str) -> tuple[float, int, int]:
        """Median milliseconds, query count and response size of a GET."""
        queries, response = self.get(url)
        assert response.status_code == 200, (url, response.status_code)
        milliseconds, response = timed(lambda: self.client.get(url), self.repeat)
        return milliseconds, queries, len(response.content)

    def tree_benchmark(self, size: int, kommunekode: int) -> dict[str, int]:
        """Figures of one municipality of `size` units; returns the query count of every page and API read."""
        slug = f"benchmark-{size}"
        document = structure_format.Document(
            municipality_document(slug, f"Benchmark {size}", kommunekode, size, seed=SEED), f"synthetic:{slug}"
        )
        start = time.perf_counter()
        structure_format.load(document)
        load_ms = (time.perf_counter() - start) * 1000
        load_floor_ms = self.bulk_create_floor(document, kommunekode)
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
        tree_url = reverse("centers:tree", args=[slug, version.key])
        tree_ms, tree_queries, tree_bytes = self.request(tree_url)
        selector_ms, _ = timed(lambda: selectors.version_tree(version), self.repeat)
        tree_peak = self.peak_memory(tree_url)
        centre = Unit.objects.filter(version=version, kind="centre").order_by("-lft").first()
        keys = {"slug": slug, "version": version.key}
        pages = {
            "unit_page": reverse("centers:unit", args=[slug, version.key, centre.key]),
            "reporting_line_page": reverse("centers:unit-reporting-line", args=[slug, version.key, centre.key]),
            "search_page": reverse("centers:search") + f"?q={quote(SEARCHES[0])}&kommune={slug}",
            "api_tree": reverse("api:version-tree", kwargs={"slug": slug, "key": version.key}),
            "api_units": reverse("api:unit-list", kwargs={"slug": slug, "version": version.key}) + "?page_size=1000",
            "api_reporting_line": reverse("api:unit-reporting-line", kwargs={**keys, "key": centre.key}),
            "api_budget_chain": reverse("api:unit-budget-chain-list", kwargs={**keys, "unit": centre.key}),
        }
        timings = {name: self.request(url) for name, url in pages.items()}
        chart = self.chart_benchmark(reverse("centers:chart", args=[slug, version.key]), expand_all=size <= 5000)
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
        self.stdout.write(f"  tree JSON peak memory     {tree_peak / 1_048_576:9.1f} MiB (tracemalloc)")
        for name, (milliseconds, queries, _size) in timings.items():
            self.stdout.write(f"  {name:<25} {milliseconds:9.1f} ms  {queries} queries")
        self.chart_report(chart)
        self.figures[f"tree_{size}"] = {
            "load_ms": load_ms,
            "load_floor_ms": load_floor_ms,
            "load_ratio": load_ms / load_floor_ms,
            "floor_ms": floor_ms,
            "tree_ms": tree_ms,
            "tree_ratio": tree_ms / floor_ms,
            "tree_queries": tree_queries,
            "tree_bytes": tree_bytes,
            "tree_peak_bytes": tree_peak,
            "selector_ms": selector_ms,
            "selector_ratio": selector_ms / floor_ms,
            **{f"{name}_ms": milliseconds for name, (milliseconds, _queries, _size) in timings.items()},
            **{f"{name}_queries": queries for name, (_ms, queries, _size) in timings.items()},
            **{f"chart_{name}": value for name, value in chart.items()},
        }
        return self.every_read(document, version, centre)

    def every_read(self, document: structure_format.Document, version: OrgVersion, centre: Unit) -> dict[str, int]:
        """The query count of one GET of every page and API read that takes a municipality, its version and keys
        (found in the URL configuration, so another app's pages are counted too), filled with this document's
        keys (a read that does not answer 200, such as a comparison of a single version, is left out). Graphviz
        pictures and the hearing PDF are left out: they take seconds and their queries are those
        of the pages they draw."""
        data = document.data
        spec = data["versions"][0]
        first = {name: (data.get(name) or spec.get(name) or [{}])[0].get("key") for name in KEYED}
        post = next(post for post in spec["posts"] if post.get("unit") == centre.key)
        values = {
            "slug": data["municipality"]["slug"],
            "version": version.key,
            "unit": centre.key,
            "post": post["key"],
            "person": first["people"],
            "committee": first["committees"],
            "forum": first["forums"],
            "network": first["networks"],
            "fmt": "json",
            "table": "enheder",
        }
        task = next(task["key"] for unit in spec["units"] for task in unit.get("tasks", []))
        key_of = {"version": version.key, "unit": centre.key, "post": post["key"], "task": task}
        key_of |= {"person": first["people"], "committee": first["committees"]}
        key_of |= {"forum": first["forums"], "network": first["networks"]}
        counts = {}
        quiet = logging.getLogger("django.request")
        level, _ = quiet.level, quiet.setLevel(logging.ERROR)  # the comparison's 404 and 400 are expected
        for name, _route, arguments in readable_routes():
            kwargs = {argument: values.get(argument) for argument in arguments}
            if "key" in arguments:
                kwargs["key"] = key_of.get(name.split(":")[-1].split("-")[0])
            if None in kwargs.values():
                continue
            queries, response = self.get(reverse(name, kwargs=kwargs))
            # A comparison needs two versions: with one, its pages answer 404 and are not counted.
            if response.status_code == 200:
                counts[name] = queries
        quiet.setLevel(level)
        return counts

    def query_count_report(self, counts: dict[str, dict[int, int]]) -> None:
        sizes = sorted({size for by_size in counts.values() for size in by_size})
        differing = sorted(name for name, by_size in counts.items() if len(set(by_size.values())) > 1)
        self.stdout.write(f"\nQueries per GET of every page and API read at {' and '.join(map(str, sizes))} units")
        for name, by_size in sorted(counts.items()):
            figures = "  ".join(f"{by_size.get(size, '-'):>4}" for size in sizes)
            self.stdout.write(f"  {figures}  {'≠ ' if name in differing else ''}{name}")
        self.stdout.write(f"  {len(counts)} reads, {len(differing)} with a count that depends on the size")
        self.figures["query_counts"] = {
            name: {str(size): queries for size, queries in by_size.items()} for name, by_size in counts.items()
        }
        self.figures["query_counts_equal"] = not differing

    def bulk_create_floor(self, document: structure_format.Document, kommunekode: int) -> float:
        """The centers rows of the load (municipality, version, people, units, posts, tasks) written by bare
        `bulk_create` into a fresh municipality: nested sets computed, one statement per tree level and per
        reporting level, no validation, no history, no locks. Left out: the units' heads and responsible
        directors (a second pass over the units) and the governance sections' rows."""
        data = document.data
        spec = data["versions"][0]
        start = time.perf_counter()
        municipality = Municipality.objects.create(
            slug=f"floor-{kommunekode}", name="Floor", kommunekode=kommunekode + 10000
        )
        version = OrgVersion.objects.create(municipality=municipality, key="floor", label="Floor", status="draft")
        people = {
            person.key: person
            for person in Person.objects.bulk_create(
                Person(municipality=municipality, key=person["key"], name=person["name"]) for person in data["people"]
            )
        }
        first_tree = (Unit.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0) + 1
        tree = structure_format.nested_sets(spec["units"], first_tree)
        units: dict[str, Unit] = {}
        for level in by_depth(spec["units"], lambda unit: tree[unit["key"]]["level"]):
            rows = [
                Unit(
                    version=version,
                    key=unit["key"],
                    name=unit["name"],
                    kind=unit["kind"],
                    parent=units.get(unit.get("parent")),
                    **tree[unit["key"]],
                )
                for unit in level
            ]
            units.update((unit.key, unit) for unit in Unit.objects.bulk_create(rows))
        posts: dict[str, Post] = {}
        reports_to = {post["key"]: post.get("reports_to") for post in spec["posts"]}
        for level in by_depth(spec["posts"], lambda post: chain_length(reports_to, post["key"])):
            rows = [
                Post(
                    version=version,
                    key=post["key"],
                    title=post["title"],
                    kind=post["kind"],
                    unit=units.get(post.get("unit")),
                    holder=people.get(post.get("holder")),
                    reports_to=posts.get(post.get("reports_to")),
                )
                for post in level
            ]
            posts.update((post.key, post) for post in Post.objects.bulk_create(rows))
        Task.objects.bulk_create(
            Task(version=version, key=task["key"], name=task["name"], unit=units[unit["key"]])
            for unit in spec["units"]
            for task in unit.get("tasks", [])
        )
        return (time.perf_counter() - start) * 1000

    def peak_memory(self, url: str) -> int:
        """The most memory a GET allocates at once (tracemalloc)."""
        tracemalloc.start()
        self.client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    def move_benchmark(self, size: int) -> None:
        """`services.move_unit` (locks, permission, rules, history) against django-mptt's bare `move_to` of the
        same department between two centres, MOVES times each, in a municipality of `size` units committed for
        the purpose: each move is its own transaction, as each request is (row versions a transaction leaves
        behind are not reclaimed before it ends). The municipality and its history are deleted afterwards."""
        slug = f"benchmark-moves-{size}"
        document = structure_format.Document(
            municipality_document(slug, f"Benchmark moves {size}", MOVES_KOMMUNEKODE, size, seed=SEED), slug
        )
        municipality = structure_format.load(document, replace=True)
        try:
            version = municipality.versions.get()
            centres = list(Unit.objects.filter(version=version, kind="centre").order_by("lft")[:2])
            department = Unit.objects.filter(version=version, kind="department", parent=centres[0]).first()
            service, bare = [], []
            for index in range(MOVES):
                start = time.perf_counter()
                services.move_unit(department, centres[(index + 1) % 2], actor=services.SYSTEM)
                service.append((time.perf_counter() - start) * 1000)
                node, target = Unit.objects.get(pk=department.pk), Unit.objects.get(pk=centres[index % 2].pk)
                start = time.perf_counter()
                with transaction.atomic():
                    node.move_to(target, "last-child")
                bare.append((time.perf_counter() - start) * 1000)
            moves = {
                "units": size,
                "moved_units": Unit.objects.get(pk=department.pk).get_descendant_count() + 1,
                "service_median_ms": statistics.median(service),
                "service_p95_ms": percentile(service, 0.95),
                "bare_median_ms": statistics.median(bare),
                "bare_p95_ms": percentile(bare, 0.95),
                "move_ratio": statistics.median(service) / statistics.median(bare),
                "tree_consistent_after_moves": selectors.tree_is_consistent(version),
            }
        finally:
            delete_with_history(municipality)
        self.stdout.write(f"\nMoves of a {moves['moved_units']}-unit department in a {size}-unit version, {MOVES} each")
        self.stdout.write(
            f"  service move, median      {moves['service_median_ms']:9.2f} ms  p95 {moves['service_p95_ms']:.2f} ms"
            f"  = {moves['move_ratio']:5.2f} × bare mptt move_to ({moves['bare_median_ms']:.2f} ms,"
            f" p95 {moves['bare_p95_ms']:.2f} ms)"
        )
        self.stdout.write(f"  tree consistent after     {moves['tree_consistent_after_moves']}")
        self.figures[f"moves_{size}"] = moves

    def chart_benchmark(self, url: str, *, expand_all: bool) -> dict:
        """The chart page in headless chromium: until interactive and, with `expand_all`, "expand all"."""
        if not self.chart:
            return {}
        try:
            return measure_chart(self.client, url, expand_all=expand_all, repeat=self.repeat)
        except ChartBenchmarkUnavailable as exc:
            return {"error": str(exc)}

    def chart_report(self, chart: dict) -> None:
        if "error" in chart:
            self.stdout.write(f"  chart (chromium)          not measured: {chart['error']}")
        if "interactive_ms" in chart:
            self.stdout.write(f"  chart until interactive   {chart['interactive_ms']:9.1f} ms")
        if "expand_all_ms" in chart:
            self.stdout.write(
                f'  chart "expand all"        {chart["expand_all_ms"]:9.1f} ms  {chart["expanded_cards"]} cards'
            )

    def national_benchmark(self, rows: list[tuple[int, str]], low: int, high: int) -> None:
        """The national set written as JSON files (not timed) and loaded by `load_structure`, as a person loads
        them; then the planner's statistics (autovacuum would gather them soon after a commit), the home page
        and search across the set."""
        units = 0
        with tempfile.TemporaryDirectory(prefix="orgmodel-national-") as folder:
            paths = []
            for data in national_documents(rows, seed=SEED, low=low, high=high):
                units += len(data["versions"][0]["units"])
                paths.append(Path(folder) / f"{data['municipality']['slug']}.json")
                paths[-1].write_text(structure_format.dump(data, "json"), encoding="utf-8")
            start = time.perf_counter()
            call_command("load_structure", *paths, stdout=io.StringIO())
            load_ms = (time.perf_counter() - start) * 1000
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        home_ms, home_queries, _ = self.request(reverse("home"))
        searches = {text: self.request(reverse("centers:search") + f"?q={quote(text)}") for text in SEARCHES}
        self.stdout.write(f"\nNational set: {len(rows)} municipalities, {units:,.0f} units")
        self.stdout.write(
            f"  load all                  {load_ms / 1000:9.1f} s   ({load_ms / units * 1000:.0f} µs/unit)"
        )
        self.stdout.write(f"  home page (HTTP)          {home_ms:9.1f} ms  {home_queries} queries")
        for text, (milliseconds, queries, _size) in searches.items():
            label = f"search «{text}»"
            self.stdout.write(f"  {label:<30} {milliseconds:9.1f} ms  {queries} queries")
        self.figures["national"] = {
            "municipalities": len(rows),
            "units": units,
            "load_ms": load_ms,
            "home_ms": home_ms,
            "home_queries": home_queries,
            "search_ms": max(milliseconds for milliseconds, _queries, _size in searches.values()),
            "searches": {text: {"ms": ms, "queries": queries} for text, (ms, queries, _size) in searches.items()},
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
