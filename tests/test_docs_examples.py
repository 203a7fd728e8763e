"""The README's and docs' examples run as written, against the services on loopback with the demo loaded.

A page is read as a person reads it: in one terminal, top to bottom. So each page's runnable ```bash/```sh blocks that
call `curl` run in order in one `bash -Eeuo pipefail`, with GATEWAY, REGISTRY, SCORING, AWARDS and TOKEN set as the
docs' "Before the examples" sets them, and `curl` failing on an HTTP error (`--fail-with-body`). Each ```graphql
block is posted to the gateway anonymously and must answer data without `errors`; nor may a page print a
non-empty `errors` list (a GraphQL answer from a shell example). A block whose info string says `norun` (an answer
that is an error, on purpose) is only read. Relative links between the pages, and their #anchors, must resolve."""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
ERRORS = re.compile(r'"errors":\s*\[\s*\{')
OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)")
PARAMETER = re.compile(r"\{[^}]*\}")
SHELLS = {"bash", "sh"}
# Every curl of a page fails on an HTTP error and says why (the body of the answer is printed).
PRELUDE = """curl() { command curl -S --fail-with-body "$@"; }
trap 'echo "failed: the block at $BLOCK" >&2' ERR
"""


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    flags: frozenset[str]
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    source = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(source):
        info = match.group(1).split()
        if not info:
            continue
        line = source.count("\n", 0, match.start()) + 1
        found.append(Block(page, line, info[0], frozenset(info[1:]), match.group(2)))
    return found


def runnable(page: Path, language: set[str]) -> list[Block]:
    return [b for b in blocks(page) if b.language in language and "norun" not in b.flags]


def shell_blocks(page: Path) -> list[Block]:
    return [b for b in runnable(page, SHELLS) if re.search(r"\bcurl\b", b.text)]


def script(page_blocks: list[Block]) -> str:
    parts = [PRELUDE]
    for block in page_blocks:
        parts.append(f"BLOCK={block.where}\n{block.text}")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def system(
    live_database: tuple[str, Path],
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
    live_gateway: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """The environment the docs set once: the four addresses and the emulation office's token (the embedded
    issuer of the live services, so `thidua token` in an example signs tokens they accept)."""
    data_dir = live_database[1]
    cwd = tmp_path_factory.mktemp("docs-examples")  # files an example writes land here, not in the repository
    (cwd / ".venv").symlink_to(Path(sys.prefix))  # the examples call .venv/bin/thidua
    env = {
        **os.environ,
        "THIDUA_DATA_DIR": str(data_dir),
        "GATEWAY": live_gateway[0],
        "REGISTRY": live_registry[0],
        "SCORING": live_scoring[0],
        "AWARDS": live_awards[0],
        "PWD": str(cwd),
    }
    token = subprocess.run(
        [str(Path(sys.prefix) / "bin" / "thidua"), "token", "--user", "tdkt.snv"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return {**env, "TOKEN": token}


SHELL_PAGES = [p for p in PAGES if shell_blocks(p)]
GRAPHQL = [b for p in PAGES for b in runnable(p, {"graphql"})]


def test_the_pages_have_examples_and_no_example_names_a_port() -> None:
    assert SHELL_PAGES
    assert GRAPHQL
    examples = [b for p in PAGES for b in blocks(p) if b.language in SHELLS | {"graphql"}]  # not config files
    fixed = [b.where for b in examples if re.search(r"localhost|127\.0\.0\.1|:80\d\d\b", b.text)]
    assert not fixed, f"examples read $GATEWAY, $REGISTRY, $SCORING and $AWARDS, not a port: {fixed}"


@pytest.mark.parametrize("page", SHELL_PAGES, ids=[str(p.relative_to(ROOT)) for p in SHELL_PAGES])
def test_a_pages_curl_examples_run_as_written(page: Path, system: dict[str, str]) -> None:
    done = subprocess.run(
        ["bash", "-Eeuo", "pipefail", "-c", script(shell_blocks(page))],
        env=system,
        cwd=system["PWD"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{done.stderr[-4000:]}\n--- stdout ---\n{done.stdout[-4000:]}"
    assert not ERRORS.search(done.stdout), done.stdout[-4000:]


@pytest.mark.parametrize("block", GRAPHQL, ids=[b.where for b in GRAPHQL])
def test_a_graphql_example_answers_without_errors(block: Block, system: dict[str, str]) -> None:
    answer = httpx.post(f"{system['GATEWAY']}/graphql", json={"query": block.text}, timeout=60)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body["errors"]
    # A root field whose union answered a problem the query did not select comes back as {}: that is a failure too.
    assert all(value not in (None, {}) for value in body["data"].values()), body["data"]


def test_every_operation_a_page_names_exists(system: dict[str, str]) -> None:
    served = set()
    for app in ("GATEWAY", "REGISTRY", "SCORING", "AWARDS"):
        document = httpx.get(f"{system[app]}/openapi.json", timeout=60).json()
        served |= {(m.upper(), PARAMETER.sub("{}", path)) for path, ops in document["paths"].items() for m in ops}
    # Every app also serves these outside its OpenAPI (the pages and the scrape): they count when they answer.
    for path in ("/metrics", "/docs", "/redoc"):
        if httpx.get(f"{system['GATEWAY']}{path}", timeout=60).status_code == 200:
            served.add(("GET", path))
    named = {(m, PARAMETER.sub("{}", path)) for page in PAGES for m, path in OPERATION.findall(page.read_text())}
    assert named
    assert not named - served, sorted(named - served)


def anchors(page: Path) -> set[str]:
    """The ids GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in HEADING.findall(text)}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_resolve(page: Path) -> None:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in anchors(linked)):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)} links to what is not there: {broken}"
