"""Tests of exitcost.graph.costgraph: building, compiling, matrices and their invariants."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    ExtrapolationWarning,
    InvalidParameterError,
    PriceLimitError,
    UnknownLocationError,
)
from exitcost.graph import INTERNET, CostGraph, TransferOption
from tests.graph.strategies import cost_graphs, options

# AWS internet egress tiers for us-east-1 / eu-west-1 (per GB, tier edges 10,240 / 51,200 /
# 153,600 GB, 100 GB free off the first band): /work/shared/reference/pricing-facts.md §1,
# infracost golden 2024-09-25 (V) and the library's free-allowance convention.
AWS_DTO = [(10_240, 0.09), (51_200, 0.085), (153_600, 0.07), (None, 0.05)]


def small_graph() -> CostGraph:
    g = CostGraph()
    g.add_location("aws:eu-west-1")
    g.add_location("aws:us-east-1")
    g.add_site("colo:ams1", kind="colo")
    g.add_edge("aws:eu-west-1", INTERNET, AWS_DTO, transfer_class="internet", free_gb=100)
    g.add_edge("aws:us-east-1", INTERNET, AWS_DTO, transfer_class="internet", free_gb=100)
    g.add_edge(INTERNET, "aws:eu-west-1", 0.0, transfer_class="internet")
    g.add_edge(INTERNET, "aws:us-east-1", 0.0, transfer_class="internet")
    g.add_edge(INTERNET, "colo:ams1", 0.0, transfer_class="internet")
    # AWS inter-region US/EU $0.02/GB (pricing-facts.md §2, V).
    g.add_edge(
        "aws:eu-west-1", "aws:us-east-1", 0.02, transfer_class="inter_region", bidirectional=True
    )
    return g


class TestBuilding:
    def test_nodes_carry_attributes(self) -> None:
        g = small_graph()
        attrs = g.graph.nodes["aws:eu-west-1"]
        assert (attrs["kind"], attrs["provider"], attrs["region"]) == ("cloud", "aws", "eu-west-1")
        assert g.graph.nodes["colo:ams1"]["kind"] == "colo"
        assert g.graph.nodes[INTERNET]["kind"] == "internet"

    def test_edges_carry_schedule(self) -> None:
        g = small_graph()
        data = g.graph.get_edge_data("aws:eu-west-1", INTERNET)["user:internet"]
        assert data["transfer_class"] == "internet"
        assert data["tiers"][0] == (0.0, 100.0, 0.0)
        assert data["tiers"][1] == (100.0, 10_240.0, 0.09)
        assert isinstance(data["option"], TransferOption)

    def test_graph_view_is_read_only(self) -> None:
        g = small_graph()
        with pytest.raises(nx.NetworkXError, match="Frozen graph"):
            g.graph.add_node("aws:x")

    def test_user_edge_replaces_same_key_and_adds_parallel(self) -> None:
        g = small_graph()
        g.add_edge("aws:eu-west-1", "aws:us-east-1", 0.015, transfer_class="inter_region")
        assert len(g.options("aws:eu-west-1", "aws:us-east-1")) == 1
        g.add_edge("aws:eu-west-1", "aws:us-east-1", 0.01, key="negotiated")
        assert len(g.options("aws:eu-west-1", "aws:us-east-1")) == 2
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(10.0)
        g.remove_edge("aws:eu-west-1", "aws:us-east-1", "negotiated")
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(15.0)

    def test_unknown_location(self) -> None:
        g = small_graph()
        with pytest.raises(UnknownLocationError, match=r"'aws:mars-1'.*add_location or add_site"):
            g.add_edge("aws:mars-1", INTERNET, 0.09)
        with pytest.raises(UnknownLocationError, match=r"'gcp:x' passed to CostGraph.matrix"):
            g.matrix(1.0, locations=["gcp:x"])
        with pytest.raises(UnknownLocationError, match="with key 'nope'"):
            g.remove_edge("aws:eu-west-1", INTERNET, "nope")

    @pytest.mark.parametrize(
        ("tiers", "match"),
        [
            ([(100, 0.1), (50, 0.05)], "strictly increasing"),
            # Two unbounded tiers: inf - inf is NaN, which a numpy "diff <= 0" check let through.
            ([(100, 0.1), (None, 0.05), (None, 0.04)], "strictly increasing"),
            ([(100, -0.1)], r"usd_per_gb.*>= 0"),
            ([(100, float("nan"))], "must not be NaN"),
            ([(-5, 0.1)], r"must be > 0 GB"),
            ("cheap", "list of \\(upper_gb, usd_per_gb\\) pairs"),
            ([], "at least one tier"),
        ],
    )
    def test_malformed_schedule(self, tiers: object, match: str) -> None:
        g = small_graph()
        with pytest.raises(InvalidParameterError, match=match):
            g.add_edge("colo:ams1", INTERNET, tiers)  # type: ignore[arg-type]

    def test_malformed_edge_fields(self) -> None:
        g = small_graph()
        with pytest.raises(InvalidParameterError, match=r"'transfer_class'.*'internet'"):
            g.add_edge("colo:ams1", INTERNET, 0.1, transfer_class="dark_fibre")
        with pytest.raises(InvalidParameterError, match=r"fixed_usd_per_month.*>= 0"):
            g.add_edge("colo:ams1", INTERNET, 0.1, fixed_usd_per_month=-1.0)
        with pytest.raises(InvalidParameterError, match=r"capacity_gb_per_month.*> 0"):
            g.add_edge("colo:ams1", INTERNET, 0.1, capacity_gb_per_month=0.0)
        with pytest.raises(InvalidParameterError, match="two different locations"):
            g.add_edge("colo:ams1", "colo:ams1", 0.1)
        with pytest.raises(InvalidParameterError, match=r"free_gb.*below the first tier"):
            g.add_edge("colo:ams1", INTERNET, [(100, 0.1)], free_gb=200)

    def test_bad_location_ids_and_kinds(self) -> None:
        g = CostGraph()
        with pytest.raises(InvalidParameterError, match=r"'provider:region'.*Got 'AWS us-east-1'"):
            g.add_location("AWS us-east-1")
        with pytest.raises(InvalidParameterError, match=r"'kind'.*Got 'cave'"):
            g.add_location("aws:us-east-1", kind="cave")
        with pytest.raises(InvalidParameterError, match="use add_location for cloud"):
            g.add_site("colo:x", kind="cloud")

    def test_compiled_cache_follows_every_change(self) -> None:
        g = small_graph()
        c = g.compile()
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(20.0)
        g.add_edge("aws:eu-west-1", "aws:us-east-1", 0.005, key="negotiated")
        assert g.compile() is not c
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(5.0)
        c = g.compile()
        g.remove_edge("aws:eu-west-1", "aws:us-east-1", "negotiated")
        assert g.compile() is not c
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(20.0)
        # A copy compiles on its own; changing it leaves the original's arrays alone.
        c = g.compile()
        twin = g.copy()
        twin.add_edge("aws:eu-west-1", "aws:us-east-1", 0.0, key="free")
        assert g.compile() is c
        assert twin.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == 0.0
        assert g.matrix(1000.0).loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(20.0)

    def test_compiled_arrays(self) -> None:
        g = small_graph()
        c = g.compile()
        assert c is g.compile()  # cached
        n_edges = len(c.options)
        assert c.tiers.lower_gb.shape == (n_edges, 5)
        assert c.edge_src.shape == c.edge_dst.shape == (n_edges,)
        keys = c.edge_src * c.n_nodes + c.edge_dst
        assert np.all(np.diff(keys) >= 0)  # sorted by pair
        g.add_site("edge:store-001", kind="edge")
        assert g.compile() is not c  # invalidated


class TestMatrix:
    def test_hand_values(self) -> None:
        m = small_graph().matrix(20_480.0)
        # 10,140 GB x 0.09 + 10,240 GB x 0.085 = 912.60 + 870.40 (pricing-facts.md §1 tiers).
        assert m.loc["aws:eu-west-1", INTERNET] == pytest.approx(1783.0)
        # eu-west-1 -> internet -> colo (ingress free) is the only way to the colo.
        assert m.loc["aws:eu-west-1", "colo:ams1"] == pytest.approx(1783.0)
        # 20,480 GB x 0.02 over the backbone.
        assert m.loc["aws:eu-west-1", "aws:us-east-1"] == pytest.approx(409.6)
        assert math.isinf(m.loc["colo:ams1", INTERNET])

    def test_months_multiply_everything(self) -> None:
        g = small_graph()
        g.add_edge("colo:ams1", INTERNET, 0.01, fixed_usd_per_month=100.0)
        one = g.matrix(5000.0)
        assert np.allclose(g.matrix(5000.0, recurring_months=12).to_numpy(), 12 * one.to_numpy())
        assert one.loc["colo:ams1", INTERNET] == pytest.approx(150.0)

    def test_zero_cost_edges_are_edges(self) -> None:
        # internet -> aws:us-east-1 is free; csgraph must keep it (explicit zero).
        m = small_graph().matrix(1.0)
        assert m.loc[INTERNET, "aws:us-east-1"] == 0.0

    def test_locations_subset_and_labels(self) -> None:
        m = small_graph().matrix(1.0, locations=["colo:ams1", "aws:eu-west-1"])
        assert list(m.index) == ["colo:ams1", "aws:eu-west-1"]
        assert (m.index.name, m.columns.name) == ("src", "dst")

    def test_bad_volume(self) -> None:
        g = small_graph()
        with pytest.raises(InvalidParameterError, match=r"'volume_gb'.*CostGraph.matrix.*>= 0"):
            g.matrix(-1.0)
        with pytest.raises(InvalidParameterError, match=r"'volume_gb'.*not be NaN"):
            g.matrix(float("nan"))
        with pytest.raises(InvalidParameterError, match=r"'recurring_months'.*> 0"):
            g.matrix(1.0, recurring_months=0)

    def test_capacity_makes_edge_unavailable(self) -> None:
        g = small_graph()
        g.add_edge("colo:ams1", INTERNET, 0.0, fixed_usd_per_month=10.0, capacity_gb_per_month=500)
        assert g.matrix(500.0).loc["colo:ams1", INTERNET] == 10.0
        assert math.isinf(g.matrix(501.0).loc["colo:ams1", INTERNET])

    def test_beyond_published_limit(self) -> None:
        g = small_graph()
        # A last tier ending at 512,000 GB: "contact sales" beyond (e.g. Azure's 500 TB).
        g.add_edge("colo:ams1", INTERNET, [(10_240, 0.05), (512_000, 0.04)])
        with pytest.raises(PriceLimitError, match=r"beyond the last published tier.*512000"):
            g.matrix(600_000.0)
        m = g.matrix(600_000.0, beyond_published="exclude")
        assert math.isinf(m.loc["colo:ams1", INTERNET])
        with pytest.warns(ExtrapolationWarning, match="last published rate"):
            m = g.matrix(600_000.0, beyond_published="extrapolate")
        assert m.loc["colo:ams1", INTERNET] == pytest.approx(10_240 * 0.05 + 589_760 * 0.04)
        with pytest.raises(InvalidParameterError, match=r"'beyond_published'.*'clip'"):
            g.matrix(1.0, beyond_published="clip")  # type: ignore[arg-type]

    def test_matches_networkx_dijkstra(self) -> None:
        g = small_graph()
        g.add_edge("colo:ams1", "aws:us-east-1", 0.03, fixed_usd_per_month=10.0)
        volume = 30_000.0
        m = g.matrix(volume)
        simple = nx.DiGraph()
        for a, b, data in g.graph.edges(data=True):
            w = float(data["option"].cost_usd(volume))
            if not simple.has_edge(a, b) or simple[a][b]["w"] > w:
                simple.add_edge(a, b, w=w)
        for a, lengths in nx.all_pairs_dijkstra_path_length(simple, weight="w"):
            for b, length in lengths.items():
                assert m.loc[a, b] == pytest.approx(length)

    def test_cheapest_from_matches_matrix(self) -> None:
        g = small_graph()
        c = g.compile()
        volumes = np.array([50.0, 20_480.0, 200_000.0])
        sources = np.array([c.node_index["aws:eu-west-1"]] * 3)
        fwd = c.cheapest_from_usd(sources, volumes, chunk=2)
        back = c.cheapest_from_usd(sources, volumes, reverse=True)
        for i, v in enumerate(volumes):
            full = c.cheapest_usd(float(v))
            assert np.allclose(fwd[i], full[sources[i]])
            assert np.allclose(back[i], full[:, sources[i]])


def _matrix(g: CostGraph, v: float) -> pd.DataFrame:
    return g.matrix(v)


class TestMatrixProperties:
    @given(cost_graphs(), st.floats(0, 60_000), st.floats(0, 60_000))
    def test_non_decreasing_in_volume(self, g: CostGraph, v1: float, v2: float) -> None:
        lo, hi = sorted((v1, v2))
        a, b = _matrix(g, lo).to_numpy(), _matrix(g, hi).to_numpy()
        assert np.all((a <= b + 1e-9) | np.isinf(b))

    @given(cost_graphs(), st.floats(0, 60_000))
    def test_diagonal_zero_and_triangle_inequality(self, g: CostGraph, v: float) -> None:
        m = _matrix(g, v).to_numpy()
        assert np.all(np.diag(m) == 0.0)
        assert not np.isnan(m).any()
        via = m[:, :, None] + m[None, :, :]  # i -> j -> k
        assert np.all(m[:, None, :] <= via + 1e-9 * (1 + np.abs(via)))

    @given(cost_graphs(), st.data(), st.floats(0, 60_000))
    def test_adding_an_edge_never_raises_a_cost(
        self, g: CostGraph, data: st.DataObject, v: float
    ) -> None:
        before = _matrix(g, v).to_numpy()
        nodes = g.locations
        a = data.draw(st.sampled_from(nodes))
        b = data.draw(st.sampled_from([n for n in nodes if n != a]))
        g.add_option(data.draw(options(a, b, "added")))
        after = _matrix(g, v).to_numpy()
        assert np.all(after <= before + 1e-9 * (1 + np.abs(after)))

    @given(cost_graphs(), st.floats(0, 60_000))
    def test_matrix_agrees_with_per_edge_networkx(self, g: CostGraph, v: float) -> None:
        m = _matrix(g, v)
        simple = nx.DiGraph()
        simple.add_nodes_from(g.locations)
        for a, b, data in g.graph.edges(data=True):
            w = float(data["option"].cost_usd(v))
            if math.isfinite(w) and (not simple.has_edge(a, b) or simple[a][b]["w"] > w):
                simple.add_edge(a, b, w=w)
        lengths = dict(nx.all_pairs_dijkstra_path_length(simple, weight="w"))
        for a in g.locations:
            for b in g.locations:
                expected = lengths[a].get(b, math.inf)
                assert m.loc[a, b] == pytest.approx(expected)


@given(
    st.lists(
        st.tuples(st.integers(1, 200_000), st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.09, 0.12])),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from([0.0, 0.0, 100.0]),
    st.lists(st.floats(0, 1e6), min_size=1, max_size=8),
)
def test_edge_cost_is_the_pricing_kernel_bit_for_bit(
    tiers: list[tuple[int, float]], free_gb: float, volumes: list[float]
) -> None:
    # The team's rule: an edge costs exactly what the pricing module says (egress_cost runs
    # tiered_cost), whatever the tier shape (falling or rising rates, free allowance).
    from exitcost.pricing.tiers import TierSchedule

    bounds = sorted(b for b, _ in tiers)
    rates = [r for _, r in tiers]
    if free_gb >= bounds[0]:
        free_gb = 0.0
    upper: list[float | None] = [*map(float, bounds[:-1]), None]
    lower = [0.0, *map(float, bounds[:-1])]
    schedule = TierSchedule.from_bounds(
        [(lo, hi, r) for lo, hi, r in zip(lower, upper, rates, strict=True)], free_gb=free_gb
    )
    option = TransferOption.from_tiers(
        "aws:r1",
        INTERNET,
        list(zip(upper, rates, strict=True)),
        transfer_class="internet",
        free_gb=free_gb,
    )
    v = np.asarray(volumes)
    assert np.array_equal(option.cost_usd(v), schedule.cost(v))


def test_from_price_books_takes_one_provider_is_a_name_not_a_sequence_of_letters() -> None:
    one = CostGraph.from_price_books("aws", as_of="2026-11-01").locations
    assert one == CostGraph.from_price_books(["aws"], as_of="2026-11-01").locations
    assert {location.split(":")[0] for location in one} == {"aws", "internet"}
