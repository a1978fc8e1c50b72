"""Load test of a running Orgmodel (scripts/loadtest): readers browse pages and the API in a mix weighted like real
use; one editor moves a department back and forth through the API the whole time. Every key is discovered from the
API at start; the editor's two target units are LOADTEST_EDITOR_TARGETS, or, when it is set empty, the first two
centres of the editor's municipality (for a generated set such as the national one)."""

import os
import random

import requests
from locust import HttpUser, between, events, task
from locust.exception import StopUser

SEARCH_TERMS = ["center", "skole", "direktør", "social", "udvalg", "økonomi", "kultur", "job", "børn", "plan"]
# Units read per version at start (one API page): enough to spread the unit pages over a large version.
DISCOVERED_UNITS = 500
EDITOR_MUNICIPALITY = os.environ.get("LOADTEST_EDITOR_MUNICIPALITY", "assens")
EDITOR_TARGETS = [
    key
    for key in os.environ.get(
        "LOADTEST_EDITOR_TARGETS", "familie-unge-og-uddannelse,social-sundhed-og-arbejdsmarked"
    ).split(",")
    if key
]
catalogue: list[dict] = []


def all_pages(client, url: str, name: str | None = None) -> list[dict]:
    """Every result of a paginated API list."""
    results = []
    while url:
        response = client.get(url, **({"name": name} if name else {}))
        response.raise_for_status()
        page = response.json()
        results += page["results"]
        url = page["next"]
    return results


@events.test_start.add_listener
def discover(environment, **kwargs):
    """Municipalities, their versions and unit keys, read once from the API (not counted in the figures)."""
    client = requests.Session()
    for municipality in all_pages(client, f"{environment.host}/api/municipalities/"):
        for version in all_pages(client, municipality["versions_url"]):
            page = client.get(version["units_url"], params={"page_size": DISCOVERED_UNITS})
            page.raise_for_status()
            units = page.json()["results"]
            if units:
                catalogue.append({"slug": municipality["slug"], "version": version["key"], "units": units})
    if not catalogue:
        raise RuntimeError("no municipality with units: load the fixtures first")
    print(f"discovered {len(catalogue)} versions, {sum(len(v['units']) for v in catalogue)} units")


class Reader(HttpUser):
    """A visitor: mostly charts and unit pages, then search, committees and the API."""

    wait_time = between(0.5, 2.0)
    weight = 1

    def version(self) -> dict:
        return random.choice(catalogue)

    @task(6)
    def chart_json(self):
        version = self.version()
        self.client.get(f"/{version['slug']}/{version['version']}/organisation.json", name="chart json")

    @task(5)
    def unit_page(self):
        version = self.version()
        unit = random.choice(version["units"])
        self.client.get(f"/{version['slug']}/{version['version']}/enheder/{unit['key']}/", name="unit page")

    @task(3)
    def chart_page(self):
        version = self.version()
        self.client.get(f"/{version['slug']}/{version['version']}/", name="chart page")

    @task(2)
    def search(self):
        self.client.get("/soeg/", params={"q": random.choice(SEARCH_TERMS)}, name="search")

    @task(2)
    def committees(self):
        version = self.version()
        self.client.get(f"/{version['slug']}/{version['version']}/udvalg/", name="committee page")

    @task(2)
    def api_units(self):
        version = self.version()
        self.client.get(
            f"/api/municipalities/{version['slug']}/versions/{version['version']}/units/", name="api unit list"
        )

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Editor(HttpUser):
    """One director who moves a department of their portfolio between two units, and back where it was at the end."""

    fixed_count = 1
    wait_time = between(0.5, 1.0)

    def on_start(self):
        token = os.environ.get("LOADTEST_TOKEN")
        if not token:
            raise StopUser("LOADTEST_TOKEN is not set")
        self.client.headers["Authorization"] = f"Token {token}"
        municipality = self.client.get(f"/api/municipalities/{EDITOR_MUNICIPALITY}/", name="editor setup").json()
        self.units_url = f"/api/municipalities/{EDITOR_MUNICIPALITY}/versions/{municipality['default_version']}/units/"
        if EDITOR_TARGETS:
            self.targets = EDITOR_TARGETS
            first_target = self.client.get(f"{self.units_url}{EDITOR_TARGETS[0]}/", name="editor setup").json()
            self.home_parent = first_target["parent"]
            siblings = all_pages(
                self.client, f"{self.units_url}?parent={self.home_parent}&kind=department", "editor setup"
            )
        else:
            centres = self.client.get(f"{self.units_url}?kind=centre&page_size=2", name="editor setup").json()
            self.targets = [centre["key"] for centre in centres["results"]]
            self.home_parent = self.targets[0]
            siblings = all_pages(
                self.client, f"{self.units_url}?parent={self.home_parent}&kind=department", "editor setup"
            )
        self.moved = siblings[0]["key"]
        self.moves = 0

    @task
    def move(self):
        target = self.targets[self.moves % len(self.targets)]
        self.move_to(target, "api move unit")
        self.moves += 1

    def move_to(self, target: str, name: str):
        with self.client.post(
            f"{self.units_url}{self.moved}/move/", json={"target": target}, name=name, catch_response=True
        ) as response:
            if response.status_code != 200 or response.json().get("parent") != target:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    def on_stop(self):
        self.move_to(self.home_parent, "api move unit (back)")
