"""One page of rows as JSON or as CSV that Excel opens with its Vietnamese intact (UTF-8 with a BOM)."""

import csv
import io
from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import Request
from fastapi.responses import Response

from kit.spreadsheets import inert_cell

Format = Literal["json", "csv"]
BOM = "\ufeff"


def _cell(value: Any) -> str:
    """A CSV cell; whatever a spreadsheet would run as a formula (a unit named `=HYPERLINK(…)`) is made inert."""
    if value is None:
        return ""
    if isinstance(value, list):
        return str(inert_cell(";".join(str(v) for v in value)))
    return str(inert_cell(value))


def page_response(
    request: Request,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    fmt: Format,
    next_cursor: str | None,
    licence: dict[str, str],
    filename: str,
) -> Response:
    """Rows with a `next` link (Link header in both formats, `next_cursor` in JSON) and the licence."""
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
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return Response(buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)
    body = {"items": [{c: row.get(c) for c in columns} for row in rows], "next_cursor": next_cursor, "licence": licence}
    return Response(orjson.dumps(body, default=str), media_type="application/json", headers=headers)
