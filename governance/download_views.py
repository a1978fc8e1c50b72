"""Governance's downloads: the municipality as a Popolo document, and a version's committee services as CSV, both
taken from the structure export so that they say what the structure document says. Each costs a constant number
of queries."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View

from centers import selectors, structure_format
from centers.downloads import csv_response
from centers.models import Municipality, OrgVersion

from . import popolo

COMMITTEE_SERVICE_COLUMNS = ("committee", "unit", "post", "role", "source", "note")


class PopoloView(View):
    """The persons, organizations, posts and memberships of a municipality (every version) as Popolo JSON."""

    def get(self, request, slug):
        municipality = get_object_or_404(Municipality, slug=slug)
        document = popolo.to_popolo(structure_format.export(municipality), request.build_absolute_uri("/"))
        response = HttpResponse(popolo.dump(document), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{slug}-popolo.json")
        return response


class CommitteeServicesCsvView(View):
    """Who serves which committee in a version, one row per committee service."""

    def get(self, request, slug, version):
        org_version = selectors.get_version(slug, version)
        exported = structure_format.export(org_version.municipality, org_version.key)["versions"][0]
        filename = f"{slug}-{org_version.key}-udvalgsbetjening.csv"
        return csv_response(filename, COMMITTEE_SERVICE_COLUMNS, exported["committee_services"])


def popolo_url(municipality: Municipality) -> str:
    return reverse("governance:popolo", args=[municipality.slug])


def committee_services_url(version: OrgVersion) -> str:
    return reverse("governance:committee-services-csv", args=[version.municipality.slug, version.key])
