"""CI gate: every conversation evaluation set must hold its floors (evals/sets/*.yaml and the blind sets).

The built-in set is the team's own; the blind sets were written by people who never read the code, on the demo
company and on a second company loaded through the importer (evals/sets/blind1, blind2). The floors are raised
as the product improves; the figures are printed so the CI log records them. Latency ceilings are left to
`silobridge eval` and the benchmarks: a unit test does not time things.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.runner import DEFAULT_SETS, run_conversation_set
from tests.conftest import make_settings


@pytest.mark.parametrize("set_path", DEFAULT_SETS, ids=[f"{p.parent.name}/{p.stem}" for p in DEFAULT_SETS])
def test_conversation_eval_holds_its_floors(tmp_path: Path, set_path: Path) -> None:
    lines: list[str] = []
    scores, failures, results = run_conversation_set(make_settings(tmp_path), set_path, lines.append)
    print("\n".join(lines))
    assert len(results) >= 50
    assert scores["leaks"] == 0, [r.case.id for r in results if r.leak]
    accuracy_failures = [failure for failure in failures if "_ms" not in failure.split(" = ")[0]]
    assert not accuracy_failures, accuracy_failures
