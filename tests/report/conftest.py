"""A hand-worked simulation result in the frames of the engine's contract (docs/internals.md).

Two plans over twelve months from 2026-11 (figures chosen for hand arithmetic, not from the
engine):

* ``stay`` costs 10,000 USD every month: cumulative 10,000 * (m + 1).
* ``colo`` costs 25,000 USD in months 0-2 (the exit: egress 30,000 + labour 40,000 + dual
  running 5,000 = 75,000) and 4,000 USD from month 3: cumulative 75,000 + 4,000 * (m - 2).

``colo`` breaks even in month 10, the first month its cumulative cost is at most stay's:
month 9 gives 100,000 (stay) < 103,000 (colo); month 10 gives 110,000 >= 107,000. Over the
twelve months stay costs 120,000 and colo 75,000 + 9 * 4,000 = 111,000.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("openpyxl")

from exitcost.report import Report, simulation_report
from exitcost.report.html import render_html

MONTHS = 12
PLANS = ("stay", "colo")
DATES = pd.date_range("2026-11-01", periods=MONTHS, freq="MS")
STAY_USD = np.full(MONTHS, 10_000.0)
COLO_USD = np.where(np.arange(MONTHS) < 3, 25_000.0, 4_000.0)
BREAK_EVEN_MONTH = 10
STAY_TOTAL_USD = 120_000.0
COLO_TOTAL_USD = 111_000.0
EXIT_BILL_USD = {"egress": 30_000.0, "labour": 40_000.0, "dual_running": 5_000.0}


class HandWorkedSimulation:
    """Answers the contract's members with the frames worked out above."""

    plans = PLANS

    def __init__(self) -> None:
        self.assumptions = pd.DataFrame(
            {
                "name": ["discount_rate_per_year", "horizon_months", "exit_waiver"],
                "value": [0.08, 12.0, 0.0],
                "unit": ["1/year", "months", "flag"],
                "source": ["facilities defaults (M)", "command line", "default"],
            }
        )
        self.provenance = pd.DataFrame(
            {
                "provider": ["aws"],
                "effective_date": ["2024-09-25"],
                "label": ["V"],
                "source": ["Infracost AWS data-transfer golden (AWS Price List API)"],
            }
        )

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "npv_p5_usd": [110_000.0, 100_000.0],
                "npv_p50_usd": [115_000.0, 108_000.0],
                "npv_p95_usd": [121_000.0, 125_000.0],
                "npv_expected_usd": [115_500.0, 109_000.0],
                "savings_npv_p5_usd": [0.0, -8_000.0],
                "savings_npv_p50_usd": [0.0, 7_000.0],
                "savings_npv_p95_usd": [0.0, 15_000.0],
                "exit_cost_p5_usd": [0.0, 60_000.0],
                "exit_cost_p50_usd": [0.0, 75_000.0],
                "exit_cost_p95_usd": [0.0, 98_000.0],
                "payback_month_p50": pd.array([pd.NA, 11], dtype="Int64"),
                "break_even_month_p50": pd.array([pd.NA, BREAK_EVEN_MONTH], dtype="Int64"),
                "p_beats_first": [0.0, 0.62],
                "data_move_months": [0.0, 1.0],
            },
            index=pd.Index(PLANS, name="plan"),
        )

    def fan(self, cumulative: bool = True) -> pd.DataFrame:
        parts = []
        for plan, cost in zip(PLANS, (STAY_USD, COLO_USD), strict=True):
            expected = np.cumsum(cost) if cumulative else cost
            parts.append(
                pd.DataFrame(
                    {
                        "plan": plan,
                        "month": np.arange(MONTHS),
                        "date": DATES,
                        "p5_usd": 0.9 * expected,
                        "p50_usd": expected,
                        "p95_usd": 1.2 * expected,
                        "expected_usd": expected,
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

    def monthly_costs(self) -> pd.DataFrame:
        parts = []
        for plan, cost in zip(PLANS, (STAY_USD, COLO_USD), strict=True):
            savings = STAY_USD - cost
            parts.append(
                pd.DataFrame(
                    {
                        "plan": plan,
                        "month": np.arange(MONTHS),
                        "date": DATES,
                        "cost_usd": cost,
                        "cumulative_cost_usd": np.cumsum(cost),
                        "savings_usd": savings,
                        "cumulative_savings_usd": np.cumsum(savings),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

    def exit_bill(self, plan: str) -> pd.DataFrame:
        bill = EXIT_BILL_USD if plan == "colo" else {}
        return pd.DataFrame({"category": list(bill), "usd": list(bill.values())})

    def tornado(self, plan: str | None = None) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "input": ["egress_usd_per_gb", "labour_person_days"],
                "low": [0.05, 80.0],
                "high": [0.09, 120.0],
                "npv_low_usd": [13_000.0, 10_000.0],
                "npv_high_usd": [4_000.0, 4_000.0],
                "swing_usd": [9_000.0, 6_000.0],
            }
        )

    def drivers(self, plan: str | None = None) -> pd.DataFrame:
        return pd.DataFrame(
            {"input": ["egress_usd_per_gb", "labour_person_days"], "share": [0.6, 0.3]}
        )

    def lock_in_clock(self, months: Any) -> pd.DataFrame:
        month = np.asarray(list(months), dtype=np.int64)
        expected = 75_000.0 + 2_000.0 * month
        return pd.DataFrame(
            {
                "month": month,
                "date": [DATES[0] + pd.DateOffset(months=int(m)) for m in month],
                "exit_cost_p5_usd": 0.8 * expected,
                "exit_cost_p50_usd": expected,
                "exit_cost_p95_usd": 1.3 * expected,
                "exit_cost_expected_usd": 1.05 * expected,
            }
        )

    def negotiation_discount(self) -> float:
        return 0.061


@pytest.fixture
def sim() -> HandWorkedSimulation:
    return HandWorkedSimulation()


@pytest.fixture(scope="session")
def hand_worked_report() -> Report:
    """The report of the hand-worked simulation (its figures are drawn once per process)."""
    return simulation_report(
        HandWorkedSimulation(), title="Hand-worked", created=dt.date(2026, 12, 1)
    )


@pytest.fixture(scope="session")
def hand_worked_page(hand_worked_report: Report) -> str:
    """That report as an HTML page."""
    return render_html(hand_worked_report)
