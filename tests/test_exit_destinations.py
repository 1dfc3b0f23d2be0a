"""Leaving AWS on the sample estate for each kind of destination: a new site, an own data centre
and another cloud region, with the moved compute priced from the destination's price book."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from exitcost import Plan, exit_case, sample_estate, simulate
from exitcost.model import HOURS_PER_MONTH, compile
from exitcost.pricing.books import load_price_book

GCP_TARGET = "gcp:europe-west4"


@pytest.mark.parametrize("destination", ["colo", "onprem:fra1", GCP_TARGET])
def test_leaving_aws_runs_for_every_kind_of_destination(destination: str) -> None:
    case = exit_case(sample_estate(), "aws", destination=destination, n_scenarios=50)
    total = case.summary["total_cost_usd"]
    assert set(total.index) == {"stay", "leave"}
    assert np.isfinite(total.to_numpy()).all()
    assert np.isfinite(case.exit_bill.loc["total"].iloc[0])


def test_leave_plan_for_another_cloud_simulates_with_the_gcp_book() -> None:
    sim = simulate(
        sample_estate(), [Plan.leave("aws", to=GCP_TARGET)], n_scenarios=20, horizon_months=24
    )
    assert sim.total_usd.shape == (1, 20)
    assert np.isfinite(sim.total_usd).all()
    assert "gcp" in set(sim.provenance["provider"])


def test_moved_compute_is_priced_from_the_gcp_book() -> None:
    # Hand-worked from the GCP book (billing catalog copy of 2026-07-30, europe-west4):
    # storefront-web states 320 vCPUs and 1,280 GiB, exactly 40 n2-standard-8 (8 vCPU, 32 GiB)
    # at $0.427664 an hour on demand: 40 x 0.427664 x 730 h = $12,487.79 a month.
    # recommendations-inference runs pert(6, 8, 14) A10G GPUs, mean 52 / 6; Google Cloud sells no
    # A10G, so each is priced as a g2-standard-4 (one L4) at $0.742916 an hour:
    # 52 / 6 x 0.742916 x 730 = $4,700.18 a month.
    model = compile(sample_estate()).with_locations([GCP_TARGET])
    target = model.location_ids.index(GCP_TARGET)
    monthly = model.compute_usd_per_month_at(np.full(model.n_workloads, target))
    by_id = dict(zip(model.workload_ids, monthly, strict=True))
    assert by_id["storefront-web"] == pytest.approx(40 * 0.427664 * 730, rel=1e-6)
    assert by_id["recommendations-inference"] == pytest.approx(52 / 6 * 0.742916 * 730, rel=1e-6)
    assert HOURS_PER_MONTH == 730.0


def test_a_stand_in_gpu_is_labelled_as_reasoning() -> None:
    units = load_price_book("gcp", as_of=dt.date(2026, 11, 1)).compute_unit_prices("europe-west4")
    assert units.usd_per_gpu_hour["A10G"] == units.usd_per_gpu_hour["L4"]
    assert units.labels["gpu:A10G"] == "R"
    assert units.labels["gpu:L4"] == "S+"
    assert units.usd_per_gpu_hour["H100"] == pytest.approx(112.540479 / 8)
