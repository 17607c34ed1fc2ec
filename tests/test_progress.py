"""Issue 14, item 6: progress of long commands. Bars on a terminal; plain lines when the output is not a
terminal (what CliRunner gives, like a pipe or a log file); nothing with --quiet. The result lines on
standard output are the same either way.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app as cli_app
from core.progress import SILENT, BarProgress, LineProgress, progress_for, ticking
from tests.test_ready_after_load import write_company

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-25T10:30"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`silobridge ARGS...` against a config of its own: state in tmp_path, the hashing embedding, one
    worker and fewer posterior samples (a fast fit), a one-second route solver."""
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    config.setdefault("kb", {}).update({"embedding": "hashing", "sop_dir": str(REPO / "knowledge" / "sop")})
    config.setdefault("forecast", {}).update({"workers": 1, "uncertainty_samples": 50})
    config.setdefault("routing", {}).update({"time_limit_s": 1.0})
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SILOBRIDGE_CONFIG", str(tmp_path / "config.yaml"))
    monkeypatch.setenv("SILOBRIDGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SILOBRIDGE_NOW", NOW)

    def run(*args: str) -> Result:
        result = CliRunner().invoke(cli_app, list(args))
        assert result.exit_code == 0, result.output
        return result

    return run


def test_load_shows_plain_progress_lines_off_a_terminal_and_none_with_quiet(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_company(tmp_path / "company")
    shown = cli("load", str(folder))
    assert f"Importing {folder}..." in shown.stderr and f"Importing {folder}: done" in shown.stderr
    assert "Fitting forecasts: 0/4" in shown.stderr and "Fitting forecasts: done 4/4" in shown.stderr
    assert "Embedding SOP sections: 0/" in shown.stderr  # a fresh install: the bundled SOPs are indexed
    assert "\x1b[" not in shown.stderr  # plain text, no terminal codes
    assert "Loaded " in shown.stdout and "Forecast batch: 4 series, 4 fitted" in shown.stdout

    quiet = cli("load", str(write_company(folder, boost=1.5)), "--quiet")
    assert quiet.stderr == ""
    assert "Loaded " in quiet.stdout and "1 fitted" in quiet.stdout

    skipped = cli("load", str(folder), "--no-forecast", "-q")
    assert "Forecasts: skipped (--no-forecast)" in skipped.stdout and skipped.stderr == ""


def test_forecast_run_and_kb_index_show_plain_progress(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("load", str(write_company(tmp_path / "company")), "--no-forecast", "--quiet")
    fitted = cli("forecast", "run")
    assert "Fitting forecasts: 0/4" in fitted.stderr and "Fitting forecasts: done 4/4" in fitted.stderr
    assert "Forecast batch: 4 series, 4 fitted" in fitted.stdout
    assert cli("forecast", "run", "--force", "--quiet").stderr == ""

    sop = tmp_path / "sop" / "pick-up.md"
    sop.parent.mkdir()
    sop.write_text("# Store pick-up\n\n## Hours\n\nCustomers collect orders 10:00-19:00.\n", encoding="utf-8")
    indexed = cli("kb", "index", str(sop.parent))
    assert "Embedding SOP sections: 0/" in indexed.stderr and "Embedding SOP sections: done" in indexed.stderr
    assert indexed.stdout.startswith("SOP index: 1 added")
    sop.write_text("# Store pick-up\n\n## Hours\n\nCustomers collect orders 09:00-20:00.\n", encoding="utf-8")
    quiet = cli("kb", "index", str(sop.parent), "--quiet")
    assert quiet.stderr == "" and "1 updated" in quiet.stdout


def test_routes_plan_and_bench_show_plain_progress(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("load", str(write_company(tmp_path / "company")), "--no-forecast", "--quiet")
    planned = cli("routes", "plan", "--date", "2026-11-25")
    assert "Planning routes: 0/1" in planned.stderr and "Planning routes: done" in planned.stderr
    assert planned.stdout.strip() and "Planning routes" not in planned.stdout
    assert cli("routes", "plan", "--date", "2026-11-25", "--quiet").stderr == ""

    instance = REPO / "tests" / "fixtures" / "vrp" / "C101.txt"
    bench = cli("routes", "bench", str(instance), "--time-limit", "1")
    assert "Solving instances: 0/1" in bench.stderr and "Solving instances: done 1/1" in bench.stderr
    assert bench.stdout.startswith("C101")
    assert cli("routes", "bench", str(instance), "--time-limit", "1", "-q").stderr == ""


def test_the_reporter_follows_the_terminal_and_quiet() -> None:
    assert progress_for(io.StringIO(), quiet=True) is SILENT
    assert isinstance(progress_for(io.StringIO()), LineProgress)  # a StringIO is not a terminal
    assert isinstance(progress_for(io.StringIO(), terminal=True), BarProgress)


def test_plain_lines_are_throttled_to_about_one_per_tenth() -> None:
    stream = io.StringIO()
    with LineProgress(stream).task("Fitting forecasts", total=240) as task:
        for _ in range(240):
            task.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Fitting forecasts: 0/240" and lines[-1].startswith("Fitting forecasts: done 240/240 in ")
    assert 10 <= len(lines) <= 12
    assert "Fitting forecasts: 24/240" in lines and "Fitting forecasts: 216/240" in lines


def test_bars_draw_on_a_terminal_stream() -> None:
    stream = io.StringIO()
    with BarProgress(stream).task("Fitting forecasts", total=3) as task:
        for _ in range(3):
            task.advance()
    assert "Fitting forecasts" in stream.getvalue() and "3/3" in stream.getvalue()


def test_a_time_limited_step_ends_with_its_work() -> None:
    stream = io.StringIO()
    with ticking(LineProgress(stream), "Planning routes", 30.0):
        pass
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Planning routes: 0/30" and lines[-1].startswith("Planning routes: done 30/30")
