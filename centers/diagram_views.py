"""Graphviz downloads: a version's diagram (or a subtree's) and a reporting line, as SVG, PDF, PNG or DOT.

They are drawn on public URLs, so each is bounded (settings.ORGMODEL_DIAGRAM_MAX_UNITS, checked before the graph
is built), `dot` is stopped after settings.ORGMODEL_DIAGRAM_TIMEOUT_SECONDS, and what it drew is kept in the
"diagrams" cache under a key that changes whenever what the diagram shows changes.
"""

import hashlib
import logging
import subprocess
from collections.abc import Callable

import graphviz
from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from . import diagrams, selectors
from .models import Post, Unit

logger = logging.getLogger(__name__)


def _site(request) -> str:
    """The scheme and host the request came to ("https://orgmodel.example"): a diagram's links start with it."""
    return request.build_absolute_uri("/").removesuffix("/")


def _filename(*parts: str, fmt: str) -> str:
    return "-".join(slugify(part) for part in parts if part) + f".{fmt}"


def _checked_format(fmt: str) -> str:
    if fmt not in diagrams.FORMATS:
        raise Http404(f"unknown diagram format {fmt!r}")
    return fmt


def cache_key(*parts) -> str:
    """A short cache key for the parts (ids, keys, names, the stamp, the host, the day), the active language
    always among them."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode("utf-8")).hexdigest()
    return f"orgmodel:diagram:{digest}"


def rendered(key: str, build: Callable[[], graphviz.Digraph], fmt: str) -> bytes:
    """The diagram from the cache, or built, drawn (with the timeout) and cached. Errors are not cached."""
    cache = caches["diagrams"]
    content = cache.get(key)
    if content is None:
        content = diagrams.render(build(), fmt, timeout=settings.ORGMODEL_DIAGRAM_TIMEOUT_SECONDS)
        cache.set(key, content)
    return content


def diagram_response(
    request, key: str, build: Callable[[], graphviz.Digraph], fmt: str, filename: str, *, attachment: bool, context
):
    """The rendered graph; a 503 page in Danish (with a link to the DOT, which needs no program) when `dot`
    is not installed, fails or takes too long."""
    try:
        content = rendered(key, build, fmt)
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
    except subprocess.TimeoutExpired:
        logger.warning("dot took more than %ss to render %s", settings.ORGMODEL_DIAGRAM_TIMEOUT_SECONDS, filename)
        message = _("Graphviz (programmet dot) brugte for lang tid på at tegne diagrammet som %(format)s.") % {
            "format": fmt.upper()
        }
        return _unavailable(request, message, context)
    response = HttpResponse(content, content_type=diagrams.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


def _unavailable(request, message: str, context: dict) -> HttpResponse:
    return render(request, "centers/diagram_unavailable.html", {**context, "message": message}, status=503)


def _too_large(request, count: int, context: dict) -> HttpResponse | None:
    """413 with a page that points to the interactive chart, when the diagram would have more than
    settings.ORGMODEL_DIAGRAM_MAX_UNITS units (or steps); None when it may be drawn."""
    limit = settings.ORGMODEL_DIAGRAM_MAX_UNITS
    if count <= limit:
        return None
    return render(request, "centers/diagram_too_large.html", {**context, "count": count, "limit": limit}, status=413)


class VersionDiagramView(View):
    """The whole version, or with ?enhed=<unit key> the subtree under that unit, as a download."""

    def get(self, request, slug, version, fmt):
        fmt = _checked_format(fmt)
        org_version = selectors.get_version(slug, version)
        root_key = request.GET.get("enhed", "")
        root = get_object_or_404(Unit, version=org_version, key=root_key) if root_key else None
        dot_url = reverse("centers:diagram", args=[slug, org_version.key, "dot"])
        if root is not None:
            dot_url += f"?enhed={root.key}"
        context = {"municipality": org_version.municipality, "version": org_version, "dot_url": dot_url}
        stamp = diagrams.version_stamp(org_version)
        count = root.get_descendant_count() + 1 if root is not None else stamp[0]
        refused = _too_large(request, count, context)
        if refused is not None:
            return refused
        # The title block shows the municipality's name and the version's label, status and source (they come
        # with the version), the day of export and, in the links, the host.
        site, today = _site(request), timezone.localdate()
        key = cache_key(
            "version",
            org_version.pk,
            root.key if root else "",
            fmt,
            stamp,
            org_version.municipality.name,
            org_version.display_label,
            org_version.status,
            org_version.source,
            today.isoformat(),
            site,
        )
        return diagram_response(
            request,
            key,
            lambda: diagrams.version_graph(org_version, root, base_url=site, exported=today),
            fmt,
            _filename(slug, org_version.key, root.key if root else "", fmt=fmt),
            attachment=True,
            context=context,
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": [SELF]}), name="dispatch")
class ReportingLineDiagramView(View):
    """The reporting line of a unit or post as a picture: shown inline (the reporting-line page embeds the
    SVG), as a download with ?download=1. The steps come from other apps too (the political level), so the
    cache key is the DOT source itself (title block, names and absolute links included): building it is cheap,
    drawing it is what costs."""

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
        context = {
            "municipality": org_version.municipality,
            "version": org_version,
            "dot_url": reverse(route, args=[slug, org_version.key, key, "dot"]),
        }
        steps = selectors.reporting_line(subject)
        refused = _too_large(request, len(steps), context)
        if refused is not None:
            return refused
        heading = diagrams.title_block(
            org_version,
            diagrams.source_documents(org_version),
            subject=_("Rapporteringslinje: %(subject)s") % {"subject": title},
        )
        graph = diagrams.reporting_line_graph(steps, heading, base_url=_site(request))
        return diagram_response(
            request,
            cache_key("reporting-line", fmt, graph.source),
            lambda: graph,
            fmt,
            _filename(slug, org_version.key, _("rapportering"), key, fmt=fmt),
            attachment="download" in request.GET,
            context=context,
        )
