"""Tests for exitcost.summary: the one-time exit bill across all cost categories."""

from __future__ import annotations

import pytest

from exitcost import InvalidParameterError, sample_estate
from exitcost.effort import exit_bill_lines, programme_end_month
from exitcost.pricing import exit_bill
from exitcost.summary import SUMMARY_COLUMNS, exit_cost_summary
from exitcost.units import add_months


@pytest.fixture(scope="module")
def estate():  # type: ignore[no-untyped-def]
    return sample_estate()


@pytest.mark.parametrize("provider", ["aws", "azure", None])
def test_lines_are_the_modules_own_numbers(estate, provider) -> None:  # type: ignore[no-untyped-def]
    summary = exit_cost_summary(estate, provider)
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    # The data leaves in the month before the programme ends (months=1).
    end = programme_end_month(estate, provider=provider)
    bill = exit_bill(estate, as_of=add_months(estate.as_of, end - 1))
    if provider is not None:
        bill = bill[bill["provider"] == provider]
    for category in ("egress", "retrieval", "requests", "early_deletion"):
        for column in ("low_usd", "expected_usd", "high_usd"):
            assert summary.loc[category, column] == pytest.approx(bill[f"{category}_usd"].sum())
    lines = exit_bill_lines(estate, provider=provider)
    for category in lines.index:
        for column in ("low_usd", "expected_usd", "high_usd"):
            assert summary.loc[category, column] == lines.loc[category, column]


def test_data_moves_at_the_end_of_the_programme(estate) -> None:  # type: ignore[no-untyped-def]
    # Priced at the move's date, the datasets have grown: more egress than moving them today.
    now = exit_cost_summary(estate, "aws", as_of=estate.as_of)
    later = exit_cost_summary(estate, "aws")
    assert later.loc["egress", "expected_usd"] > now.loc["egress", "expected_usd"]
    end = programme_end_month(estate, provider="aws")
    assert f"from {add_months(estate.as_of, end - 1):%Y-%m}" in later.loc["egress", "basis"]
    # An explicit exit month moves the data and the commitments together.
    early = exit_cost_summary(estate, "aws", exit_month=2, months=2)
    assert f"from {estate.as_of:%Y-%m}" in early.loc["egress", "basis"]
    assert "month 2" in early.loc["commitments", "basis"]
    assert early.loc["commitments", "expected_usd"] > later.loc["commitments", "expected_usd"]


def test_total_is_the_sum_and_ranges_are_ordered(estate) -> None:  # type: ignore[no-untyped-def]
    summary = exit_cost_summary(estate, "aws")
    money = ["low_usd", "expected_usd", "high_usd"]
    body = summary.drop(index="total")
    assert summary.loc["total", money].tolist() == pytest.approx(body[money].sum().tolist())
    assert (summary["low_usd"] <= summary["expected_usd"]).all()
    assert (summary["expected_usd"] <= summary["high_usd"]).all()
    assert not summary[money].isna().any().any()


def test_waiver_removes_egress_only(estate) -> None:  # type: ignore[no-untyped-def]
    listed = exit_cost_summary(estate, "aws")
    waived = exit_cost_summary(estate, "aws", exit_waiver=True)
    assert waived.loc["egress", "expected_usd"] == 0.0
    assert listed.loc["egress", "expected_usd"] > 0.0
    for category in ("retrieval", "requests", "labour", "dual_running", "commitments"):
        assert waived.loc[category, "expected_usd"] == listed.loc[category, "expected_usd"]


def test_leaving_aws_costs_more_than_leaving_azure(estate) -> None:  # type: ignore[no-untyped-def]
    # The sample holds ~5.2 PB and 23 workloads on AWS against ~190 TB and 5 on Azure.
    aws = exit_cost_summary(estate, "aws").loc["total", "expected_usd"]
    azure = exit_cost_summary(estate, "azure").loc["total", "expected_usd"]
    assert aws > 5 * azure


@pytest.mark.parametrize("provider", ["gcp", "onprem", []])
def test_provider_must_be_a_cloud_of_the_estate(estate, provider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameterError, match="must name cloud providers of the estate"):
        exit_cost_summary(estate, provider)
