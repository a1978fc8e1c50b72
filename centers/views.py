"""Pages of the organisation: thin views over `selectors`."""

import datetime

import orjson
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView

from . import downloads, extensions, search, selectors
from .models import Municipality, Post, Unit, UnitKind


class HomeView(ListView):
    """Every municipality with its organisation versions and the files of its data."""

    template_name = "centers/home.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        return selectors.municipalities_with_versions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for municipality in context["municipalities"]:
            municipality.offered_downloads = downloads.offered("municipality", municipality)
        return context


def parse_date(text: str) -> datetime.date:
    """A date as the date field sends it (2014-06-01) or as people write it (1.6.2014); ValueError otherwise."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _date_page(request, municipality, template_name: str, status: int, **context) -> TemplateResponse:
    """A page of the site's own layout that explains a date it could not answer (400) or a version it has not
    got (404), listing the municipality's versions and their periods."""
    versions = list(municipality.versions.order_by("effective_from", "pk"))
    return TemplateResponse(
        request, template_name, {"municipality": municipality, "version_list": versions, **context}, status=status
    )


def municipality_view(request, slug):
    """A municipality's address opens the chart of the version it is organised by now, or with ?dato=YYYY-MM-DD
    the version in force on that date (the date stays in the address so that the chart says why); other query
    parameters (the chart's state) are kept."""
    municipality = get_object_or_404(Municipality, slug=slug)
    asked = request.GET.get("dato", "").strip()
    if not asked:
        version = selectors.default_version(municipality)
        if version is None:
            return _date_page(request, municipality, "centers/no_version.html", 404)
    else:
        try:
            on = parse_date(asked)
        except ValueError:
            return _date_page(request, municipality, "centers/date_not_understood.html", 400, asked=asked)
        choice = selectors.version_on(municipality, on)
        if choice.version is None:
            return _date_page(request, municipality, "centers/no_version.html", 404, choice=choice)
        version = choice.version
    url = reverse("centers:chart", args=[slug, version.key])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


class VersionMixin:
    """Resolves the version in the URL and puts it, its municipality and its siblings in the context.

    With ?dato= the page shows the version in force on that date: it redirects to the same page of that version
    (keeping the query) when the page's element exists there (`dated_objects`: URL keyword → model of the
    element looked up by key in the version), and says which version applied, and why, either way."""

    dated_objects: dict[str, type] = {}

    def dispatch(self, request, *args, **kwargs):
        self.version = selectors.get_version(kwargs["slug"], kwargs["version"])
        self.municipality = self.version.municipality
        self.date_choice = None
        asked = request.GET.get("dato", "").strip()
        if asked:
            try:
                on = parse_date(asked)
            except ValueError:
                return _date_page(request, self.municipality, "centers/date_not_understood.html", 400, asked=asked)
            self.date_choice = selectors.version_on(self.municipality, on)
            in_force = self.date_choice.version
            if in_force is not None and in_force.pk != self.version.pk and self._exists_in(in_force, kwargs):
                url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "version": in_force.key})
                return redirect(f"{url}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def _exists_in(self, version, kwargs) -> bool:
        return all(
            model.objects.filter(version=version, key=kwargs[name]).exists()
            for name, model in self.dated_objects.items()
            if name in kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = (
            self.date_choice.versions
            if self.date_choice
            else list(self.municipality.versions.order_by("effective_from", "pk"))
        )
        context.update(
            version=self.version,
            municipality=self.municipality,
            versions=versions,
            current_version=next((version for version in versions if version.status == "current"), None),
            date_choice=self.date_choice,
        )
        return context


class ChartView(VersionMixin, TemplateView):
    """The interactive org chart of one version; other apps may ask it to mark units (?udvalg=...)."""

    template_name = "centers/chart.html"

    def get_context_data(self, **kwargs):
        present = set(Unit.objects.filter(version=self.version).values_list("kind", flat=True).distinct())
        highlight = next(
            (
                found
                for provider in extensions.registry.chart_highlights
                if (found := provider(self.version, self.request.GET)) is not None
            ),
            None,
        )
        return {
            **super().get_context_data(**kwargs),
            "unit_kinds": [(value, label) for value, label in UnitKind.choices if value in present],
            "highlight": highlight and {"label": str(highlight.label), "units": highlight.unit_keys},
            "version_downloads": downloads.offered("version", self.version),
            "municipality_downloads": downloads.offered("municipality", self.municipality),
        }


class CompactJsonResponse(HttpResponse):
    """JSON in UTF-8 without spaces, written by orjson: a 20,000-unit tree in a tenth of the standard library's
    time."""

    def __init__(self, data, **kwargs):
        kwargs.setdefault("content_type", "application/json")
        super().__init__(orjson.dumps(data), **kwargs)


class VersionTreeView(View):
    """The whole tree of a version as flat rows for the chart, in a constant number of queries. Always JSON,
    whatever the request's Accept header asks for."""

    def get(self, request, slug, version):
        org_version = selectors.get_version(slug, version)
        return CompactJsonResponse(
            {
                "municipality": org_version.municipality.slug,
                "version": org_version.key,
                "units": selectors.version_tree(org_version),
            }
        )


class VersionSearchTextView(View):
    """The tasks, posts and holders of every unit, which the chart search loads when a search begins."""

    def get(self, request, slug, version):
        org_version = selectors.get_version(slug, version)
        return CompactJsonResponse({"units": selectors.version_search_text(org_version)})


class UnitDetailView(VersionMixin, TemplateView):
    template_name = "centers/unit_detail.html"
    dated_objects = {"unit": Unit}
    shows_history = True

    def get_context_data(self, **kwargs):
        details = selectors.unit_details(self.version, kwargs["unit"])
        return {
            **super().get_context_data(**kwargs),
            "details": details,
            "unit": details.unit,
            "reporting_line": selectors.reporting_line(details.unit),
            "history": selectors.unit_history(details.unit) if self.shows_history else [],
            "panels": [(panel.template_name, panel.context(details.unit)) for panel in extensions.registry.unit_panels],
        }


class UnitPanelView(UnitDetailView):
    """The chart's side panel of a unit: the unit page's facts and panels, as an HTML fragment."""

    template_name = "centers/unit_panel.html"
    shows_history = False


class PostDetailView(VersionMixin, TemplateView):
    template_name = "centers/post_detail.html"
    dated_objects = {"post": Post}

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
            "duties": list(post.duties.all()),
            "reporting_line": selectors.reporting_line(post),
            "panels": [(panel.template_name, panel.context(post)) for panel in extensions.registry.post_panels],
        }


class ReportingLineView(VersionMixin, TemplateView):
    """The reporting line of a unit or post, as a list and as a Graphviz picture."""

    template_name = "centers/reporting_line.html"
    dated_objects = {"unit": Unit, "post": Post}

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
    """Search municipalities, units, posts, people, tasks and committees of one municipality (?kommune=slug) or of
    all, grouped by kind."""

    template_name = "centers/search.html"
    bad_date = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.bad_date:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        slug = self.request.GET.get("kommune", "")
        municipality = Municipality.objects.filter(slug=slug).first() if slug else None
        asked = self.request.GET.get("dato", "").strip()
        try:
            on = parse_date(asked) if asked else None
        except ValueError:
            self.bad_date = asked
            on = None
        results = search.search(query, municipality, on=on)
        return super().get_context_data(
            query=query,
            on=on,
            bad_date=self.bad_date,
            municipality=municipality,
            municipalities=Municipality.objects.all(),
            results=results,
            hits=results.hits,
            **kwargs,
        )


class PersonDetailView(TemplateView):
    """A person of a municipality: the posts they hold in every version, then what other apps add (committee
    memberships)."""

    template_name = "centers/person_detail.html"

    def get_context_data(self, **kwargs):
        details = selectors.person_details(kwargs["slug"], kwargs["person"])
        return {
            **super().get_context_data(**kwargs),
            "details": details,
            "person": details.person,
            "municipality": details.person.municipality,
            "version": details.version,
            "panels": [
                (panel.template_name, panel.context(details.person)) for panel in extensions.registry.person_panels
            ],
        }
