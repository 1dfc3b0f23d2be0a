"""Tests for exitcost.case: the full exit case of leaving a provider for colocation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost import finance
from exitcost.case import CASE_SUMMARY_COLUMNS, ExitCase, exit_case
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import plan_schedule, schedule_summary
from exitcost.errors import InvalidParameterError
from exitcost.estate import Estate, sample_estate
from exitcost.facilities import load_facility_defaults, owned_site_costs
from exitcost.summary import exit_cost_summary
from exitcost.units import add_months, month_start

DEFAULTS = load_facility_defaults()
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
        # The exit bill's commitments include the shortfall paid before cut-over.
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
        lead = int(DEFAULTS.value("hardware_lead_time_months"))
        # plan_schedule: the one workload's move (64.17 person-days at 40 a month) runs from
        # month 0 to 1.604, with 0.69 months of hypercare. The site is in service at month 2,
        # so the move window is shifted to start there: move 2 to 3.604, hypercare to 4.294.
        # Cut-over is that rounded up, 5 (later than the lead time plus a 2-month data move, 4).
        row = plan_schedule(estate, provider="aws").loc["web"]
        assert row["start_month"] == 0.0
        assert row["duration_months"] == pytest.approx(64.1667 / 40, abs=1e-4)
        assert row["hypercare_months"] == pytest.approx(0.69)
        assert programme < lead
        assert small_case.summary.loc["leave", "cut_over_month"] == 5
        assert small_case.assumptions["last_move_done_month"] == pytest.approx(
            2 + row["duration_months"] + 0.69
        )
        # Stay: the workload's stated $100k a month, nothing else (no data, no egress).
        np.testing.assert_allclose(flows["stay_usd"], 100_000.0)
        # Leave: the cloud's compute until the move starts at month 2, then none of it.
        compute = flows["leave_compute_usd"].to_numpy()
        assert compute[:lead].tolist() == [100_000.0, 100_000.0]
        assert (compute[lead:] == 0.0).all()
        # Dual running from the move's start: its $229,417 (= $100k x 2.294 months, the
        # strategies file's full second run cost) is $100k a month over months 2-3 and 29.4%
        # of month 4 ($29,417).
        dual = flows["leave_dual_running_usd"].to_numpy()
        np.testing.assert_allclose(dual[:5], [0, 0, 100_000, 100_000, 29_416.67], atol=0.01)
        assert (dual[5:] == 0.0).all()
        assert dual.sum() == pytest.approx(row["dual_running_usd"])
        # In no month are both the workload's compute and its dual running paid.
        assert not ((compute > 0) & (dual > 0)).any()
        # Labour evenly over the programme months from month 0, at the bill's expected value.
        bill = exit_cost_summary(estate, "aws", months=2, exit_month=5)
        labour = flows["leave_labour_usd"].to_numpy()
        whole = max(math.ceil(programme), 1)
        np.testing.assert_allclose(labour[:whole], bill.loc["labour", "expected_usd"] / whole)
        assert (labour[whole:] == 0.0).all()
        # The site from the lead time: $100k a month is 11 servers (100k x 12 x 8.7e-6 = 10.4).
        site = owned_site_costs(months=36, compute_usd_per_month=100_000.0, in_service_month=lead)
        np.testing.assert_allclose(
            flows["leave_capex_usd"] + flows["leave_onprem_opex_usd"] + flows["leave_egress_usd"],
            site.total_usd(),
        )
        assert flows["leave_capex_usd"].iloc[lead] == pytest.approx(11 * 30_000.0)

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
        # Before cut-over (5) the provider's bill is the compute ($100k, months 0-1) and then
        # the dual running ($100k, months 2-3; $29,417 in month 4): above the $10k plan, so
        # nothing is paid unused.
        assert cut_over == 5
        assert owed[:cut_over].tolist() == [0.0] * 5
        owed = np.where(np.arange(len(owed)) >= cut_over, owed, 0.0)  # the exit bill's part
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
    @given(st.floats(5_000.0, 2_000_000.0), st.floats(0.0, 0.04), st.integers(0, 23))
    def test_identities_hold(self, compute: float, growth: float, month: int) -> None:
        as_of = add_months(dt.date(2026, 11, 27), month).isoformat()
        estate = small_estate(
            compute_usd_per_month=compute,
            size_gb=100_000.0,
            growth_rate_per_month=growth,
            as_of=as_of,
        )
        case = exit_case(estate, "aws", months=36, exit_waiver=True)
        flows, summary = case.cash_flows, case.summary
        # The time line: site in service at the lead time, before any workload moves; the
        # cloud's compute never rises; the data move fits the waiver window and is not charged.
        lead = int(DEFAULTS.value("hardware_lead_time_months"))
        assert np.flatnonzero(flows["leave_capex_usd"].to_numpy())[0] == lead
        assert case.assumptions["first_move_month"] >= lead
        assert (np.diff(flows["leave_compute_usd"].to_numpy()) <= 1e-9).all()
        assert case.assumptions["data_move_fits_waiver_window"] == 1.0
        assert case.assumptions["data_move_days"] <= case.assumptions["waiver_window_days"]
        assert case.exit_bill.loc["egress", "expected_usd"] == 0.0
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
        # Before cut-over the compute, then the dual running, use the reservation.
        assert owed[:cut_over].tolist() == [0.0] * 5
        owed = np.where(np.arange(len(owed)) >= cut_over, owed, 0.0)  # the exit bill's part
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
        assert case.summary.loc["leave", "cut_over_month"] == 5.0
        owed = case.cash_flows["leave_commitments_usd"].to_numpy()
        # Used by the compute and the dual running before cut-over; stranded from it.
        assert np.flatnonzero(owed).tolist() == list(range(5, 26))
        np.testing.assert_allclose(owed[owed > 0], 1_000.0)


# 100 TB = 102,400 GB moved over 2 months is 51,200 GB a month from us-east-1. AWS internet
# egress (book 2024-09-25, aws.amazon.com/ec2/pricing/on-demand "Data Transfer"): the first
# 100 GB a month free, 10 TB at $0.09, the next 40 TB at $0.085:
# (10,240 x 0.09) + (40,960 x 0.085) - (100 x 0.09) = 921.60 + 3,481.60 - 9.00 = $4,394.20.
LIST_EGRESS_51200_GB_USD = 4_394.2

TWO_WORKLOADS = [
    {
        "id": "api",
        "location": "aws:us-east-1",
        "team": "core",
        "kind": "api",
        "instances": 60,
        "strategy": "replatform",
        "compute_usd_per_month": 50_000,
    }
]


class TestUserTest2:
    """Defects found in the second user test of issue #6, each with a test that failed before."""

    # -- 1. the site is in service before the first workload moves into it -----------------

    def test_site_before_the_first_move_and_cloud_falls_as_workloads_move(self) -> None:
        estate = small_estate(extra_workloads=TWO_WORKLOADS)
        case = exit_case(estate, "aws", months=36)
        flows = case.cash_flows
        # The schedule (one team, plan_schedule): web's move runs 0-1.604, api's 1.604-6.417
        # (4.8125 months), each with 0.69 months of hypercare. The site is in service at the
        # 2-month lead time, so both move windows are shifted to start at month 2: web's
        # dual running over 2-4.294, api's over 2-7.503. Months 0-1 pay both workloads'
        # compute ($150k), none after (user test 3: no compute alongside dual running).
        plan = plan_schedule(estate, provider="aws")
        assert plan.loc["web", "start_month"] < plan.loc["api", "start_month"] < 2.0
        assert plan.loc["api", "duration_months"] == pytest.approx(4.8125)
        compute = flows["leave_compute_usd"].to_numpy()
        np.testing.assert_allclose(compute[:2], 150_000.0)
        assert (compute[2:] == 0.0).all()
        # Dual running at each run cost ($100k web, $50k api): months 2-3 $150k; month 4
        # $50k + 0.294 x $100k; 5-6 $50k; month 7 0.5025 x $50k = $25,125; none after.
        dual = flows["leave_dual_running_usd"].to_numpy()
        np.testing.assert_allclose(
            dual[:9], [0, 0, 150_000, 150_000, 79_416.67, 50_000, 50_000, 25_125, 0], atol=0.01
        )
        # Hardware bought for the whole load in the in-service month (2), before web moves:
        # $150k a month of compute is 16 servers (150k x 12 x 8.7e-6 = 15.7) at $30k.
        capex = flows["leave_capex_usd"].to_numpy()
        assert np.flatnonzero(capex)[0] == 2
        assert capex[2] == pytest.approx(16 * 30_000.0)
        opex = flows["leave_onprem_opex_usd"].to_numpy()
        assert (opex[:2] == 0.0).all()
        assert (opex[2:] > 0).all()
        assert case.assumptions["site_in_service_month"] == 2.0
        assert case.assumptions["first_move_month"] == 2.0
        assert case.summary.loc["leave", "cut_over_month"] == 8.0  # ceil(7.5025)

    def test_sample_site_is_bought_before_the_moves(self, aws_case: ExitCase) -> None:
        # Before the fix the sample's capex was first paid at the cut-over month (17), after 23
        # workloads had moved; now at the lead time (2), the first move's month.
        flows = aws_case.cash_flows
        first_capex = int(np.flatnonzero(flows["leave_capex_usd"].to_numpy())[0])
        assert first_capex == int(DEFAULTS.value("hardware_lead_time_months")) == 2
        assert first_capex <= aws_case.assumptions["first_move_month"]
        assert first_capex < aws_case.summary.loc["leave", "cut_over_month"]
        compute = flows["leave_compute_usd"].to_numpy()
        assert compute[0] == flows["stay_compute_usd"].iloc[0]
        assert (np.diff(compute) <= 1e-9).all()  # falls month by month as workloads move
        assert 0 < compute[5] < compute[0]

    # -- 2. the data move fits the waiver window, and exit_bill is the bill used -------------

    def test_data_move_is_cut_to_the_waiver_window(self) -> None:
        # as_of 2027-04-27: the workload's move and hypercare end at month 4.29, cut-over in
        # month 5 (September). A 2-month move before it (July + August = 62 days) overruns
        # AWS's 60-day window by 2 days, so 2/31 of August's $4,394.20 would be charged:
        # $283.50 (exit_cost_summary with months=2). The case moves the data in August alone
        # (31 days, month 4), cut-over in September, no egress.
        estate = small_estate(size_gb=102_400.0, as_of="2027-04-27")
        overrun = exit_cost_summary(
            estate, "aws", exit_waiver=True, as_of="2027-07-01", months=2, exit_month=5
        )
        assert overrun.loc["egress", "expected_usd"] == pytest.approx(
            LIST_EGRESS_51200_GB_USD * 2 / 31
        )
        case = exit_case(estate, "aws", months=36, exit_waiver=True)
        assert case.exit_bill.loc["egress", "expected_usd"] == 0.0
        got = {k: case.assumptions[k] for k in ("data_move_months", "data_move_days")}
        assert got == {"data_move_months": 1.0, "data_move_days": 31.0}
        assert case.assumptions["waiver_window_days"] == 60.0
        assert case.assumptions["data_move_fits_waiver_window"] == 1.0
        assert case.assumptions["data_move_start_month"] == 4.0
        assert case.summary.loc["leave", "cut_over_month"] == 5.0

    def test_without_waiver_the_move_keeps_its_length(self) -> None:
        # At list price: the 2-month move, 2 x $4,394.20, and it is recorded as not fitting.
        estate = small_estate(size_gb=102_400.0, as_of="2027-04-27")  # July + August, as above
        case = exit_case(estate, "aws", months=36)  # exit_waiver=False is the default
        assert case.assumptions["data_move_months"] == 2.0
        assert case.assumptions["data_move_days"] == 62.0
        assert case.assumptions["data_move_fits_waiver_window"] == 0.0
        assert case.exit_bill.loc["egress", "expected_usd"] == pytest.approx(
            2 * LIST_EGRESS_51200_GB_USD
        )

    @pytest.mark.parametrize("provider", ["aws", "azure"])
    def test_exit_bill_is_the_one_placed(self, provider: str) -> None:
        case = exit_case(SAMPLE, provider, exit_waiver=True)
        a = case.assumptions
        start = add_months(month_start(SAMPLE.as_of), int(a["data_move_start_month"]))
        again = exit_cost_summary(
            SAMPLE,
            provider,
            exit_waiver=True,
            as_of=start,
            months=int(a["data_move_months"]),
            exit_month=int(a["cut_over_month"]),
        )
        # The same bill, with the shortfall paid before cut-over added to its commitments.
        money = ["low_usd", "expected_usd", "high_usd"]
        others = [c for c in again.index if c not in ("commitments", "total")]
        pd.testing.assert_frame_equal(case.exit_bill.loc[others], again.loc[others])
        shortfall = a["commitment_shortfall_before_cut_over_usd"]
        for row in ("commitments", "total"):
            np.testing.assert_allclose(
                case.exit_bill.loc[row, money].to_numpy(dtype=float),
                again.loc[row, money].to_numpy(dtype=float) + shortfall,
            )
        assert "unused before cut-over" in case.exit_bill.loc["commitments", "basis"]
        assert case.summary.loc["leave", "exit_cost_usd"] == pytest.approx(
            case.exit_bill.loc["total", "expected_usd"]
        )
        assert a["data_move_fits_waiver_window"] == 1.0
        assert case.exit_bill.loc["egress", "expected_usd"] == 0.0
        # Every line of that bill is in the leave stream, spread where it is paid.
        flows = case.cash_flows
        for line in ("labour", "dual_running", "retrieval", "requests"):
            assert flows[f"leave_{line}_usd"].sum() == pytest.approx(
                case.exit_bill.loc[line, "expected_usd"]
            ), line

    # -- 3. growth=False holds the moved data at today's sizes -------------------------------

    def test_no_growth_moves_todays_sizes(self) -> None:
        # 100 TB growing 3% a month; at list price the 2-month move from month 2 is priced at
        # today's 51,200 GB a month when growth is off ($4,394.20 a month, hand-worked above),
        # and at 100 TB x 1.03^2 when on. Before the fix both moved the grown data.
        estate = small_estate(size_gb=102_400.0, growth_rate_per_month=0.03)
        flat = exit_case(estate, "aws", months=36, exit_waiver=False, growth=False)
        grown = exit_case(estate, "aws", months=36, exit_waiver=False)
        assert flat.exit_bill.loc["egress", "expected_usd"] == pytest.approx(
            2 * LIST_EGRESS_51200_GB_USD
        )
        assert grown.exit_bill.loc["egress", "expected_usd"] > 2 * LIST_EGRESS_51200_GB_USD
        assert "growth off" in flat.exit_bill.loc["egress", "basis"]
        assert flat.assumptions["growth"] == 0.0
        # The same bill as pricing the move at the estate's as_of (sizes of today).
        today = exit_cost_summary(
            estate,
            "aws",
            as_of=estate.as_of,
            months=2,
            exit_month=int(flat.assumptions["cut_over_month"]),
        )
        cols = ["low_usd", "expected_usd", "high_usd"]
        pd.testing.assert_series_equal(
            flat.exit_bill.loc["egress", cols], today.loc["egress", cols], check_names=False
        )

    # -- 4. customer_jurisdiction reaches the exit bill (EU Data Act) -------------------------

    @pytest.mark.parametrize("jurisdiction", ["EU", "de"])
    def test_customer_jurisdiction_passed_to_the_bill(self, jurisdiction: str) -> None:
        # Cut-over in month 5 (April 2027): the move runs February-March 2027 at list price,
        # 2 x $4,394.20 for a US customer. Switching charges are forbidden from 2027-01-12
        # (Regulation (EU) 2023/2854, art. 29), so an EU customer pays no egress for it.
        estate = small_estate(size_gb=102_400.0)
        us = exit_case(estate, "aws", months=36)
        eu = exit_case(estate, "aws", months=36, customer_jurisdiction=jurisdiction)
        assert us.assumptions["data_move_start_month"] == 3.0  # 2027-02
        assert us.exit_bill.loc["egress", "expected_usd"] == pytest.approx(
            2 * LIST_EGRESS_51200_GB_USD
        )
        assert eu.exit_bill.loc["egress", "expected_usd"] == 0.0
        assert "EU Data Act" in eu.exit_bill.loc["egress", "basis"]
        assert eu.summary.loc["leave", "total_cost_usd"] == pytest.approx(
            us.summary.loc["leave", "total_cost_usd"] - 2 * LIST_EGRESS_51200_GB_USD
        )

    def test_unknown_jurisdiction(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'customer_jurisdiction'.*exit_case.*XX"):
            exit_case(SAMPLE, "aws", customer_jurisdiction="XX")

    # -- 5. a percentage is not a discount rate ----------------------------------------------

    def test_percentage_rate_is_refused(self) -> None:
        with pytest.raises(
            InvalidParameterError,
            match=r"'discount_rate_per_year'.*8 means 800%; pass 0\.08 for 8%.*Got 8 instead",
        ):
            exit_case(SAMPLE, "aws", discount_rate_per_year=8)
        case = exit_case(small_estate(), "aws", months=24, discount_rate_per_year=1.0)
        assert case.assumptions["discount_rate_per_year"] == 1.0  # 100% a year is allowed
        assert case.assumptions["rate_per_month"] == pytest.approx(2 ** (1 / 12) - 1)

    # -- 6. flags are bools ------------------------------------------------------------------

    @pytest.mark.parametrize("flag", ["exit_waiver", "growth"])
    def test_flags_must_be_bools(self, flag: str) -> None:
        bad: dict[str, Any] = {flag: "no"}
        with pytest.raises(
            InvalidParameterError, match=rf"'{flag}' parameter of exit_case.*True or False.*'no'"
        ):
            exit_case(SAMPLE, "aws", **bad)

    # -- commitments stay owed while the workloads move --------------------------------------

    def test_minimum_spend_is_owed_while_workloads_move(self) -> None:
        # A $150k minimum spend to 2027-12 (month 13) over a $100k workload. Stay pays the
        # $50k shortfall every month to month 13. Leave: the provider's bill is the compute
        # ($100k, months 0-1), then the dual running ($100k in months 2-3, $29,416.67 in
        # month 4, as in the hand-worked case): $50k short in months 0-3, $120,583.33 in
        # month 4; from cut-over (5) the stranded months 5-13, 9 x $150k = $1.35M. The exit
        # bill's commitments are both: $1,350,000 + $320,583.33 = $1,670,583.33.
        edp = {
            "id": "edp",
            "kind": "minimum_spend",
            "provider": "aws",
            "usd_per_month": 150_000,
            "start": "2026-01-01",
            "end": "2027-12-31",
        }
        case = exit_case(small_estate(contracts=[edp]), "aws", months=24)
        stay = case.cash_flows["stay_commitments_usd"].to_numpy()
        np.testing.assert_allclose(stay[:14], 50_000.0)
        assert (stay[14:] == 0.0).all()
        leave = case.cash_flows["leave_commitments_usd"].to_numpy()
        np.testing.assert_allclose(leave[:5], [50_000, 50_000, 50_000, 50_000, 120_583.33])
        shortfall = case.assumptions["commitment_shortfall_before_cut_over_usd"]
        assert shortfall == pytest.approx(320_583.33)
        np.testing.assert_allclose(leave[5:14], 150_000.0)
        assert (leave[14:] == 0.0).all()
        bill = case.exit_bill
        for column in ("low_usd", "expected_usd", "high_usd"):
            assert bill.loc["commitments", column] == pytest.approx(1_670_583.33), column
        assert bill.loc["total", "expected_usd"] == pytest.approx(
            bill.drop(index="total")["expected_usd"].sum()
        )
        assert case.summary.loc["leave", "exit_cost_usd"] == pytest.approx(
            bill.loc["total", "expected_usd"]
        )

    def test_retained_workload_stays_at_the_provider(self) -> None:
        kept = [{**TWO_WORKLOADS[0], "strategy": "retain"}]
        case = exit_case(small_estate(extra_workloads=kept), "aws", months=24)
        compute = case.cash_flows["leave_compute_usd"].to_numpy()
        np.testing.assert_allclose(compute[:2], 150_000.0)
        np.testing.assert_allclose(compute[2:], 50_000.0)  # api is retained: paid throughout
        assert case.assumptions["workloads_retained"] == 1.0
        # The site is sized for web alone: 11 servers for $100k a month, as above.
        assert case.assumptions["site_compute_usd_per_month_sized_by_spend"] == 100_000.0
        assert case.cash_flows["leave_capex_usd"].iloc[2] == pytest.approx(11 * 30_000.0)


class TestUserTest3:
    """Defects found in the third user test of issue #6, each with a test that failed before."""

    # -- 1. the commitment shortfall before cut-over is part of the exit bill ----------------

    def test_sample_exit_bill_shows_the_shortfall(self, aws_case: ExitCase) -> None:
        # Before the fix the sample's bill had $284,700 of commitments and exit_cost_usd left
        # out the $1.74M paid unused before cut-over; now the bill's commitments are the
        # stranded part (paid from cut-over) plus that shortfall, and exit_cost_usd its total.
        flows, a = aws_case.cash_flows, aws_case.assumptions
        cut_over = int(a["cut_over_month"])
        commitments = flows["leave_commitments_usd"].to_numpy()
        shortfall = a["commitment_shortfall_before_cut_over_usd"]
        assert shortfall > 0
        assert commitments[:cut_over].sum() == pytest.approx(shortfall)
        bill = aws_case.exit_bill
        assert bill.loc["commitments", "expected_usd"] == pytest.approx(commitments.sum())
        assert bill.loc["commitments", "low_usd"] == bill.loc["commitments", "high_usd"]
        assert aws_case.summary.loc["leave", "exit_cost_usd"] == pytest.approx(
            bill.loc["total", "expected_usd"]
        )

    # -- 2. dual running is not paid on top of the cloud's compute ---------------------------

    @settings(max_examples=10)
    @given(
        st.floats(1_000.0, 500_000.0),
        st.floats(1_000.0, 500_000.0),
        st.integers(1, 200),
        st.floats(10.0, 80.0),
    )
    def test_compute_and_dual_running_never_overlap(
        self, web_usd: float, api_usd: float, api_instances: int, capacity: float
    ) -> None:
        # Each workload's dual running is its run cost (factor 1, the strategies file) over
        # its move and hypercare, and its compute is paid until the move starts; so in every
        # month the leave side's compute plus dual running is at most what staying pays for
        # compute. Before the fix, compute ran to the move's end with dual running on top.
        api = [{**TWO_WORKLOADS[0], "instances": api_instances, "compute_usd_per_month": api_usd}]
        estate = small_estate(
            compute_usd_per_month=web_usd,
            extra_workloads=api,
            capacity_person_days_per_month=capacity,
        )
        case = exit_case(estate, "aws", months=120)
        flows = case.cash_flows
        paid = flows["leave_compute_usd"] + flows["leave_dual_running_usd"]
        assert (paid <= flows["stay_compute_usd"] * (1 + 1e-9)).all()
        plan = plan_schedule(estate, provider="aws")
        assert flows["leave_dual_running_usd"].sum() == pytest.approx(
            plan["dual_running_usd"].sum()
        )
        # No move starts before the site is in service, and cut-over follows the last one.
        lead = DEFAULTS.value("hardware_lead_time_months")
        assert case.assumptions["first_move_month"] >= lead
        assert case.summary.loc["leave", "cut_over_month"] == max(
            math.ceil(case.assumptions["last_move_done_month"] - 1e-9), lead + 2
        )

    def test_only_moves_before_the_site_are_shifted(self) -> None:
        # One team at 20 person-days a month (plan_schedule): web's move runs 0-3.208, api's
        # 3.208-12.833 (9.625 months), hypercare 0.69 each. Web is shifted to start at the
        # in-service month (2); api starts after it and keeps its start, 3.208.
        estate = small_estate(extra_workloads=TWO_WORKLOADS, capacity_person_days_per_month=20)
        plan = plan_schedule(estate, provider="aws")
        assert plan.loc["api", "start_month"] == pytest.approx(64.1667 / 20, abs=1e-4)
        assert plan.loc["api", "duration_months"] == pytest.approx(9.625)
        case = exit_case(estate, "aws", months=36)
        flows = case.cash_flows
        # Compute: web's $100k until month 2; api's $50k until 3.208 (20.8% of month 3).
        compute = flows["leave_compute_usd"].to_numpy()
        np.testing.assert_allclose(
            compute[:5], [150_000, 150_000, 50_000, 50_000 * (64.1667 / 20 - 3), 0], atol=0.5
        )
        # Dual running: web's $100k over 2-5.898, api's $50k over 3.208-13.523.
        dual = flows["leave_dual_running_usd"].to_numpy()
        assert dual[2] == pytest.approx(100_000.0)
        assert dual[4] == pytest.approx(150_000.0)
        api_start = (385 / 6) / 20  # web's 64 1/6 person-days at 20 a month
        assert dual[13] == pytest.approx(50_000 * (api_start + 9.625 + 0.69 - 13))
        assert (dual[14:] == 0.0).all()
        assert case.summary.loc["leave", "cut_over_month"] == 14.0  # ceil(13.523)

    # -- 3. the exit waiver is off by default, as in exit_cost_summary ----------------------

    def test_exit_waiver_defaults_to_false(self) -> None:
        # 100 TB moved over 2 months at list price: 2 x $4,394.20 (hand-worked above).
        estate = small_estate(size_gb=102_400.0)
        default = exit_case(estate, "aws", months=24)
        waived = exit_case(estate, "aws", months=24, exit_waiver=True)
        assert default.assumptions["exit_waiver"] == 0.0
        assert default.exit_bill.loc["egress", "expected_usd"] == pytest.approx(
            2 * LIST_EGRESS_51200_GB_USD
        )
        assert waived.exit_bill.loc["egress", "expected_usd"] == 0.0

    # -- 4. the exit bill's provenance reaches the case --------------------------------------

    def test_attrs_propagate(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import exitcost.case as case_module

        def with_attrs(*args: Any, **kwargs: Any) -> pd.DataFrame:
            bill = exit_cost_summary(*args, **kwargs)
            bill.attrs = {"price_books": {"aws": "2024-09-25"}, "labels": {"lake": "S"}}
            return bill

        monkeypatch.setattr(case_module, "exit_cost_summary", with_attrs)
        case = exit_case(small_estate(size_gb=1_000.0), "aws", months=24)
        expected = {"price_books": {"aws": "2024-09-25"}, "labels": {"lake": "S"}}
        assert case.exit_bill.attrs == expected
        assert case.summary.attrs == expected

    def test_sample_summary_carries_the_bills_attrs(self, aws_case: ExitCase) -> None:
        assert aws_case.summary.attrs == aws_case.exit_bill.attrs
