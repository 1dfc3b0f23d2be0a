"""Transfer options hold the pricing TierSchedule; the padded graph kernel prices like it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, PriceLimitError
from exitcost.graph._schedule import TransferOption, pad_tiers, tier_cost_usd
from exitcost.pricing.tiers import TierSchedule

# AWS us-east-1 internet egress tiers, Infracost golden 2024-09-25 (V).
AWS = [(0, 10240, 0.09), (10240, 51200, 0.085), (51200, 153600, 0.07), (153600, None, 0.05)]


def _option(schedule: TierSchedule, key: str = "k") -> TransferOption:
    return TransferOption("a", "b", key, "internet", schedule)


def test_an_option_holds_the_price_books_schedule_type() -> None:
    opt = TransferOption.from_tiers("a", "b", [(10_240, 0.09), (None, 0.085)], free_gb=100)
    assert isinstance(opt.schedule, TierSchedule)
    assert opt.upper_gb == (100.0, 10240.0, float("inf"))
    assert opt.usd_per_gb == (0.0, 0.09, 0.085)


def test_bounds_that_do_not_increase_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="strictly increasing"):
        TransferOption.from_tiers("a", "b", [(100, 0.1), (50, 0.05)])


@st.composite
def schedules(draw: st.DrawFn) -> TierSchedule:
    n = draw(st.integers(1, 4))
    widths = draw(st.lists(st.floats(1.0, 1e5), min_size=n - 1, max_size=n - 1))
    edges = [0.0, *np.cumsum(widths).tolist()]
    rates = draw(st.lists(st.sampled_from([0.0, 0.01, 0.05, 0.09, 0.12]), min_size=n, max_size=n))
    return TierSchedule(np.asarray(edges), np.asarray(rates))


@settings(max_examples=40, deadline=None)
@given(st.lists(schedules(), min_size=1, max_size=4), st.floats(0.0, 5e5))
def test_padded_kernel_equals_each_schedules_own_cost_bit_for_bit(
    many: list[TierSchedule], volume: float
) -> None:
    options = [_option(s, f"k{i}") for i, s in enumerate(many)]
    got = tier_cost_usd(pad_tiers(options), np.float64(volume))
    want = [s.cost(volume) for s in many]
    assert got.tolist() == want


def test_padded_kernel_names_the_option_whose_limit_is_exceeded() -> None:
    capped = TierSchedule.from_bounds([(0, 1000, 0.1)])
    tiers = pad_tiers([_option(TierSchedule.from_bounds(AWS), "open"), _option(capped, "capped")])
    with pytest.raises(PriceLimitError, match=r"2000 GB .*\(1000 GB\) of capped"):
        tier_cost_usd(tiers, np.array([2000.0]), keys=["open", "capped"])
    assert tier_cost_usd(tiers, np.array([2000.0]), "exclude")[1] == np.inf
