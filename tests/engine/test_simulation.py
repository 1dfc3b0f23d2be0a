"""Tests for exitcost.engine.simulation: simulate and the Simulation result."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.categories import COST_CATEGORIES
from exitcost.engine import Plan, Simulation, sample_plans, simulate
from exitcost.errors import HorizonWarning, InvalidParameterError
from exitcost.estate import sample_estate
from exitcost.model import compile
from tests.engine.conftest import generated_estate, hand_estate

SAMPLE_MODEL = compile(sample_estate())
SMALL_MODEL = compile(generated_estate(4))
SMALL_PLANS = [Plan.stay(), Plan.leave("aws", to="colo:new", bandwidth_gbps=1.0)]


@pytest.fixture(scope="module")
def sample_sim() -> Simulation:
    return simulate(SAMPLE_MODEL, sample_plans(), n_scenarios=40, horizon_months=60)


def test_the_sample_plans_run_with_every_member_of_the_contract(sample_sim: Simulation) -> None:
    sim = sample_sim
    assert sim.plans == tuple(p.name for p in sample_plans())
    assert sim.costs.dims == ("plan", "scenario", "month", "category")
    assert list(sim.costs.coords["category"].values) == list(COST_CATEGORIES)
    assert sim.expected.dims == ("plan", "month", "category")
    assert list(sim.scenarios.columns) == [
        "plan",
        "scenario",
        "total_usd",
        "npv_usd",
        "savings_npv_usd",
        "exit_cost_usd",
        "payback_month",
        "break_even_month",
    ]
    assert len(sim.scenarios) == 4 * 40
    summary = sim.summary()
    assert list(summary.index) == list(sim.plans)
    assert {"npv_p50_usd", "p_beats_first", "data_move_months"} <= set(summary.columns)
    assert list(sim.to_frame().columns) == [
        "plan",
        "month",
        "date",
        "category",
        "expected_usd",
        "p5_usd",
        "p50_usd",
        "p95_usd",
    ]
    assert len(sim.fan()) == 4 * 60
    assert list(sim.monthly_costs().columns)[:4] == ["plan", "month", "date", "cost_usd"]
    bill = sim.exit_bill(sim.plans[1])
    assert list(bill.columns) == ["category", "usd"]
    assert (bill["usd"] > 0).all()
    assert 0.0 <= sim.negotiation_discount() <= 1.0
    assert set(sim.assumptions.columns) == {"name", "value", "unit", "source"}
    assert set(sim.provenance["provider"]) >= {"aws", "azure"}
    assert sim.npv(0.05).shape == (4, 4)


def test_categories_sum_to_totals_and_nothing_is_nan(sample_sim: Simulation) -> None:
    sim = sample_sim
    assert not np.isnan(sim.kept_costs).any()
    assert not np.isnan(sim.expected_costs).any()
    totals = sim.kept_costs.sum(axis=(-1, -2)).ravel()
    np.testing.assert_allclose(sim.scenarios["total_usd"].to_numpy(), totals, rtol=1e-12)
    numeric = sim.summary().select_dtypes("float")  # months are nullable Int64 (no payback)
    assert not numeric.isna().any().any()


def test_leaving_in_2028_costs_the_same_as_staying_until_its_first_cost() -> None:
    sim = simulate(SAMPLE_MODEL, sample_plans()[:3], n_scenarios=0, horizon_months=48)
    stay, later = sim.expected_costs[0], sim.expected_costs[2]
    first = int(np.flatnonzero(np.abs(later - stay).sum(-1) > 0.005)[0])
    assert first == 14  # 2028-01 is month 14 after the estate's 2026-11
    np.testing.assert_allclose(later[:first], stay[:first], rtol=0, atol=0.005)


def test_leaving_aws_runs_for_a_new_site_an_existing_site_and_another_cloud() -> None:
    plans = [
        Plan.stay(),
        Plan.leave("aws", to="colo:new"),
        Plan.leave("aws", to="onprem:fra1"),
        Plan.leave("aws", to="gcp:us-central1", name="to gcp"),
    ]
    model = compile(generated_estate(6))
    sim = simulate(model, plans, n_scenarios=0, horizon_months=36)
    assert (sim.expected_one_off[1:].sum(axis=(1, 2)) > 0).all()


@settings(max_examples=5, deadline=None)
@given(chunk=st.integers(min_value=1, max_value=30))
def test_same_seed_gives_identical_results_for_any_chunk_size(chunk: int) -> None:
    whole = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=30, horizon_months=24, seed=3)
    parts = simulate(
        SMALL_MODEL, SMALL_PLANS, n_scenarios=30, horizon_months=24, seed=3, chunk_size=chunk
    )
    pd.testing.assert_frame_equal(whole.scenarios, parts.scenarios)
    np.testing.assert_array_equal(whole.kept_costs, parts.kept_costs)


def test_a_large_run_keeps_a_seeded_subset_of_paths() -> None:
    sim = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=50, horizon_months=12, keep_scenarios=10)
    assert sim.costs.sizes["scenario"] == 10
    assert len(sim.scenarios) == 100
    again = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=50, horizon_months=12, keep_scenarios=10)
    np.testing.assert_array_equal(sim.scenario_numbers, again.scenario_numbers)


def test_tornado_and_drivers_rank_the_inputs() -> None:
    sim = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=60, horizon_months=24)
    tornado = sim.tornado()
    assert tornado["swing_usd"].is_monotonic_decreasing
    assert "overrun" in set(tornado["input"])
    drivers = sim.drivers()
    assert drivers["share"].sum() <= 1.0 + 1e-9
    assert (drivers["share"] >= 0).all()


def test_the_lock_in_clock_prices_later_exits() -> None:
    sim = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=0, horizon_months=36)
    clock = sim.lock_in_clock([0, 6])
    assert list(clock["month"]) == [0, 6]
    assert (clock["exit_cost_expected_usd"] > 0).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_scenarios": -1}, "'n_scenarios' parameter of simulate must be a whole number"),
        ({"horizon_months": 0}, "'horizon_months' parameter of simulate"),
        ({"backend": "spark"}, "'backend' parameter of simulate must be one of"),
        ({"chunk_size": 0}, "'chunk_size' parameter of simulate"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        simulate(SMALL_MODEL, SMALL_PLANS, **kwargs)  # type: ignore[arg-type]


def test_an_estate_is_compiled_on_the_way_in() -> None:
    sim = simulate(hand_estate(), Plan.stay(), n_scenarios=0, horizon_months=6)
    assert sim.plans == ("stay",)
    with pytest.raises(InvalidParameterError, match="must be an exitcost Estate or a compiled"):
        simulate("estate.yaml", Plan.stay())  # type: ignore[arg-type]


def test_plot_names_its_kinds() -> None:
    sim = simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=0, horizon_months=6)
    with pytest.raises(InvalidParameterError, match=r"'kind' parameter of Simulation\.plot"):
        sim.plot("pie")


@pytest.mark.parametrize("chunk", [1, 3, 5, 8, 29])  # every remainder of a 4- or 8-row block
def test_same_seed_gives_bit_identical_npvs_for_any_chunk_size(chunk: int) -> None:
    runs = [
        simulate(SMALL_MODEL, SMALL_PLANS, n_scenarios=30, horizon_months=18, seed=8, chunk_size=c)
        for c in (None, chunk)
    ]
    for name in ("npv_usd", "total_usd", "exit_cost_usd", "payback", "break_even"):
        np.testing.assert_array_equal(*(getattr(r, name) for r in runs), err_msg=name)


def test_a_programme_that_outlasts_the_horizon_is_flagged() -> None:
    slow = Plan.leave("aws", to="colo:new", bandwidth_gbps=1.0, name="slow")
    with pytest.warns(HorizonWarning, match=r"'slow' runs to month .* past the horizon of 12"):
        simulate(SAMPLE_MODEL, [Plan.stay(), slow], n_scenarios=0, horizon_months=12)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HorizonWarning)
        simulate(SAMPLE_MODEL, [Plan.stay(), slow], n_scenarios=0, horizon_months=120)


def test_the_old_name_of_the_monthly_costs_still_reads_them_with_a_warning(
    sample_sim: Simulation,
) -> None:
    with pytest.warns(FutureWarning, match=r"cash_flows\(\) is now Simulation.monthly_costs"):
        old = sample_sim.cash_flows()
    pd.testing.assert_frame_equal(old, sample_sim.monthly_costs())
