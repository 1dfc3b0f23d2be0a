"""The cheapest cost per (source, destination) pair as a piecewise-linear function of volume."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.graph import CostGraph
from exitcost.graph._envelope import cheapest_envelope
from tests.graph.strategies import cost_graphs


def _port_or_internet() -> CostGraph:
    g = CostGraph()
    g.add_location("aws:us-east-1")
    g.add_site("colo:ams1", kind="colo")
    g.add_edge(
        "aws:us-east-1", "internet", [(10_240, 0.09), (None, 0.085)], transfer_class="internet"
    )
    g.add_edge("internet", "colo:ams1", 0.0, transfer_class="internet")
    g.add_edge("aws:us-east-1", "colo:ams1", 0.02, fixed_usd_per_month=219.0)
    return g


def test_the_cheaper_of_two_paths_switches_where_their_costs_cross() -> None:
    # internet: 0.09 $/GB; port: 219 $/month + 0.02 $/GB; they cross at 219 / 0.07 GB.
    c = _port_or_internet().compile()
    src, ams = c.node_index["aws:us-east-1"], c.node_index["colo:ams1"]
    volumes = np.array([1_000.0, 219 / 0.07, 5_000.0])
    env = cheapest_envelope(c, [src], [0, 0, 0], volumes)
    cost = env.cost_usd([0, 0, 0], volumes)[:, ams]
    assert cost == pytest.approx([90.0, 219 / 0.07 * 0.09, 219.0 + 5_000.0 * 0.02])


def test_no_route_is_inf_and_zero_volume_is_free() -> None:
    g = _port_or_internet()
    g.add_site("edge:e1", kind="edge")
    c = g.compile()
    src = c.node_index["aws:us-east-1"]
    env = cheapest_envelope(c, [src], [0, 0], [0.0, 10.0])
    cost = env.cost_usd([0, 0], [0.0, 10.0])
    assert np.all(cost[0] == 0.0)
    assert cost[1, c.node_index["edge:e1"]] == np.inf


@settings(max_examples=25, deadline=None)
@given(
    graph=cost_graphs(),
    volumes=st.lists(st.floats(0.0, 60_000.0), min_size=1, max_size=6),
    reverse=st.booleans(),
)
def test_envelope_equals_the_shortest_path_at_each_volume(
    graph: CostGraph, volumes: list[float], reverse: bool
) -> None:
    c = graph.compile()
    vol = np.asarray(volumes)
    rows = np.arange(vol.size) % c.n_nodes
    env = cheapest_envelope(
        c, np.arange(c.n_nodes), rows, vol, reverse=reverse, beyond_published="extrapolate"
    )
    got = env.cost_usd(rows, vol)
    for f, v in enumerate(vol):
        full = c.cheapest_usd(float(v), beyond_published="extrapolate")
        want = full[:, rows[f]] if reverse else full[rows[f]]
        want = np.where(v > 0, want, 0.0)
        assert np.array_equal(np.isinf(got[f]), np.isinf(want))
        finite = np.isfinite(want)
        assert np.allclose(got[f][finite], want[finite], rtol=1e-9, atol=1e-6)
