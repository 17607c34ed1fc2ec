"""Score SOP retrieval against `evals/sop_eval.yaml`: hit@1 and hit@3 overall and per category.

A hit is the right document and one of the listed sections among the first 1 (or 3) passages.
Off-topic questions (doc: null) are scored apart: right when the search finds nothing relevant.
Run: `.venv/bin/python -m evals.sop_scorer [PATH]` (the lead wires it into `silobridge eval`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, field_validator

from core.config import Settings, load_settings
from knowledge.index import index_documents
from knowledge.retrieval import search

DEFAULT_SET = Path(__file__).with_name("sop_eval.yaml")
OFF_TOPIC = "off-topic"


class SopEvalQuestion(BaseModel):
    """One question of the set and where its answer is (doc None: nothing should be found)."""

    id: str
    category: str
    question: str
    doc: str | None = None
    section: list[str] = Field(default_factory=list)

    @field_validator("section", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else (value or [])


class SopEvalOutcome(BaseModel):
    """What the search returned for one question."""

    id: str
    category: str
    question: str
    rank: int | None  # 1-based rank of the first right passage, None when not in the top 3
    top: list[str]  # "doc | section" of the passages returned
    correct: bool


class CategoryScore(BaseModel):
    """hit@1 / hit@3 of one category (for off-topic: the share correctly answered "nothing relevant")."""

    category: str
    questions: int
    hit_at_1: float
    hit_at_3: float


class SopEvalReport(BaseModel):
    """The scores of one run."""

    questions: int
    hit_at_1: float
    hit_at_3: float
    categories: list[CategoryScore]
    off_topic_correct: float | None
    outcomes: list[SopEvalOutcome]
    embedding: str
    mean_latency_ms: float
    floors: dict[str, float] = Field(default_factory=dict)
    # The answerable questions split by a fixed rule (alternate questions in file order): half A is the
    # one retrieval changes were tuned on, half B only checks them (see docs/knowledge-base.md).
    halves: list[CategoryScore] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when hit@1 and hit@3 reach the set's floors (and every off-topic question found nothing)."""
        return (self.hit_at_1 >= self.floors.get("hit_at_1", 0.0)
                and self.hit_at_3 >= self.floors.get("hit_at_3", 0.0)
                and (self.off_topic_correct is None or self.off_topic_correct == 1.0))

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        """The printed report: totals, per category, then the misses."""
        lines = [f"SOP eval ({self.embedding}): {self.questions} questions  "
                 f"hit@1 {self.hit_at_1:.1%}  hit@3 {self.hit_at_3:.1%}  "
                 f"(mean query {self.mean_latency_ms:.1f} ms)"]
        for score in self.categories:
            lines.append(f"  {score.category:<12} n={score.questions:<3} hit@1 {score.hit_at_1:6.1%}  "
                         f"hit@3 {score.hit_at_3:6.1%}")
        for score in self.halves:
            lines.append(f"  {score.category:<12} n={score.questions:<3} hit@1 {score.hit_at_1:6.1%}  "
                         f"hit@3 {score.hit_at_3:6.1%}")
        if self.off_topic_correct is not None:
            lines.append(f"  off-topic answered 'nothing relevant': {self.off_topic_correct:.0%}")
        if self.floors:
            wanted = "  ".join(f"{name.replace('_at_', '@')} >= {value:.0%}" for name, value in self.floors.items())
            lines.append(f"  floors: {wanted}: {'met' if self.passed else 'NOT MET'}")
        misses = [o for o in self.outcomes if not o.correct or (o.rank is not None and o.rank > 1)]
        if misses:
            lines.append("misses (not first):")
            for outcome in misses:
                where = f"rank {outcome.rank}" if outcome.rank else "missed"
                lines.append(f"  {outcome.id} [{where}] {outcome.question} -> {outcome.top[:1]}")
        return "\n".join(lines)


def load_eval_set(path: str | Path = DEFAULT_SET) -> list[SopEvalQuestion]:
    """The questions of an evaluation file."""
    return [SopEvalQuestion.model_validate(item) for item in _read(path).get("questions", [])]


def _read(path: str | Path) -> dict[str, Any]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return raw if isinstance(raw, dict) else {}


def run_sop_eval(settings: Settings, path: str | Path = DEFAULT_SET, *, index: bool = True) -> SopEvalReport:
    """Index the SOPs (incrementally) unless told not to, run every question, and score."""
    if index:
        index_documents(settings)
    questions = load_eval_set(path)
    outcomes: list[SopEvalOutcome] = []
    latencies: list[float] = []
    for item in questions:
        started = time.perf_counter()
        passages = search(settings, item.question, k=3)
        latencies.append((time.perf_counter() - started) * 1000)
        top = [f"{p.doc} | {p.section}" for p in passages]
        if item.doc is None:
            outcomes.append(SopEvalOutcome(id=item.id, category=item.category, question=item.question,
                                           rank=None, top=top, correct=not passages))
            continue
        rank = next((i + 1 for i, p in enumerate(passages)
                     if p.doc == item.doc and (not item.section or p.section in item.section)), None)
        outcomes.append(SopEvalOutcome(id=item.id, category=item.category, question=item.question,
                                       rank=rank, top=top, correct=rank is not None))
    scored = [o for o in outcomes if o.category != OFF_TOPIC]
    off_topic = [o for o in outcomes if o.category == OFF_TOPIC]
    categories = []
    for category in dict.fromkeys(o.category for o in scored):
        group = [o for o in scored if o.category == category]
        categories.append(CategoryScore(category=category, questions=len(group),
                                        hit_at_1=_share(group, 1), hit_at_3=_share(group, 3)))
    halves = [CategoryScore(category=f"half {name}", questions=len(group), hit_at_1=_share(group, 1),
                            hit_at_3=_share(group, 3))
              for name, group in (("A (tuned)", scored[0::2]), ("B (check)", scored[1::2])) if group]
    return SopEvalReport(halves=halves,
        questions=len(scored), hit_at_1=_share(scored, 1), hit_at_3=_share(scored, 3), categories=categories,
        off_topic_correct=(sum(o.correct for o in off_topic) / len(off_topic)) if off_topic else None,
        outcomes=outcomes, embedding=settings.kb.embedding,
        mean_latency_ms=sum(latencies) / len(latencies) if latencies else 0.0,
        floors={str(k): float(v) for k, v in (_read(path).get("floors") or {}).items()})


def _share(outcomes: list[SopEvalOutcome], k: int) -> float:
    if not outcomes:
        return 0.0
    return sum(1 for o in outcomes if o.rank is not None and o.rank <= k) / len(outcomes)


def main(argv: list[str] | None = None) -> int:
    """Print the report for a set (default evals/sop_eval.yaml) with the configured settings."""
    args = sys.argv[1:] if argv is None else argv
    report = run_sop_eval(load_settings(), args[0] if args else DEFAULT_SET)
    print(report.format())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
