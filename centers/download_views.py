"""Data downloads: the structure document of a municipality or of one version (YAML, JSON), byte for byte what
`manage.py export_structure` prints, and a version's units, posts and tasks as CSV, flattened from the same export
so that a spreadsheet cannot say what the document does not. Each costs a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View

from . import selectors, structure_format
from .downloads import csv_response
from .models import Municipality, OrgVersion

CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}

UNIT_COLUMNS = ("key", "name", "name_en", "kind", "parent", "head", "responsible", "formed_from", "source", "note")
POST_COLUMNS = ("key", "title", "title_en", "kind", "unit", "holder", "reports_to", "source", "note")
TASK_COLUMNS = ("key", "name", "name_en", "unit", "source", "note")


def _tasks(version: dict) -> list[dict]:
    """The tasks of an exported version, each with the key of its unit, in the units' tree order."""
    return [{**task, "unit": unit["key"]} for unit in version["units"] for task in unit["tasks"]]


# The tables of a version, by the name they have in their address and file name: columns and rows.
TABLES: dict[str, tuple[tuple[str, ...], Callable[[dict], list[dict]]]] = {
    "enheder": (UNIT_COLUMNS, lambda version: version["units"]),
    "stillinger": (POST_COLUMNS, lambda version: version["posts"]),
    "opgaver": (TASK_COLUMNS, _tasks),
}


class StructureFormatConverter:
    """`yaml` or `json` in an address: any other ending is no page at all (404), not a page that refuses it."""

    regex = "|".join(CONTENT_TYPES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class VersionTableConverter(StructureFormatConverter):
    """The name of one of a version's CSV tables (`enheder`, `stillinger`, `opgaver`) in an address."""

    regex = "|".join(TABLES)


class StructureDownloadView(View):
    """The structure document of a municipality, or with `version` of that version alone, as a file."""

    def get(self, request, slug, fmt, version=None):
        municipality = get_object_or_404(Municipality, slug=slug)
        try:
            document = structure_format.export(municipality, version)
        except OrgVersion.DoesNotExist as exc:
            raise Http404(str(exc)) from exc
        response = HttpResponse(structure_format.dump(document, fmt), content_type=CONTENT_TYPES[fmt])
        name = "-".join(part for part in (slug, version) if part)
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
        return response


class VersionTableView(View):
    """One table of a version (units, posts or tasks) as CSV, one row per element.

    The rows are the version as the municipality's document exports it, not as the one-version document does:
    that one is standalone and leaves `formed_from` (which names units of the version before) empty, and the
    spreadsheet is where a reader looks for which units a new one was formed from."""

    def get(self, request, slug, version, table):
        org_version = selectors.get_version(slug, version)
        document = structure_format.export(org_version.municipality)
        exported = next(entry for entry in document["versions"] if entry["key"] == org_version.key)
        columns, rows = TABLES[table]
        return csv_response(f"{slug}-{org_version.key}-{table}.csv", columns, rows(exported))
