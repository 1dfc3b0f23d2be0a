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
    four = exit_bill(sample_estate(), spread_months=4)["egress_usd"].sum()
    assert four > one  # tiers reset every month, so spreading costs more
    with pytest.raises(InvalidParameterError, match="'spread_months'"):
        exit_bill(sample_estate(), spread_months=1.5)


def _small_estate() -> object:
    """A duck-typed estate: two AWS regions of one account, three datasets (and a site)."""
    import datetime as dt
    from types import SimpleNamespace as NS

    def loc(id_: str, kind: str = "cloud") -> NS:
        return NS(id=id_, kind=kind, billing_account="acme", jurisdiction="US")

    def ds(id_: str, where: str, size: float, klass: str, objects: int | None) -> NS:
        return NS(id=id_, location=where, size_gb=size, storage_class=klass, object_count=objects)

    return NS(
        as_of=dt.date(2025, 7, 1),
        locations=[loc("aws:us-east-1"), loc("aws:eu-west-1"), loc("onprem:fra1", "onprem")],
        datasets=[
            ds("lake", "aws:us-east-1", 10240.0, "standard", None),
            ds("cold", "aws:us-east-1", 5120.0, "deep_archive", 1000),
            ds("eu", "aws:eu-west-1", 1024.0, "standard", None),
            ds("files", "onprem:fra1", 500.0, "standard", None),
        ],
    )


def test_bill_hand_checked() -> None:
    # AWS book 2024-09-25 (Infracost golden, V; 100 GB free once per account, S):
    #   us-east-1 sends 15,360 GB in the month: (10,240 - 100) x 0.09 + 5,120 x 0.085
    #     = 912.60 + 435.20 = 1,347.80, shared 2:1 by size -> lake 898.5333, cold 449.2667
    #   eu-west-1 sends 1,024 GB; the account's free GB are used up: 1,024 x 0.09 = 92.16
    #   cold: Deep Archive standard retrieval 5,120 x 0.02 = 102.40; 1,000 objects x
    #     (0.10 + 0.0004) / 1,000 = 0.1004
    #   total 1,347.80 + 92.16 + 102.40 + 0.1004 = 1,542.4604; the site's data is not billed.
    bill = exit_bill(_small_estate())  # type: ignore[arg-type]
    got = bill.set_index("dataset")
    assert list(got.index) == ["lake", "cold", "eu"]
    np.testing.assert_allclose(got["egress_usd"], [1347.8 * 2 / 3, 1347.8 / 3, 92.16])
    assert got.loc["cold", "retrieval_usd"] == pytest.approx(102.4)
    assert got.loc["cold", "requests_usd"] == pytest.approx(0.1004)
    assert bill["total_usd"].sum() == pytest.approx(1542.4604)


def test_bill_waiver_window_over_two_months() -> None:
    # Two months from 2025-07-01: 7,680 GB a month from us-east-1 = (7,680 - 100) x 0.09 =
    # 682.20; 512 GB from eu-west-1 = 46.08. The 60-day window ends on 2025-08-30, so 29 of
    # August's 31 days are credited and 2/31 of August's egress remains:
    #   (682.20 + 46.08) x 2 / 31 = 46.9858...
    bill = exit_bill(_small_estate(), spread_months=2, exit_waiver=True)  # type: ignore[arg-type]
    assert bill["egress_usd"].sum() == pytest.approx((682.2 + 46.08) * 2 / 31)
    full = exit_bill(_small_estate(), spread_months=2)  # type: ignore[arg-type]
    assert full["egress_usd"].sum() == pytest.approx(2 * (682.2 + 46.08))
