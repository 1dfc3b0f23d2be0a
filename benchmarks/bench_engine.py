"""Benchmark: the compiled model and the engine on the sample estate and a generated one.

Run with ``python benchmarks/bench_engine.py [n_scenarios] [months] [big_scenarios]``
(defaults 100,000, 120 and 1,000,000). It prints, measured in the same run:

- the sample estate's three plans (stay, leave AWS now, the same in 2028) over ``n_scenarios``
  futures and ``months`` months: plan-scenario-months per second, peak memory (tracemalloc),
  and the time as a ratio to one numpy streaming pass (a multiply-add in chunks) over
  plans x scenarios x months x (workloads + datasets) float64 cells;
- the speed-up against calling the expected-value path once per scenario (a few calls timed
  and scaled up);
- ``compile`` of a 1,000-workload estate and its expected-value run of three plans;
- the peak memory of ``big_scenarios`` futures of one plan over ``months`` months.

Times are CPU seconds of this process (``time.process_time``), so a shared, loaded machine
does not distort the ratios. Set ``OPENBLAS_NUM_THREADS=1``: the matrix products are small.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exitcost.engine import Plan, sample_plans, simulate
from exitcost.estate import sample_estate
from exitcost.model import compile
from tests.engine.conftest import generated_estate

CHUNK_CELLS = 2_000_000


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """CPU time of this process for one call (steadier than wall time on a shared machine)."""
    start = time.process_time()
    out = run()
    return time.process_time() - start, out


def peak_mib(run: Callable[[], object]) -> float:
    """Peak memory traced while ``run`` runs, in MiB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def streaming_pass(cells: int) -> float:
    """Seconds of one numpy pass (multiply-add) over ``cells`` float64 cells, in chunks."""
    a = np.random.default_rng(0).random(CHUNK_CELLS)
    b = np.empty_like(a)
    start = time.process_time()
    total = 0.0
    for done in range(0, cells, CHUNK_CELLS):  # chunks of a stream
        n = min(CHUNK_CELLS, cells - done)
        np.multiply(a[:n], 1.0001, out=b[:n])
        total += float(b[:n].sum())
    return time.process_time() - start


def main(n_scenarios: int = 100_000, months: int = 120, big: int = 1_000_000) -> None:
    """Run every measurement and print it."""
    model = compile(sample_estate())
    plans = list(sample_plans()[:3])
    cells = len(plans) * n_scenarios * months * (model.n_workloads + model.n_datasets)
    run_s, _ = timed(lambda: simulate(model, plans, n_scenarios=n_scenarios, horizon_months=months))
    stream_s = streaming_pass(cells)
    psm = len(plans) * n_scenarios * months
    print(f"sample estate, {len(plans)} plans x {n_scenarios:,} scenarios x {months} months")
    print(f"  engine: {run_s:.1f} CPU s, {psm / run_s:,.0f} plan-scenario-months per second")
    print(f"  streaming pass over {cells:,} cells: {stream_s:.2f} s; ratio {run_s / stream_s:.1f}")
    small = min(n_scenarios, 2_000)
    mem = peak_mib(lambda: simulate(model, plans, n_scenarios=small, horizon_months=months))
    print(f"  peak memory ({small:,} scenarios, same chunks): {mem:,.0f} MiB")

    calls = 5
    per_call, _ = timed(
        lambda: [simulate(model, plans, n_scenarios=0, horizon_months=months) for _ in range(calls)]
    )
    looped = per_call / calls * n_scenarios
    print(
        f"  expected-value path once per scenario: {per_call / calls * 1e3:.0f} ms a call, "
        f"{looped / 3600:.1f} h for all; speed-up {looped / run_s:,.0f}x"
    )

    estate = generated_estate(1000)
    compile_s, big_model = timed(lambda: compile(estate))
    ev_plans = [
        Plan.stay(),
        Plan.leave("aws", to="colo:new"),
        Plan.leave("aws", to="colo:new", start=24, name="later"),
    ]
    ev_s, _ = timed(lambda: simulate(big_model, ev_plans, n_scenarios=0, horizon_months=months))
    print(f"1,000 workloads: compile {compile_s:.3f} s; expected-value run of 3 plans {ev_s:.3f} s")

    one = [Plan.leave("aws", to="colo:new")]
    tracemalloc.start()
    start = time.process_time()
    simulate(model, one, n_scenarios=big, horizon_months=months)
    elapsed = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{big:,} scenarios of one plan x {months} months: {elapsed:.0f} s, "
        f"peak {peak / 2**30:.2f} GiB (traced)"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
