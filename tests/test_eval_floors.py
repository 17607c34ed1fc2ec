"""CI gate: the conversation evaluation on the demo company must hold its floors (evals/sets/conversation.yaml).

The floors are raised as the product improves; the figures are printed so the CI log records them.
Latency ceilings are left to `silobridge eval` and the benchmarks: a unit test does not time things.
"""

from __future__ import annotations

from pathlib import Path

from evals.runner import DEFAULT_SETS, run_conversation_set
from tests.conftest import make_settings


def test_conversation_eval_holds_its_floors(tmp_path: Path) -> None:
    lines: list[str] = []
    scores, failures, results = run_conversation_set(make_settings(tmp_path), DEFAULT_SETS[0], lines.append)
    print("\n".join(lines))
    assert len(results) >= 200
    assert scores["leaks"] == 0, [r.case.id for r in results if r.leak]
    accuracy_failures = [failure for failure in failures if "_ms" not in failure.split(" = ")[0]]
    assert not accuracy_failures, accuracy_failures
