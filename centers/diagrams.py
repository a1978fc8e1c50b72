"""Graphviz pictures of the organisation: a version's tree (or a subtree) and a reporting line.

The graphs are built as DOT with the `graphviz` package; `render` pipes them through the `dot` program
(Debian package graphviz), stopped after a timeout. DOT itself needs no program, so it is always available as a
download. ("Chart" is the interactive d3 chart of templates/centers/chart.html; these are "diagrams".)
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable
from html import escape

import graphviz
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from graphviz.backend import dot_command, execute

from .models import OrgVersion, Person, Post, Unit, UnitKind
from .selectors import ReportingStep

# The colours of the `.kind-*` rules in static/css/orgmodel.css, so the pictures match the chart and badges.
KIND_COLOURS = {
    UnitKind.DIRECTORATE: "#004993",
    UnitKind.DIRECTOR_AREA: "#2f6fb3",
    UnitKind.CENTRE: "#00804a",
    UnitKind.SHARED_CENTRE: "#7a4fb5",
    UnitKind.STAFF: "#c05800",
    UnitKind.SECRETARIAT: "#b3261e",
    UnitKind.DEPARTMENT: "#00707a",
    UnitKind.TEAM: "#6b6b00",
    UnitKind.INSTITUTION: "#707070",
    UnitKind.UNIT: "#445566",
}
POST_COLOUR = "#004993"  # --brand
POLITICAL_COLOUR = "#a0522d"  # .reporting-line .step-committee
MUTED = "#5f6b7a"  # --muted
TINT = "1f"  # alpha appended to a kind colour for the fill: the border carries the colour, the text stays black
FONT = "Helvetica,Arial,sans-serif"
WRAP = 34  # characters per line of a unit name
INSTITUTION_GROUP_MIN = 3  # a unit with at least this many institutions shows them as one compact list

FORMATS = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
}


def render(graph: graphviz.Digraph, fmt: str, *, timeout: float | None = None) -> bytes:
    """The graph in one of FORMATS. Raises graphviz.ExecutableNotFound when `dot` is missing and
    graphviz.CalledProcessError when it fails (neither for DOT), subprocess.TimeoutExpired when it runs longer
    than `timeout` seconds (the process is killed then).

    graphviz 0.21's `Digraph.pipe()` takes no timeout, so this runs the same command through the same
    `execute.run_check`, which hands `timeout` on to subprocess.run."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}")
    source = graph.source.encode("utf-8")
    if fmt == "dot":
        return source
    command = dot_command.command(graph.engine, fmt)
    process = execute.run_check(command, input=source, capture_output=True, quiet=True, timeout=timeout)
    return process.stdout


def _latest(model, **match) -> Subquery:
    """The newest history id of `model`'s rows that match (OuterRef) the version: one subquery."""
    history = model.history.model.objects.filter(**match).order_by().values(*match).annotate(latest=Max("history_id"))
    return Subquery(history.values("latest")[:1], output_field=IntegerField())


def version_stamp(version: OrgVersion) -> tuple[int, int | None, int | None, int | None]:
    """(unit count, newest unit, post and person history ids) of a version, in one query. Every change of a
    unit, post or holder that the diagram shows writes a history record, so the stamp changes with it."""
    units = Unit.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(count=Count("pk"))
    row = (
        OrgVersion.objects.filter(pk=version.pk)
        .annotate(
            unit_count=Subquery(units.values("count")[:1], output_field=IntegerField()),
            unit_change=_latest(Unit, version_id=OuterRef("pk")),
            post_change=_latest(Post, version_id=OuterRef("pk")),
            person_change=_latest(Person, municipality_id=OuterRef("municipality_id")),
        )
        .values_list("unit_count", "unit_change", "post_change", "person_change")
        .get()
    )
    return (row[0] or 0, *row[1:])


def _lines(text: str, width: int = WRAP) -> str:
    return "<BR/>".join(escape(line) for line in textwrap.wrap(text, width) or [""])


def _head_line(head: Post | None) -> str:
    """'Centerchef · Anne Andersen', or the title marked vacant; empty without a head post."""
    if head is None:
        return ""
    title = escape(head.display_title)
    if head.holder_id:
        return f"{title} · {escape(head.holder.name)}"
    return f"{title} <I>({escape(_('ubesat'))})</I>"


def _unit_label(unit: Unit) -> str:
    label = f'<FONT POINT-SIZE="11"><B>{_lines(unit.display_name)}</B></FONT>'
    head = _head_line(unit.head)
    if head:
        label += f'<BR/><FONT POINT-SIZE="9" COLOR="{MUTED}">{head}</FONT>'
    return f"<{label}>"


def _institution_list_label(institutions: list[Unit], urls: dict[str, str]) -> str:
    colour = KIND_COLOURS[UnitKind.INSTITUTION]
    heading = escape(_("Institutioner (%(count)d)") % {"count": len(institutions)})
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{MUTED}">{heading}</FONT></TD></TR>']
    for unit in institutions:
        text = _lines(unit.display_name, WRAP + 6)
        head = _head_line(unit.head)
        if head:
            text += f'<BR/><FONT POINT-SIZE="8" COLOR="{MUTED}">{head}</FONT>'
        rows.append(
            f'<TR><TD ALIGN="LEFT" PORT="{escape(unit.key)}" ID="unit-{escape(unit.key)}"'
            f' HREF="{escape(urls[unit.key])}" TARGET="_top" TITLE="{escape(unit.display_name)}">'
            f'<FONT POINT-SIZE="10">{text}</FONT></TD></TR>'
        )
    return (
        f'<<TABLE BORDER="1" STYLE="ROUNDED" COLOR="{colour}" BGCOLOR="{colour}{TINT}" CELLBORDER="0"'
        f' CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>>'
    )


def _legend(title: str, kinds: Iterable[str], per_row: int = 6) -> str:
    """The graph's heading: a title and, below it, a coloured square per unit kind shown."""
    labels = dict(UnitKind.choices)
    entries = [
        f'<FONT COLOR="{KIND_COLOURS[kind]}" POINT-SIZE="12">■</FONT> {escape(str(labels[kind]).capitalize())}'
        for kind in kinds
    ]
    gap = "&#160;&#160;&#160; "
    rows = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{gap.join(entries[start : start + per_row])}</FONT></TD></TR>'
        for start in range(0, len(entries), per_row)
    )
    return (
        '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">'
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="14"><B>{escape(title)}</B></FONT></TD></TR>{rows}</TABLE>>'
    )


def version_graph(version: OrgVersion, root_unit: Unit | None = None) -> graphviz.Digraph:
    """Every unit of a version (or the subtree under `root_unit`) as boxes coloured by kind, parent → child,
    laid out left to right; a unit's institutions, when many, as one compact list. One query."""
    if root_unit is not None and root_unit.version_id != version.pk:
        raise ValueError("root_unit belongs to another version")
    units = root_unit.get_descendants(include_self=True) if root_unit else Unit.objects.filter(version=version)
    units = list(units.select_related("head__holder").order_by("tree_id", "lft"))
    unit_url_prefix = reverse("centers:unit", args=[version.municipality.slug, version.key, "_"]).removesuffix("_/")
    urls = {unit.key: f"{unit_url_prefix}{unit.key}/" for unit in units}
    kind_labels = {value: str(label) for value, label in UnitKind.choices}
    keys = {unit.pk: unit.key for unit in units}
    institutions: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.kind == UnitKind.INSTITUTION and unit.parent_id in keys and unit.is_leaf_node():
            institutions[unit.parent_id].append(unit)
    grouped = {unit.pk for group in institutions.values() if len(group) >= INSTITUTION_GROUP_MIN for unit in group}

    title = f"{version.municipality.name}: {version.display_label}"
    if root_unit is not None:
        title += f" – {root_unit.display_name}"
    present = {unit.kind for unit in units}
    kinds_shown = [kind for kind in KIND_COLOURS if kind in present]
    graph = graphviz.Digraph(
        name="organisation",
        graph_attr={
            "rankdir": "LR",
            "label": _legend(title, kinds_shown),
            "labelloc": "t",
            "labeljust": "l",
            "fontname": FONT,
            "nodesep": "0.12",
            "ranksep": "0.5",
            "bgcolor": "white",
            "pad": "0.2",
        },
        node_attr={"shape": "box", "style": "rounded,filled", "fontname": FONT, "margin": "0.12,0.05"},
        edge_attr={"color": "#8a96a3", "arrowsize": "0.6"},
    )
    for unit in units:
        if unit.pk in grouped:
            continue
        colour = KIND_COLOURS.get(unit.kind, KIND_COLOURS[UnitKind.UNIT])
        graph.node(
            unit.key,
            label=_unit_label(unit),
            color=colour,
            fillcolor=f"{colour}{TINT}",
            penwidth="1.5",
            URL=urls[unit.key],
            target="_top",
            tooltip=graphviz.nohtml(f"{unit.display_name} ({kind_labels.get(unit.kind, unit.kind)})"),
            id=f"unit-{unit.key}",
        )
        if unit.parent_id in keys:
            graph.edge(keys[unit.parent_id], unit.key)
    for parent_id, group in institutions.items():
        if len(group) < INSTITUTION_GROUP_MIN:
            continue
        name = f"institutioner/{keys[parent_id]}"  # a slash cannot occur in a unit key
        graph.node(name, label=_institution_list_label(group, urls), shape="plain", style="", id=name)
        graph.edge(keys[parent_id], name)
    return graph


def _step_label(kind_text: str, label: str, detail: str) -> str:
    text = (
        f'<FONT POINT-SIZE="8" COLOR="{MUTED}">{escape(kind_text.upper())}</FONT><BR/>'
        f'<FONT POINT-SIZE="11"><B>{_lines(label)}</B></FONT>'
    )
    if detail:
        text += f'<BR/><FONT POINT-SIZE="9">{detail}</FONT>'
    return f"<{text}>"


def reporting_line_graph(steps: list[ReportingStep], title: str = "") -> graphviz.Digraph:
    """A reporting line (selectors.reporting_line) as a vertical chain, the subject at the bottom and each
    step pointing up to the next; every node links to its page."""
    graph = graphviz.Digraph(
        name="rapportering",
        graph_attr={
            "rankdir": "BT",
            "label": f"<<B>{escape(title)}</B>>" if title else "",
            "labelloc": "t",
            "fontname": FONT,
            "ranksep": "0.3",
            "bgcolor": "white",
            "pad": "0.2",
        },
        node_attr={"shape": "box", "style": "rounded,filled", "fontname": FONT, "margin": "0.15,0.06", "width": "2.6"},
        edge_attr={"color": "#8a96a3", "arrowsize": "0.7"},
    )
    for index, step in enumerate(steps):
        if step.kind == "unit":
            colour = KIND_COLOURS.get(step.unit.kind if step.unit else "", KIND_COLOURS[UnitKind.UNIT])
            fill = f"{colour}{TINT}"
            kind_text = _("Enhed")
            detail = escape(step.detail)
        elif step.kind == "post":
            colour, fill = POST_COLOUR, "white"
            kind_text = _("Stilling")
            detail = escape(step.detail) if step.detail else f"<I>{escape(_('ubesat'))}</I>"
        else:
            colour, fill = POLITICAL_COLOUR, f"{POLITICAL_COLOUR}{TINT}"
            kind_text = _("Politisk niveau")
            detail = escape(step.detail)
        attributes = {"color": colour, "fillcolor": fill, "penwidth": "1.5", "id": f"step-{index}"}
        if step.url:
            attributes.update(URL=step.url, target="_top", tooltip=graphviz.nohtml(step.label))
        graph.node(f"step{index}", label=_step_label(kind_text, step.label, detail), **attributes)
        if index:
            graph.edge(f"step{index - 1}", f"step{index}")
    return graph
