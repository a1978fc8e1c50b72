"""Graphviz pictures of the organisation: a version's tree (or a subtree) and a reporting line.

The graphs are built as DOT with the `graphviz` package; `render` pipes them through the `dot` program
(Debian package graphviz), stopped after a timeout. DOT itself needs no program, so it is always available as a
download. ("Chart" is the interactive d3 chart of templates/centers/chart.html; these are "diagrams".)

Every diagram leaves the site as a file, so each carries a title block (`TitleBlock`: municipality, version,
status, date of export, sources), links back with absolute addresses, and a PDF comes on A4 or A3 paper
(`on_paper`).
"""

from __future__ import annotations

import bisect
import datetime
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

import graphviz
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from graphviz.backend import dot_command, execute

from .models import OrgVersion, Person, Post, Source, Unit, UnitKind
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
# The fills of a comparison's marks (static/css/chart.css .mark-*): new, removed, moved or renamed, merged or split.
MARK_FILLS = {
    "added": "#d2efd9",
    "removed": "#fbd5d1",
    "moved": "#ffe7ad",
    "renamed": "#ffe7ad",
    "merged": "#e4d5f7",
    "split": "#e4d5f7",
    "changed": "#d6e6f8",
}
TINT = "1f"  # alpha appended to a kind colour for the fill: the border carries the colour, the text stays black
# Graphviz measures every label with the first family (Debian's fonts-dejavu-core, which scripts/setup installs),
# and PDF and PNG are drawn with it. An SVG is drawn by its viewer: where DejaVu Sans is missing, the fallbacks are
# narrower, so a label still fits its box.
FONT = "DejaVu Sans,Arial,sans-serif"
WRAP = 34  # characters per line of a unit name
INSTITUTION_GROUP_MIN = 3  # a unit with at least this many institutions shows them as one compact list

FORMATS = {
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
}


def render(graph: graphviz.Digraph, fmt: str, *, timeout: float | None = None) -> bytes:
    """The graph in one of FORMATS, a PDF on A4 or A3 paper. Raises graphviz.ExecutableNotFound when `dot` is
    missing and graphviz.CalledProcessError when it fails (neither for DOT), subprocess.TimeoutExpired when it
    runs longer than `timeout` seconds (the process is killed then).

    graphviz 0.21's `Digraph.pipe()` takes no timeout, so this runs the same command through the same
    `execute.run_check`, which hands `timeout` on to subprocess.run."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}")
    source = graph.source.encode("utf-8")
    if fmt == "dot":
        return source
    command = dot_command.command(graph.engine, fmt)
    process = execute.run_check(command, input=source, capture_output=True, quiet=True, timeout=timeout)
    return on_paper(process.stdout) if fmt == "pdf" else process.stdout


# --- paper ------------------------------------------------------------------------------------------

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)  # (short side, long side) in points
A3 = (297 * MM, 420 * MM)
PAPER_MARGIN = 10 * MM
READABLE_SCALE = 0.7  # below this an 11 pt name prints under 8 pt: take the larger paper


class Paper(NamedTuple):
    name: str
    width: float
    height: float

    def scale(self, width: float, height: float) -> float:
        """How much a drawing of width × height points shrinks to fit inside the margins (never enlarged)."""
        return min((self.width - 2 * PAPER_MARGIN) / width, (self.height - 2 * PAPER_MARGIN) / height, 1.0)


def paper_for(width: float, height: float) -> Paper:
    """A4, landscape when the drawing is wider than tall, or A3 the same way round when A4 would shrink it
    below READABLE_SCALE."""
    for name, (short, long) in (("A4", A4), ("A3", A3)):
        paper = Paper(name, long, short) if width > height else Paper(name, short, long)
        if paper.scale(width, height) >= READABLE_SCALE:
            break
    return paper


PDF_END = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
PDF_XREF = re.compile(rb"xref\s+0 (\d+)\s+")
PDF_TRAILER = re.compile(rb"\s*trailer\s*<<(.*?)>>\s*startxref", re.DOTALL)
PDF_PAGE = re.compile(rb"\s*<<\s*/Type\s*/Page(?![a-z])")
PDF_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
PDF_CONTENTS = re.compile(rb"/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)")
PDF_ANNOTS = re.compile(rb"/Annots\s*\[([^\]]*)\]")
PDF_POINTS = re.compile(rb"(/Rect|/QuadPoints)\s*\[([^\]]*)\]")  # a link's area: x y x y …


def _pdf_stream(number: int, data: bytes) -> bytes:
    return b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (number, len(data), data)


def on_paper(pdf: bytes) -> bytes:
    """Cairo draws the PDF on one page the size of the drawing (966 × 828 pt, say); this puts the drawing on the
    paper `paper_for` chooses, scaled down to fit the margins, centred and at the top. The page object gets the
    paper's MediaBox and its contents wrapped in a transform (two small streams are added), its link areas are
    moved with the drawing, and the cross-reference table is rewritten. A PDF not shaped as cairo writes it (one
    page, a classic cross-reference table) is returned as it is."""
    end = PDF_END.search(pdf)
    table = PDF_XREF.match(pdf, int(end.group(1))) if end else None
    if table is None:
        return pdf
    xref_at, count = int(end.group(1)), int(table.group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", pdf[table.end() : table.end() + 20 * count])
    trailer = PDF_TRAILER.match(pdf, table.end() + 20 * count)
    if len(entries) != count or trailer is None:
        return pdf

    def span(number: int, of_type: re.Pattern | None = None) -> tuple[int, int] | None:
        """Where object `number`, a dictionary without a stream (of the type `of_type` matches), starts and ends."""
        offset, _generation, use = entries[number] if number < count else (b"0", b"", b"f")
        header, start = b"%d 0 obj" % number, int(offset)
        if use != b"n" or not pdf.startswith(header, start):
            return None
        if of_type is not None and not of_type.match(pdf, start + len(header)):
            return None
        return start, pdf.index(b"endobj", start) + len(b"endobj")

    pages = [number for number in range(count) if span(number, PDF_PAGE)]
    if len(pages) != 1:
        return pdf
    page_span = span(pages[0])
    page = pdf[slice(*page_span)]
    box, contents = PDF_MEDIABOX.search(page), PDF_CONTENTS.search(page)
    if box is None or contents is None:
        return pdf
    left, bottom, right, top = (float(value) for value in box.groups())
    width, height = right - left, top - bottom
    paper = paper_for(width, height)
    scale = paper.scale(width, height)
    shift_x = (paper.width - width * scale) / 2 - left * scale
    shift_y = paper.height - PAPER_MARGIN - height * scale - bottom * scale

    def moved_points(match: re.Match) -> bytes:
        values = [float(value) for value in match.group(2).split()]
        points = [value * scale + (shift_y if index % 2 else shift_x) for index, value in enumerate(values)]
        return match.group(1) + b" [ " + b" ".join(b"%.2f" % point for point in points) + b" ]"

    before, after = count, count + 1
    inner = contents.group(1).strip(b"[] \n")
    page = PDF_MEDIABOX.sub(b"/MediaBox [ 0 0 %.2f %.2f ]" % (paper.width, paper.height), page, count=1)
    page = PDF_CONTENTS.sub(b"/Contents [ %d 0 R %s %d 0 R ]" % (before, inner, after), page, count=1)
    replacements = {page_span: page}
    annotations = PDF_ANNOTS.search(page)
    for number in re.findall(rb"(\d+)\s+\d+\s+R", annotations.group(1) if annotations else b""):
        annotation_span = span(int(number))
        if annotation_span is None:
            return pdf
        replacements[annotation_span] = PDF_POINTS.sub(moved_points, pdf[slice(*annotation_span)])

    parts, starts, growth, cursor = [], [], [0], 0
    for (start, stop), replacement in sorted(replacements.items()):
        parts += [pdf[cursor:start], replacement]
        starts.append(start)
        growth.append(growth[-1] + len(replacement) - (stop - start))
        cursor = stop
    body = b"".join([*parts, pdf[cursor:xref_at]])
    rows = [
        (int(offset) + growth[bisect.bisect_left(starts, int(offset))], generation, use)
        if use == b"n" and pdf.startswith(b"%d 0 obj" % number, int(offset))
        else (0, b"65535", b"f")  # cairo lists numbers it reserved but never wrote as in use
        for number, (offset, generation, use) in enumerate(entries)
    ]
    transform = b"q %.5f 0 0 %.5f %.2f %.2f cm" % (scale, scale, shift_x, shift_y)
    for number, data in ((before, transform), (after, b"Q")):
        rows.append((len(body), b"00000", b"n"))
        body += _pdf_stream(number, data)
    trailer_dict = re.sub(rb"/Size\s+\d+", b"/Size %d" % (count + 2), trailer.group(1))
    return b"%sxref\n0 %d\n%strailer\n<<%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        body,
        count + 2,
        b"".join(b"%010d %s %s \n" % row for row in rows),
        trailer_dict,
        len(body),
    )


def _latest(model, **match) -> Subquery:
    """The newest history id of `model`'s rows that match (OuterRef) the version: one subquery."""
    history = model.history.model.objects.filter(**match).order_by().values(*match).annotate(latest=Max("history_id"))
    return Subquery(history.values("latest")[:1], output_field=IntegerField())


def version_stamp(version: OrgVersion) -> tuple[int, int | None, int | None, int | None, int | None]:
    """(unit count, newest unit, post, person and source history ids) of a version, in one query. Every change
    of a unit, post, holder or source document that the diagram shows writes a history record, so the stamp
    changes with it."""
    units = Unit.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(count=Count("pk"))
    row = (
        OrgVersion.objects.filter(pk=version.pk)
        .annotate(
            unit_count=Subquery(units.values("count")[:1], output_field=IntegerField()),
            unit_change=_latest(Unit, version_id=OuterRef("pk")),
            post_change=_latest(Post, version_id=OuterRef("pk")),
            person_change=_latest(Person, municipality_id=OuterRef("municipality_id")),
            source_change=_latest(Source, municipality_id=OuterRef("municipality_id")),
        )
        .values_list("unit_count", "unit_change", "post_change", "person_change", "source_change")
        .get()
    )
    return (row[0] or 0, *row[1:])


def wrapped_lines(text: str, width: int = WRAP) -> str:
    """`text` escaped for a Graphviz HTML label, wrapped at `width` characters."""
    return "<BR/>".join(escape(line) for line in textwrap.wrap(text, width) or [""])


def _head_line(head: Post | None) -> str:
    """'Centerchef · Anne Andersen', or the title marked vacant; empty without a head post."""
    if head is None:
        return ""
    title = escape(head.display_title)
    if head.holder_id:
        return f"{title} · {escape(head.holder.name)}"
    return f"{title} <I>({escape(_('ubesat'))})</I>"


def _unit_label(unit: Unit, mark: str = "") -> str:
    label = f'<FONT POINT-SIZE="11"><B>{wrapped_lines(unit.display_name)}</B></FONT>'
    head = _head_line(unit.head)
    if head:
        label += f'<BR/><FONT POINT-SIZE="9" COLOR="{MUTED}">{head}</FONT>'
    if mark:
        label += f'<BR/><FONT POINT-SIZE="9"><B>{escape(mark)}</B></FONT>'
    return f"<{label}>"


def _institution_list_label(institutions: list[Unit], urls: dict[str, str]) -> str:
    colour = KIND_COLOURS[UnitKind.INSTITUTION]
    heading = escape(_("Institutioner (%(count)d)") % {"count": len(institutions)})
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{MUTED}">{heading}</FONT></TD></TR>']
    for unit in institutions:
        text = wrapped_lines(unit.display_name, WRAP + 6)
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
        f' CELLSPACING="0" CELLPADDING="4">{"".join(rows)}</TABLE>>'
    )


# --- the title block -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleBlock:
    """What a diagram says about itself once it has left the site: whose organisation, which version and in what
    status, when it was exported and from which sources."""

    municipality: str
    version: str
    status: str
    exported: datetime.date
    source: str = ""
    documents: tuple[tuple[str, str], ...] = ()  # (key, title) of the source documents
    subject: str = ""  # a subtree's root or "Rapporteringslinje: …"; empty for a whole version


def source_documents(version: OrgVersion) -> list[Source]:
    """The municipality's source documents that the version's `source` names by key ("002 afsnit 4"), or all of
    them when it names none. One query."""
    documents = list(Source.objects.filter(municipality_id=version.municipality_id).order_by("key"))
    cited = [
        document
        for document in documents
        if re.search(rf"(?<![\w.]){re.escape(document.key)}(?![\w])", version.source or "")
    ]
    return cited or documents


def title_block(
    version: OrgVersion, documents: Iterable[Source], subject: str = "", exported: datetime.date | None = None
) -> TitleBlock:
    """The title block of a diagram of `version` (names, labels and status in the active language)."""
    return TitleBlock(
        municipality=version.municipality.name,
        version=version.display_label,
        status=str(version.get_status_display()),
        exported=exported or timezone.localdate(),
        source=version.source,
        documents=tuple((document.key, document.title) for document in documents),
        subject=subject,
    )


def _row(text: str, size: int, colour: str = "#1a1a1a") -> str:
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{size}" COLOR="{colour}">{text}</FONT></TD></TR>'


def _legend_rows(kinds: Iterable[str], per_row: int = 6) -> list[str]:
    """A coloured square and the word per unit kind shown."""
    labels = dict(UnitKind.choices)
    entries = [
        f'<FONT COLOR="{KIND_COLOURS[kind]}" POINT-SIZE="11">■</FONT> {escape(str(labels[kind]).capitalize())}'
        for kind in kinds
    ]
    gap = "&#160;&#160;&#160; "
    return [_row(gap.join(entries[start : start + per_row]), 9) for start in range(0, len(entries), per_row)]


def title_label(block: TitleBlock, width: int, kinds: Sequence[str] = ()) -> str:
    """The graph's label (drawn at its top): the title no larger than a page's body text, then status and date,
    the version's source and the source documents, lines wrapped at `width` characters; the legend of `kinds`."""
    heading = f"{block.municipality}: {block.version}"
    rows = []
    if block.subject:
        rows += [_row(f"<B>{wrapped_lines(block.subject, width)}</B>", 12), _row(wrapped_lines(heading, width + 8), 10)]
    else:
        rows.append(_row(f"<B>{wrapped_lines(heading, width)}</B>", 12))
    exported = date_format(block.exported, "DATE_FORMAT")
    status = _("Status: %(status)s · eksporteret %(date)s") % {"status": block.status, "date": exported}
    rows.append(_row(wrapped_lines(status, width + 16), 9, MUTED))
    if block.source:
        rows.append(_row(wrapped_lines(_("Kilde: %(source)s") % {"source": block.source}, width + 16), 9, MUTED))
    for key, title in block.documents:
        document = _("Kildedokument %(key)s: %(title)s") % {"key": key, "title": title}
        rows.append(_row(wrapped_lines(document, width + 24), 8, MUTED))
    rows += _legend_rows(kinds)
    return f'<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">{"".join(rows)}</TABLE>>'


def absolute(base_url: str, url: str) -> str:
    """A site path made absolute (base_url is "https://host"), so a saved file still links to the site."""
    return f"{base_url}{url}" if url.startswith("/") else url


# --- the diagrams ---------------------------------------------------------------------------------


def version_graph(
    version: OrgVersion,
    root_unit: Unit | None = None,
    *,
    documents: Iterable[Source] | None = None,
    base_url: str = "",
    exported: datetime.date | None = None,
    subject: str = "",
    marks: dict[str, tuple[str, str]] | None = None,
) -> graphviz.Digraph:
    """Every unit of a version (or the subtree under `root_unit`) as boxes coloured by kind, parent → child,
    laid out left to right, under the title block; a unit's institutions, when many, as one compact list. Links
    start with `base_url`. `marks` (unit key → (mark, word), from a comparison) fills the marked units in the
    mark's colour and names the mark; `subject` titles the picture. Two queries: the units, and the source
    documents unless given."""
    if root_unit is not None and root_unit.version_id != version.pk:
        raise ValueError("root_unit belongs to another version")
    units = root_unit.get_descendants(include_self=True) if root_unit else Unit.objects.filter(version=version)
    units = list(units.select_related("head__holder").order_by("tree_id", "lft"))
    documents = source_documents(version) if documents is None else documents
    unit_url_prefix = reverse("centers:unit", args=[version.municipality.slug, version.key, "_"]).removesuffix("_/")
    urls = {unit.key: absolute(base_url, f"{unit_url_prefix}{unit.key}/") for unit in units}
    kind_labels = {value: str(label) for value, label in UnitKind.choices}
    keys = {unit.pk: unit.key for unit in units}
    institutions: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.kind == UnitKind.INSTITUTION and unit.parent_id in keys and unit.is_leaf_node():
            institutions[unit.parent_id].append(unit)
    marks = marks or {}
    grouped = {
        unit.pk
        for group in institutions.values()
        if len(group) >= INSTITUTION_GROUP_MIN and not any(unit.key in marks for unit in group)
        for unit in group
    }

    block = title_block(version, documents, subject or (root_unit.display_name if root_unit else ""), exported)
    present = {unit.kind for unit in units}
    kinds_shown = [kind for kind in KIND_COLOURS if kind in present]
    graph = graphviz.Digraph(
        name="organisation",
        graph_attr={
            "rankdir": "LR",
            "label": title_label(block, 90, kinds_shown),
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
        mark, word = marks.get(unit.key, ("", ""))
        graph.node(
            unit.key,
            label=_unit_label(unit, word),
            color=colour,
            fillcolor=MARK_FILLS[mark] if mark else f"{colour}{TINT}",
            penwidth="3" if mark else "1.5",
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
        f'<FONT POINT-SIZE="11"><B>{wrapped_lines(label)}</B></FONT>'
    )
    if detail:
        text += f'<BR/><FONT POINT-SIZE="9">{detail}</FONT>'
    return f"<{text}>"


def reporting_line_graph(
    steps: list[ReportingStep], heading: TitleBlock | None = None, *, base_url: str = ""
) -> graphviz.Digraph:
    """A reporting line (selectors.reporting_line) as a vertical chain under the title block, read from the top
    (the political level) down to the subject at the bottom, each step pointing up to the one it reports to;
    every node links to its page (links start with `base_url`)."""
    graph = graphviz.Digraph(
        name="rapportering",
        graph_attr={
            "rankdir": "BT",
            "label": title_label(heading, 56) if heading else "",
            "labelloc": "t",
            "labeljust": "l",
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
            detail = escape(str(step.unit.get_kind_display()) if step.unit else step.detail)
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
            attributes.update(URL=absolute(base_url, step.url), target="_top", tooltip=graphviz.nohtml(step.label))
        graph.node(f"step{index}", label=_step_label(kind_text, step.label, detail), **attributes)
        if index:
            graph.edge(f"step{index - 1}", f"step{index}")
    return graph
