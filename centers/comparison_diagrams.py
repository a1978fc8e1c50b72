"""The comparison of two versions as a document for a hearing: the version before and the version after as
Graphviz diagrams with the changed units coloured (the page's marks), then the changes in words, grouped as on
the page, every page with the title block (municipality, versions, status, date, sources) on A4 or A3."""

from __future__ import annotations

import io
from html import escape

import graphviz
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfWriter

from . import comparison, diagrams
from .models import Municipality, OrgVersion

ROWS_PER_PAGE = 38
# The words of a comparison's marks, on the page's cards and in the diagrams.
MARK_LABELS = {
    "added": gettext_lazy("Ny"),
    "removed": gettext_lazy("Nedlagt"),
    "moved": gettext_lazy("Flyttet"),
    "renamed": gettext_lazy("Omdøbt"),
    "merged": gettext_lazy("Sammenlagt"),
    "split": gettext_lazy("Delt"),
    "changed": gettext_lazy("Ændret"),
}


def _marks(result: comparison.Comparison, side: str) -> dict[str, tuple[str, str]]:
    return {key: (mark, str(MARK_LABELS[mark])) for key, mark in result.marks()[side].items()}


def _change_pages(
    before: OrgVersion, after: OrgVersion, result: comparison.Comparison, documents
) -> list[graphviz.Digraph]:
    """The changes, a heading per group, as pages of at most ROWS_PER_PAGE lines."""
    rows: list[str] = []
    for heading, changes in result.groups():
        title = f"<B>{escape(str(heading))} ({len(changes)})</B>"
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11">{title}</FONT></TD></TR>')
        for change in changes:
            text = diagrams.wrapped_lines("– " + change.describe(), 110)
            rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="10">{text}</FONT></TD></TR>')
    subject = _("Ændringerne fra «%(before)s» til «%(after)s»") % {
        "before": before.display_label,
        "after": after.display_label,
    }
    block = diagrams.title_block(after, documents, subject)
    pages = []
    for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
        graph = graphviz.Digraph(
            name="changes",
            graph_attr={
                "label": diagrams.title_label(block, 90),
                "labelloc": "t",
                "labeljust": "l",
                "fontname": diagrams.FONT,
                "bgcolor": "white",
                "pad": "0.3",
            },
            node_attr={"fontname": diagrams.FONT},
        )
        chunk = rows[start : start + ROWS_PER_PAGE] or [f"<TR><TD>{escape(_('De to versioner er ens.'))}</TD></TR>"]
        graph.node("changes", label=f'<<TABLE BORDER="0" CELLSPACING="1">{"".join(chunk)}</TABLE>>', shape="plain")
        pages.append(graph)
    return pages


def hearing_pdf(
    municipality: Municipality, before: OrgVersion, after: OrgVersion, result: comparison.Comparison, base_url: str
) -> bytes:
    """One PDF: the diagram before, the diagram after, then the changes."""
    titles = {"before": before.display_label, "after": after.display_label}
    graphs = [
        diagrams.version_graph(
            version,
            base_url=base_url,
            subject=label % titles,
            marks=_marks(result, side),
        )
        for version, side, label in (
            (before, "before", _("Før: «%(before)s», sammenlignet med «%(after)s»")),
            (after, "after", _("Efter: «%(after)s», sammenlignet med «%(before)s»")),
        )
    ]
    graphs += _change_pages(before, after, result, diagrams.source_documents(after))
    writer = PdfWriter()
    for graph in graphs:
        writer.append(io.BytesIO(diagrams.on_paper(diagrams.render(graph, "pdf"))))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
