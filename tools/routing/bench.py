"""`routes bench`: solve Solomon instances with the product's solver and compare with the best known."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from tools.routing.solomon import SolomonFormatError, read_best_known, read_solomon
from tools.routing.solver import solve


class BenchResult(BaseModel):
    """One instance solved: distance (Solomon convention), vans used, and the gap to a `.sol` beside it."""

    name: str
    distance: float
    vehicles: int
    feasible: bool
    unserved: int
    seconds: float
    best_known: float | None = None
    best_known_vehicles: int | None = None

    @property
    def gap_pct(self) -> float | None:
        """Percent above the best-known distance (None without a `.sol` file)."""
        if not self.best_known:
            return None
        return 100.0 * (self.distance - self.best_known) / self.best_known

    def line(self) -> str:
        """One printable line: name, distance, vehicles, gap."""
        text = f"{self.name:<10} distance {self.distance:9.1f}  vehicles {self.vehicles:3d}"
        if self.gap_pct is not None:
            text += f"  best known {self.best_known:9.1f} ({self.best_known_vehicles} veh)  gap {self.gap_pct:6.2f}%"
        if not self.feasible or self.unserved:
            text += f"  INFEASIBLE ({self.unserved} customers unserved)"
        return text + f"  [{self.seconds:.1f} s]"


def bench_instance(path: str | Path, time_limit: float, seed: int = 1) -> BenchResult:
    """Solve one Solomon instance through the planner's solver and compare with `<name>.sol` beside it."""
    path = Path(path)
    problem = read_solomon(path)
    solution = solve(problem, time_limit_s=time_limit, seed=seed)
    result = BenchResult(name=problem.name, distance=round(solution.distance, 1), vehicles=solution.vehicles_used,
                         feasible=solution.feasible, unserved=len(solution.unserved),
                         seconds=round(solution.solve_seconds, 1))
    solution_file = path.with_suffix(".sol")
    if solution_file.exists():
        best = read_best_known(solution_file, problem)
        result.best_known, result.best_known_vehicles = best.distance, best.vehicles
    return result


def routes_bench(files: Sequence[str | Path], time_limit: float = 10.0, seed: int = 1) -> list[str]:
    """One line per instance: name, distance (arcs truncated to one decimal), vehicles, gap to the `.sol`."""
    lines = []
    for file in files:
        try:
            lines.append(bench_instance(file, time_limit, seed).line())
        except FileNotFoundError:
            lines.append(f"{Path(file).name}: file not found")
        except SolomonFormatError as exc:
            lines.append(str(exc))
    return lines
