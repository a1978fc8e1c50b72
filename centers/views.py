"""Pages of the organisation: thin views over `selectors`."""

import datetime

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView

from . import extensions, selectors
from .models import Municipality, Post, UnitKind


class HomeView(ListView):
    """Every municipality with its organisation versions."""

    template_name = "centers/home.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        return selectors.municipalities_with_versions()


def municipality_view(request, slug):
    """A municipality's address opens the chart of the version it is organised by now, or with ?dato=YYYY-MM-DD
    the version in force on that date; other query parameters (the chart's state) are kept."""
    municipality = get_object_or_404(Municipality, slug=slug)
    query = request.GET.copy()
    on = query.pop("dato", [""])[-1]
    if on:
        try:
            version = selectors.version_in_force(municipality, datetime.date.fromisoformat(on))
        except ValueError as exc:
            raise Http404("dato must be YYYY-MM-DD") from exc
    else:
        version = selectors.default_version(municipality)
    if version is None:
        raise Http404("no version")
    url = reverse("centers:chart", args=[slug, version.key])
    return redirect(f"{url}?{query.urlencode()}" if query else url)


class VersionMixin:
    """Resolves the version in the URL and puts it, its municipality and its siblings in the context."""

    def dispatch(self, request, *args, **kwargs):
        self.version = selectors.get_version(kwargs["slug"], kwargs["version"])
        self.municipality = self.version.municipality
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            version=self.version,
            municipality=self.municipality,
            versions=list(self.municipality.versions.order_by("effective_from", "pk")),
        )
        return context


class ChartView(VersionMixin, TemplateView):
    """The interactive org chart of one version."""

    template_name = "centers/chart.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit_kinds": UnitKind.choices}


class VersionTreeView(View):
    """The whole tree of a version as flat rows for the chart, in a constant number of queries. Always JSON,
    whatever the request's Accept header asks for."""

    def get(self, request, slug, version):
        org_version = selectors.get_version(slug, version)
        return JsonResponse(
            {
                "municipality": org_version.municipality.slug,
                "version": org_version.key,
                "units": selectors.version_tree(org_version),
            },
            json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
        )


class UnitDetailView(VersionMixin, TemplateView):
    template_name = "centers/unit_detail.html"

    def get_context_data(self, **kwargs):
        details = selectors.unit_details(self.version, kwargs["unit"])
        return {
            **super().get_context_data(**kwargs),
            "details": details,
            "unit": details.unit,
            "reporting_line": selectors.reporting_line(details.unit),
            "history": selectors.unit_history(details.unit),
            "panels": [(panel.template_name, panel.context(details.unit)) for panel in extensions.registry.unit_panels],
        }


class PostDetailView(VersionMixin, TemplateView):
    template_name = "centers/post_detail.html"

    def get_context_data(self, **kwargs):
        post = get_object_or_404(
            Post.objects.select_related("holder", "unit", "reports_to__holder"),
            version=self.version,
            key=kwargs["post"],
        )
        post.version = self.version
        return {
            **super().get_context_data(**kwargs),
            "post": post,
            "direct_reports": list(post.direct_reports.select_related("holder")),
            "reporting_line": selectors.reporting_line(post),
            "panels": [(panel.template_name, panel.context(post)) for panel in extensions.registry.post_panels],
        }


class ReportingLineView(VersionMixin, TemplateView):
    """The reporting line of a unit or post, as a list and as a Graphviz picture."""

    template_name = "centers/reporting_line.html"

    def get_context_data(self, **kwargs):
        if "unit" in kwargs:
            subject = selectors.unit_details(self.version, kwargs["unit"]).unit
        else:
            subject = get_object_or_404(Post.objects.select_related("unit"), version=self.version, key=kwargs["post"])
        subject.version = self.version
        return {
            **super().get_context_data(**kwargs),
            "subject": subject,
            "subject_name": subject.display_title if isinstance(subject, Post) else subject.display_name,
            "reporting_line": selectors.reporting_line(subject),
        }


class SearchView(TemplateView):
    """Search units, posts, tasks and committees of one municipality (?kommune=slug) or of all."""

    template_name = "centers/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        slug = self.request.GET.get("kommune", "")
        municipality = Municipality.objects.filter(slug=slug).first() if slug else None
        return super().get_context_data(
            query=query,
            municipality=municipality,
            municipalities=Municipality.objects.all(),
            hits=selectors.search(query, municipality),
            **kwargs,
        )
