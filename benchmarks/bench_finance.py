"""Benchmark: exitcost.finance.npv over 1 million scenarios x 120 months against one matrix product.

Run with ``python benchmarks/bench_finance.py [n_scenarios] [n_months]``. It prints the time of
``npv`` (scalar rate, and per-scenario rates) as a ratio to one numpy matrix-vector product
``cash_flow_usd @ v`` over the same array, measured in the same run (best of several repeats), so
the ratio does not depend on the machine. Target for the scalar rate: at most 2x.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

from exitcost.finance import npv, rate_per_month_from_annual

REPEATS = 5


def best_time(run: Callable[[], object], repeats: int = REPEATS) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(n_scenarios: int = 1_000_000, n_months: int = 120) -> dict[str, float]:
    """Time the kernels and print their ratios to the baseline; return the ratios."""
    rng = np.random.default_rng(20261127)
    cash_flow_usd = rng.normal(10_000.0, 3_000.0, size=(n_scenarios, n_months))
    cash_flow_usd[:, 0] -= 500_000.0
    rate = float(rate_per_month_from_annual(0.08))
    vector = rng.random(n_months)
    rates = rate * (1.0 + 0.1 * rng.standard_normal(n_scenarios))

    baseline = best_time(lambda: cash_flow_usd @ vector)
    scalar = best_time(lambda: npv(rate, cash_flow_usd))
    scalar_end = best_time(lambda: npv(rate, cash_flow_usd, when="end"))
    per_scenario = best_time(lambda: npv(rates, cash_flow_usd), repeats=2)

    ratios = {
        "npv, scalar rate": scalar / baseline,
        "npv, scalar rate, when='end'": scalar_end / baseline,
        "npv, one rate per scenario": per_scenario / baseline,
    }
    size_gb = cash_flow_usd.nbytes / 1e9
    print(f"{n_scenarios:,} scenarios x {n_months} months (float64, {size_gb:.2f} GB)")
    print(f"baseline: one matrix-vector product cash_flow_usd @ v: {baseline * 1e3:.1f} ms")
    for label, ratio in ratios.items():
        print(f"{label:<32} {ratio:6.2f}x baseline")
    target = ratios["npv, scalar rate"]
    print(f"target (scalar rate) <= 2x: {'met' if target <= 2.0 else 'NOT met'} ({target:.2f}x)")
    return ratios


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
