"""Graphviz downloads: a version's diagram (or a subtree's) and a reporting line, as SVG, PDF, PNG or DOT."""

import logging

import graphviz
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from . import charts, selectors
from .models import Post, Unit

logger = logging.getLogger(__name__)


def _filename(*parts: str, fmt: str) -> str:
    return "-".join(slugify(part) for part in parts if part) + f".{fmt}"


def _checked_format(fmt: str) -> str:
    if fmt not in charts.FORMATS:
        raise Http404(f"unknown diagram format {fmt!r}")
    return fmt


def diagram_response(request, graph: graphviz.Digraph, fmt: str, filename: str, *, attachment: bool, context: dict):
    """The rendered graph; a 503 page in Danish (with a link to the DOT, which needs no program) when `dot`
    is not installed or fails."""
    try:
        content = charts.render(graph, fmt)
    except graphviz.ExecutableNotFound:
        message = _(
            "Graphviz (programmet dot) er ikke installeret på serveren, så diagrammet kan ikke tegnes som "
            "%(format)s. Installér Debian-pakken graphviz (det gør scripts/setup)."
        ) % {"format": fmt.upper()}
        return _unavailable(request, message, context)
    except graphviz.CalledProcessError:
        logger.exception("dot failed to render %s", filename)
        message = _("Graphviz (programmet dot) kunne ikke tegne diagrammet som %(format)s.") % {"format": fmt.upper()}
        return _unavailable(request, message, context)
    response = HttpResponse(content, content_type=charts.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


def _unavailable(request, message: str, context: dict) -> HttpResponse:
    return render(request, "centers/diagram_unavailable.html", {**context, "message": message}, status=503)


class VersionDiagramView(View):
    """The whole version, or with ?enhed=<unit key> the subtree under that unit, as a download."""

    def get(self, request, slug, version, fmt):
        fmt = _checked_format(fmt)
        org_version = selectors.get_version(slug, version)
        root_key = request.GET.get("enhed", "")
        root = get_object_or_404(Unit, version=org_version, key=root_key) if root_key else None
        graph = charts.version_graph(org_version, root)
        dot_url = reverse("centers:diagram", args=[slug, org_version.key, "dot"])
        if root is not None:
            dot_url += f"?enhed={root.key}"
        return diagram_response(
            request,
            graph,
            fmt,
            _filename(slug, org_version.key, root.key if root else "", fmt=fmt),
            attachment=True,
            context={"municipality": org_version.municipality, "version": org_version, "dot_url": dot_url},
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class ReportingLineDiagramView(View):
    """The reporting line of a unit or post as a picture: shown inline (the reporting-line page embeds the
    SVG), as a download with ?download=1."""

    def get(self, request, slug, version, fmt, unit=None, post=None):
        fmt = _checked_format(fmt)
        org_version = selectors.get_version(slug, version)
        if unit is not None:
            subject = get_object_or_404(Unit, version=org_version, key=unit)
            title, key, route = subject.display_name, subject.key, "centers:unit-reporting-line-diagram"
        else:
            subject = get_object_or_404(Post.objects.select_related("unit"), version=org_version, key=post)
            title, key, route = subject.display_title, subject.key, "centers:post-reporting-line-diagram"
        subject.version = org_version
        graph = charts.reporting_line_graph(
            selectors.reporting_line(subject), title=_("Rapporteringslinje: %(subject)s") % {"subject": title}
        )
        return diagram_response(
            request,
            graph,
            fmt,
            _filename(slug, org_version.key, _("rapportering"), key, fmt=fmt),
            attachment="download" in request.GET,
            context={
                "municipality": org_version.municipality,
                "version": org_version,
                "dot_url": reverse(route, args=[slug, org_version.key, key, "dot"]),
            },
        )
