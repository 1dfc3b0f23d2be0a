"""Tests for exitcost.finance: NPV, IRR, payback, break-even, TCO, annuities, depreciation."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from exitcost.errors import InvalidParameterError, NoSolutionError
from exitcost.finance import (
    annuity_payment,
    break_even_month,
    declining_balance_depreciation,
    discount_factors,
    discounted_payback_month,
    irr,
    npv,
    payback_month,
    rate_per_month_from_annual,
    rate_per_year_from_monthly,
    straight_line_depreciation,
    tco,
)

money = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(-0.5, 0.5, allow_nan=False)


def flows_with_one_sign_change(rng: np.random.Generator, rows: int, months: int) -> np.ndarray:
    """Investments first (negative), returns after (positive): exactly one sign change."""
    cf = rng.uniform(1.0, 100.0, size=(rows, months))
    split = rng.integers(1, months, size=rows)
    negative = np.arange(months)[None, :] < split[:, None]
    cf[negative] *= (
        -rng.uniform(1.0, 20.0, size=rows).repeat(months).reshape(rows, months)[negative]
    )
    return cf


class TestRates:
    def test_monthly_from_annual(self) -> None:
        # (1.08) ** (1/12) - 1, worked by hand.
        assert rate_per_month_from_annual(0.08) == pytest.approx(1.08 ** (1 / 12) - 1, rel=1e-14)

    def test_array_and_series(self) -> None:
        out = rate_per_month_from_annual(np.array([0.0, 0.12]))
        np.testing.assert_allclose(out, [0.0, 1.12 ** (1 / 12) - 1])
        series = rate_per_year_from_monthly(pd.Series([0.01], index=["a"]))
        assert series.index.tolist() == ["a"]

    @given(st.floats(-0.99, 1.0))
    def test_round_trip(self, rate: float) -> None:
        back = rate_per_year_from_monthly(rate_per_month_from_annual(rate))
        assert back == pytest.approx(rate, rel=1e-10, abs=1e-12)

    def test_rate_at_minus_one_rejected(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'discount_rate_per_year'.*> -1"):
            rate_per_month_from_annual(-1.0)

    def test_discount_factors(self) -> None:
        np.testing.assert_allclose(discount_factors(0.25, 3), [1.0, 0.8, 0.64])
        np.testing.assert_allclose(discount_factors(0.25, 2, when="end"), [0.8, 0.64])
        with pytest.raises(InvalidParameterError, match=r"'n_periods'.*whole number"):
            discount_factors(0.1, 2.5)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'n_periods'.*>= 1"):
            discount_factors(0.1, 0)


class TestNpv:
    def test_agrees_with_numpy_financial_row_by_row(self) -> None:
        rng = np.random.default_rng(7)
        cf = rng.normal(0.0, 1000.0, size=(300, 37))
        rate = 0.0071
        got = npv(rate, cf)
        expected = np.array([npf.npv(rate, row) for row in cf])
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-8)

    def test_per_scenario_rates_agree_with_numpy_financial(self) -> None:
        rng = np.random.default_rng(8)
        cf = rng.normal(0.0, 1000.0, size=(200, 25))
        r = rng.uniform(-0.3, 0.5, size=200)
        got = npv(r, cf)
        expected = np.array([npf.npv(ri, row) for ri, row in zip(r, cf, strict=True)])
        np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-7)

    def test_rate_grid_over_one_stream(self) -> None:
        cf = np.array([-100.0, 50, 60, 70])
        r = np.array([0.0, 0.1, 0.2])
        np.testing.assert_allclose(npv(r, cf), [npf.npv(x, cf) for x in r], rtol=1e-13)

    def test_batched_equals_row_by_row(self) -> None:
        rng = np.random.default_rng(9)
        cf = rng.normal(size=(4, 5, 12))
        r = rng.uniform(0.0, 0.1, size=(4, 1))
        batched = npv(r, cf)
        assert batched.shape == (4, 5)
        for i in range(4):
            for j in range(5):
                assert batched[i, j] == pytest.approx(npv(float(r[i, 0]), cf[i, j]), rel=1e-12)

    def test_excel_npv_example_1(self) -> None:
        # Microsoft support, "NPV function", example 1: =NPV(10%, -10000, 3000, 4200, 6800)
        # = $1,188.44.
        got = npv(0.10, [-10_000.0, 3_000, 4_200, 6_800], when="end")
        assert round(got, 2) == 1188.44

    def test_excel_npv_example_2(self) -> None:
        # Microsoft support, "NPV function", example 2: =NPV(8%, B3:B7) + B2 with B2 = -40,000
        # and B3:B7 = 8,000, 9,200, 10,000, 12,000, 14,500 gives $1,922.06; adding a -9,000
        # sixth year gives -$3,749.47.
        flows = [8_000.0, 9_200, 10_000, 12_000, 14_500]
        assert round(npv(0.08, flows, when="end") - 40_000, 2) == 1922.06
        assert round(npv(0.08, [*flows, -9_000], when="end") - 40_000, 2) == -3749.47

    @given(hnp.arrays(np.float64, st.integers(1, 30), elements=money), rates)
    def test_end_is_begin_over_one_plus_rate(self, cf: np.ndarray, rate: float) -> None:
        begin = npv(rate, cf)
        assert npv(rate, cf, when="end") == pytest.approx(begin / (1 + rate), rel=1e-9, abs=1e-6)

    @given(
        hnp.arrays(np.float64, (3, 8), elements=money),
        hnp.arrays(np.float64, (3, 8), elements=money),
        st.floats(-100, 100),
        st.floats(-100, 100),
        rates,
    )
    def test_linear_in_cash_flows(
        self, x: np.ndarray, y: np.ndarray, a: float, b: float, rate: float
    ) -> None:
        left = npv(rate, a * x + b * y)
        right = a * npv(rate, x) + b * npv(rate, y)
        scale = (abs(a) * np.abs(x).sum() + abs(b) * np.abs(y).sum()) * 4.0 + 1.0
        np.testing.assert_allclose(left, right, atol=1e-9 * scale)

    def test_returns_float_for_one_stream(self) -> None:
        assert isinstance(npv(0.1, [1.0, 2.0]), float)

    def test_dataframe_gives_series_on_its_index(self) -> None:
        frame = pd.DataFrame([[-1.0, 2.0], [1.0, 1.0]], index=["a", "b"])
        out = npv(0.0, frame)
        assert isinstance(out, pd.Series)
        assert out.to_dict() == {"a": 1.0, "b": 2.0}

    def test_rate_at_or_below_minus_one(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'rate_per_period' parameter of npv"):
            npv(-1.5, [1.0])

    def test_nan_in_flows_is_located(self) -> None:
        cf = np.zeros((3, 4))
        cf[2, 1] = np.nan
        with pytest.raises(InvalidParameterError, match=r"'cash_flow_usd'.*NaN.*\(2, 1\)"):
            npv(0.01, cf)

    def test_inf_in_flows(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'cash_flow_usd'.*finite"):
            npv(0.01, [1.0, np.inf])

    def test_empty_flows(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"at least one month"):
            npv(0.01, np.empty((3, 0)))

    def test_scalar_flows(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"months on its last axis"):
            npv(0.01, 5.0)

    def test_mismatched_rate_shape(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"broadcasts against the scenario axes"):
            npv(np.array([0.1, 0.2, 0.3]), np.ones((4, 6)))

    def test_bad_when(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'when'.*'begin', 'end'"):
            npv(0.1, [1.0], when="middle")  # type: ignore[arg-type]

    def test_non_numeric(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'cash_flow_usd'.*numeric"):
            npv(0.1, ["a", "b"])

    def test_overflowing_rate(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"overflow"):
            npv(-0.9999999, np.ones(2000))

    @pytest.mark.parametrize(
        ("flows", "message"),
        [
            ([True, False], r"'cash_flow_usd' parameter of npv must be numeric"),
            (["1", "2"], r"'cash_flow_usd' parameter of npv must be numeric"),
            (np.array([-1.0, 2.0]) > 0, r"'cash_flow_usd' parameter of npv must be numeric"),
            (np.ma.array([-1.0, 2.0], mask=[False, True]), r"'cash_flow_usd'.*masked"),
        ],
    )
    def test_npv_rejects_what_every_kernel_rejects(self, flows: object, message: str) -> None:
        # Booleans, text and masked values are not numbers, on the fast path as elsewhere.
        with pytest.raises(InvalidParameterError, match=message):
            npv(0.1, flows)

    def test_npv_fast_path_keeps_integer_and_float32_arrays(self) -> None:
        assert npv(0.0, np.array([-1, 3])) == 2.0
        assert npv(0.0, np.array([-1, 3], dtype=np.float32)) == 2.0

    @given(hnp.arrays(np.float64, st.integers(1, 40), elements=money), rates)
    def test_end_agrees_with_numpy_financial_shifted(self, cf: np.ndarray, rate: float) -> None:
        # Excel's NPV is numpy-financial's npv of the same flows one period later.
        expected = npf.npv(rate, np.concatenate([[0.0], cf]))
        assert npv(rate, cf, when="end") == pytest.approx(expected, rel=1e-9, abs=1e-6)

    def test_three_d_flows_and_rates_agree_with_numpy_financial(self) -> None:
        rng = np.random.default_rng(21)
        cf = rng.normal(0.0, 1000.0, size=(3, 4, 18))
        r = rng.uniform(0.0, 0.05, size=(3, 4))
        got = npv(r, cf)
        for i in range(3):
            for j in range(4):
                assert got[i, j] == pytest.approx(npf.npv(r[i, j], cf[i, j]), rel=1e-11, abs=1e-8)


class TestIrr:
    @given(
        st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=8),
        st.integers(0, 80),
        st.integers(0, 80),
    )
    def test_zero_padding_changes_nothing(self, flows: list[float], lead: int, trail: int) -> None:
        # Shifting a row multiplies its NPV by a power of (1 + r): the same roots. Before the
        # rows were aligned, 53 or more trailing zeros underflowed on the grid into a "root".
        padded = [0.0] * lead + flows + [0.0] * trail
        unpadded, got = irr(flows), irr(padded)
        assert (math.isnan(unpadded) and math.isnan(got)) or got == pytest.approx(
            unpadded, rel=1e-9, abs=1e-12
        )

    @pytest.mark.parametrize(
        "flows",
        [
            [-100.0, 39, 59, 55, 20],  # numpy_financial.irr docstring example
            [-100.0, 0, 0, 1000.0],
            [-5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        ],
    )
    def test_zero_padded_flows_agree_with_numpy_financial(self, flows: list[float]) -> None:
        expected = npf.irr(flows)
        for lead, trail in [(0, 60), (5, 0), (30, 100)]:
            padded = [0.0] * lead + flows + [0.0] * trail
            assert irr(padded) == pytest.approx(expected, rel=1e-8)
            assert irr(np.array([padded, padded]))[1] == pytest.approx(expected, rel=1e-8)

    def test_agrees_with_numpy_financial_on_random_flows(self) -> None:
        rng = np.random.default_rng(11)
        cf = flows_with_one_sign_change(rng, 400, 24)
        got = irr(cf)
        expected = np.array([npf.irr(row) for row in cf])
        assert not np.isnan(expected).any()
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-10)

    def test_agrees_with_numpy_financial_with_several_sign_changes(self) -> None:
        rng = np.random.default_rng(12)
        cf = rng.normal(0.0, 100.0, size=(400, 7))
        got = irr(cf)
        expected = np.array([npf.irr(row) for row in cf])
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-10, equal_nan=True)

    @pytest.mark.parametrize(
        ("flows", "expected"),
        [
            # numpy-financial 1.0 irr docstring examples.
            ([-100, 39, 59, 55, 20], 0.28095),
            ([-100, 0, 0, 74], -0.0955),
            ([-100, 100, 0, -7], -0.0833),
            ([-100, 100, 0, 7], 0.06206),
            ([-5, 10.5, 1, -8, 1], 0.0886),
        ],
    )
    def test_numpy_financial_docstring_values(self, flows: list[float], expected: float) -> None:
        assert round(irr(flows), 5) == expected

    def test_excel_irr_example(self) -> None:
        # Microsoft support, "IRR function": -70,000 then 12,000, 15,000, 18,000, 21,000, 26,000
        # gives 8.66% (IRR over five years); over four years -2.12%.
        flows = [-70_000.0, 12_000, 15_000, 18_000, 21_000, 26_000]
        assert round(irr(flows), 4) == 0.0866
        assert round(irr(flows[:5]), 4) == -0.0212

    @given(
        st.lists(st.floats(1.0, 1e5), min_size=1, max_size=12),
        st.lists(st.floats(1.0, 1e5), min_size=1, max_size=12),
    )
    def test_npv_at_irr_is_zero(self, outflows: list[float], inflows: list[float]) -> None:
        cf = np.array([-x for x in outflows] + inflows)
        rate = irr(cf)
        assume(not math.isnan(rate) and rate <= 1)  # npv refuses rates above 100 % a period
        # Zero relative to the size of the discounted terms (near r = -1 they are huge).
        assert abs(npv(rate, cf)) <= 1e-9 * npv(rate, np.abs(cf))

    @given(hnp.arrays(np.float64, (5, 6), elements=st.floats(-1e4, 1e4)))
    def test_npv_at_irr_is_zero_where_an_irr_exists(self, cf: np.ndarray) -> None:
        rates_found = irr(cf)
        for row, rate in zip(cf, rates_found, strict=True):
            if not math.isnan(rate) and rate <= 1:  # npv refuses rates above 100 % a period
                assert abs(npv(rate, row)) <= 1e-9 * npv(rate, np.abs(row))

    def test_batched_equals_row_by_row(self) -> None:
        rng = np.random.default_rng(13)
        cf = flows_with_one_sign_change(rng, 12, 10).reshape(3, 4, 10)
        batched = irr(cf)
        assert batched.shape == (3, 4)
        for i in range(3):
            for j in range(4):
                assert batched[i, j] == pytest.approx(irr(cf[i, j]), rel=1e-12)

    def test_no_sign_change_is_nan(self) -> None:
        out = irr([[1.0, 2.0], [-1.0, -2.0], [0.0, 0.0]])
        assert np.isnan(out).all()

    def test_raise_exceptions_names_the_row(self) -> None:
        with pytest.raises(NoSolutionError, match=r"scenario index \(1,\).*never change sign"):
            irr([[-1.0, 2.0], [1.0, 2.0]], raise_exceptions=True)

    def test_nan_rejected(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'cash_flow_usd' parameter of irr.*NaN"):
            irr([-1.0, np.nan])

    @pytest.mark.parametrize("months", [2, 3, 12, 60, 120])
    def test_irr_agrees_with_numpy_financial_on_many_lengths(self, months: int) -> None:
        rng = np.random.default_rng(months)
        cf = rng.normal(0.0, 100.0, size=(300, months))
        got = irr(cf)
        expected = np.array([npf.irr(row) for row in cf])
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-10, equal_nan=True)


class TestPayback:
    def test_textbook_payback(self) -> None:
        # Worked by hand: -100 then 30 a period; cumulative -70, -40, -10, +20.
        assert payback_month([-100.0, 30, 30, 30, 30]) == 4.0
        assert payback_month([-100.0, 30, 30, 30, 30], fractional=True) == pytest.approx(10 / 3)

    def test_never_is_nan_or_raises(self) -> None:
        assert math.isnan(payback_month([-100.0, 10, 10]))
        with pytest.raises(NoSolutionError, match=r"payback is never reached within the 3 months"):
            payback_month([-100.0, 10, 10], raise_exceptions=True)

    def test_sustained_against_first_crossing(self) -> None:
        cf = [-100.0, 60, 60, -50, 40]  # cumulative -100, -40, 20, -30, 10
        assert payback_month(cf) == 4.0
        assert payback_month(cf, sustained=False) == 2.0

    def test_non_negative_stream_pays_back_at_zero(self) -> None:
        assert payback_month([0.0, 5.0]) == 0.0

    def test_exact_zero_cumulative_counts(self) -> None:
        assert payback_month([-0.3, 0.1, 0.1, 0.1]) == 3.0

    @given(hnp.arrays(np.float64, (4, 9), elements=st.floats(-1e3, 1e3)))
    def test_definition(self, cf: np.ndarray) -> None:
        months = payback_month(cf)
        cumulative = np.cumsum(cf, axis=-1)
        tol = 1e-9 * np.cumsum(np.abs(cf), axis=-1) + 1e-9
        for row, month in zip(range(4), months, strict=True):
            if math.isnan(month):
                assert cumulative[row, -1] < tol[row, -1]
            else:
                k = int(month)
                assert (cumulative[row, k:] >= -tol[row, k:]).all()
                if k > 0:
                    assert cumulative[row, k - 1] < tol[row, k - 1]

    @given(hnp.arrays(np.float64, (3, 7), elements=st.floats(-1e3, 1e3)))
    def test_fractional_within_one_month_below(self, cf: np.ndarray) -> None:
        whole = payback_month(cf)
        frac = payback_month(cf, fractional=True)
        np.testing.assert_array_equal(np.isnan(whole), np.isnan(frac))
        ok = ~np.isnan(whole)
        assert (frac[ok] <= whole[ok] + 1e-9).all()
        assert (frac[ok] >= whole[ok] - 1 - 1e-9).all()

    def test_series_input_gives_float(self) -> None:
        assert payback_month(pd.Series([-1.0, 2.0])) == 1.0

    def test_discounted_at_zero_rate_equals_payback(self) -> None:
        cf = np.array([[-100.0, 30, 30, 30, 30], [-10.0, 1, 1, 1, 1]])
        np.testing.assert_array_equal(discounted_payback_month(0.0, cf), payback_month(cf))

    def test_discounted_by_hand(self) -> None:
        # 5% a period: discounted returns 28.571, 27.211, 25.915, 24.681; cumulative after
        # period 3 is -18.303, so payback = 3 + 18.303 / 24.681 = 3.742 (worked by hand).
        got = discounted_payback_month(0.05, [-100.0, 30, 30, 30, 30], fractional=True)
        assert got == pytest.approx(
            3 + (100 - 30 / 1.05 - 30 / 1.05**2 - 30 / 1.05**3) / (30 / 1.05**4)
        )

    @given(
        st.floats(1.0, 1e4),
        st.lists(st.floats(0.0, 1e3), min_size=1, max_size=15),
        st.floats(0.0, 0.2),
    )
    def test_discounting_never_speeds_payback(
        self, invest: float, returns: list[float], rate: float
    ) -> None:
        cf = np.array([-invest, *returns])
        plain = payback_month(cf)
        discounted = discounted_payback_month(rate, cf)
        if not math.isnan(discounted):
            assert discounted >= plain

    def test_discounted_per_scenario_rates(self) -> None:
        cf = np.array([[-100.0, 30, 30, 30, 30, 30]] * 2)
        out = discounted_payback_month(np.array([0.0, 0.1]), cf)
        np.testing.assert_array_equal(out, [4.0, 5.0])

    @given(
        hnp.arrays(np.float64, (3, 9), elements=st.floats(-1e3, 1e3)),
        hnp.arrays(np.float64, 3, elements=st.floats(0.0, 0.2)),
    )
    def test_paybacks_batched_equal_row_by_row(self, cf: np.ndarray, r: np.ndarray) -> None:
        batched = discounted_payback_month(r, cf, fractional=True)
        plain = payback_month(cf, sustained=False)
        for i in range(3):
            one = discounted_payback_month(float(r[i]), cf[i], fractional=True)
            np.testing.assert_array_equal(batched[i], one)
            np.testing.assert_array_equal(plain[i], payback_month(cf[i], sustained=False))


class TestBreakEvenAndTco:
    def test_break_even_by_hand(self) -> None:
        stay = [100.0] * 12
        leave = [650.0] + [40.0] * 11  # savings -550, then +60 a month
        assert break_even_month(stay, leave) == 10.0
        assert break_even_month(stay, leave, fractional=True) == pytest.approx(9 + 10 / 60)

    @given(
        hnp.arrays(np.float64, (3, 10), elements=st.floats(0, 1e4)),
        hnp.arrays(np.float64, (3, 10), elements=st.floats(0, 1e4)),
    )
    def test_break_even_is_payback_of_savings(self, a: np.ndarray, b: np.ndarray) -> None:
        np.testing.assert_array_equal(break_even_month(a, b), payback_month(a - b))

    def test_break_even_broadcasts_one_baseline(self) -> None:
        stay = np.full(6, 100.0)
        leave = np.array([[300.0, 0, 0, 0, 0, 0], [1000.0, 0, 0, 0, 0, 0]])
        np.testing.assert_array_equal(break_even_month(stay, leave), [2.0, np.nan])

    def test_break_even_rejects_negative_cost(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'alternative_cost_usd'.*>= 0"):
            break_even_month([1.0], [-1.0])

    def test_break_even_mismatched_shapes(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"must have shapes that broadcast"):
            break_even_month(np.ones((2, 3)), np.ones((3, 3)))

    def test_break_even_raises(self) -> None:
        with pytest.raises(NoSolutionError, match=r"break-even is never reached"):
            break_even_month([1.0, 1.0], [5.0, 0.0], raise_exceptions=True)

    def test_tco_sum_and_discount(self) -> None:
        assert tco([100.0, 100, 100]) == 300.0
        # 100 + 100 / 1.1 = 190.909..., worked by hand.
        assert tco([100.0, 100, 100], horizon_months=2, rate_per_period=0.1) == pytest.approx(
            100 + 100 / 1.1
        )
        assert tco([100.0, 100], rate_per_period=0.1, when="end") == pytest.approx(
            100 / 1.1 + 100 / 1.21
        )

    @given(hnp.arrays(np.float64, (2, 8), elements=st.floats(0, 1e5)), st.floats(0.0, 0.1))
    def test_tco_is_minus_npv_of_costs(self, cost: np.ndarray, rate: float) -> None:
        np.testing.assert_allclose(
            tco(cost, rate_per_period=rate), -npv(rate, -cost), rtol=1e-12, atol=1e-9
        )

    @pytest.mark.parametrize("months", [0, 4, 2.5, True])
    def test_tco_bad_horizon(self, months: object) -> None:
        with pytest.raises(InvalidParameterError, match=r"'horizon_months' parameter of tco"):
            tco([1.0, 2.0, 3.0], horizon_months=months)  # type: ignore[arg-type]

    def test_tco_rejects_negative_cost(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'cost_usd'.*>= 0"):
            tco([1.0, -2.0])


class TestAnnuity:
    @pytest.mark.parametrize("when", ["begin", "end"])
    def test_agrees_with_numpy_financial_pmt(self, when: str) -> None:
        rng = np.random.default_rng(5)
        principal = rng.uniform(1e3, 1e6, 50)
        rate = rng.uniform(0.0001, 0.02, 50)
        n = rng.integers(1, 120, 50).astype(float)
        residual = rng.uniform(0, 1e3, 50)
        got = annuity_payment(principal, rate, n, residual_usd=residual, when=when)  # type: ignore[arg-type]
        expected = -npf.pmt(rate, n, principal, -residual, when=when)
        np.testing.assert_allclose(got, expected, rtol=1e-10)

    def test_zero_rate(self) -> None:
        assert annuity_payment(1200.0, 0.0, 12, residual_usd=120.0) == pytest.approx(90.0)

    @given(st.floats(1e3, 1e6), st.floats(0.0001, 0.05), st.integers(1, 120))
    def test_payments_in_advance_repay_the_principal(
        self, principal: float, rate: float, n: int
    ) -> None:
        payment = annuity_payment(principal, rate, n, when="begin")
        assert npv(rate, np.full(n, payment)) == pytest.approx(principal, rel=1e-9)

    def test_bad_n(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'n_periods'.*>= 1"):
            annuity_payment(1.0, 0.1, 0)

    def test_a_residual_above_the_principal_is_refused(self) -> None:
        # It would make a negative payment, and a cost is a positive magnitude.
        with pytest.raises(InvalidParameterError, match=r"'residual_usd'.*<= principal_usd"):
            annuity_payment(100.0, 0.01, 12, residual_usd=200.0)


class TestDepreciation:
    def test_straight_line(self) -> None:
        np.testing.assert_allclose(
            straight_line_depreciation(1200.0, life_months=4, salvage_usd=200.0), [250.0] * 4
        )

    def test_double_declining_with_switch(self) -> None:
        # Textbook double declining balance, 10,000 over 5 years, no salvage: 4,000, 2,400,
        # 1,440, then straight-line on the remaining 2,160 over 2 years (Excel VDB with
        # no_switch=FALSE gives 1,080 for each of the last two years).
        np.testing.assert_allclose(
            declining_balance_depreciation(10_000.0, life_months=5),
            [4000.0, 2400.0, 1440.0, 1080.0, 1080.0],
        )

    def test_excel_ddb_example(self) -> None:
        # Microsoft support, "DDB function": cost 2,400, salvage 300, life 10 years: first year
        # 480.00, tenth year 22.12; factor 1.5, second year 306.00. No switch to straight-line
        # occurs in this example, so VDB and DDB agree.
        schedule = declining_balance_depreciation(2400.0, life_months=10, salvage_usd=300.0)
        assert round(schedule[0], 2) == 480.00
        assert round(schedule[-1], 2) == 22.12
        slower = declining_balance_depreciation(
            2400.0, life_months=10, salvage_usd=300.0, factor=1.5
        )
        assert round(slower[1], 2) == 306.00

    @given(
        st.floats(0, 1e7),
        st.floats(0, 1),
        st.integers(1, 120),
        st.floats(0.5, 3.0),
    )
    def test_schedules_sum_to_cost_minus_salvage(
        self, cost: float, salvage_share: float, life: int, factor: float
    ) -> None:
        salvage = cost * salvage_share
        for schedule in (
            straight_line_depreciation(cost, life_months=life, salvage_usd=salvage),
            declining_balance_depreciation(
                cost, life_months=life, salvage_usd=salvage, factor=factor
            ),
        ):
            assert schedule.shape == (life,)
            assert schedule.sum() == pytest.approx(cost - salvage, rel=1e-9, abs=1e-6)
            assert (schedule >= -1e-9 * max(cost, 1.0)).all()

    @given(hnp.arrays(np.float64, 4, elements=st.floats(0, 1e6)), st.integers(1, 60))
    def test_batched_equals_row_by_row(self, cost: np.ndarray, life: int) -> None:
        batched = declining_balance_depreciation(cost, life_months=life, salvage_usd=cost * 0.1)
        for i, c in enumerate(cost):
            np.testing.assert_allclose(
                batched[i],
                declining_balance_depreciation(float(c), life_months=life, salvage_usd=c * 0.1),
            )

    def test_declining_front_loads(self) -> None:
        schedule = declining_balance_depreciation(1000.0, life_months=36)
        assert (np.diff(schedule) <= 1e-12).all()

    def test_salvage_above_cost(self) -> None:
        with pytest.raises(
            InvalidParameterError, match=r"'salvage_usd'.*<= cost_usd.*index \(1,\)"
        ):
            straight_line_depreciation([10.0, 5.0], life_months=3, salvage_usd=[1.0, 6.0])

    @pytest.mark.parametrize("life", [0, 2.5])
    def test_bad_life(self, life: float) -> None:
        with pytest.raises(InvalidParameterError, match=r"'life_months'"):
            straight_line_depreciation(10.0, life_months=life)  # type: ignore[arg-type]

    def test_bad_factor(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'factor'.*> 0"):
            declining_balance_depreciation(10.0, life_months=3, factor=0.0)

    def test_excel_vdb_examples(self) -> None:
        # Microsoft support, "VDB function": cost 2,400, salvage 300, life 10 years.
        # =VDB(2400, 300, 3650, 0, 1) = 1.32 (first day); =VDB(2400, 300, 120, 0, 1) = 40.00
        # (first month); =VDB(2400, 300, 120, 6, 18) = 396.31 (months 7 to 18);
        # =VDB(2400, 300, 120, 6, 18, 1.5) = 311.81.
        days = declining_balance_depreciation(2400.0, life_months=3650, salvage_usd=300.0)
        assert round(days[0], 2) == 1.32
        months = declining_balance_depreciation(2400.0, life_months=120, salvage_usd=300.0)
        assert round(months[0], 2) == 40.00
        assert round(months[6:18].sum(), 2) == 396.31
        slower = declining_balance_depreciation(
            2400.0, life_months=120, salvage_usd=300.0, factor=1.5
        )
        assert round(slower[6:18].sum(), 2) == 311.81


class TestPandasRowsByLabel:
    """A Series of rates or a second DataFrame is matched to a DataFrame's rows by label."""

    def test_series_of_rates_matches_dataframe_rows_by_label(self) -> None:
        flows = pd.DataFrame([[-100.0, 110.0], [-100.0, 121.0]], index=["a", "b"])
        rates = pd.Series([0.21, 0.10], index=["b", "a"])  # b at 21%, a at 10%
        # Worked by hand: a: -100 + 110 / 1.10 = 0; b: -100 + 121 / 1.21 = 0.
        got = npv(rates, flows)
        assert got.index.tolist() == ["a", "b"]
        np.testing.assert_allclose(got.to_numpy(), [0.0, 0.0], atol=1e-12)
        np.testing.assert_array_equal(discounted_payback_month(rates, flows), [1.0, 1.0])
        costs = flows.abs()
        np.testing.assert_allclose(
            tco(costs, rate_per_period=rates), [100 + 110 / 1.1, 100 + 121 / 1.21]
        )

    def test_labels_that_do_not_match_are_an_error(self) -> None:
        flows = pd.DataFrame([[-1.0, 2.0], [-1.0, 2.0]], index=["a", "b"])
        with pytest.raises(InvalidParameterError, match=r"'rate_per_period'.*same .*labels"):
            npv(pd.Series([0.1, 0.2], index=["a", "c"]), flows)

    def test_break_even_matches_two_frames_by_label(self) -> None:
        stay = pd.DataFrame([[100.0, 100, 100], [10.0, 10, 10]], index=["big", "small"])
        leave = pd.DataFrame([[30.0, 0, 0], [150.0, 0, 0]], index=["small", "big"])
        # big: savings -50, +100 -> month 1; small: savings -20, +10, +10 -> month 2.
        got = break_even_month(stay, leave)
        assert got.to_dict() == {"big": 1.0, "small": 2.0}
        rates = pd.Series([0.0, 0.5], index=["small", "big"])
        # big at 50%: -50 + 100 / 1.5 > 0 -> month 1 still; small at 0% -> month 2.
        assert break_even_month(stay, leave, rate_per_period=rates).to_dict() == {
            "big": 1.0,
            "small": 2.0,
        }

    def test_break_even_one_series_stream_against_a_frame(self) -> None:
        # A Series is one stream over the months, shared by every scenario: not aligned by row.
        stay = pd.DataFrame([[100.0, 100, 100], [10.0, 10, 10]], index=["big", "small"])
        leave = pd.Series([150.0, 0.0, 0.0])
        got = break_even_month(stay, leave)
        assert got.index.tolist() == ["big", "small"]
        np.testing.assert_array_equal(got.to_numpy(), [1.0, np.nan])  # small: -140, -130, -120
