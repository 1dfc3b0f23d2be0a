"""Tests of exitcost.effort.transfer: transfer time, window fit, required bandwidth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.effort.transfer import fits_window, required_bandwidth_gbps, transfer_days
from exitcost.errors import InvalidParameterError

PB_GB = 1024.0**2  # 1 PB in billing GB (units.py: TB = 1,024 GB)


def test_petabyte_over_one_gbit_worked_example() -> None:
    # Arithmetic: 2**50 bytes x 8 bits / (1e9 bit/s x 0.8 x 86,400 s/day) = 130.31249 days.
    assert transfer_days(PB_GB, 1.0, 0.8) == pytest.approx(2**53 / (0.8e9 * 86_400))
    assert transfer_days(PB_GB, 1.0) == pytest.approx(130.31249, abs=1e-5)


def test_default_window_is_sixty_days_from_data() -> None:
    # 60-day waiver window (pricing-facts.md section 3). Volume moved in exactly 60 days at
    # 10 Gbit/s and 80%: 60 x 86,400 x 8e9 / 8 / 2**30 GB.
    volume = 60 * 86_400 * 8e9 / 8 / 2**30
    assert fits_window(volume, 10.0) is True
    assert fits_window(volume * 1.001, 10.0) is False
    assert required_bandwidth_gbps(volume) == pytest.approx(10.0)


def test_types_follow_the_input() -> None:
    series = pd.Series([0.0, PB_GB], index=["a", "b"], name="volume_gb")
    out = transfer_days(series, 1.0)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    assert out["b"] == pytest.approx(130.31249)
    assert isinstance(transfer_days(1.0, 1.0), float)
    arr = transfer_days(np.array([1.0, 2.0]), np.array([[1.0], [2.0]]))
    assert arr.shape == (2, 2)
    fits = fits_window(series, 1.0)
    assert isinstance(fits, pd.Series)
    assert fits.tolist() == [True, False]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"volume_gb": -1.0, "bandwidth_gbps": 1.0}, "'volume_gb' parameter of transfer_days"),
        ({"volume_gb": 1.0, "bandwidth_gbps": 0.0}, "'bandwidth_gbps' .* must be > 0"),
        ({"volume_gb": 1.0, "bandwidth_gbps": 1.0, "utilisation": 1.5}, "'utilisation'.*<= 1"),
        ({"volume_gb": 1.0, "bandwidth_gbps": 1.0, "utilisation": 0.0}, "'utilisation'.*> 0"),
        ({"volume_gb": float("nan"), "bandwidth_gbps": 1.0}, "must not be NaN"),
    ],
)
def test_transfer_days_rejects_bad_input(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        transfer_days(**kwargs)


def test_window_and_required_bandwidth_reject_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="'window_days' parameter of fits_window"):
        fits_window(1.0, 1.0, window_days=0.0)
    with pytest.raises(InvalidParameterError, match="'window_days' parameter of required_band"):
        required_bandwidth_gbps(1.0, window_days=-5.0)
    with pytest.raises(InvalidParameterError, match="'bandwidth_gbps' parameter of fits_window"):
        fits_window(1.0, -1.0)


volumes = st.floats(min_value=1.0, max_value=1e9, allow_nan=False)
bandwidths = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
factors = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)
utilisations = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)


@given(volumes, bandwidths, factors, utilisations)
def test_linear_in_volume_and_inverse_in_bandwidth(
    volume: float, bandwidth: float, k: float, util: float
) -> None:
    base = transfer_days(volume, bandwidth, util)
    assert transfer_days(volume * k, bandwidth, util) == pytest.approx(k * base, rel=1e-12)
    assert transfer_days(volume, bandwidth * k, util) == pytest.approx(base / k, rel=1e-12)


@given(volumes, st.floats(min_value=0.1, max_value=1e4), utilisations)
def test_required_bandwidth_exactly_fills_the_window(
    volume: float, window: float, util: float
) -> None:
    need = required_bandwidth_gbps(volume, window, util)
    assert transfer_days(volume, need, util) == pytest.approx(window, rel=1e-12)
    assert fits_window(volume, need * (1 + 1e-9), window, util)
    assert not fits_window(volume, need * (1 - 1e-6), window, util)


def test_results_beyond_float64_are_errors_not_warnings() -> None:
    # 1e308 GB over 1e-10 Gbit/s is ~1e313 days: an error naming the inputs (warnings are
    # errors in this suite, so no RuntimeWarning escapes either); it never fits a window.
    with pytest.raises(InvalidParameterError, match=r"'volume_gb' .* bandwidth_gbps=1e-10"):
        transfer_days(1e308, 1e-10)
    with pytest.raises(InvalidParameterError, match=r"'volume_gb' .* window_days=1e-300"):
        required_bandwidth_gbps(1e308, window_days=1e-300)
    assert fits_window(1e308, 1e-10) is False
    # Large volumes over ordinary links stay finite: 1e308 GB x 2**33 bits at 10 Gbit/s.
    assert np.isfinite(transfer_days(1e308, 10.0))
