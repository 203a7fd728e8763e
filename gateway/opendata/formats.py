"""One page of rows as JSON, or as CSV that Excel opens as it is.

The CSV is UTF-8 with a BOM (without one Excel reads UTF-8 as the Windows code page and garbles the Vietnamese),
CRLF line ends, and cells Excel reads without help:
- the header row holds our column names, or with `labels=vi` the Vietnamese labels of the columns;
- yes/no is `true`/`false`, or `Có`/`Không` with `labels=vi`;
- an instant is `YYYY-MM-DD HH:MM:SS` as Vietnam's clock shows it (UTC+7): Excel reads that as a date and time,
  which it does not with ISO 8601's `T` and offset; a date is `YYYY-MM-DD`. The JSON form keeps ISO 8601 instants
  with their offset, for programs;
- a text a spreadsheet would run as a formula (a unit named `=HYPERLINK(…)`) is made inert.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import Query, Request
from fastapi.responses import Response

from kit.spreadsheets import inert_cell, local_time

Format = Literal["json", "csv"]
Labels = Literal["en", "vi"]
LabelsQ = Annotated[
    Labels,
    Query(description="CSV header: column names (en, the default) or Vietnamese labels (vi; yes/no then Có/Không)"),
]
BOM = "\ufeff"
CSV_INSTANT = "%Y-%m-%d %H:%M:%S"


def _cell(value: Any, labels: Labels) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("Có" if value else "Không") if labels == "vi" else ("true" if value else "false")
    if isinstance(value, datetime):
        return local_time(value).strftime(CSV_INSTANT)
    if isinstance(value, list):
        return str(inert_cell(";".join(str(v) for v in value)))
    return str(inert_cell(str(value)))


def page_response(
    request: Request,
    rows: Sequence[dict[str, Any]],
    columns: Mapping[str, str],
    *,
    fmt: Format,
    next_cursor: str | None,
    licence: dict[str, str],
    filename: str,
    labels: Labels = "en",
) -> Response:
    """Rows with a `next` link (Link header in both formats, `next_cursor` in JSON) and the licence; `columns` maps
    each column's name to its Vietnamese label."""
    headers: dict[str, str] = {"X-Licence": licence["url"]}
    if next_cursor:
        query = dict(request.query_params) | {"cursor": next_cursor}
        next_url = str(request.url.replace(query=urlencode(query)))
        headers["Link"] = f'<{next_url}>; rel="next"'
        headers["X-Next-Cursor"] = next_cursor
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns.values() if labels == "vi" else columns.keys())
        for row in rows:
            writer.writerow([_cell(row.get(c), labels) for c in columns])
        headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return Response(buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)
    body = {"items": [{c: row.get(c) for c in columns} for row in rows], "next_cursor": next_cursor, "licence": licence}
    return Response(orjson.dumps(body, default=str), media_type="application/json", headers=headers)
