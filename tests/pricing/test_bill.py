"""Tests of the estate exit bill (exitcost.pricing.bill)."""

from __future__ import annotations

import numpy as np
import pytest

from exitcost.errors import InvalidParameterError
from exitcost.estate import sample_estate
from exitcost.pricing import egress_cost
from exitcost.pricing.bill import BILL_COLUMNS, exit_bill, exit_bill_by_provider


def test_bill_shape_and_totals() -> None:
    bill = exit_bill(sample_estate())
    assert tuple(bill.columns) == BILL_COLUMNS
    assert set(bill["provider"]) <= {"aws", "azure", "gcp"}
    parts = bill[["egress_usd", "retrieval_usd", "requests_usd", "early_deletion_usd"]].sum(axis=1)
    np.testing.assert_allclose(parts, bill["total_usd"])
    assert (bill[list(BILL_COLUMNS[5:])] >= 0).all().all()


def test_bill_region_egress_matches_egress_cost() -> None:
    # us-west-2 is the only region of its account that sends, apart from the shared allowance:
    # with every AWS region moving in one month, the account's 100 GB free go to us-east-1
    # (first in the estate), so us-west-2 pays its full tiered egress.
    estate = sample_estate()
    bill = exit_bill(estate)
    west = bill[bill["location"] == "aws:us-west-2"]
    full = egress_cost(west["size_gb"].sum(), source="aws:us-west-2")
    no_free = full + 100 * 0.09  # the single-source call gave it the free 100 GB
    assert west["egress_usd"].sum() == pytest.approx(no_free)


def test_waiver_zeroes_egress_only() -> None:
    with_waiver = exit_bill(sample_estate(), exit_waiver=True)
    without = exit_bill(sample_estate())
    assert (with_waiver["egress_usd"] == 0).all()
    np.testing.assert_allclose(with_waiver["retrieval_usd"], without["retrieval_usd"])
    assert with_waiver["total_usd"].sum() < without["total_usd"].sum()
    summary = exit_bill_by_provider(without)
    assert summary.loc["total", "total_usd"] == pytest.approx(without["total_usd"].sum())


def test_months_spread_and_bad_months() -> None:
    one = exit_bill(sample_estate())["egress_usd"].sum()
    four = exit_bill(sample_estate(), months=4)["egress_usd"].sum()
    assert four > one  # tiers reset every month, so spreading costs more
    with pytest.raises(InvalidParameterError, match="'months'"):
        exit_bill(sample_estate(), months=1.5)
