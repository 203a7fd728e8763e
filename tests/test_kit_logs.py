"""Logs: every record at the level asked for (uvicorn's included) as JSON in the file, and only problems on the
console, in a line a person reads."""

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit import logs


@pytest.fixture
def restored() -> Iterator[None]:
    """The logging set-up of the test run, back after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in ("uvicorn", "uvicorn.error", "httpx")}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, was in levels.items():
            logging.getLogger(name).setLevel(was)


@pytest.mark.usefixtures("restored")
def test_the_file_gets_json_at_the_level_asked_and_the_console_only_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("uvicorn.error").setLevel(logging.INFO)  # as uvicorn.run(log_level="info") would leave it
    file = tmp_path / "logs" / "thidua.log"
    logs.configure("warning", file=file)

    logging.getLogger("uvicorn.error").info("Started server process [1]")
    logging.getLogger("thidua").warning("registry (pid 2) was killed by signal 9", extra={"app": "registry"})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("thidua").error("demo data could not load: boom", exc_info=True)

    for handler in logging.getLogger().handlers:
        handler.flush()
    records = [json.loads(line) for line in file.read_text().splitlines()]
    assert [(r["level"], r["msg"]) for r in records] == [
        ("warning", "registry (pid 2) was killed by signal 9"),
        ("error", "demo data could not load: boom"),
    ]
    assert records[0]["app"] == "registry"
    assert "RuntimeError: boom" in records[1]["exc"]  # the stack is in the file
    assert capsys.readouterr().err.splitlines() == [  # not on the console
        "warning: registry (pid 2) was killed by signal 9",
        "error: demo data could not load: boom",
    ]
