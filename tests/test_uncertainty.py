"""Tests for exitcost.uncertainty: distributions, their text form and sampling."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from exitcost import InvalidParameterError
from exitcost.uncertainty import (
    Normal,
    Pert,
    Quantity,
    Triangular,
    Uniform,
    bounds,
    parse_distribution,
    point,
    sample,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def three_points(draw: st.DrawFn) -> tuple[float, float, float]:
    values = sorted(draw(st.lists(finite, min_size=3, max_size=3)))
    return values[0], values[1], values[2]


class Holder(BaseModel):
    q: Quantity


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("pert(10, 20, 45)", Pert(low=10, mode=20, high=45)),
            ("triangular(1,2,6)", Triangular(low=1, mode=2, high=6)),
            ("uniform(0.5, 1.5)", Uniform(low=0.5, high=1.5)),
            ("normal(0.02, 0.01, low=0)", Normal(mu=0.02, sd=0.01, low=0)),
            ("pert(1, 2, 3, lamb=6)", Pert(low=1, mode=2, high=3, lamb=6)),
        ],
    )
    def test_parse(self, text: str, expected: object) -> None:
        assert parse_distribution(text) == expected

    @pytest.mark.parametrize(
        ("text", "match"),
        [
            ("pert(3, 2, 1)", "low <= mode <= high"),
            ("beta(1, 2)", "kind 'beta' is not one of"),
            ("pert(1, x, 3)", "'x' is not a number"),
            ("pert(1, 2, 3, 4)", "takes 3 positional values"),
            ("__import__('os')", "must look like"),
            ("uniform(2, 1)", "low <= high"),
            ("pert(1, 2, 3, mode=5)", "gives 'mode' twice"),
            ("pert(1, 2, 3, low=0)", "gives 'low' twice"),
            ("normal(1, -1)", r"^Distribution 'normal\(1, -1\)' is invalid: sd: .*equal to 0$"),
        ],
    )
    def test_bad_text(self, text: str, match: str) -> None:
        with pytest.raises(InvalidParameterError, match=match):
            parse_distribution(text)

    def test_text_must_be_a_string(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"must be a string .* Got None of type"):
            parse_distribution(None)  # type: ignore[arg-type]

    @given(three_points())
    def test_text_round_trip(self, pts: tuple[float, float, float]) -> None:
        for kind in (Triangular, Pert):
            dist = kind(low=pts[0], mode=pts[1], high=pts[2])
            assert parse_distribution(str(dist)) == dist


class TestQuantityField:
    def test_accepts_float_mapping_and_text(self) -> None:
        assert Holder(q=3).q == 3.0
        assert Holder.model_validate({"q": {"dist": "uniform", "low": 1, "high": 2}}).q == Uniform(
            low=1, high=2
        )
        assert Holder(q="pert(1, 2, 3)").q == Pert(low=1, mode=2, high=3)  # type: ignore[arg-type]
        assert Holder(q="2.5").q == 2.5  # type: ignore[arg-type]

    def test_rejects_unknown_dist(self) -> None:
        with pytest.raises(ValidationError, match="dist"):
            Holder.model_validate({"q": {"dist": "cauchy", "low": 1}})

    def test_round_trip_json(self) -> None:
        h = Holder(q="triangular(1, 2, 6)")  # type: ignore[arg-type]
        assert Holder.model_validate_json(h.model_dump_json()) == h


class TestSampling:
    def test_reproducible(self) -> None:
        d = Pert(low=1, mode=2, high=10)
        a = sample(d, 1000, np.random.default_rng(42))
        b = sample(d, 1000, np.random.default_rng(42))
        np.testing.assert_array_equal(a, b)

    @pytest.mark.parametrize(
        "dist",
        [
            Triangular(low=1, mode=2, high=6),
            Pert(low=1, mode=2, high=6),
            Uniform(low=-1, high=3),
            Normal(mu=5, sd=1, low=4),
        ],
    )
    def test_mean_and_support(self, dist: object) -> None:
        draws = sample(dist, 200_000, np.random.default_rng(0))  # type: ignore[arg-type]
        lo, hi = bounds(dist)  # type: ignore[arg-type]
        assert draws.min() >= lo
        assert draws.max() <= hi
        assert draws.mean() == pytest.approx(point(dist), rel=0.01)  # type: ignore[arg-type]

    def test_pert_mean_formula(self) -> None:
        # Classic PERT mean (low + 4 mode + high) / 6 (Malcolm et al., 1959).
        assert point(Pert(low=10, mode=20, high=45)) == pytest.approx(135 / 6)

    def test_degenerate(self) -> None:
        for d in (Pert(low=2, mode=2, high=2), Triangular(low=2, mode=2, high=2)):
            np.testing.assert_array_equal(sample(d, 3, np.random.default_rng(0)), [2, 2, 2])

    def test_normal_degenerate_spread(self) -> None:
        # A spread negligible next to the truncation bounds must not overflow or give NaN.
        d = Normal(mu=0.5, sd=1e-225, low=0, high=1)
        assert point(d) == 0.5
        np.testing.assert_array_equal(sample(d, 2, np.random.default_rng(0)), [0.5, 0.5])
        assert point(Normal(mu=-3, sd=0, low=0)) == 0.0

    def test_negative_n(self) -> None:
        with pytest.raises(InvalidParameterError, match="'n' parameter"):
            sample(1.0, -1, np.random.default_rng(0))
        with pytest.raises(InvalidParameterError, match=r"'n' parameter .* whole number"):
            sample(1.0, 2.5, np.random.default_rng(0))  # type: ignore[arg-type]

    def test_normal_keeps_its_spread(self) -> None:
        # A normal with an unbounded side used to be treated as having no spread: every
        # sample was mu.
        draws = sample(Normal(mu=5, sd=2), 100_000, np.random.default_rng(1))
        assert draws.std() == pytest.approx(2.0, rel=0.02)
        draws = sample(Normal(mu=5, sd=1, low=4), 100_000, np.random.default_rng(1))
        assert draws.min() >= 4.0
        assert draws.std() > 0.5

    def test_truncated_normal_mean(self) -> None:
        # Mean of a normal truncated below at a: mu + sd * phi(alpha) / (1 - Phi(alpha)),
        # alpha = (a - mu) / sd (Johnson, Kotz & Balakrishnan, Continuous Univariate
        # Distributions vol. 1, 2nd ed., 1994, eq. 13.134). alpha = -1: phi = 0.2419707245,
        # 1 - Phi = 0.8413447461, so the mean is 5 + 0.2875999709 = 5.2875999709.
        assert point(Normal(mu=5, sd=1, low=4)) == pytest.approx(5.2875999709, rel=1e-9)
        assert point(Normal(mu=5, sd=1)) == 5.0

    @given(
        st.floats(min_value=-1e3, max_value=1e3),
        st.floats(min_value=1e-3, max_value=1e3),
        st.floats(min_value=-5, max_value=5),
    )
    def test_truncating_below_raises_the_mean(self, mu: float, sd: float, k: float) -> None:
        assert point(Normal(mu=mu, sd=sd, low=mu + k * sd)) > mu

    def test_means_do_not_overflow(self) -> None:
        # (0 + 4 * 1e308 + 1.7e308) / 6 = 9.5e307, though 4 * 1e308 alone overflows.
        assert point(Pert(low=0, mode=1e308, high=1.7e308)) == pytest.approx(9.5e307)
        assert point(Triangular(low=1e308, mode=1.5e308, high=1.7e308)) == pytest.approx(1.4e308)
        assert point(Uniform(low=1.7e308, high=1.7e308)) == 1.7e308

    @pytest.mark.parametrize(
        "text", ["uniform(-1e308, 1e308)", "triangular(-1e308, 0, 1e308)", "pert(-1e308, 0, 1e308)"]
    )
    def test_span_must_be_finite(self, text: str) -> None:
        with pytest.raises(
            InvalidParameterError, match=r"is invalid: needs high - low to be a fin"
        ):
            parse_distribution(text)

    @given(three_points(), st.integers(min_value=0, max_value=50))
    def test_samples_inside_bounds(self, pts: tuple[float, float, float], seed: int) -> None:
        d = Pert(low=pts[0], mode=pts[1], high=pts[2])
        s = sample(d, 64, np.random.default_rng(seed))
        assert np.all((s >= pts[0]) & (s <= pts[2]))
