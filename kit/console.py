"""Progress and summaries of long command-line work: on a terminal a live line (spinner, bar, steps done, elapsed
time) and tables drawn by rich; elsewhere (a pipe, a log file, CI) one plain line per step, so a log reads the same.
Imported by the commands that need it only: rich is not loaded for `--help`."""

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table


class Steps:
    """`steps(label, done, total)` after each step of a long task; `total` may grow as the work is discovered."""

    def __init__(self, title: str, out: TextIO | None = None, *, echo: bool = True, bar: bool = True) -> None:
        """`echo`: on a terminal, each step done stays as a line of its own above the live one (else only the live
        line tells the last step: a summary follows). `bar`: steps counted (else a spinner and the time only)."""
        self.title, self.echo, self.bar = title, echo, bar
        self.out = out or sys.stdout
        self.console = Console(file=self.out, highlight=False)
        self.live = self.out.isatty()
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task = TaskID(0)

    def __enter__(self) -> "Steps":
        self.started = time.monotonic()
        if self.live:
            counted = (BarColumn(), MofNCompleteColumn()) if self.bar else ()
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                *counted,
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(escape(self.title), total=None)
        return self

    def __exit__(self, *_: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def __call__(self, label: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total, description=escape(f"{self.title}: {label}"))
            if self.echo:
                self._progress.console.print(f"  [green]✓[/] {escape(label)}", highlight=False)
        else:
            print(f"{self.title} [{done}/{total}] {label} ({self.elapsed:.1f} s)", file=self.out, flush=True)

    def say(self, text: str) -> None:
        """A line of its own (above the live line on a terminal)."""
        if self.live:
            self.console.print(text, highlight=False, markup=False)
        else:
            print(text, file=self.out, flush=True)


@contextmanager
def waiting(title: str, out: TextIO | None = None) -> Iterator[Steps]:
    """A spinner with the elapsed time while one call runs (a plain line before it elsewhere)."""
    steps = Steps(title, out, bar=False)
    if not steps.live:
        print(f"{title} …", file=steps.out, flush=True)
    with steps:
        yield steps


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]], out: TextIO | None = None) -> None:
    """A summary: a drawn table on a terminal, else a title line and one tab-separated line per row."""
    out = out or sys.stdout
    if out.isatty():
        drawn = Table()
        for column in columns:
            drawn.add_column(column)
        for row in rows:
            drawn.add_row(*(str(v) for v in row))
        console = Console(file=out, highlight=False)
        console.print(title, markup=False)
        console.print(drawn)
        return
    print(title, file=out)
    for row in rows:
        print("\t".join(str(v) for v in row), file=out)
    out.flush()
