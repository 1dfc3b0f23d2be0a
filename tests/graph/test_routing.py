"""Tests of exitcost.graph.routing: routes, per-hop tier arithmetic, break-even volumes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, NoRouteError, UnknownLocationError
from exitcost.graph import INTERNET, CostGraph, TransferOption, break_even_volumes
from tests.graph.strategies import cost_graphs, options

# AWS internet egress, eu-west-1: 0.09 / 0.085 / 0.07 / 0.05 per GB at 10,240 / 51,200 /
# 153,600 GB, 100 GB free off the first band (/work/shared/reference/pricing-facts.md §1, V).
AWS_DTO = [(10_240, 0.09), (51_200, 0.085), (153_600, 0.07), (None, 0.05)]
# AWS Direct Connect 1G dedicated port $0.30/hour (pricing-facts.md §2, S) x 730 h = $219/month;
# DTO over Direct Connect $0.02/GB at the low end of the published range (same line, S).
DX_PORT_USD_PER_MONTH = 0.30 * 730
DX_USD_PER_GB = 0.02
# 1 Gbit/s carried for 730 hours, in billing GB: 1e9 / 8 * 730 * 3600 / 2**30.
DX_CAPACITY_GB = 1e9 / 8 * 730 * 3600 / 2**30
# EU cross-connect MRC $60/month (onprem-facts.md §3, TeleGeography 2017, V/D).
CROSS_CONNECT_USD = 60.0


def colo_graph() -> CostGraph:
    """AWS eu-west-1 and Azure westeurope, and a colocation with a private link to each."""
    g = CostGraph()
    g.add_location("aws:eu-west-1")
    g.add_location("azure:westeurope")
    g.add_site("colo:ams1", kind="colo")
    g.add_edge("aws:eu-west-1", INTERNET, AWS_DTO, transfer_class="internet", free_gb=100)
    g.add_edge(INTERNET, "azure:westeurope", 0.0, transfer_class="internet")
    g.add_edge(
        "aws:eu-west-1",
        "colo:ams1",
        DX_USD_PER_GB,
        key="direct_connect_1g",
        fixed_usd_per_month=DX_PORT_USD_PER_MONTH + CROSS_CONNECT_USD,
        capacity_gb_per_month=DX_CAPACITY_GB,
    )
    g.add_edge("colo:ams1", "azure:westeurope", 0.0, fixed_usd_per_month=CROSS_CONNECT_USD)
    return g


class TestIntermediateSiteBeatsDirect:
    def test_hand_worked_50_tb(self) -> None:
        # 51,200 GB (50 TB) a month from AWS eu-west-1 to Azure westeurope.
        # Direct over the internet: 100 GB free, 10,140 x 0.09 = 912.60, 40,960 x 0.085
        # = 3,481.60 -> 4,394.20; Azure ingress is free.
        # Via the colo: 51,200 x 0.02 = 1,024.00 + port 219.00 + cross-connect 60.00, then
        # the Azure side's cross-connect 60.00 -> 1,363.00.
        r = colo_graph().route("aws:eu-west-1", "azure:westeurope", 51_200)
        assert r.path == ("aws:eu-west-1", "colo:ams1", "azure:westeurope")
        assert r.cost_usd == pytest.approx(1363.00)
        assert r.direct is not None
        assert r.direct.path == ("aws:eu-west-1", INTERNET, "azure:westeurope")
        assert r.direct.cost_usd == pytest.approx(4394.20)
        assert r.savings_usd == pytest.approx(3031.20)
        # Break-even: 0.09 (v - 100) = 0.02 v + 339  ->  v = 348 / 0.07 = 4,971.43 GB.
        assert r.break_even_gb == pytest.approx((348 / 0.07,))

    def test_below_break_even_direct_wins(self) -> None:
        r = colo_graph().route("aws:eu-west-1", "azure:westeurope", 4000)
        assert r.path == ("aws:eu-west-1", INTERNET, "azure:westeurope")
        assert r.cost_usd == pytest.approx(3900 * 0.09)
        assert r.savings_usd == 0.0

    def test_over_port_capacity_falls_back(self) -> None:
        r = colo_graph().route("aws:eu-west-1", "azure:westeurope", DX_CAPACITY_GB + 1)
        assert INTERNET in r.path

    def test_per_hop_table(self) -> None:
        r = colo_graph().route("aws:eu-west-1", "azure:westeurope", 51_200, recurring_months=3)
        frame = r.to_frame()
        assert list(frame["option"]) == ["direct_connect_1g", "user:interconnect"]
        assert frame["variable_usd"].tolist() == pytest.approx([3 * 1024.0, 0.0])
        assert frame["fixed_usd"].tolist() == pytest.approx([3 * 279.0, 3 * 60.0])
        assert frame["cost_usd"].sum() == pytest.approx(r.cost_usd)
        assert r.cost_usd == pytest.approx(3 * 1363.0)

    def test_tier_arithmetic(self) -> None:
        r = colo_graph().route("aws:eu-west-1", INTERNET, 51_200)
        tiers = r.tiers_frame()
        assert tiers["gb_per_month"].tolist() == pytest.approx([100, 10_140, 40_960, 0, 0])
        assert tiers["usd_per_month"].sum() == pytest.approx(4394.20)


class TestRouteBasics:
    def test_same_location_is_free(self) -> None:
        r = colo_graph().route("colo:ams1", "colo:ams1", 1e6)
        assert (r.cost_usd, r.path, r.hops) == (0.0, ("colo:ams1",), ())

    def test_internet_route_equals_egress_schedule(self) -> None:
        g = colo_graph()
        opt = g.options("aws:eu-west-1", INTERNET)[0]
        for v in (0.0, 100.0, 10_240.0, 200_000.0):
            assert g.route("aws:eu-west-1", INTERNET, v).cost_usd == pytest.approx(opt.cost_usd(v))

    def test_no_route(self) -> None:
        g = colo_graph()
        with pytest.raises(NoRouteError, match=r"No route from 'azure:westeurope' to 'colo:ams1'"):
            g.route("azure:westeurope", "colo:ams1", 10)

    def test_bad_inputs(self) -> None:
        g = colo_graph()
        with pytest.raises(
            UnknownLocationError, match=r"'aws:nowhere-1' passed to CostGraph\.route"
        ):
            g.route("aws:nowhere-1", INTERNET, 10)
        with pytest.raises(InvalidParameterError, match=r"'volume_gb'.*>= 0.*-5"):
            g.route("aws:eu-west-1", INTERNET, -5)
        with pytest.raises(InvalidParameterError, match=r"'recurring_months'.*> 0"):
            g.route("aws:eu-west-1", INTERNET, 5, recurring_months=-1)


class TestBreakEven:
    def test_flat_against_port(self) -> None:
        a = [TransferOption.from_tiers("x", "y", 0.09)]
        b = [TransferOption.from_tiers("x", "y", 0.02, fixed_usd_per_month=219.0)]
        # 219 / (0.09 - 0.02) = 3,128.57 GB/month.
        assert break_even_volumes(a, b) == pytest.approx((219 / 0.07,))

    def test_fees_on_both_sides_crossing_in_the_second_band(self) -> None:
        # a: AWS DTO tiers (100 GB free) plus a $60 cross-connect; b: $0.02/GB plus $3,060 of
        # ports. In the first band a <= 912.60 + 60 < b, so they meet in the second band:
        # 60 + 912.60 + 0.085 (v - 10,240) = 3,060 + 0.02 v
        #   -> 0.065 v = 3,000 - 912.60 + 870.40 = 2,957.80  ->  v = 45,504.615 GB/month.
        a = [TransferOption.from_tiers("x", "y", AWS_DTO, fixed_usd_per_month=60.0, free_gb=100)]
        b = [TransferOption.from_tiers("x", "y", 0.02, fixed_usd_per_month=3060.0)]
        (v,) = break_even_volumes(a, b)
        assert v == pytest.approx(2957.8 / 0.065, rel=1e-12)
        assert 10_240 < v <= 51_200
        assert float(a[0].cost_usd(v)) == pytest.approx(float(b[0].cost_usd(v)), rel=1e-12)

    def test_never_equal(self) -> None:
        a = [TransferOption.from_tiers("x", "y", 0.02)]
        b = [TransferOption.from_tiers("x", "y", 0.05, fixed_usd_per_month=1.0)]
        assert break_even_volumes(a, b) == ()

    def test_two_crossings_with_tiers(self) -> None:
        # a: 0.10 up to 1,000 GB then 0.0; b: flat 0.05 with no fee.
        # Equal at 0 and again at 2,000 GB (a = 100, b = 0.05 * 2000).
        a = [TransferOption.from_tiers("x", "y", [(1000, 0.10), (None, 0.0)])]
        b = [TransferOption.from_tiers("x", "y", 0.05)]
        assert break_even_volumes(a, b) == pytest.approx((0.0, 2000.0))

    def test_limited_by_capacity(self) -> None:
        a = [TransferOption.from_tiers("x", "y", 0.09)]
        b = [
            TransferOption.from_tiers(
                "x", "y", 0.02, fixed_usd_per_month=219.0, capacity_gb_per_month=1000.0
            )
        ]
        assert break_even_volumes(a, b) == ()


@given(cost_graphs(), st.data(), st.floats(0, 60_000), st.sampled_from([1.0, 12.0]))
def test_route_never_exceeds_direct_and_matches_matrix(
    g: CostGraph, data: st.DataObject, v: float, months: float
) -> None:
    nodes = g.locations
    a = data.draw(st.sampled_from(nodes))
    b = data.draw(st.sampled_from(nodes))
    expected = g.matrix(v, months).loc[a, b]
    if math.isinf(expected):
        with pytest.raises(NoRouteError, match="No route"):
            g.route(a, b, v, months)
        return
    r = g.route(a, b, v, months)
    assert r.cost_usd == pytest.approx(expected)
    assert r.to_frame()["cost_usd"].sum() == pytest.approx(r.cost_usd)
    if r.direct is not None:
        assert r.cost_usd <= r.direct.cost_usd * (1 + 1e-12) + 1e-9


@given(st.data())
def test_break_even_volumes_are_equal_cost(data: st.DataObject) -> None:
    a = [data.draw(options("x", "y", f"a{i}")) for i in range(data.draw(st.integers(1, 2)))]
    b = [data.draw(options("x", "y", f"b{i}")) for i in range(data.draw(st.integers(1, 2)))]
    for v in break_even_volumes(a, b):
        cost_a = sum(float(o.cost_usd(v)) for o in a)
        cost_b = sum(float(o.cost_usd(v)) for o in b)
        assert cost_a == pytest.approx(cost_b, rel=1e-9, abs=1e-6)
    # Between consecutive crossings (and beyond them) one path stays cheaper.
    points = [0.0, *break_even_volumes(a, b)]
    cap = min(min(o.capacity_gb_per_month for o in a + b), 1e6)
    for lo, hi in zip(points, [*points[1:], cap], strict=True):
        if hi - lo < 1e-6:
            continue
        mids = np.linspace(lo, hi, 7)[1:-1]
        diff = [
            sum(float(o.cost_usd(m)) for o in a) - sum(float(o.cost_usd(m)) for o in b)
            for m in mids
        ]
        assert all(d >= -1e-6 for d in diff) or all(d <= 1e-6 for d in diff)
