"""Tests for exitcost.case: the full exit case of leaving a provider for colocation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost import finance
from exitcost.case import CASE_SUMMARY_COLUMNS, ExitCase, exit_case
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import schedule_summary
from exitcost.errors import InvalidParameterError
from exitcost.estate import Estate, sample_estate
from exitcost.facilities import load_facility_defaults, owned_site_costs
from exitcost.summary import exit_cost_summary

DEFAULTS = load_facility_defaults()
SAMPLE = sample_estate()


def small_estate(
    *,
    compute_usd_per_month: float = 100_000.0,
    size_gb: float = 0.0,
    growth_rate_per_month: float = 0.0,
    contracts: list[dict[str, Any]] | None = None,
    workloads: bool = True,
) -> Estate:
    """One AWS region, one team, one rehosted workload and optionally one dataset."""
    data: dict[str, Any] = {
        "name": "small",
        "as_of": "2026-11-27",
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
        "teams": [{"id": "core", "usd_per_person_day": 800, "capacity_person_days_per_month": 40}],
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
        ),
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
    return exit_case(SAMPLE, "aws")


@pytest.fixture(scope="module")
def small_case() -> ExitCase:
    return exit_case(small_estate(), "aws", months=36)


class TestStreamsAndSummary:
    def test_layout(self, aws_case: ExitCase) -> None:
        flows = aws_case.cash_flows
        assert flows.index.name == "month"
        assert len(flows) == 60
        assert flows.columns[:2].tolist() == ["stay_usd", "leave_usd"]
        assert aws_case.summary.columns.tolist() == list(CASE_SUMMARY_COLUMNS)
        assert aws_case.summary.index.tolist() == ["stay", "leave"]
        for column in flows.columns[2:]:
            option, category = column.split("_", 1)
            assert option in ("stay", "leave")
            assert category.removesuffix("_usd") in COST_CATEGORIES, column
        assert (flows.to_numpy() >= 0).all()

    @pytest.mark.parametrize("provider", ["aws", "azure"])
    def test_streams_sum_to_summary(self, provider: str) -> None:
        case = exit_case(SAMPLE, provider)
        flows, summary = case.cash_flows, case.summary
        rate = finance.rate_per_month_from_annual(DEFAULTS.value("discount_rate_per_year"))
        for option in ("stay", "leave"):
            parts = [
                c for c in flows.columns if c.startswith(f"{option}_") and c != f"{option}_usd"
            ]
            np.testing.assert_allclose(flows[parts].sum(axis=1), flows[f"{option}_usd"])
            total = flows[f"{option}_usd"].to_numpy()
            assert summary.loc[option, "total_cost_usd"] == pytest.approx(total.sum())
            assert summary.loc[option, "npv_cost_usd"] == pytest.approx(finance.npv(rate, total))
        savings = (flows["stay_usd"] - flows["leave_usd"]).to_numpy()
        assert summary.loc["leave", "savings_npv_usd"] == pytest.approx(finance.npv(rate, savings))
        exit_lines = ["labour", "dual_running", "commitments", "retrieval", "requests"]
        placed = sum(flows.get(f"leave_{c}_usd", 0.0).sum() for c in exit_lines)
        bill = case.exit_bill["expected_usd"]
        assert placed + bill["egress"] + bill["early_deletion"] == pytest.approx(
            summary.loc["leave", "exit_cost_usd"]
        )
        assert summary.loc["leave", "exit_cost_usd"] == pytest.approx(bill["total"])

    def test_stay_row_is_the_baseline(self, aws_case: ExitCase) -> None:
        stay = aws_case.summary.loc["stay"]
        for column in ("payback_month", "break_even_month", "programme_months", "cut_over_month"):
            assert math.isnan(stay[column]), column
        assert stay["exit_cost_usd"] == 0.0
        assert stay["savings_npv_usd"] == 0.0

    def test_to_frame_is_long_form_of_the_streams(self, small_case: ExitCase) -> None:
        long = small_case.to_frame()
        assert long.columns.tolist() == ["month", "option", "category", "usd"]
        by_option = long.groupby("option")["usd"].sum()
        assert by_option["leave"] == pytest.approx(small_case.cash_flows["leave_usd"].sum())
        assert by_option["stay"] == pytest.approx(small_case.cash_flows["stay_usd"].sum())


class TestTiming:
    def test_hand_worked_small_case(self, small_case: ExitCase) -> None:
        estate = small_estate()
        flows = small_case.cash_flows
        programme = float(schedule_summary(estate, provider="aws").loc["all", "programme_months"])
        cut_over = max(math.ceil(programme), int(DEFAULTS.value("hardware_lead_time_months")))
        assert small_case.summary.loc["leave", "cut_over_month"] == cut_over
        # Stay: the workload's stated $100k a month, nothing else (no data, no egress).
        np.testing.assert_allclose(flows["stay_usd"], 100_000.0)
        # Leave: the cloud until cut-over, then none of it.
        compute = flows["leave_compute_usd"].to_numpy()
        assert (compute[:cut_over] == 100_000.0).all()
        assert (compute[cut_over:] == 0.0).all()
        # Labour evenly over the programme months, at the exit bill's expected value.
        bill = exit_cost_summary(estate, "aws", exit_waiver=True, months=2, exit_month=cut_over)
        labour = flows["leave_labour_usd"].to_numpy()
        whole = max(math.ceil(programme), 1)
        np.testing.assert_allclose(labour[:whole], bill.loc["labour", "expected_usd"] / whole)
        assert (labour[whole:] == 0.0).all()
        # The site from cut-over: $100k a month is 11 servers (100k x 12 x 8.7e-6 = 10.4).
        site = owned_site_costs(
            months=36, compute_usd_per_month=100_000.0, in_service_month=cut_over
        )
        np.testing.assert_allclose(
            flows["leave_capex_usd"] + flows["leave_onprem_opex_usd"] + flows["leave_egress_usd"],
            site.total_usd(),
        )
        assert flows["leave_capex_usd"].iloc[cut_over] == pytest.approx(11 * 30_000.0)

    def test_break_even_and_payback_by_hand(self, small_case: ExitCase) -> None:
        stay = small_case.cash_flows["stay_usd"].tolist()
        leave = small_case.cash_flows["leave_usd"].tolist()
        rate = finance.rate_per_month_from_annual(DEFAULTS.value("discount_rate_per_year"))
        # Sustained crossing, written out month by month (no finance kernels).
        running, discounted, last_negative, last_negative_disc = 0.0, 0.0, -1, -1
        for month, (s, lv) in enumerate(zip(stay, leave, strict=True)):
            running += s - lv
            discounted += (s - lv) / (1 + rate) ** month
            if running < 0:
                last_negative = month
            if discounted < 0:
                last_negative_disc = month
        row = small_case.summary.loc["leave"]
        assert row["break_even_month"] == last_negative + 1
        assert row["payback_month"] == last_negative_disc + 1
        assert row["break_even_month"] <= row["payback_month"]

    def test_commitments_owed_monthly_from_cut_over(self) -> None:
        plan = {
            "id": "sp",
            "kind": "savings_plan",
            "provider": "aws",
            "usd_per_month": 10_000,
            "start": "2026-01-01",
            "end": "2028-12-31",
        }
        case = exit_case(small_estate(contracts=[plan]), "aws", months=48)
        cut_over = int(case.summary.loc["leave", "cut_over_month"])
        owed = case.cash_flows["leave_commitments_usd"].to_numpy()
        assert (owed[:cut_over] == 0.0).all()
        paid = owed[owed > 0]
        np.testing.assert_allclose(paid, 10_000.0)  # each remaining month of the plan
        assert owed.sum() == pytest.approx(case.exit_bill.loc["commitments", "expected_usd"])
        # Month 0 is 2026-11 (as_of); the plan's last month, 2028-12, is month 25: the months
        # cut_over..25 are owed.
        assert np.flatnonzero(owed).tolist() == list(range(cut_over, 26))

    def test_never_catches_up_is_nan(self) -> None:
        case = exit_case(small_estate(compute_usd_per_month=2_000.0), "aws", months=24)
        row = case.summary.loc["leave"]
        assert row["savings_npv_usd"] < 0
        assert math.isnan(row["payback_month"])
        assert math.isnan(row["break_even_month"])


class TestGrowth:
    def test_growth_raises_both_streams(self) -> None:
        estate = small_estate(size_gb=500_000.0, growth_rate_per_month=0.03)
        grown = exit_case(estate, "aws", months=48)
        flat = exit_case(estate, "aws", months=48, growth=False)
        for option in ("stay", "leave"):
            assert (
                grown.summary.loc[option, "total_cost_usd"]
                > flat.summary.loc[option, "total_cost_usd"]
            ), option
        storage = grown.cash_flows["stay_storage_usd"].to_numpy()
        np.testing.assert_allclose(storage, storage[0] * 1.03 ** np.arange(48))
        np.testing.assert_allclose(flat.cash_flows["stay_storage_usd"], storage[0])
        capex = grown.cash_flows["leave_capex_usd"].to_numpy()
        assert (capex > 0).sum() > 3  # storage bought in steps as the data grows

    @settings(max_examples=8)
    @given(st.floats(5_000.0, 2_000_000.0), st.floats(0.0, 0.04))
    def test_identities_hold(self, compute: float, growth: float) -> None:
        estate = small_estate(
            compute_usd_per_month=compute, size_gb=100_000.0, growth_rate_per_month=growth
        )
        case = exit_case(estate, "aws", months=36)
        flows, summary = case.cash_flows, case.summary
        assert summary.loc["stay", "total_cost_usd"] == pytest.approx(flows["stay_usd"].sum())
        assert summary.loc["leave", "total_cost_usd"] == pytest.approx(flows["leave_usd"].sum())
        assert not flows.isna().any().any()
        assert (flows.to_numpy() >= 0).all()
        if not math.isnan(summary.loc["leave", "break_even_month"]):
            assert summary.loc["leave", "break_even_month"] <= summary.loc["leave", "payback_month"]


class TestErrors:
    def test_provider_without_workloads(self) -> None:
        estate = small_estate(workloads=False, size_gb=1_000.0)
        with pytest.raises(InvalidParameterError, match=r"'provider'.*'aws' has none.*none"):
            exit_case(estate, "aws")
        with pytest.raises(InvalidParameterError, match=r"'gcp' has none.*'aws'"):
            exit_case(small_estate(), "gcp")

    def test_unknown_provider(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'provider'.*'aws', 'azure'.*'mars'"):
            exit_case(SAMPLE, "mars")

    def test_destination(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'destination'.*'colo'.*'moon'"):
            exit_case(SAMPLE, "azure", destination="moon")  # type: ignore[arg-type]

    def test_horizon_before_cut_over(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'months'.*cut-over month \(\d+"):
            exit_case(SAMPLE, "aws", months=2)  # cut-over is never before the 2-month lead
        with pytest.raises(InvalidParameterError, match=r"'months'.*whole number"):
            exit_case(SAMPLE, "aws", months=24.5)  # type: ignore[arg-type]

    def test_discount_rate(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'discount_rate_per_year'.*> -1"):
            exit_case(SAMPLE, "azure", discount_rate_per_year=-1.0)


class TestReview:
    """Defects found in the review of issue #6, each with the test that failed before the fix."""

    def test_termination_fee_is_paid_once_at_cut_over(self) -> None:
        # A cancellable reservation: $10k a month to 2028-12 or a $5k fee to end it. The fee is
        # less than the payments left, so the exit pays $5k in the cut-over month (it used to be
        # spread over the 24 months left, about $208 a month).
        ri = {
            "id": "ri",
            "kind": "reserved_capacity",
            "provider": "aws",
            "usd_per_month": 10_000,
            "start": "2026-01-01",
            "end": "2028-12-31",
            "cancellable": True,
            "termination_fee_usd": 5_000,
        }
        case = exit_case(small_estate(contracts=[ri]), "aws", months=48)
        cut_over = int(case.summary.loc["leave", "cut_over_month"])
        owed = case.cash_flows["leave_commitments_usd"].to_numpy()
        assert np.flatnonzero(owed).tolist() == [cut_over]
        assert owed[cut_over] == pytest.approx(5_000.0)
        assert owed.sum() == pytest.approx(case.exit_bill.loc["commitments", "expected_usd"])

    def test_cheaper_to_keep_paying_than_to_cancel(self) -> None:
        # The same contract with a fee above the payments left: it is not cancelled, and the
        # payments run monthly from cut-over to 2028-12 (month 25).
        ri = {
            "id": "ri",
            "kind": "reserved_capacity",
            "provider": "aws",
            "usd_per_month": 1_000,
            "start": "2026-01-01",
            "end": "2028-12-31",
            "cancellable": True,
            "termination_fee_usd": 1_000_000,
        }
        case = exit_case(small_estate(contracts=[ri]), "aws", months=48)
        cut_over = int(case.summary.loc["leave", "cut_over_month"])
        owed = case.cash_flows["leave_commitments_usd"].to_numpy()
        assert np.flatnonzero(owed).tolist() == list(range(cut_over, 26))
        np.testing.assert_allclose(owed[owed > 0], 1_000.0)
