"""Hypothesis strategies for random cost graphs (small, with tiers, fees and capacities)."""

from __future__ import annotations

from hypothesis import strategies as st

from exitcost.graph import CostGraph, TransferOption

NODES = ("aws:r1", "aws:r2", "gcp:r1", "colo:c1", "onprem:o1", "edge:e1")


@st.composite
def options(draw: st.DrawFn, src: str, dst: str, key: str) -> TransferOption:
    n_tiers = draw(st.integers(1, 3))
    bounds = sorted(draw(st.sets(st.integers(1, 50_000), min_size=n_tiers, max_size=n_tiers)))
    upper: list[float | None] = [float(b) for b in bounds[:-1]] + [None]
    rates = draw(
        st.lists(
            st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.09, 0.12]), min_size=n_tiers, max_size=n_tiers
        )
    )
    fixed = draw(st.sampled_from([0.0, 0.0, 60.0, 219.0]))
    capacity = draw(st.sampled_from([None, None, None, 20_000.0]))
    return TransferOption.from_tiers(
        src,
        dst,
        list(zip(upper, rates, strict=True)),
        key=key,
        fixed_usd_per_month=fixed,
        capacity_gb_per_month=capacity,
        transfer_class=draw(st.sampled_from(["internet", "inter_region", "interconnect"])),
    )


@st.composite
def cost_graphs(draw: st.DrawFn, max_edges: int = 14) -> CostGraph:
    n = draw(st.integers(2, len(NODES)))
    nodes = ["internet", *NODES[: n - 1]]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)).filter(
                lambda p: p[0] != p[1]
            ),
            max_size=max_edges,
        )
    )
    opts = [draw(options(a, b, f"k{i}")) for i, (a, b) in enumerate(pairs)]
    graph = CostGraph.from_edges(opts, locations={loc: {} for loc in nodes if loc != "internet"})
    return graph
