"""Tests for exitcost.engine.plans: plans and their checks against a model."""

from __future__ import annotations

import numpy as np
import pytest

from exitcost.engine import Move, Plan, sample_plans, simulate
from exitcost.engine.plans import resolve
from exitcost.errors import InvalidParameterError, UnknownLocationError
from exitcost.estate import sample_estate
from exitcost.model import compile
from tests.engine.conftest import hand_estate

SAMPLE_MODEL = compile(sample_estate())


def test_leave_moves_every_workload_and_dataset_of_the_provider() -> None:
    plan = Plan.leave("aws", to="colo:new")
    r = resolve(plan, SAMPLE_MODEL.with_locations(plan.targets()))
    aws = np.array(
        [SAMPLE_MODEL.location_provider[i] == "aws" for i in SAMPLE_MODEL.dataset_location]
    )
    np.testing.assert_array_equal(r.dataset_moved, aws)
    moved_w = {SAMPLE_MODEL.workload_ids[i] for i in np.flatnonzero(r.workload_moved)}
    assert moved_w
    assert all(
        SAMPLE_MODEL.location_provider[SAMPLE_MODEL.workload_location[i]] == "aws"
        for i in np.flatnonzero(r.workload_moved)
    )
    lead = int(SAMPLE_MODEL.facility.value("hardware_lead_time_months"))
    assert r.workload_move_start[r.workload_moved].min() >= lead  # the site is in service


def test_leave_accepts_a_mapping_per_location() -> None:
    plan = Plan.leave("aws", to={"aws:us-east-1": "colo:a", "aws:us-west-2": "colo:b"})
    r = resolve(plan, SAMPLE_MODEL.with_locations(plan.targets()))
    assert set(r.site_in_service) == {
        SAMPLE_MODEL.with_locations(plan.targets()).location_ids.index(x)
        for x in ("colo:a", "colo:b")
    }


def test_sample_plans_are_four_meaningful_plans() -> None:
    plans = sample_plans()
    assert next(p.name for p in plans) == "stay"
    sim = simulate(SAMPLE_MODEL, plans, n_scenarios=0, horizon_months=60)
    exits = sim.expected_one_off.sum(axis=(1, 2))
    assert exits[0] == 0
    assert (exits[1:] > 0).all()


@pytest.mark.parametrize(
    ("plan", "match"),
    [
        (Plan("x", [("no-such-workload", "colo:new", 0)]), "no workload or dataset of the estate"),
        (Plan("x", [Move("web", "colo:new", 99)]), "before the horizon of 60 months"),
        (Plan.leave("oracle", to="colo:new"), "must be a cloud provider of the estate"),
    ],
)
def test_bad_plans_are_refused_with_what_would_be_valid(plan: Plan, match: str) -> None:
    model = compile(hand_estate())
    with pytest.raises(InvalidParameterError, match=match):
        simulate(model, [Plan.stay(), plan], n_scenarios=0)


def test_a_target_region_no_book_knows_is_refused_as_the_plans_to() -> None:
    with pytest.raises(
        UnknownLocationError, match=r"The 'to' parameter of Plan names region 'us-east-9'"
    ):
        simulate(SAMPLE_MODEL, [Plan.leave("aws", to="aws:us-east-9")], n_scenarios=0)


def test_a_target_with_no_price_for_what_it_must_hold_is_refused() -> None:
    # the bundled Google books price compute in us-central1 and europe-west4 only
    with pytest.raises(InvalidParameterError, match=r"cannot be priced: .*'storefront-web' needs"):
        simulate(SAMPLE_MODEL, [Plan.leave("aws", to="gcp:us-east1")], n_scenarios=0)


def test_residency_is_checked_against_the_target() -> None:
    with pytest.raises(InvalidParameterError, match="must stay in EU"):
        simulate(
            SAMPLE_MODEL,
            [Plan("x", [("dataset:orders-db-eu", "gcp:us-central1", 0)])],
            n_scenarios=0,
        )


@pytest.mark.parametrize("bandwidth", [-1.0, 0.0, float("nan"), True])
def test_a_negative_or_empty_bandwidth_is_refused(bandwidth: float) -> None:
    with pytest.raises(InvalidParameterError, match="'bandwidth_gbps' parameter of Plan"):
        Plan.leave("aws", to="colo:new", bandwidth_gbps=bandwidth)


def test_plan_names_must_be_distinct() -> None:
    with pytest.raises(InvalidParameterError, match="distinct names"):
        simulate(SAMPLE_MODEL, [Plan.stay(), Plan.stay()], n_scenarios=0)


def test_an_id_shared_by_a_workload_and_a_dataset_needs_a_prefix() -> None:
    with pytest.raises(InvalidParameterError, match="both a workload and a dataset"):
        simulate(SAMPLE_MODEL, [Plan("x", [("orders-db-eu", "colo:x", 0)])], n_scenarios=0)
