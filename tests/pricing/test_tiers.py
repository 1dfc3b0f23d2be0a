"""Tests of the marginal tier kernel (exitcost.pricing.tiers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import ExtrapolationWarning, InvalidParameterError, PriceLimitError
from exitcost.pricing.tiers import (
    TierSchedule,
    account_tiered_cost,
    add_free_allowance,
    tiered_cost,
)

# AWS us-east-1 internet egress tiers, Infracost golden 2024-09-25 (V).
AWS_EDGES = [0.0, 10240.0, 51200.0, 153600.0]
AWS_RATES = [0.09, 0.085, 0.07, 0.05]


def naive(volume: float, edges: list[float], rates: list[float], limit: float = np.inf) -> float:
    """Reference: walk the bands one by one."""
    uppers = [*edges[1:], limit]
    total = 0.0
    for lo, hi, r in zip(edges, uppers, rates, strict=True):
        total += max(0.0, min(volume, hi) - lo) * r
    return total


def test_marginal_not_flat() -> None:
    # 1,025 GB must cost more than 1,024 GB (the flat-rate bug of some tools).
    edges, rates = [0, 1024], [0.12, 0.11]  # GCP premium 0-1 TiB / 1-10 TiB (infracost, V)
    assert tiered_cost(1025.0, edges, rates) > tiered_cost(1024.0, edges, rates)
    assert tiered_cost(1025.0, edges, rates) == pytest.approx(1024 * 0.12 + 0.11)


def test_500tb_hand_checked() -> None:
    # 10,240*0.09 + 40,960*0.085 + 102,400*0.07 + 358,400*0.05 = 921.6 + 3,481.6 + 7,168
    # + 17,920 = 29,491.2 (AWS us-east-1 tiers, Infracost golden 2024-09-25).
    assert tiered_cost(512000.0, AWS_EDGES, AWS_RATES) == pytest.approx(29491.2)


def test_non_concave_schedule_matches_naive() -> None:
    edges, rates = [0.0, 100.0, 500.0], [0.0, 0.5, 0.8]  # rising rates take the general path
    v = np.array([0.0, 50.0, 100.0, 300.0, 500.0, 900.0])
    expected = [naive(x, edges, rates) for x in v]
    np.testing.assert_allclose(tiered_cost(v, edges, rates), expected)


def test_all_zero_schedule() -> None:
    assert tiered_cost(np.array([0.0, 5.0]), [0.0], [0.0]).tolist() == [0.0, 0.0]


def test_types_and_shapes() -> None:
    s = pd.Series([0.0, 20480.0], index=["a", "b"], name="gb")
    out = tiered_cost(s, AWS_EDGES, AWS_RATES)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    assert isinstance(tiered_cost(5.0, AWS_EDGES, AWS_RATES), float)
    arr = np.full((3, 2, 4), 100.0)
    assert tiered_cost(arr, AWS_EDGES, AWS_RATES).shape == (3, 2, 4)
    assert tiered_cost(np.empty(0), AWS_EDGES, AWS_RATES).shape == (0,)


def test_chunk_boundaries() -> None:
    v = np.linspace(0, 600000, 200_001)  # more than three chunks
    out = tiered_cost(v, AWS_EDGES, AWS_RATES)
    idx = [0, 65535, 65536, 131072, 200000]
    np.testing.assert_allclose(out[idx], [naive(v[i], AWS_EDGES, AWS_RATES) for i in idx])


@pytest.mark.parametrize(
    ("bad", "match"),
    [(-1.0, "must be >= 0"), (np.nan, "must not be NaN"), (np.inf, "must be finite")],
)
def test_bad_volume(bad: float, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        tiered_cost(np.array([1.0, bad]), AWS_EDGES, AWS_RATES)


def test_bad_schedule() -> None:
    with pytest.raises(InvalidParameterError, match="must start at 0"):
        tiered_cost(1.0, [5.0, 10.0], [0.1, 0.1])
    with pytest.raises(InvalidParameterError, match="same non-zero length"):
        tiered_cost(1.0, [0.0, 10.0], [0.1])
    with pytest.raises(InvalidParameterError, match="'beyond_published'"):
        tiered_cost(1.0, [0.0], [0.1], beyond_published="maybe")  # type: ignore[arg-type]


def test_published_limit() -> None:
    # GCP standard tier: contact sales beyond 512,000 GiB (api-evangelist yml, V for the limit).
    with pytest.raises(PriceLimitError, match="beyond_published='extrapolate'"):
        tiered_cost(600000.0, [0.0], [0.085], limit_gb=512000.0)
    with pytest.warns(ExtrapolationWarning, match="exceeds the last published"):
        out = tiered_cost(
            600000.0, [0.0], [0.085], limit_gb=512000.0, beyond_published="extrapolate"
        )
    assert out == pytest.approx(600000 * 0.085)
    assert tiered_cost(512000.0, [0.0], [0.085], limit_gb=512000.0) == pytest.approx(43520.0)


def test_free_allowance_schedule() -> None:
    e, r = add_free_allowance(AWS_EDGES, AWS_RATES, 20000.0)  # spills into the second band
    assert e.tolist() == [0.0, 20000.0, 51200.0, 153600.0]
    assert r.tolist() == [0.0, 0.085, 0.07, 0.05]
    s = TierSchedule.from_bounds([(0, 10240, 0.09), (10240, None, 0.085)], free_gb=100)
    assert s.without_free_allowance().edges_gb.tolist() == [0.0, 10240.0]
    assert s.cumulative_usd.tolist() == pytest.approx([0.0, 0.0, 912.6])
    assert "0-100: 0" in repr(s)


def test_account_allowance_order() -> None:
    s = TierSchedule(np.array(AWS_EDGES), np.array(AWS_RATES))
    # 100 GB free shared: the first source uses 80, the second the remaining 20.
    out = account_tiered_cost(np.array([[80.0, 50.0]]), [s, s], free_gb=100.0)
    np.testing.assert_allclose(out, [[0.0, 30 * 0.09]])
    with pytest.raises(InvalidParameterError, match="last axis of length 2"):
        account_tiered_cost(np.array([1.0, 2.0, 3.0]), [s, s])


volumes = st.floats(min_value=0.0, max_value=2e6, allow_nan=False, allow_infinity=False)


@st.composite
def schedules(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    n = draw(st.integers(1, 6))
    widths = draw(st.lists(st.floats(1.0, 1e5), min_size=n - 1, max_size=n - 1))
    edges = [0.0, *np.cumsum(widths).tolist()]
    rates = draw(st.lists(st.floats(0.0, 0.3), min_size=n, max_size=n))
    return edges, rates


@given(schedules(), volumes, volumes)
def test_property_monotone_nonnegative(
    sch: tuple[list[float], list[float]], a: float, b: float
) -> None:
    edges, rates = sch
    lo, hi = sorted((a, b))
    c_lo, c_hi = tiered_cost(lo, edges, rates), tiered_cost(hi, edges, rates)
    assert c_lo >= 0.0
    assert c_hi >= c_lo - 1e-9 * max(1.0, c_hi)
    assert tiered_cost(0.0, edges, rates) == 0.0


@given(schedules(), volumes)
def test_property_matches_naive_and_elementwise(
    sch: tuple[list[float], list[float]], v: float
) -> None:
    edges, rates = sch
    arr = np.array([v, v / 2, v / 3])
    out = tiered_cost(arr, edges, rates)
    for x, got in zip(arr, out, strict=True):
        assert got == tiered_cost(float(x), edges, rates)
        assert got == pytest.approx(naive(float(x), edges, rates), rel=1e-9, abs=1e-6)


@given(schedules(), st.integers(0, 5), st.floats(1e-3, 1.0))
def test_property_continuous_at_edges(
    sch: tuple[list[float], list[float]], k: int, step: float
) -> None:
    edges, rates = sch
    edge = edges[min(k, len(edges) - 1)]
    below, above = max(edge - step, 0.0), edge + step
    jump = tiered_cost(above, edges, rates) - tiered_cost(below, edges, rates)
    assert jump <= (above - below) * max(rates) + 1e-9 * max(1.0, edge)


def test_without_free_allowance_is_exact_past_the_first_band() -> None:
    # A 20,000 GB allowance reaches past the first AWS band (10,240 GB): removing it must give
    # the published schedule back, not [0, 51,200, ...] at 0.085.
    s = TierSchedule.from_bounds(
        [(0, 10240, 0.09), (10240, 51200, 0.085), (51200, None, 0.07)], free_gb=20000
    )
    base = s.without_free_allowance()
    assert base.edges_gb.tolist() == [0.0, 10240.0, 51200.0]
    assert base.rates_usd_per_gb.tolist() == [0.09, 0.085, 0.07]
    # 30,000 GB: 10,240 x 0.09 + 19,760 x 0.085 = 921.60 + 1,679.60 = 2,601.20
    assert base.cost(30000.0) == pytest.approx(2601.2)


def test_account_allowance_eligibility_and_own_allowance() -> None:
    s = TierSchedule(np.array(AWS_EDGES), np.array(AWS_RATES))
    # The second source is not eligible for the shared 100 GB: it pays 150 x 0.09 = 13.50 and
    # the first (eligible) source's 40 GB are free.
    out = account_tiered_cost(
        np.array([[40.0, 150.0]]), [s, s], free_gb=100.0, eligible=[True, False]
    )
    np.testing.assert_allclose(out, [[0.0, 13.5]])
    # A per-region 50 GB stacks with the shared 100 GB: 200 GB -> 50 GB paid x 0.09 = 4.50.
    out = account_tiered_cost(np.array([[200.0]]), [s], free_gb=100.0, own_free_gb=[50.0])
    np.testing.assert_allclose(out, [[4.5]])
    with pytest.raises(InvalidParameterError, match="'eligible'"):
        account_tiered_cost(np.array([[1.0, 1.0]]), [s, s], eligible=[True])
    with pytest.raises(InvalidParameterError, match="'own_free_gb'"):
        account_tiered_cost(np.array([[1.0, 1.0]]), [s, s], own_free_gb=[1.0, 2.0, 3.0])
    with pytest.raises(InvalidParameterError, match=r"'free_gb'.*>= 0"):
        account_tiered_cost(np.array([[1.0]]), [s], free_gb=-1.0)


@given(schedules(), st.floats(0.0, 100.0), st.integers(1, 9))
def test_property_chunking_never_changes_results(
    sch: tuple[list[float], list[float]], free_gb: float, chunk: int
) -> None:
    # Every path (lower envelope, free band, general marginal sum) gives the same numbers
    # whatever the chunk size.
    from exitcost.pricing import tiers

    edges, rates = add_free_allowance(*sch, free_gb)
    v = np.linspace(0.0, 2.0 * float(edges[-1]) + 10.0, 23)
    whole = tiered_cost(v, edges, rates)
    saved = tiers.CHUNK_ELEMENTS
    try:
        tiers.CHUNK_ELEMENTS = chunk
        chunked = tiered_cost(v, edges, rates)
    finally:
        tiers.CHUNK_ELEMENTS = saved
    np.testing.assert_array_equal(whole, chunked)
    np.testing.assert_allclose(
        whole, [naive(float(x), list(edges), list(rates)) for x in v], rtol=1e-9, atol=1e-6
    )


@given(schedules(), st.floats(0.0, 5e4), volumes)
def test_property_envelope_exact_with_free_band(
    sch: tuple[list[float], list[float]], free_gb: float, v: float
) -> None:
    # Falling rates after a free band take the lower-envelope shortcut; it must equal the
    # band-by-band sum (rates sorted so the shortcut is used).
    edges, rates = sch
    falling = sorted(rates, reverse=True)
    e, r = add_free_allowance(edges, falling, free_gb)
    assert tiered_cost(v, e, r) == pytest.approx(naive(v, list(e), list(r)), rel=1e-9, abs=1e-6)
