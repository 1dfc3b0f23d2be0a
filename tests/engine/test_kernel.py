"""Tests for exitcost.engine.kernel: the expected future against the stand-alone kernels.

The hand-worked estate (tests/engine/conftest.py: one AWS region, one workload of $4,000 a
month sending 20,000 GB a month to the internet and reading 500 GB a month of a 10 TB dataset
growing 1 % a month) is priced by the engine and, month by month, by the library's own
kernels: pricing.storage_cost, pricing.account_egress_cost, pricing.retrieval_cost,
effort.estimate_effort and plan_schedule, facilities.owned_site_costs, finance.npv. List prices
are held flat (no drift) so that both sides use the same book prices.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost import finance
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import estimate_effort, plan_schedule, transfer_days
from exitcost.engine import Plan, sample_plans, simulate
from exitcost.engine.kernel import (
    BLOCK,
    DAYS_PER_MONTH,
    _fixed_and_sampled,
    _linear,
    draw_inputs,
    evaluate,
    scenario_arrays,
)
from exitcost.engine.plans import resolve
from exitcost.estate import sample_estate
from exitcost.facilities import owned_site_costs
from exitcost.model import compile
from exitcost.pricing import account_egress_cost, retrieval_cost, storage_cost
from tests.engine.conftest import generated_estate, hand_estate, no_drift_defaults

AWS = "aws:us-east-1"
GCP = "gcp:us-central1"
CENT = 0.005
K = {c: i for i, c in enumerate(COST_CATEGORIES)}


def _model(**kwargs: float) -> object:
    return compile(hand_estate(**kwargs), defaults=no_drift_defaults())  # type: ignore[arg-type]


def test_staying_equals_the_storage_egress_and_npv_kernels_to_the_cent() -> None:
    estate = hand_estate()
    sim = simulate(
        compile(estate, defaults=no_drift_defaults()),
        Plan.stay(),
        n_scenarios=0,
        horizon_months=24,
    )
    cost = sim.expected_costs[0]
    t = np.arange(24)
    size = 10_240.0 * 1.01**t
    storage = storage_cost(size, location=AWS, storage_class="standard", as_of=estate.as_of)
    egress = account_egress_cost([[20_000.0]], sources=[AWS], as_of=estate.as_of)[0, 0]
    assert cost[:, K["storage"]] == pytest.approx(storage, abs=CENT)
    assert cost[:, K["egress"]] == pytest.approx(np.full(24, egress), abs=CENT)
    assert cost[:, K["compute"]] == pytest.approx(np.full(24, 4_000.0), abs=CENT)
    npv = finance.npv(sim.rate_per_month, cost.sum(-1))
    assert sim.summary().loc["stay", "npv_expected_usd"] == pytest.approx(npv, abs=CENT)


def test_leaving_for_another_cloud_equals_the_kernels_to_the_cent() -> None:
    estate = hand_estate()
    model = compile(estate, defaults=no_drift_defaults())
    plan = Plan.leave("aws", to=GCP, bandwidth_gbps=1.0)
    sim = simulate(model, [Plan.stay(), plan], n_scenarios=0, horizon_months=24)
    cost = sim.expected_costs[1]
    one_off = sim.expected_one_off[1]
    day = estate.as_of
    # the data move: 10 TB at month 0 over 1 Gbit/s, a day and a bit, all in month 0
    months = float(transfer_days(10_240.0, 1.0)) / DAYS_PER_MONTH
    assert sim.expected_data_move_months[1] == pytest.approx(months)
    # month 0: the move shares the account's tiers with the workload's 20,000 GB
    both = account_egress_cost([[30_240.0]], sources=[AWS], as_of=day)[0, 0]
    alone = account_egress_cost([[20_000.0]], sources=[AWS], as_of=day)[0, 0]
    assert cost[0, K["egress"]] == pytest.approx(both, abs=CENT)
    assert one_off[0, K["egress"]] == pytest.approx(both - alone, abs=CENT)
    # month 0 storage: the part of the month the copy still sits at AWS, and the copy at GCP
    at_aws = storage_cost(10_240.0 * months, location=AWS, as_of=day)
    at_gcp = storage_cost(10_240.0, location=GCP, as_of=day)
    assert cost[0, K["storage"]] == pytest.approx(at_aws + at_gcp, abs=CENT)
    # later: the dataset grows at GCP; the workload serves from GCP after its move
    sched = plan_schedule(estate, provider="aws")
    switch = int(np.ceil(sched.loc["web", "end_month"]))
    later = switch + 2
    assert cost[later, K["storage"]] == pytest.approx(
        storage_cost(10_240.0 * 1.01**later, location=GCP, as_of=day), abs=CENT
    )
    gcp_egress = account_egress_cost([[20_000.0]], sources=[GCP], as_of=day)[0, 0]
    assert cost[later, K["egress"]] == pytest.approx(gcp_egress, abs=CENT)
    # retrieval and requests of the move: the pricing kernel's
    read_back = retrieval_cost(10_240.0, location=AWS, objects=1_000_000, as_of=day)
    assert (cost[:, K["retrieval"]] + cost[:, K["requests"]]).sum() == pytest.approx(
        read_back, abs=CENT
    )
    # labour and dual running: the effort and schedule kernels' expected values
    labour = estimate_effort(estate).loc["web", "labour_mean_usd"]
    assert cost[:, K["labour"]].sum() == pytest.approx(labour, abs=CENT)
    assert cost[:, K["dual_running"]].sum() == pytest.approx(
        sched.loc["web", "dual_running_usd"], abs=CENT
    )
    # NPV of the expected future
    npv = finance.npv(sim.rate_per_month, cost.sum(-1))
    assert sim.summary().iloc[1]["npv_expected_usd"] == pytest.approx(npv, abs=CENT)


def test_leaving_for_a_new_site_equals_the_facilities_kernel() -> None:
    estate = hand_estate()
    model = compile(estate, defaults=no_drift_defaults())
    sim = simulate(
        model, [Plan.stay(), Plan.leave("aws", to="colo:new")], n_scenarios=0, horizon_months=36
    )
    cost = sim.expected_costs[1]
    lead = int(model.facility.value("hardware_lead_time_months"))
    t = np.arange(36, dtype=float)
    start = max(float(plan_schedule(estate, provider="aws").loc["web", "start_month"]), lead)
    arrived = np.clip(t + 1.0 - start, 0.0, 1.0)
    data_move = float(transfer_days(10_240.0 * 1.01**lead, 10.0)) / DAYS_PER_MONTH
    stored = 10_240.0 * 1.01**t * np.clip(t + 1.0 - lead, 0.0, 1.0)
    site = owned_site_costs(
        horizon_months=36,
        compute_usd_per_month=4_000.0 * arrived,
        storage_gb=stored,
        in_service_month=lead,
        defaults=model.facility,
    ).by_category_usd()
    assert data_move < 1.0
    assert cost[:, K["capex"]] == pytest.approx(site["capex"], abs=CENT)
    assert cost[:, K["onprem_opex"]] == pytest.approx(site["onprem_opex"], abs=CENT)


def test_commitments_are_the_shortfall_under_the_committed_floor() -> None:
    contract = {
        "id": "edp",
        "kind": "minimum_spend",
        "provider": "aws",
        "usd_per_month": 10_000.0,
        "start": "2026-01-01",
        "end": "2027-12-31",
    }
    estate = hand_estate(contracts=[contract])
    sim = simulate(
        compile(estate, defaults=no_drift_defaults()), Plan.stay(), n_scenarios=0, horizon_months=24
    )
    cost = sim.expected_costs[0]
    billed = cost[:, [K["compute"], K["storage"], K["egress"]]].sum(-1)
    in_force = np.arange(24) <= 13  # 2026-11 to 2027-12
    expected = np.where(in_force, np.maximum(10_000.0 - billed, 0.0), 0.0)
    assert cost[:, K["commitments"]] == pytest.approx(expected, abs=CENT)


def test_a_5_pb_move_over_1_gbit_takes_the_months_its_bandwidth_implies() -> None:
    size = 5.0 * 1024**2  # 5 PB in billing GB
    model = compile(
        hand_estate(size_gb=size, growth_rate_per_month=0.0), defaults=no_drift_defaults()
    )
    plans = [
        Plan.stay(),
        Plan.leave("aws", to=GCP, bandwidth_gbps=1.0, name="list"),
        Plan.leave("aws", to=GCP, bandwidth_gbps=1.0, exit_waiver=True, name="waiver"),
    ]
    sim = simulate(model, plans, n_scenarios=0, horizon_months=36)
    months = float(transfer_days(size, 1.0)) / DAYS_PER_MONTH
    assert months > 20  # about 650 days at 80 % of 1 Gbit/s
    assert sim.expected_data_move_months[1] == pytest.approx(months)
    listed = sim.expected_one_off[1][:, K["egress"]]
    waived = sim.expected_one_off[2][:, K["egress"]]
    window = 60.0 / DAYS_PER_MONTH  # AWS's 60-day migration window
    assert waived[0] == pytest.approx(0.0, abs=CENT)  # month 0 lies inside the window
    after = np.arange(36) >= np.ceil(window)
    assert waived[after] == pytest.approx(listed[after], abs=CENT)  # list price outside it
    assert listed[0] > 0


def test_draws_do_not_depend_on_the_chunk_they_are_drawn_in() -> None:
    model = compile(generated_estate(3))
    whole = draw_inputs(model, 7, 0, BLOCK + 50)
    part = draw_inputs(model, 7, BLOCK - 10, BLOCK + 50)
    np.testing.assert_array_equal(whole.values[BLOCK - 10 :], part.values)
    np.testing.assert_array_equal(whole.overrun[BLOCK - 10 :], part.overrun)
    np.testing.assert_array_equal(whole.drift[BLOCK - 10 :], part.drift)
    assert whole.overrun.mean() == pytest.approx(1.0, abs=0.1)  # normalised to the estimate


def test_the_eu_data_act_scales_the_data_move_month_by_month() -> None:
    from exitcost.pricing.programmes import data_act_factors

    model = compile(hand_estate(), defaults=no_drift_defaults())
    plans = [Plan.stay(), Plan.leave("aws", to=GCP, start=3, bandwidth_gbps=1.0)]
    listed = simulate(model, plans, n_scenarios=0, horizon_months=12)
    eu = simulate(model, plans, n_scenarios=0, horizon_months=12, customer_jurisdiction="EU")
    factor = data_act_factors(model.as_of, 12, "EU")
    move = listed.expected_one_off[1][:, K["egress"]]
    assert move[3] > 0
    assert eu.expected_one_off[1][:, K["egress"]] == pytest.approx(move * factor, abs=CENT)


@settings(max_examples=6, deadline=None)
@given(
    low=st.floats(min_value=0.0, max_value=2e6),
    extra=st.floats(min_value=0.0, max_value=2e6),
    size=st.floats(min_value=1.0, max_value=1e6),
)
def test_costs_are_never_negative_and_never_fall_as_traffic_rises(
    low: float, extra: float, size: float
) -> None:
    def egress(volume: float) -> np.ndarray:
        model = compile(
            hand_estate(internet_egress_gb_per_month=volume, size_gb=size),
            defaults=no_drift_defaults(),
        )
        sim = simulate(
            model,
            [Plan.stay(), Plan.leave("aws", to=GCP, bandwidth_gbps=1.0)],
            n_scenarios=0,
            horizon_months=6,
        )
        assert (sim.expected_costs >= 0).all()
        return sim.expected_costs[..., K["egress"]]

    assert (egress(low + extra) >= egress(low) - 1e-9).all()


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 4), st.integers(1, 5)),
    seed=st.integers(0, 2**16),
)
def test_the_fixed_part_plus_the_sampled_elements_equals_the_full_matrix_product(
    shape: tuple[int, int, int, int], seed: int
) -> None:
    n_s, n_e, n_t, n_c = shape
    rng = np.random.default_rng(seed)
    stated = rng.random(n_e) * 1e4
    sampled = np.flatnonzero(rng.random(n_e) < 0.5)
    values = np.broadcast_to(stated, (n_s, n_e)).copy()
    values[:, sampled] = rng.random((n_s, sampled.size)) * 1e4
    basis = rng.random((n_e, n_t, n_c)) * (rng.random(n_c) < 0.5)  # some columns never reached
    full = (values @ basis.reshape(n_e, n_t * n_c)).reshape(n_s, n_t, n_c)
    fixed, rows = _fixed_and_sampled(basis, stated, sampled)
    split = _linear(fixed, rows, values[:, sampled])
    np.testing.assert_allclose(split, full, rtol=1e-12, atol=1e-9)
    assert np.all(split[..., ~basis.any(axis=(0, 1))] == 0.0)


def test_plans_sharing_a_chunks_scenario_arrays_price_as_each_on_its_own() -> None:
    model = compile(sample_estate()).with_locations(
        [t for p in sample_plans() for t in p.targets()]
    )
    plans = [resolve(p, model, horizon_months=30) for p in sample_plans()]
    inputs = draw_inputs(model, 5, 0, 40)
    shared = scenario_arrays(model, inputs, 30)
    stay = evaluate(model, plans[0], inputs, 30)
    for plan in plans[1:]:
        alone = evaluate(model, plan, inputs, 30, stay.provider_usd)
        together = evaluate(model, plan, inputs, 30, stay.provider_usd, shared=shared)
        np.testing.assert_array_equal(together.costs, alone.costs)
        np.testing.assert_array_equal(together.one_off, alone.one_off)
        np.testing.assert_array_equal(together.provider_usd, alone.provider_usd)
        assert np.isfinite(together.costs).all()


@settings(max_examples=8, deadline=None)
@given(
    bandwidth_gbps=st.sampled_from([0.5, 2.0, 10.0, 100.0]),
    start=st.integers(0, 30),
    seed=st.integers(0, 2**16),
)
def test_the_data_move_window_changes_no_cost(bandwidth_gbps: float, start: int, seed: int) -> None:
    # outside its window every moved dataset is wholly at its origin or its target: pricing
    # every month as if inside it gives the same costs
    from exitcost.engine import kernel

    model = compile(sample_estate())
    plan = Plan.leave("aws", to="colo:new", start=start, bandwidth_gbps=bandwidth_gbps)
    model = model.with_locations(list(plan.targets()))
    resolved = resolve(plan, model, horizon_months=48)
    inputs = draw_inputs(model, seed, 0, 64)
    lay = kernel.layout(model, 48)
    windowed = evaluate(model, kernel.prepare(model, lay, resolved), inputs, 48)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernel, "_move_window", lambda *args: (0, 48))
        whole = evaluate(model, kernel.prepare(model, lay, resolved), inputs, 48)
    np.testing.assert_allclose(windowed.costs, whole.costs, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(windowed.one_off, whole.one_off, rtol=1e-9, atol=1e-6)


def test_a_fast_move_is_priced_month_by_month_only_in_its_window() -> None:
    from exitcost.engine import kernel

    model = compile(sample_estate())
    plan = Plan.leave("aws", to="colo:new", start=12, bandwidth_gbps=100.0)
    model = model.with_locations(list(plan.targets()))
    prepared = kernel.prepare(model, kernel.layout(model, 48), resolve(plan, model))
    w0, w1 = prepared.window
    assert w0 >= 11
    assert w1 - w0 < 12
