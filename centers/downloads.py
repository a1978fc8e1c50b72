"""Downloads: the links to the files the pages offer, and the spreadsheets among them.

CSV is written so that Danish Excel opens it as it is: UTF-8 with a byte-order mark (so that æøå come out right),
semicolons between fields (Danish Excel reads the comma as the decimal sign), CRLF line ends, one row per element,
the columns named after the structure format's keys.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so that a
spreadsheet shows it as text instead of running it as a formula (OWASP, "CSV Injection"): the names and notes come
from documents and from editors, and a download must not turn them into commands on the reader's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from . import extensions

CSV_DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def offered(scope: str, subject: Any) -> list[tuple[str, str]]:
    """The (label, address) of every file other apps offer for `subject`: a version (scope "version") or a
    municipality (scope "municipality"), in the registry's order."""
    return [(str(download.label), download.url(subject)) for download in extensions.downloads(scope)]


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """`rows` (dicts keyed by `columns`; other keys are left out) as CSV text with a header row; None is an empty
    field, a list is joined with spaces (keys never contain one)."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def csv_response(filename: str, columns: Sequence[str], rows: Iterable[dict]) -> HttpResponse:
    """A CSV download named `filename`."""
    response = HttpResponse(csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
