"""`thidua units import FILE` and `thidua plans import FILE` against the services on loopback: each step as it is done,
then a summary a clerk can read (plain lines when the output is not a terminal, as here). Dry runs only: the live
database is shared."""

from pathlib import Path

import pytest

from thidua import cli
from thidua.plans.demo import PLANS

HEADER = "Mã ĐVHC,Tên đơn vị,Loại,Cấp,Mã cấp trên\n"


def _import(
    file: Path, registry: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    base, admin = registry
    monkeypatch.setenv("THIDUA_GATEWAY_REGISTRY_URL", base)
    token = admin.removeprefix("Bearer ")
    args = cli.parser().parse_args(["units", "import", str(file), "--dry-run", "--token", token])
    code = 0
    try:
        args.run(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().out


def test_a_dry_run_counts_what_would_change(
    tmp_path: Path,
    live_registry: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "don-vi.csv"
    file.write_text(HEADER + "39001,Tỉnh Thử Nghiệm,province,province,\n", encoding="utf-8")
    code, out = _import(file, live_registry, monkeypatch, capsys)
    assert code == 0, out
    assert "(dry run, nothing written)" in out
    assert "created\t1" in out.splitlines()
    assert "errors\t0" in out.splitlines()


def test_rows_in_error_are_listed_and_the_exit_is_not_zero(
    tmp_path: Path,
    live_registry: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "don-vi.csv"
    file.write_text(
        HEADER + "39001,Tỉnh Thử Nghiệm,province,province,\n" + "39002,Tỉnh Thử Nghiệm Hai,spaceship,province,\n",
        encoding="utf-8",
    )
    code, out = _import(file, live_registry, monkeypatch, capsys)
    assert code == 1
    lines = out.splitlines()
    assert "errors\t1" in lines
    assert any(line.startswith("3\tkind\t") for line in lines), out  # line 3 of the file (the header is line 1)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    args = cli.parser().parse_args(["units", "import", str(tmp_path / "none.csv"), "--token", "x"])
    with pytest.raises(SystemExit, match=r"none\.csv: No such file or directory"):
        args.run(args)


def test_a_plan_import_tells_each_step_then_sums_up(
    live_registry: tuple[str, str],
    live_scoring: tuple[str, str],
    live_awards: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, (base, _) in {"REGISTRY": live_registry, "SCORING": live_scoring, "AWARDS": live_awards}.items():
        monkeypatch.setenv(f"THIDUA_GATEWAY_{name}_URL", base)
    token = live_registry[1].removeprefix("Bearer ")
    file = str(PLANS / "ha-giang.yaml")
    args = cli.parser().parse_args(["plans", "import", file, "--dry-run", "--token", token])
    args.run(args)
    lines = capsys.readouterr().out.splitlines()
    steps = [line for line in lines if line.startswith("import ha-giang.yaml [")]
    assert steps[0].startswith("import ha-giang.yaml [1/7] unchanged movement  HG-CDS-2022")
    assert steps[-1].startswith("import ha-giang.yaml [7/7] unchanged rule")
    # The live services are shared with other tests, which may have changed a step: the sum is what is stable.
    title = next(line for line in lines if line.startswith(f"{file}: dry run, nothing written: "))
    assert sum(int(part.split()[0]) for part in title.split(": ")[-1].split(", ")) == 7, title
