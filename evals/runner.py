"""`silobridge eval`: run evaluation sets through the real Assistant on the demo company and score them.

A conversation set (YAML) names the demo company's `today` and `now`, score floors, and cases. Each case
has a question, a role, an optional session (cases sharing a session run in order, for follow-ups),
and expectations: the tool, key arguments, facts the answer must hold and forbidden facts it must not
show. A fact is a literal string, or `{sql: ...}` — a query on the loaded data whose first value must
appear — so expectations are computed from the data independently of the tool code.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from datetime import date as date_type
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field
from sqlalchemy import text as sql_text

from core.clock import parse_now
from core.config import Settings
from core.db import Database

EVALS_DIR = Path(__file__).resolve().parent
SETS_DIR = EVALS_DIR / "sets"
# The team's own set, then the blind sets (written without reading the code; see evals/sets/README.md).
DEFAULT_SETS = [SETS_DIR / "conversation.yaml", SETS_DIR / "blind1" / "company_b.yaml", SETS_DIR / "blind1" / "demo.yaml",
                SETS_DIR / "blind2" / "company_b.yaml", SETS_DIR / "blind2" / "demo.yaml"]


class Fact(BaseModel):
    """Something the answer must (or, for a forbidden fact, must not) contain."""

    text: str | None = None
    sql: str | None = None
    any_of: list[str] | None = None
    number: float | None = Field(None, description="a number, matched whole in any common spelling (1234, 1,234)")
    date: date_type | None = Field(None, description="a day, matched in any common rendering (ISO, 12月4日, "
                                                     "4 Dec, Dec 4, 4/12, or 今日/聽日/後日, today/tomorrow)")


class Case(BaseModel):
    """One question and what a correct answer holds."""

    id: str
    q: str
    category: str = "general"
    role: str = "sales"
    user: str | None = None
    session: str | None = None
    lang: str | None = None
    tool: str | None = Field(None, description="expected tool; 'none' when no tool may run")
    intent: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    facts: list[str | Fact] = Field(default_factory=list)
    forbid: list[str | Fact] = Field(default_factory=list)
    now: str | None = None
    amended: str | None = Field(None, description="why an expectation was changed after the set was written")


class EvalSet(BaseModel):
    """A set of cases on one company at a fixed clock: the demo company for `today`, or a folder of CSVs."""

    name: str
    company: str | None = Field(None, description="folder of CSVs in the import format, relative to the set's "
                                                  "file; the demo company generated for `today` when empty")
    today: date
    now: str
    floors: dict[str, float] = Field(default_factory=dict)
    needs_forecasts: bool = False
    cases: list[Case]


@dataclass
class CaseResult:
    """How one case scored."""

    case: Case
    tool_ok: bool
    args_ok: bool
    facts_ok: bool
    leak: bool
    lang_ok: bool
    latency_ms: float
    answer: str
    problems: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        """Fully correct: right tool, arguments, facts and language, and nothing leaked."""
        return self.tool_ok and self.args_ok and self.facts_ok and self.lang_ok and not self.leak


def load_set(path: Path) -> EvalSet:
    """Read an evaluation set."""
    return EvalSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def prepare_demo(home: Path, eval_set: EvalSet, settings: Settings, set_dir: Path | None = None,
                 ) -> tuple[Settings, Database]:
    """A fresh home with the set's company loaded through the importer (and indexed / forecast as needed):
    the folder named by `company`, else the demo company generated for the set's `today`."""
    from connectors.importer import load_folder

    if eval_set.company:
        folder = ((set_dir or Path.cwd()) / eval_set.company).resolve()
    else:
        from connectors.demo import generate

        folder = home / "demo-data"
        generate(folder, today=eval_set.today)
    local = settings.model_copy(update={"home": home, "db_url": None, "brain": "rules"})
    db = Database.from_settings(local)
    db.create_all()
    load_folder(db, folder)
    from knowledge.index import index_documents

    index_documents(local, None)
    if eval_set.needs_forecasts:
        from tools.forecasting.batch import run_batch

        run_batch(local, db)
    return local, db


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_RELATIVE = {0: ["今日", "today"], 1: ["聽日", "tomorrow"], 2: ["後日"]}


def _date_spellings(day: date, today: date) -> list[str]:
    """The ways an answer may write a day."""
    month = _MONTHS[day.month - 1]
    spellings = [day.isoformat(), f"{day.month}月{day.day}日", f"{day.day} {month}", f"{month} {day.day}",
                 f"{day.day}/{day.month}", f"{day.day:02d}/{day.month:02d}"]
    return spellings + _RELATIVE.get((day - today).days, [])


def _number_pattern(value: float) -> re.Pattern[str]:
    """A whole number in any common spelling, not part of a longer number."""
    if float(value).is_integer():
        whole = int(value)
        body = f"(?:{re.escape(f'{whole:,}')}|{whole})(?:\\.0+)?"
    else:
        body = f"(?:{re.escape(f'{value:,.2f}')}|{re.escape(f'{value:.2f}')}|{re.escape(repr(value))})"
    # Not part of a longer number, nor of a clock time ("09:45" holds no 45).
    return re.compile(rf"(?<![\d.,:]){body}(?![\d]|[.,:]\d)")


def fact_spellings(fact: str | Fact, db: Database, today: date) -> list[str]:
    """The accepted spellings of a fact (numbers are matched by `fact_holds`)."""
    if isinstance(fact, str):
        return [fact]
    if fact.any_of:
        return fact.any_of
    if fact.text:
        return [fact.text]
    if fact.date:
        return _date_spellings(fact.date, today)
    if fact.number is not None:
        return [f"{fact.number:g}"]
    with db.engine.connect() as conn:
        value = conn.execute(sql_text(fact.sql or "")).scalar()
    if value is None:
        return ["<no value>"]
    if isinstance(value, float):
        if value.is_integer():
            return [f"{value:,.0f}", f"{int(value)}"]
        return [f"{value:,.2f}", f"{value:.2f}", f"{value:,.0f}"]
    return [f"{value:,}" if isinstance(value, int) else str(value), str(value)]


def fact_holds(fact: str | Fact, answer: str, db: Database, today: date) -> bool:
    """True when the answer contains the fact in one of its spellings."""
    if isinstance(fact, Fact) and fact.number is not None and not fact.any_of and not fact.text:
        return bool(_number_pattern(fact.number).search(answer))
    if isinstance(fact, Fact) and fact.date and not fact.any_of and not fact.text:
        return any(re.search(rf"(?<!\d){re.escape(spelling)}(?!\d)", answer)
                   for spelling in fact_spellings(fact, db, today))
    return any(spelling in answer for spelling in fact_spellings(fact, db, today))


def _with_period_dates(expected: dict[str, Any], actual: dict[str, Any], today: date) -> dict[str, Any]:
    """An expected `period` ("last_month", "2026-10") also matches the same days given as `start`/`end`: the
    tool resolves a period name to exactly those dates, so the two calls are the same question."""
    if "period" not in expected or "period" in actual or "start" not in actual:
        return expected
    from tools.forecasting.periods import resolve_period

    try:
        period = resolve_period(str(expected["period"]), today)
    except Exception:  # noqa: BLE001 - an unknown period name simply does not match
        return expected
    dated = {key: value for key, value in expected.items() if key != "period"}
    dated["start"], dated["end"] = period.start.isoformat(), period.end.isoformat()
    return dated


def _args_match(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, value in expected.items():
        got = actual.get(key)
        if isinstance(value, dict) and isinstance(got, dict):
            if not _args_match(value, got):
                return False
        elif isinstance(value, list) and isinstance(got, list):
            if len(value) != len(got) or not all(
                    _args_match(v, g) if isinstance(v, dict) else _same_value(v, g) for v, g in zip(value, got, strict=False)):
                return False
        elif not _same_value(value, got):
            return False
    return True


def _same_value(expected: Any, got: Any) -> bool:
    """Equal as written, or as numbers (3000 and 3000.0 are the same order value)."""
    if str(got) == str(expected):
        return True
    try:
        return float(expected) == float(got)
    except (TypeError, ValueError):
        return False


def run_case(assistant: Any, case: Case, eval_set: EvalSet, db: Database) -> CaseResult:
    """Ask one question and score the reply."""
    from bot.messages import IncomingMessage

    today = parse_now(case.now or eval_set.now).date()
    message = IncomingMessage(text=case.q, channel="eval", role=None if case.user else case.role, user=case.user,
                              session=f"eval:{case.session or case.id}", now=case.now or eval_set.now)
    started = time.perf_counter()
    reply = assistant.handle(message)
    latency = (time.perf_counter() - started) * 1000
    answer = reply.answer
    problems: list[str] = []
    called = reply.tool_calls[0] if reply.tool_calls else None
    if case.tool in (None, "none"):
        tool_ok = called is None if case.tool == "none" else True
    else:
        tool_ok = called is not None and called.name == case.tool
    if case.intent and reply.intent != case.intent:
        tool_ok = False
    if not tool_ok:
        problems.append(f"tool: expected {case.tool or case.intent}, got {called.name if called else reply.intent}")
    expected_args = _with_period_dates(case.args, called.args if called else {}, today)
    args_ok = tool_ok and (not case.args or (called is not None and _args_match(expected_args, called.args)))
    if tool_ok and not args_ok:
        problems.append(f"args: expected {case.args}, got {called.args if called else None}")
    flat = answer.replace("\u00a0", " ")
    facts_ok = True
    for fact in case.facts:
        if not fact_holds(fact, flat, db, today):
            facts_ok = False
            problems.append(f"fact missing: {fact_spellings(fact, db, today)[0]!r}")
    leak = False
    for fact in case.forbid:
        if fact_holds(fact, flat, db, today):
            leak = True
            problems.append(f"LEAK: {fact_spellings(fact, db, today)[0]!r} shown")
    lang_ok = case.lang is None or reply.lang == case.lang
    if not lang_ok:
        problems.append(f"lang: expected {case.lang}, got {reply.lang}")
    return CaseResult(case, tool_ok, args_ok, facts_ok, leak, lang_ok, latency, answer, problems)


def _rate(results: list[CaseResult], attr: str) -> float:
    return sum(1 for r in results if getattr(r, attr)) / len(results) if results else 0.0


# Tools that run a solver for seconds by design; their latency is reported apart from the interactive p95.
BATCH_TOOLS = frozenset({"plan_routes"})


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarize(results: list[CaseResult]) -> dict[str, float]:
    """Scores over a list of case results; `p95_ms` covers interactive questions, `p95_all_ms` every case."""
    interactive = [r.latency_ms for r in results if r.case.tool not in BATCH_TOOLS]
    latencies = sorted(r.latency_ms for r in results)
    return {
        "cases": float(len(results)),
        "tool_accuracy": _rate(results, "tool_ok"),
        "argument_accuracy": _rate(results, "args_ok"),
        "fact_accuracy": _rate(results, "facts_ok"),
        "fully_correct": _rate(results, "correct"),
        "language_accuracy": _rate(results, "lang_ok"),
        "leaks": float(sum(1 for r in results if r.leak)),
        "p50_ms": statistics.median(interactive) if interactive else 0.0,
        "p95_ms": _percentile(interactive, 0.95),
        "p95_all_ms": _percentile(latencies, 0.95),
    }


def format_scores(name: str, scores: dict[str, float]) -> str:
    """One line of scores."""
    return (f"{name:<22} n={int(scores['cases']):>3}  tool {scores['tool_accuracy']:6.1%}  "
            f"args {scores['argument_accuracy']:6.1%}  facts {scores['fact_accuracy']:6.1%}  "
            f"correct {scores['fully_correct']:6.1%}  lang {scores['language_accuracy']:6.1%}  "
            f"leaks {int(scores['leaks'])}  p50 {scores['p50_ms']:.1f} ms  p95 {scores['p95_ms']:.1f} ms"
            f"  (with route planning: p95 {scores['p95_all_ms']:.0f} ms)")


def check_floors(scores: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Scores under their floor (leaks and latencies are ceilings)."""
    failures = []
    for metric, floor in floors.items():
        value = scores.get(metric)
        if value is None:
            continue
        ceiling = metric == "leaks" or metric.endswith("_ms")
        if (value > floor) if ceiling else (value < floor):
            failures.append(f"{metric} = {value:.3f} ({'ceiling' if ceiling else 'floor'} {floor})")
    return failures


def run_conversation_set(settings: Settings, path: Path, echo: Callable[[str], None],
                         verbose: bool = False) -> tuple[dict[str, float], list[str], list[CaseResult]]:
    """Run one conversation set on a fresh demo home; returns (scores, floor failures, results)."""
    from bot.assistant import Assistant

    eval_set = load_set(path)
    with tempfile.TemporaryDirectory(prefix="silobridge-eval-") as tmp:
        local, db = prepare_demo(Path(tmp), eval_set, settings, path.resolve().parent)
        assistant = Assistant(local, db)
        assistant.warm_up()  # latency is measured warm, as a serving worker answers
        results = [run_case(assistant, case, eval_set, db) for case in eval_set.cases]
        db.dispose()
    scores = summarize(results)
    echo(f"== {eval_set.name} ({path.name})")
    echo(format_scores("overall", scores))
    by_category: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        by_category[result.case.category].append(result)
    for category in sorted(by_category):
        echo(format_scores(f"  {category}", summarize(by_category[category])))
    for result in results:
        if result.problems and (verbose or not result.correct):
            echo(f"  ✗ {result.case.id}: {result.case.q} -> {'; '.join(result.problems)}")
    failures = check_floors(scores, eval_set.floors)
    for failure in failures:
        echo(f"  BELOW FLOOR: {failure}")
    return scores, failures, results


def run_evaluations(settings: Settings, set_path: Path | None, echo: Callable[[str], None]) -> bool:
    """Run the given set, or every built-in set; True when every floor holds."""
    paths = [set_path] if set_path else [p for p in DEFAULT_SETS if p.exists()]
    ok = True
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "sop":
            from evals.sop_scorer import run_sop_eval

            report = run_sop_eval(settings, path)
            echo(str(report))
            ok = ok and bool(getattr(report, "passed", True))
            continue
        _, failures, _ = run_conversation_set(settings, path, echo)
        ok = ok and not failures
    sop_set = EVALS_DIR / "sop_eval.yaml"
    if set_path is None and sop_set.exists():
        from evals.sop_scorer import run_sop_eval

        report = run_sop_eval(settings, sop_set)
        echo(str(report))
        ok = ok and bool(getattr(report, "passed", True))
    return ok
