"""Tests of exitcost.graph.gravity: data mass, activity, growth and the pull matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, PriceBookError, UnknownLocationError
from exitcost.estate import Estate, estate_from_dict
from exitcost.graph import INTERNET, CostGraph, gravity, pull_matrix, top_pulls
from tests.graph.conftest import TODAY, small_estate_dict
from tests.graph.strategies import cost_graphs


def hand_graph() -> CostGraph:
    g = CostGraph()
    for loc in ("aws:us-east-1", "aws:eu-west-1"):
        g.add_location(loc)
    g.add_site("colo:ams1", kind="colo")
    # AWS internet egress 0.09 first band, inter-region 0.02 (pricing-facts.md §1-2, V).
    for loc in ("aws:us-east-1", "aws:eu-west-1"):
        g.add_edge(loc, INTERNET, 0.09, transfer_class="internet")
    for loc in ("aws:us-east-1", "aws:eu-west-1", "colo:ams1"):
        g.add_edge(INTERNET, loc, 0.0, transfer_class="internet")
    g.add_edge(
        "aws:us-east-1", "aws:eu-west-1", 0.02, transfer_class="inter_region", bidirectional=True
    )
    # Colo transit: $250/month commit (test figure), free per GB.
    g.add_edge("colo:ams1", INTERNET, 0.0, fixed_usd_per_month=250.0, transfer_class="internet")
    return g


class TestPullMatrix:
    def test_hand_values(self) -> None:
        pull = pull_matrix(
            hand_graph(),
            workloads=["web", "eu"],
            flow_workload=[0, 1, 1],
            flow_dataset_location=["aws:us-east-1", "aws:us-east-1", "colo:ams1"],
            flow_gb_per_month=[100.0, 500.0, 300.0],
            flow_is_read=[True, True, False],
        )
        # web reads 100 GB from us-east-1: 0 there, 100 x 0.02 = 2 in eu-west-1,
        # 100 x 0.09 = 9 at the colo (via the internet).
        assert pull.loc["web"].to_dict() == pytest.approx(
            {"aws:us-east-1": 0.0, "aws:eu-west-1": 2.0, "colo:ams1": 9.0}
        )
        # eu reads 500 GB from us-east-1 and writes 300 GB to the colo:
        # at us-east-1: 0 + 300 x 0.09 = 27; at eu-west-1: 10 + 27 = 37;
        # at the colo: 500 x 0.09 = 45 + 0 (local write) = 45.
        assert pull.loc["eu"].to_dict() == pytest.approx(
            {"aws:us-east-1": 27.0, "aws:eu-west-1": 37.0, "colo:ams1": 45.0}
        )

    def test_zero_volume_flows_cost_nothing(self) -> None:
        pull = pull_matrix(
            hand_graph(),
            workloads=["w"],
            flow_workload=[0],
            flow_dataset_location=["colo:ams1"],
            flow_gb_per_month=[0.0],
            flow_is_read=[True],
        )
        assert (pull.to_numpy() == 0).all()

    def test_errors(self) -> None:
        g = hand_graph()
        kwargs = {"workloads": ["w"], "flow_workload": [0], "flow_is_read": [True]}
        with pytest.raises(InvalidParameterError, match="one entry per flow"):
            pull_matrix(
                g,
                flow_dataset_location=["colo:ams1", "colo:ams1"],
                flow_gb_per_month=[1.0],
                **kwargs,
            )  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'flow_gb_per_month'.*>= 0"):
            pull_matrix(g, flow_dataset_location=["colo:ams1"], flow_gb_per_month=[-1.0], **kwargs)  # type: ignore[arg-type]
        with pytest.raises(UnknownLocationError, match="'gcp:x'"):
            pull_matrix(g, flow_dataset_location=["gcp:x"], flow_gb_per_month=[1.0], **kwargs)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'flow_workload'.*index"):
            pull_matrix(
                g,
                workloads=["w"],
                flow_workload=[3],
                flow_is_read=[True],
                flow_dataset_location=["colo:ams1"],
                flow_gb_per_month=[1.0],
            )

    @given(cost_graphs(), st.data())
    def test_equals_sum_of_matrix_entries(self, g: CostGraph, data: st.DataObject) -> None:
        nodes = [n for n in g.locations if n != INTERNET]
        n_flows = data.draw(st.integers(1, 5))
        locs = [data.draw(st.sampled_from(nodes)) for _ in range(n_flows)]
        vols = [data.draw(st.floats(0, 40_000)) for _ in range(n_flows)]
        reads = [data.draw(st.booleans()) for _ in range(n_flows)]
        rows = [data.draw(st.integers(0, 1)) for _ in range(n_flows)]
        pull = pull_matrix(
            g,
            workloads=["a", "b"],
            flow_workload=rows,
            flow_dataset_location=locs,
            flow_gb_per_month=vols,
            flow_is_read=reads,
        )
        expected = np.zeros((2, len(nodes)))
        for row, loc, vol, read in zip(rows, locs, vols, reads, strict=True):
            if vol == 0:
                continue
            m = g.matrix(vol)
            expected[row] += m.loc[loc, nodes] if read else m.loc[nodes, loc]
        np.testing.assert_allclose(pull.to_numpy(), expected, rtol=1e-12)


class TestGravity:
    def test_location_measures(self, small_estate: Estate) -> None:
        graph = hand_graph()
        result = gravity(small_estate, graph=graph)
        loc = result.locations.set_index("location")
        assert loc.loc["aws:us-east-1", "data_mass_gb"] == 1024.0
        assert loc.loc["aws:us-east-1", "growth_gb_per_month"] == 512.0
        assert loc.loc["aws:us-east-1", "read_gb_per_month"] == 600.0
        assert loc.loc["aws:us-east-1", "remote_activity_gb_per_month"] == 500.0
        assert loc.loc["colo:ams1", "write_gb_per_month"] == 300.0
        assert loc.loc["colo:ams1", "activity_gb_per_month"] == 300.0
        assert loc.loc["aws:eu-west-1", "datasets"] == 0
        assert result.workload_location == ("aws:us-east-1", "aws:eu-west-1")

    def test_pull_and_top_pulls(self, small_estate: Estate) -> None:
        result = gravity(small_estate, graph=hand_graph())
        assert result.pull_usd_per_month.loc["eu", "aws:eu-west-1"] == pytest.approx(37.0)
        top = result.top_pulls(5)
        assert list(top["workload"]) == ["eu", "web"]
        # eu pays 37 where it runs; the cheapest candidate is us-east-1 at 27: pull 10.
        first = top.iloc[0]
        assert (first["best_location"], first["pull_usd_per_month"]) == (
            "aws:us-east-1",
            pytest.approx(10.0),
        )
        assert top_pulls(result, 1).shape[0] == 1

    def test_candidates_always_include_own_location(self, small_estate: Estate) -> None:
        result = gravity(small_estate, graph=hand_graph(), candidates=["colo:ams1"])
        assert list(result.pull_usd_per_month.columns) == [
            "colo:ams1",
            "aws:us-east-1",
            "aws:eu-west-1",
        ]

    def test_graph_missing_location(self, small_estate: Estate) -> None:
        g = CostGraph()
        g.add_location("aws:us-east-1")
        with pytest.raises(UnknownLocationError, match="lacks estate location"):
            gravity(small_estate, graph=g)

    def test_sample_estate_with_bundled_books(self) -> None:
        from exitcost.estate import sample_estate

        estate = sample_estate()
        result = gravity(estate)
        total_mass = result.locations["data_mass_gb"].sum()
        assert total_mass == pytest.approx(sum(float(d.size_gb) for d in estate.datasets))
        assert result.pull_usd_per_month.shape == (len(estate.workloads), len(estate.locations))
        top = result.top_pulls(5)
        assert (top["pull_usd_per_month"].diff().dropna() <= 0).all()
        assert (top["pull_usd_per_month"] >= 0).all()


def test_gravity_defaults_to_the_estate_date(small_estate: Estate) -> None:
    # Dated before the first AWS book (2024-09-25): the graph is priced on the estate's date.
    data = small_estate_dict()
    data["as_of"] = "2024-06-01"
    early = estate_from_dict(data)
    with pytest.raises(PriceBookError, match=r"No aws price book is in effect on 2024-06-01"):
        gravity(early)
    a = gravity(early, as_of=TODAY).pull_usd_per_month
    b = gravity(small_estate, as_of=TODAY).pull_usd_per_month
    assert a.equals(b)
    assert gravity(small_estate).pull_usd_per_month.equals(
        gravity(small_estate, as_of=small_estate.as_of).pull_usd_per_month
    )


def test_gravity_needs_an_estate() -> None:
    from exitcost import gravity, sample_estate
    from exitcost.errors import InvalidParameterError
    from exitcost.graph import top_gravity_pulls

    g = gravity(sample_estate())
    with pytest.raises(InvalidParameterError, match="Got a Gravity instead: call its top_pulls"):
        top_gravity_pulls(g)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"must be an Estate .* Got dict instead"):
        gravity({"locations": []})  # type: ignore[arg-type]
