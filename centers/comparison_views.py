"""The comparison of two versions of a municipality: a page with both charts marked and the changes in words,
the same as JSON, and a PDF for a hearing. Versions are chosen by key (?fra=&til=) or by date (?fra-dato=&til-dato=:
the version in force then)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import comparison, comparison_diagrams, diagrams, selectors
from .models import Municipality, OrgVersion, UnitKind
from .views import _date_page, parse_date


class NotComparable(Exception):
    """The request names a date or a version the page cannot use; `response` says so in the site's layout."""

    def __init__(self, response):
        self.response = response


def chosen_versions(request, municipality: Municipality) -> tuple[OrgVersion | None, OrgVersion | None]:
    """The two versions asked for, by key or by date; without either, the newest undecided version and the version
    it is based on (else the default version twice, which the page asks to change)."""
    versions = {version.key: version for version in municipality.versions.order_by("effective_from", "pk")}

    def pick(key_name: str, date_name: str) -> OrgVersion | None:
        key, asked = request.GET.get(key_name, "").strip(), request.GET.get(date_name, "").strip()
        if asked:
            try:
                on = parse_date(asked)
            except ValueError:
                raise NotComparable(
                    _date_page(request, municipality, "centers/date_not_understood.html", 400, asked=asked)
                ) from None
            found = selectors.in_force(versions.values(), on)
            if found is None:
                choice = selectors.version_on(municipality, on)
                raise NotComparable(_date_page(request, municipality, "centers/no_version.html", 404, choice=choice))
            return found
        if key:
            if key not in versions:
                raise Http404(f"{municipality.slug} has no version {key!r}")
            return versions[key]
        return None

    before, after = pick("fra", "fra-dato"), pick("til", "til-dato")
    if after is None:
        undecided = [version for version in versions.values() if version.status in ("proposed", "draft")]
        after = undecided[-1] if undecided else selectors.default_version(municipality)
    if before is None and after is not None:
        before = next((version for version in versions.values() if version.pk == after.based_on_id), None)
        before = before or selectors.default_version(municipality)
    return before, after


def unit_marks(result: comparison.Comparison) -> dict[str, dict[str, dict[str, str]]]:
    """For each chart, the mark of every changed unit and its word ("Sammenlagt"), for the cards."""
    return {
        side: {key: {"mark": mark, "text": str(comparison_diagrams.MARK_LABELS[mark])} for key, mark in marks.items()}
        for side, marks in result.marks().items()
    }


class ComparisonMixin:
    def dispatch(self, request, *args, **kwargs):
        self.municipality = get_object_or_404(Municipality, slug=kwargs["slug"])
        try:
            self.before, self.after = chosen_versions(request, self.municipality)
        except NotComparable as refusal:
            return refusal.response
        self.result = (
            comparison.compare_versions(self.municipality, self.before.key, self.after.key)
            if self.before and self.after and self.before.pk != self.after.pk
            else None
        )
        return super().dispatch(request, *args, **kwargs)


class ComparisonView(ComparisonMixin, TemplateView):
    template_name = "centers/compare.html"

    def get_context_data(self, **kwargs):
        marks = unit_marks(self.result) if self.result else {"before": {}, "after": {}}
        return {
            **super().get_context_data(**kwargs),
            "municipality": self.municipality,
            "version_list": list(self.municipality.versions.order_by("effective_from", "pk")),
            "before": self.before,
            "after": self.after,
            "comparison": self.result,
            "groups": self.result.groups() if self.result else [],
            "before_marks": marks["before"],
            "after_marks": marks["after"],
            "kind_labels": {value: str(label).capitalize() for value, label in UnitKind.choices},
        }


class ComparisonDataView(ComparisonMixin, View):
    """The comparison as JSON: the changes with their sentences, the marks and the counts."""

    def get(self, request, slug):
        if self.result is None:
            return JsonResponse({"error": _("Vælg to forskellige versioner.")}, status=400)
        return JsonResponse(self.result.as_dict(), json_dumps_params={"ensure_ascii": False})


class ComparisonPdfView(ComparisonMixin, View):
    """The document for a hearing: the charts before and after with the changes coloured, then the changes."""

    def get(self, request, slug):
        if self.result is None:
            return JsonResponse({"error": _("Vælg to forskellige versioner.")}, status=400)
        site = request.build_absolute_uri("/").removesuffix("/")
        content = comparison_diagrams.hearing_pdf(self.municipality, self.before, self.after, self.result, site)
        response = HttpResponse(content, content_type=diagrams.FORMATS["pdf"])
        name = "-".join(slugify(part) for part in (slug, _("sammenligning"), self.before.key, self.after.key))
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
