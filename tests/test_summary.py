"""Tests for exitcost.summary: the stand-alone kernels' exit costs (deprecated for the engine's
exit bill; the module's tests keep it working until it goes)."""

from __future__ import annotations

import pytest

from exitcost import InvalidParameterError, sample_estate
from exitcost.effort import exit_bill_lines, programme_end_month
from exitcost.pricing import exit_bill
from exitcost.pricing.policy import StalePriceBookWarning
from exitcost.summary import SUMMARY_COLUMNS, exit_cost_summary
from exitcost.units import add_months

pytestmark = pytest.mark.filterwarnings("ignore:exit_cost_summary is deprecated:FutureWarning")


@pytest.fixture(scope="module")
def estate():  # type: ignore[no-untyped-def]
    return sample_estate()


@pytest.mark.parametrize("provider", ["aws", "azure", None])
def test_lines_are_the_modules_own_numbers(estate, provider) -> None:  # type: ignore[no-untyped-def]
    summary = exit_cost_summary(estate, provider)
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    # None means every cloud provider of the estate, for every line.
    scope = ["aws", "azure"] if provider is None else provider
    # The data leaves in the month before the programme ends (months=1).
    end = programme_end_month(estate, provider=scope)
    bill = exit_bill(estate, as_of=add_months(estate.as_of, end - 1), provider=scope)
    for category in ("egress", "retrieval", "requests", "early_deletion"):
        for column in ("low_usd", "expected_usd", "high_usd"):
            assert summary.loc[category, column] == pytest.approx(bill[f"{category}_usd"].sum())
    lines = exit_bill_lines(estate, provider=scope)
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
    early = exit_cost_summary(estate, "aws", exit_month=2, spread_months=2)
    assert f"from {estate.as_of:%Y-%m}" in early.loc["egress", "basis"]
    assert "month 2" in early.loc["commitments", "basis"]
    assert early.loc["commitments", "expected_usd"] > later.loc["commitments", "expected_usd"]


def test_retaining_everything_is_not_an_exit(estate) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameterError, match="every workload of aws is retained"):
        exit_cost_summary(estate, "aws", strategies="retain")
    partial = {"storefront-web": "retain"}
    basis = exit_cost_summary(estate, "aws", strategies=partial).loc["commitments", "basis"]
    assert "1 workload(s) retained at the provider" in basis


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"exit_waiver": "no"}, "'exit_waiver' parameter of exit_cost_summary must be True or"),
        ({"exit_month": -3}, "'exit_month' parameter of exit_cost_summary must be whole months"),
        ({"exit_month": 2.5}, "'exit_month' parameter of exit_cost_summary"),
        ({"exit_month": "2026-01-01"}, "in or after 2026-11"),
        ({"spread_months": 0}, "'spread_months' parameter of exit_cost_summary must be >= 1"),
        ({"as_of": "2031-01-01", "exit_month": 3}, "must end by the exit month"),
    ],
)
def test_bad_arguments_name_this_function(estate, kwargs, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidParameterError, match=match):
        exit_cost_summary(estate, "aws", **kwargs)


def test_an_eu_customer_is_said_in_the_basis(estate) -> None:  # type: ignore[no-untyped-def]
    bill = exit_cost_summary(
        estate, "aws", customer_jurisdiction="DE", exit_month=3, spread_months=1
    )
    assert "for a customer in DE" in bill.loc["egress", "basis"]


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


def test_one_short_warning_per_call(estate) -> None:  # type: ignore[no-untyped-def]
    # rehost keeps the managed services that cannot leave with it: the effort model warns,
    # once for the whole summary, though the summary calls several effort functions.
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", StalePriceBookWarning)  # the sample's AWS book is old
        warnings.filterwarnings("ignore", "exit_cost_summary is deprecated", FutureWarning)
        exit_cost_summary(estate, "aws", strategies="rehost")
    assert len(caught) == 1
    assert len(str(caught[0].message)) < 1_000


def test_basis_says_what_applied(estate) -> None:  # type: ignore[no-untyped-def]
    # A move in Jan-Feb 2027 (month 2 and 3 after 2026-11): the Data Act's "at cost" phase on
    # 2027-01-01 (each month's first day), then no switching charges from 2027-02-01.
    eu = exit_cost_summary(estate, "aws", customer_jurisdiction="DE", exit_month=4, spread_months=2)
    assert (
        "EU Data Act for a customer in DE: switching charges at most at cost then no"
        in (eu.loc["egress", "basis"])
    )
    us = exit_cost_summary(estate, "aws", customer_jurisdiction="US", exit_month=4, spread_months=2)
    assert "EU Data Act" not in us.loc["egress", "basis"]
    assert eu.attrs["price_books"] == {"aws": "2024-09-25"}
    assert set(eu.attrs["labels"]) == {
        d.id for d in estate.datasets if d.location.startswith("aws:")
    }
    with pytest.raises(InvalidParameterError, match="parameter of exit_cost_summary"):
        exit_cost_summary(estate, "aws", customer_jurisdiction="Germany")


def test_exit_month_spellings_agree(estate) -> None:  # type: ignore[no-untyped-def]
    # A month, an ISO date or a numpy datetime: the same exit as 7 months after 2026-11.
    import numpy as np

    expected = exit_cost_summary(estate, "aws", exit_month=7).loc["total", "expected_usd"]
    for spelling in ("2027-06", "2027-06-15", np.datetime64("2027-06-01")):
        got = exit_cost_summary(estate, "aws", exit_month=spelling).loc["total", "expected_usd"]
        assert got == expected


def test_a_compiled_model_gives_the_estates_bill() -> None:
    import pandas as pd

    from exitcost.model import compile

    estate = sample_estate()
    by_model = exit_cost_summary(compile(estate), "azure")
    pd.testing.assert_frame_equal(by_model, exit_cost_summary(estate, "azure"))


def test_the_kernel_table_is_deprecated_for_the_engines_exit_bill(estate) -> None:  # type: ignore[no-untyped-def]
    with pytest.warns(FutureWarning, match=r"exit_case\(estate, provider\)\.exit_bill"):
        exit_cost_summary(estate, "aws")
