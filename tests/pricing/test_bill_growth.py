"""The exit bill prices each dataset at its size when the move starts (grown to it).

Reference rates: the bundled AWS book 2024-09-25 (data/pricing/aws/, label V).
"""

from __future__ import annotations

import datetime as dt

import pytest

import exitcost.pricing.bill as bill_module
from exitcost.estate import sample_estate
from exitcost.pricing import (
    exit_bill,
)
from exitcost.uncertainty import point
from tests.pricing.cards import clean_registry, estate

_clean_registry = clean_registry  # every test leaves no book registered


def test_exit_bill_grows_datasets_to_the_move() -> None:
    e = estate([("lake", "aws:us-east-1", 10_000.0, "standard", 0.02)])
    # 2025-07 -> 2025-10: three months of 2 % growth: 10,000 x 1.02**3 = 10,612.08 GB.
    size = 10_000.0 * 1.02**3
    bill = exit_bill(e, as_of="2025-10-15")
    assert bill.loc[0, "size_gb"] == pytest.approx(10_612.08)
    # (10,240 - 100) x 0.09 + (10,612.08 - 10,240) x 0.085 (100 GB free off the first band)
    assert bill.loc[0, "egress_usd"] == pytest.approx(10_140 * 0.09 + (size - 10_240) * 0.085)
    # At or before the estate's month: no growth.
    for day in ("2025-07-31", "2025-07-01", "2025-06-01"):
        with_day = exit_bill(e, as_of=day)
        assert with_day.loc[0, "size_gb"] == pytest.approx(10_000.0)
    assert exit_bill(e).loc[0, "size_gb"] == pytest.approx(10_000.0)


def test_the_old_months_between_of_the_bill_warns_and_still_counts_at_least_0() -> None:
    with pytest.warns(FutureWarning, match=r"exitcost\.units\.months_between"):
        old = bill_module.months_between
    assert old(dt.date(2025, 12, 31), dt.date(2026, 1, 1)) == 1
    assert old(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == 0
    assert "months_between" not in bill_module.__all__


def test_an_unknown_name_of_the_bill_module_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        bill_module.no_such_name  # noqa: B018


def test_sample_estate_grows_at_its_own_rates() -> None:
    est = sample_estate()
    later = exit_bill(est, as_of="2027-05-01")  # six months after the estate's 2026-11-01
    now = exit_bill(est)
    assert len(later) == len(now) > 0
    for row, before in zip(later.itertuples(), now.itertuples(), strict=True):
        d = est.dataset(str(row.dataset))
        assert before.size_gb == pytest.approx(point(d.size_gb))
        assert row.size_gb == pytest.approx(
            point(d.size_gb) * (1 + point(d.growth_rate_per_month)) ** 6
        )
    assert later["size_gb"].sum() > now["size_gb"].sum()  # the sample's datasets grow
