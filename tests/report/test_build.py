"""Builders: the decision a summary supports; a report from an exit case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exitcost.case import exit_case
from exitcost.estate import sample_estate
from exitcost.report.build import book_sources, case_frames, case_report, decision_headline
from tests.report.conftest import HandWorkedSimulation


class TestDecisionHeadline:
    def test_takes_the_plan_with_the_best_median_savings(self, sim: HandWorkedSimulation) -> None:
        headline, best = decision_headline(sim.summary())
        assert best == "colo"
        assert (headline.low_usd, headline.central_usd, headline.high_usd) == (
            -8_000.0,
            7_000.0,
            15_000.0,
        )
        assert headline.details == (
            "Exit cost of colo: $75,000 median ($60,000 to $98,000, P5 to P95).",
            "Break-even against stay: month 10 (median).",
        )

    def test_keeps_the_reference_when_no_plan_saves_at_the_median(
        self, sim: HandWorkedSimulation
    ) -> None:
        summary = sim.summary()
        summary.loc["colo", "savings_npv_p50_usd"] = -1.0
        summary["break_even_month_p50"] = pd.array([pd.NA, pd.NA], dtype="Int64")
        headline, _ = decision_headline(summary)
        assert headline.decision.startswith("Keep 'stay': no plan beats it at the median")
        assert headline.details[1] == "Break-even against stay: never within the horizon (median)."

    def test_a_single_plan_has_nothing_to_compare(self, sim: HandWorkedSimulation) -> None:
        headline, best = decision_headline(sim.summary().iloc[:1])
        assert best == "stay"
        assert headline.central_usd == 115_000.0


@pytest.fixture(scope="module")
def case():  # type: ignore[no-untyped-def]
    return exit_case(sample_estate(), "azure", horizon_months=36)


def test_case_frames_restate_the_streams(case) -> None:  # type: ignore[no-untyped-def]
    flows, bill = case_frames(case)
    leave = flows[flows["plan"] == "leave"]
    np.testing.assert_allclose(
        leave["cumulative_cost_usd"], case.monthly_costs["leave_usd"].cumsum()
    )
    assert bill["usd"].sum() == pytest.approx(case.exit_bill.loc["total", "expected_usd"])
    assert (bill["usd"] > 0).all()


def test_case_report_headline_is_the_exit_bill_range(case) -> None:  # type: ignore[no-untyped-def]
    report = case_report(case)
    total = case.exit_bill.loc["total"]
    h = report.headline
    assert (h.low_usd, h.central_usd, h.high_usd) == (
        total["low_usd"],
        total["expected_usd"],
        total["high_usd"],
    )
    assert (h.low_name, h.central_name, h.high_name) == ("low", "expected", "high")
    assert [t.name for t in report.tables()] == ["Stay or leave", "Exit bill", "Monthly cost"]
    # the engine prices the whole estate, so every provider's book is a source of the case
    assert set(report.provenance["provider"]) == {"aws", "azure", "colo", "edge", "onprem"}


def test_case_report_shows_switches_as_flags(case) -> None:  # type: ignore[no-untyped-def]
    table = case_report(case).assumptions.set_index("name")
    assert table.loc["exit_waiver", "value"] is False
    assert table.loc["exit_waiver", "unit"] == "flag"
    assert table.loc["growth", "value"] is True
    assert isinstance(table.loc["discount_rate_per_year", "value"], float)


def test_book_sources_lists_every_source_with_its_label() -> None:
    frame = book_sources(["aws"], as_of="2026-11-01")
    assert set(frame["label"]) <= {"V", "S+", "S", "M", "R", "D"}
    assert (frame["effective_date"] == "2024-09-25").all()
    assert frame["source"].str.contains("Infracost").any()
