"""Tests for exitcost.errors and the kernel input checks in exitcost._validation."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import exitcost as xc
from exitcost._validation import as_array, check_scalar, warn_user, wrap_like
from exitcost.errors import EstateError, Problem, format_choices


def test_every_error_is_an_exitcost_error_and_a_builtin() -> None:
    for name in xc.errors.__all__:
        obj = getattr(xc.errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning):
            assert issubclass(obj, xc.ExitcostError)
            assert obj is xc.ExitcostError or issubclass(obj, ValueError | KeyError), name


def test_key_errors_print_plainly() -> None:
    err = xc.UnknownLocationError("location 'x' is unknown")
    assert str(err) == "location 'x' is unknown"


def test_estate_error_lists_problems() -> None:
    err = EstateError(
        [
            Problem("workloads[3].reads[0].dataset", "lake", "unknown dataset; valid: 'a', 'b'"),
            Problem("datasets[1].size_gb", -1.0, "must be >= 0"),
        ],
        source="estate.yaml",
    )
    text = str(err)
    assert text.startswith("2 problems in estate estate.yaml:")
    assert "workloads[3].reads[0].dataset: unknown dataset; valid: 'a', 'b' (got 'lake')" in text
    assert err.problems[1].value == -1.0


def test_format_choices_sorts_and_truncates() -> None:
    assert format_choices([3, 1, 2]) == "1, 2, 3"
    assert format_choices(["b", 1]) == "1, 'b'"  # mixed types fall back to text order
    assert format_choices(map(str, range(30)), limit=2).endswith("(30 in all)")


class TestAsArray:
    @pytest.mark.parametrize(
        ("value", "match"),
        [
            (-1.0, r"must be >= 0\. Got -1\.0 instead"),
            ([1.0, np.nan], r"must not be NaN\. Got nan at index \(1,\)"),
            (np.inf, "must be finite"),
            ("ten", "must be numeric"),
            ("20000", "must be numeric"),
            (True, "must be numeric"),
            (np.array([True, False]), "must be numeric"),
            (None, r"must be numeric .* Got None"),
            (np.array(["1"]), "must be numeric"),
            (np.array([1.0, "x"], dtype=object), "must be numeric"),
            (np.ma.masked_array([1.0, 2.0], mask=[False, True]), "must not have masked values"),
            ([[1, 2], [3, -4]], r"at index \(1, 1\)"),
        ],
    )
    def test_rejects(self, value: object, match: str) -> None:
        with pytest.raises(xc.InvalidParameterError, match=match):
            as_array(value, name="volume_gb", func="egress_cost")

    def test_accepts_numbers_of_any_numeric_kind(self) -> None:
        np.testing.assert_array_equal(
            as_array(np.array([1, 2], dtype=np.int32), name="v", func="f"), [1.0, 2.0]
        )
        np.testing.assert_array_equal(
            as_array(np.array([1.5, 2], dtype=object), name="v", func="f"), [1.5, 2.0]
        )
        np.testing.assert_array_equal(
            as_array(np.ma.masked_array([1.0, 2.0], mask=False), name="v", func="f"), [1.0, 2.0]
        )
        assert as_array(np.float32(2.5), name="v", func="f") == 2.5

    def test_bounds(self) -> None:
        with pytest.raises(xc.InvalidParameterError, match="must be > -1"):
            as_array(-1, name="rate", func="npv", minimum=-1, exclusive_minimum=True)
        with pytest.raises(xc.InvalidParameterError, match="must be <= 1"):
            as_array(1.5, name="u", func="f", maximum=1)
        assert as_array(np.nan, name="x", func="f", allow_nan=True).shape == ()

    def test_check_scalar(self) -> None:
        assert check_scalar(2, name="months", func="f") == 2.0
        with pytest.raises(xc.InvalidParameterError, match="single number"):
            check_scalar([1, 2], name="months", func="f")

    def test_wrap_like_keeps_type(self) -> None:
        s = pd.Series([1.0, 2.0], index=["a", "b"], name="v")
        out = wrap_like(s, as_array(s, name="v", func="f") * 2)
        pd.testing.assert_series_equal(out, s * 2)
        assert isinstance(wrap_like(3, np.asarray(6.0)), float)
        arr = np.ones((2, 3))
        assert wrap_like(arr, arr).shape == (2, 3)
        df = pd.DataFrame({"a": [1.0]})
        pd.testing.assert_frame_equal(wrap_like(df, as_array(df, name="d", func="f")), df)


def test_warn_user_points_at_caller() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_user("extrapolated", xc.errors.ExtrapolationWarning)
    assert caught[0].filename == __file__
    assert issubclass(caught[0].category, xc.ExitcostWarning)


@pytest.mark.parametrize("volume", ["20000", True, None, np.array(["5"])])
@pytest.mark.parametrize("kernel", ["egress_cost", "storage_cost"])
def test_public_kernels_reject_non_numbers(kernel: str, volume: object) -> None:
    # The egress kernel has a fast path of its own; it must apply the same rules as as_array.
    func = getattr(xc.pricing, kernel)
    where = (
        {"source": "aws:us-east-1"} if kernel == "egress_cost" else {"location": "aws:us-east-1"}
    )
    with pytest.raises(xc.InvalidParameterError, match="must be numeric"):
        func(volume, as_of="2024-09-25", **where)
