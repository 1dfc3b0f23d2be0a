"""Tests for exitcost.case: the exit case, a view of the engine's stay and leave plans."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from exitcost import finance
from exitcost.case import CASE_SUMMARY_COLUMNS, ExitCase, exit_case
from exitcost.categories import COST_CATEGORIES
from exitcost.errors import InvalidParameterError
from exitcost.estate import Estate, sample_estate
from exitcost.model import load_engine_defaults

SAMPLE = sample_estate()


def small_estate(
    *,
    compute_usd_per_month: float = 100_000.0,
    size_gb: float = 0.0,
    growth_rate_per_month: float = 0.0,
    contracts: list[dict[str, Any]] | None = None,
    workloads: bool = True,
    as_of: str = "2026-11-27",
    extra_workloads: list[dict[str, Any]] | None = None,
    capacity_person_days_per_month: float = 40.0,
) -> Estate:
    """One AWS region, one team, one rehosted workload and optionally one dataset."""
    data: dict[str, Any] = {
        "name": "small",
        "as_of": as_of,
        "locations": [
            {
                "id": "aws:us-east-1",
                "kind": "cloud",
                "continent": "north_america",
                "jurisdiction": "US",
            },
            {
                "id": "gcp:us-central1",
                "kind": "cloud",
                "continent": "north_america",
                "jurisdiction": "US",
            },
        ],
        "teams": [
            {
                "id": "core",
                "usd_per_person_day": 800,
                "capacity_person_days_per_month": capacity_person_days_per_month,
            }
        ],
        "workloads": (
            [
                {
                    "id": "web",
                    "location": "aws:us-east-1",
                    "team": "core",
                    "kind": "web",
                    "instances": 20,
                    "strategy": "rehost",
                    "compute_usd_per_month": compute_usd_per_month,
                }
            ]
            if workloads
            else []
        )
        + (extra_workloads or []),
        "datasets": (
            [
                {
                    "id": "lake",
                    "location": "aws:us-east-1",
                    "size_gb": size_gb,
                    "growth_rate_per_month": growth_rate_per_month,
                }
            ]
            if size_gb > 0
            else []
        ),
        "contracts": contracts or [],
    }
    return Estate.from_dict(data)


@pytest.fixture(scope="module")
def aws_case() -> ExitCase:
    return exit_case(SAMPLE, "aws", n_scenarios=30)


@pytest.fixture(scope="module")
def small_case() -> ExitCase:
    return exit_case(
        small_estate(size_gb=2048.0, growth_rate_per_month=0.01),
        "aws",
        horizon_months=36,
        n_scenarios=30,
    )


def test_layout(aws_case: ExitCase) -> None:
    assert list(aws_case.summary.columns) == list(CASE_SUMMARY_COLUMNS)
    assert aws_case.summary.index.tolist() == ["stay", "leave"]
    assert aws_case.monthly_costs.index.name == "month"
    assert len(aws_case.monthly_costs) == 60
    cats = {c.split("_", 1)[1][: -len("_usd")] for c in aws_case.monthly_costs if c.count("_") > 1}
    assert cats <= set(COST_CATEGORIES)


def test_streams_sum_to_their_totals_and_the_summary(small_case: ExitCase) -> None:
    flows = small_case.monthly_costs
    for option in ("stay", "leave"):
        parts = [c for c in flows if c.startswith(f"{option}_") and c != f"{option}_usd"]
        np.testing.assert_allclose(flows[parts].sum(axis=1), flows[f"{option}_usd"], rtol=1e-12)
        total = small_case.summary.loc[option, "total_cost_usd"]
        assert flows[f"{option}_usd"].sum() == pytest.approx(total, rel=1e-12)
    rate = small_case.assumptions["rate_per_month"]
    npv = finance.npv(rate, flows["leave_usd"].to_numpy())
    assert small_case.summary.loc["leave", "npv_cost_usd"] == pytest.approx(npv, rel=1e-12)


def test_the_case_is_the_engines_expected_future(small_case: ExitCase) -> None:
    sim = small_case.simulation
    assert sim is not None
    np.testing.assert_allclose(
        small_case.monthly_costs["leave_usd"], sim.expected_costs[1].sum(-1), rtol=1e-12
    )
    bill = sim.exit_bill("leave").set_index("category")["usd"]
    lines = small_case.exit_bill.drop(index="total")["expected_usd"]
    pd.testing.assert_series_equal(
        lines[lines > 0], bill.loc[lines[lines > 0].index], check_names=False
    )


def test_exit_bill_total_is_the_sum_and_ranges_are_ordered(aws_case: ExitCase) -> None:
    bill = aws_case.exit_bill
    lines = bill.drop(index="total")
    assert bill.loc["total", "expected_usd"] == pytest.approx(lines["expected_usd"].sum())
    assert (bill["low_usd"] <= bill["expected_usd"]).all()
    assert (bill["expected_usd"] <= bill["high_usd"]).all()
    assert aws_case.summary.loc["leave", "exit_cost_usd"] == bill.loc["total", "expected_usd"]


def test_stay_row_is_the_baseline(aws_case: ExitCase) -> None:
    stay = aws_case.summary.loc["stay"]
    assert stay["exit_cost_usd"] == 0.0
    assert stay["savings_npv_usd"] == 0.0
    assert pd.isna(stay["payback_month"])
    assert pd.isna(stay["cut_over_month"])


def test_summary_months_are_nullable_and_never_nan(aws_case: ExitCase) -> None:
    summary = aws_case.summary
    months = ["payback_month", "break_even_month", "programme_months", "cut_over_month"]
    assert {c: str(summary[c].dtype) for c in months} == {
        "payback_month": "Int64",
        "break_even_month": "Int64",
        "programme_months": "Float64",
        "cut_over_month": "Int64",
    }
    assert summary.loc["stay", months].isna().all()  # not applicable: <NA>
    for column in summary.columns:  # never a NaN in a result, <NA> where there is no value
        values = summary[column].to_numpy(dtype=object)
        assert not any(isinstance(v, float) and np.isnan(v) for v in values), column


def test_monthly_costs_are_positive_and_their_old_name_still_reads_them(
    small_case: ExitCase,
) -> None:
    costs = small_case.monthly_costs
    assert (costs.to_numpy() >= 0).all()  # costs, not signed cash flows
    assert costs["leave_usd"].sum() > 0
    with pytest.warns(FutureWarning, match="cash_flows is now ExitCase.monthly_costs"):
        old = small_case.cash_flows
    assert old is costs


def test_to_frame_is_long_form_of_the_streams(small_case: ExitCase) -> None:
    long = small_case.to_frame()
    leave = long[long["option"] == "leave"]["usd"].sum()
    assert leave == pytest.approx(small_case.monthly_costs["leave_usd"].sum())


def test_any_location_is_a_destination() -> None:
    case = exit_case(SAMPLE, "aws", destination="onprem:fra1", horizon_months=48, n_scenarios=0)
    assert case.destination == "onprem:fra1"
    assert case.summary.loc["leave", "exit_cost_usd"] > 0


def test_no_growth_holds_todays_sizes() -> None:
    case = exit_case(
        small_estate(size_gb=2048.0, growth_rate_per_month=0.05),
        "aws",
        horizon_months=24,
        growth=False,
        n_scenarios=0,
    )
    storage = case.monthly_costs["stay_storage_usd"].to_numpy()
    drift = np.mean(load_engine_defaults().price_drift_per_year.storage)  # expected price drift
    held = storage[0] * (1.0 + drift) ** (np.arange(24) / 12.0)
    np.testing.assert_allclose(storage, held, rtol=1e-9)


def test_switches_are_recorded_as_booleans_not_numbers(aws_case: ExitCase) -> None:
    assert aws_case.assumptions["exit_waiver"] is False
    assert aws_case.assumptions["growth"] is True
    numbers = {k: v for k, v in aws_case.assumptions.items() if k not in ("exit_waiver", "growth")}
    assert all(type(v) is float for v in numbers.values()), numbers


def test_the_waiver_lowers_only_the_data_moves_egress() -> None:
    estate = small_estate(size_gb=50_000.0)
    listed = exit_case(estate, "aws", horizon_months=24, n_scenarios=0).exit_bill
    waived = exit_case(estate, "aws", horizon_months=24, exit_waiver=True, n_scenarios=0).exit_bill
    assert waived["expected_usd"].get("egress", 0.0) < listed.loc["egress", "expected_usd"]
    assert waived.loc["labour", "expected_usd"] == listed.loc["labour", "expected_usd"]


class TestErrors:
    def test_provider_with_neither_workloads_nor_data(self) -> None:
        estate = small_estate()
        assert not [d for d in estate.datasets if d.location.startswith("gcp:")]
        assert not [w for w in estate.workloads if w.location.startswith("gcp:")]
        with pytest.raises(InvalidParameterError, match="with workloads or data to move"):
            exit_case(estate, "gcp")

    def test_unknown_provider(self) -> None:
        with pytest.raises(InvalidParameterError, match="must be a cloud provider of the estate"):
            exit_case(small_estate(), "oracle")

    def test_percentage_rate_is_refused(self) -> None:
        with pytest.raises(InvalidParameterError, match="looks like a percentage"):
            exit_case(small_estate(), "aws", discount_rate_per_year=8)

    @pytest.mark.parametrize("flag", ["exit_waiver", "growth"])
    def test_flags_must_be_bools(self, flag: str) -> None:
        kwargs: dict[str, Any] = {flag: "yes"}
        with pytest.raises(InvalidParameterError, match=flag):
            exit_case(small_estate(), "aws", **kwargs)

    def test_unknown_jurisdiction(self) -> None:
        with pytest.raises(InvalidParameterError, match="customer_jurisdiction"):
            exit_case(small_estate(), "aws", customer_jurisdiction="XX")
