"""Benchmark: the effort schedule and stranded commitments over many scenarios.

Run with ``python benchmarks/bench_effort.py [n_scenarios] [n_workloads]``. It prints the time of
``schedule_moves`` over an (n_scenarios, n_workloads) effort array, and of PERT sampling, as
ratios to one ``np.cumsum`` over the same array, measured in the same run (best of several
repeats), so the ratios do not depend on the machine. For comparison it also times the
scheduling of the first 200 scenarios one at a time in a Python loop, scaled up to all of them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

from exitcost.effort import sample_pert, schedule_moves

REPEATS = 5


def best_time(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(n_scenarios: int = 100_000, n_workloads: int = 200) -> dict[str, float]:
    """Time the kernels and print their ratios to the baseline; return the ratios."""
    rng = np.random.default_rng(20261127)
    mode = rng.uniform(5.0, 500.0, n_workloads)
    effort = sample_pert(0.7 * mode, mode, 3.0 * mode, n_scenarios, rng)
    teams = rng.integers(0, 8, n_workloads)
    capacity = rng.uniform(20.0, 200.0, 8)

    def schedule() -> object:
        return schedule_moves(
            effort, teams, capacity, max_person_days_per_month_per_move=114.0, priority=mode
        )

    def looped() -> object:
        for row in effort[:200]:
            schedule_moves(
                row, teams, capacity, max_person_days_per_month_per_move=114.0, priority=mode
            )
        return None

    baseline = best_time(lambda: np.cumsum(effort, axis=-1))
    ratios = {
        "schedule_moves, all scenarios": best_time(schedule) / baseline,
        "sample_pert, independent": best_time(
            lambda: sample_pert(0.7 * mode, mode, 3.0 * mode, n_scenarios, rng)
        )
        / baseline,
        "schedule_moves, Python loop (scaled)": best_time(looped, repeats=2)
        * (n_scenarios / 200)
        / baseline,
    }
    print(f"{n_scenarios:,} scenarios x {n_workloads} workloads")
    print(f"baseline: np.cumsum over the effort array: {baseline * 1e3:.1f} ms")
    for label, ratio in ratios.items():
        print(f"{label:<40} {ratio:8.1f}x baseline")
    return ratios


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
