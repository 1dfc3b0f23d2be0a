"""Benchmark: start-up, estate loading and data gravity, each against its figure before the change.

Run with ``.venv/bin/python benchmarks/bench_house.py``. Every line prints the current figure,
the figure of the code path it replaced (measured in the same run), their ratio and the target
of issue #13:

- ``import exitcost`` (fresh interpreter): now the package's names load when first used; before,
  every name was imported with the package, which is what resolving all of ``__all__`` does.
  Target 0.5 s.
- ``exitcost --version`` (fresh interpreter, the installed entry point's code path): before,
  ``exitcost.cli`` imported every command's dependencies first. Target 0.3 s.
- loading a 1,000-workload estate from YAML (``read_estate``), with the YAML parse alone by the
  pure-Python safe loader, the C one and the library's bounded reader (same safety) beside it.
  Target under 1 s.
- ``gravity`` at 1,000 and 3,000 workloads, time and peak traced memory, against the per-flow
  solve it replaced (every edge priced at every flow's volume, one shortest-path problem per
  flow: ``CompiledGraph.cheapest_from_usd``). Target under 0.3 s and 300 MB at 3,000.

The estates are the bundled sample repeated: copy ``k`` keeps the cloud, on-premises and
colocation locations and adds its own four edge stores, so locations, edges and flows all grow
with the workloads. Times are the best of ``--repeats`` runs; on a shared machine expect noise.
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np
import pandas as pd
import yaml

from exitcost._yaml import read_data_file
from exitcost.estate import Estate, read_estate, sample_estate
from exitcost.graph import CostGraph, gravity
from exitcost.uncertainty import point

TARGETS = {"import": 0.5, "version": 0.3, "load": 1.0, "gravity": 0.3, "gravity_mb": 300.0}


def best_of(func: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def fresh_python(code: str) -> Callable[[], object]:
    """A function that runs ``code`` in a new interpreter (start-up included)."""
    cmd = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); {code}"]
    return lambda: subprocess.run(cmd, check=True, capture_output=True)


def scaled_estate(n_workloads: int) -> Estate:
    """The sample estate repeated until it has ``n_workloads`` workloads (see module docs)."""
    base = sample_estate().model_dump(mode="python")
    edge = [loc for loc in base["locations"] if loc["kind"] == "edge"]
    out = copy.deepcopy(base)
    out["locations"] = list(base["locations"])
    out["datasets"], out["workloads"] = [], []
    k = 0
    while len(out["workloads"]) < n_workloads:
        site = {loc["id"]: f"{loc['id']}-{k}" for loc in edge} if k else {}
        out["locations"] += [{**loc, "id": site[loc["id"]]} for loc in edge] if k else []
        data = {d["id"]: f"{d['id']}-{k}" for d in base["datasets"]}
        out["datasets"] += [
            {**d, "id": data[d["id"]], "location": site.get(d["location"], d["location"])}
            for d in base["datasets"]
        ]
        for w in base["workloads"][: n_workloads - len(out["workloads"])]:
            out["workloads"].append(
                {
                    **w,
                    "id": f"{w['id']}-{k}",
                    "location": site.get(w["location"], w["location"]),
                    "reads": [{**f, "dataset": data[f["dataset"]]} for f in w["reads"]],
                    "writes": [{**f, "dataset": data[f["dataset"]]} for f in w["writes"]],
                }
            )
        k += 1
    return Estate(**out)


def per_flow_pull(estate: Estate, graph: CostGraph) -> pd.DataFrame:
    """The pull matrix as it was computed before: one shortest-path solve per flow."""
    compiled = graph.compile()
    flows = list(estate.iter_flows())
    work = {w.id: i for i, w in enumerate(estate.workloads)}
    rows = np.array([work[w.id] for w, _, _ in flows], dtype=np.intp)
    is_read = np.array([kind == "read" for _, kind, _ in flows])
    volume = np.array([point(f.gb_per_month) for _, _, f in flows])
    src = np.array(
        [compiled.node_index[estate.dataset(f.dataset).location] for _, _, f in flows],
        dtype=np.intp,
    )
    cols = [n for n in compiled.nodes if n != "internet"]
    col_idx = np.array([compiled.node_index[c] for c in cols], dtype=np.intp)
    pull = np.zeros((len(estate.workloads), len(cols)))
    for reverse, mask in ((False, is_read & (volume > 0)), (True, ~is_read & (volume > 0))):
        cost = compiled.cheapest_from_usd(src[mask], volume[mask], reverse=reverse)
        np.add.at(pull, rows[mask], cost[:, col_idx])
    return pd.DataFrame(pull, index=[w.id for w in estate.workloads], columns=cols)


def peak_mb(func: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def line(label: str, now: float, before: float, target: float, unit: str = "s") -> None:
    verdict = "met" if now <= target else "NOT met"
    print(
        f"{label:<44} {now:8.3f} {unit} (before {before:8.3f} {unit}, "
        f"{before / now:6.1f}x; target {target:g} {unit}: {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    r = args.repeats

    eager = "import exitcost as x; [getattr(x, n) for n in x.__all__]"
    line(
        "import exitcost",
        best_of(fresh_python("import exitcost"), r),
        best_of(fresh_python(eager), r),
        TARGETS["import"],
    )
    version = "from exitcost.cli import main; main(['--version'])"
    line(
        "exitcost --version",
        best_of(fresh_python(version), r),
        best_of(fresh_python(f"{eager}; {version}"), r),
        TARGETS["version"],
    )

    estate = scaled_estate(1_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "estate.yaml"
        path.write_text(yaml.safe_dump(estate.model_dump(mode="json"), sort_keys=False))
        text = path.read_text()
        t_pure = best_of(lambda: yaml.load(text, Loader=yaml.SafeLoader), r)
        c_loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        t_c = best_of(lambda: yaml.load(text, Loader=c_loader), r)
        t_read = best_of(lambda: read_estate(path), r)
        t_parse = best_of(lambda: read_data_file(path, what="estate"), r)
    verdict = "met" if t_read <= TARGETS["load"] else "NOT met"
    print(
        f"{'read_estate, 1,000 workloads (YAML)':<44} {t_read:8.3f} s (target "
        f"{TARGETS['load']:g} s: {verdict})"
    )
    print(
        f"  YAML parse alone: pure-Python safe loader {t_pure:.3f} s, C safe loader {t_c:.3f} s "
        f"({t_pure / t_c:.1f}x); the library's bounded reader {t_parse:.3f} s "
        f"({t_pure / t_parse:.1f}x the pure-Python loader); validation and the rest "
        f"{max(t_read - t_parse, 0.0):.3f} s"
    )

    for n in (1_000, 3_000):
        estate = scaled_estate(n)
        graph = CostGraph.from_estate(estate)
        compiled = graph.compile()
        new = gravity(estate, graph=graph).pull_usd_per_month
        old = per_flow_pull(estate, graph)
        same = np.allclose(new.to_numpy(), old.loc[:, new.columns].to_numpy(), rtol=1e-9)
        print(
            f"gravity, {n:,} workloads: {compiled.n_nodes} locations, {len(compiled.options)} "
            f"options; same pull matrix as before: {same}"
        )
        t_new = best_of(lambda e=estate, g=graph: gravity(e, graph=g), r)
        t_old = best_of(lambda e=estate, g=graph: per_flow_pull(e, g), r)
        line(f"  gravity time, {n:,} workloads", t_new, t_old, TARGETS["gravity"])
        m_new = peak_mb(lambda e=estate, g=graph: gravity(e, graph=g))
        m_old = peak_mb(lambda e=estate, g=graph: per_flow_pull(e, g))
        line(f"  gravity peak memory, {n:,} workloads", m_new, m_old, TARGETS["gravity_mb"], "MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
