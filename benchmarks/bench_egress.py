"""Benchmark of the marginal tier kernel against a numpy streaming pass and a Python loop.

Prints, for 10 million monthly volumes priced with the AWS us-east-1 internet schedule (with
its free allowance), the kernel's time as a ratio to one numpy streaming pass over the same
array (``v * 1.0``) and to a plain Python loop (timed on a sample and scaled), all measured in
this run. Target: at most 4x the streaming pass.

Run: ``.venv/bin/python benchmarks/bench_egress.py``
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from exitcost.pricing import load_price_book
from exitcost.pricing.tiers import tiered_cost

N = 10_000_000
LOOP_SAMPLE = 200_000


def best_of(func: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    schedule = load_price_book("aws", as_of="2025-01-01").internet_price("us-east-1").schedule
    edges, rates = schedule.edges_gb, schedule.rates_usd_per_gb
    volume_gb = np.random.default_rng(0).uniform(0.0, 600_000.0, N)

    stream = best_of(lambda: volume_gb * 1.0)
    kernel = best_of(lambda: tiered_cost(volume_gb, edges, rates))

    uppers = [*edges[1:].tolist(), float("inf")]
    bands = list(zip(edges.tolist(), uppers, rates.tolist(), strict=True))
    sample = volume_gb[:LOOP_SAMPLE].tolist()

    def python_loop() -> list[float]:
        out = []
        for v in sample:
            total = 0.0
            for lo, hi, r in bands:
                if v > lo:
                    total += (min(v, hi) - lo) * r
            out.append(total)
        return out

    loop = best_of(python_loop, repeat=2) * (N / LOOP_SAMPLE)
    check = np.asarray(tiered_cost(volume_gb[:LOOP_SAMPLE], edges, rates))
    assert np.allclose(check, python_loop())

    print(f"tier kernel, {N:,} monthly volumes, {edges.size} bands")
    print(f"  streaming pass (v * 1.0): {stream * 1e3:8.1f} ms")
    print(f"  tiered_cost:              {kernel * 1e3:8.1f} ms")
    print(f"  Python loop (scaled):     {loop * 1e3:8.1f} ms")
    print(f"  kernel / streaming pass:  {kernel / stream:8.2f}x (target <= 4x)")
    print(f"  Python loop / kernel:     {loop / kernel:8.1f}x")


if __name__ == "__main__":
    main()
