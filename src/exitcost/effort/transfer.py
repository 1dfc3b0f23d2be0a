"""Transfer time: how long a volume takes over a link, and whether it fits a waiver window.

The physics of an exit: a volume of ``volume_gb`` billing GB (2**30 bytes each, see
:mod:`exitcost.units`) is ``volume_gb * 2**30 * 8`` bits; a link of ``bandwidth_gbps`` carries
``bandwidth_gbps * 1e9`` bits per second at line rate (network rates are decimal), of which the
copy gets the share ``utilisation``. So

.. math:: t_{days} = \\frac{V \\cdot 2^{30} \\cdot 8}{B \\cdot 10^9 \\cdot u \\cdot 86400}

Time is linear in volume and inverse in bandwidth and utilisation. The defaults (utilisation 0.8,
a 60-day exit-egress waiver window) come from the effort defaults file
(``data/catalog/strategies-*.yaml``), where their sources are given.

Examples
--------
>>> round(transfer_days(1024**2, 1.0), 1)   # 1 PB over 1 Gbit/s at 80%
130.3
>>> fits_window(1024**2, 1.0)                # ... not within the 60-day waiver window
False
>>> round(required_bandwidth_gbps(1024**2), 2)
2.17
"""

from __future__ import annotations

from typing import Any

import numpy as np

from exitcost._validation import as_array, first_bad, wrap_like
from exitcost.effort.catalog import load_effort_defaults
from exitcost.errors import InvalidParameterError
from exitcost.units import BYTES_PER_GB

__all__ = ["fits_window", "required_bandwidth_gbps", "transfer_days"]

_BITS_PER_GB = BYTES_PER_GB * 8.0
_BITS_PER_GBIT = 1e9
_SECONDS_PER_DAY = 86_400.0
# Days to move one GB at 1 Gbit/s line rate: computed once, so large volumes do not overflow.
_DAYS_PER_GB_AT_1_GBPS = _BITS_PER_GB / (_BITS_PER_GBIT * _SECONDS_PER_DAY)


def _template(*values: Any) -> Any:
    """The input whose kind (Series, array, scalar) the result takes: the first non-scalar."""
    for value in values:
        if np.ndim(value) != 0 or isinstance(value, np.ndarray):
            return value
    return values[0]


def _utilisation(value: Any, func: str) -> Any:
    if value is None:
        return load_effort_defaults().transfer.utilisation.value
    as_array(value, name="utilisation", func=func, minimum=0.0, exclusive_minimum=True, maximum=1.0)
    return value


def _window(value: Any, func: str) -> Any:
    if value is None:
        return load_effort_defaults().transfer.waiver_window_days.value
    as_array(value, name="window_days", func=func, minimum=0.0, exclusive_minimum=True)
    return value


def transfer_days(volume_gb: Any, bandwidth_gbps: Any, utilisation: Any = None) -> Any:
    """Days needed to move a volume over a link.

    Parameters
    ----------
    volume_gb : numeric
        Volume to move. [GB, billing GB of 2**30 bytes]
    bandwidth_gbps : numeric
        Link line rate, > 0. [Gbit/s, 10**9 bit/s]
    utilisation : numeric, optional
        Share of the line rate the copy gets, in (0, 1]. Default from the effort defaults
        file (0.8).

    Returns
    -------
    numeric
        Transfer time, broadcast over the inputs; a float for scalar inputs, a Series when
        ``volume_gb`` (or the first non-scalar input) is one. [days]

    Raises
    ------
    InvalidParameterError
        Negative or non-finite volume, bandwidth <= 0, utilisation outside (0, 1].

    Examples
    --------
    >>> transfer_days(1000.0, 1.0, utilisation=1.0)  # 1000 x 2**30 x 8 bits at 1e9 bit/s
    0.0994...
    >>> transfer_days([0.0, 1024.0], 10.0)
    array([0.        , 0.01272...])
    """
    func = "transfer_days"
    volume = as_array(volume_gb, name="volume_gb", func=func)
    bandwidth = as_array(
        bandwidth_gbps, name="bandwidth_gbps", func=func, minimum=0.0, exclusive_minimum=True
    )
    util = as_array(_utilisation(utilisation, func), name="utilisation", func=func)
    days = _days(volume, bandwidth, util)
    _check_finite(days, func, "volume_gb", volume, "bandwidth_gbps", bandwidth)
    return wrap_like(_template(volume_gb, bandwidth_gbps, utilisation), days)


def _days(volume: Any, bandwidth: Any, util: Any) -> Any:
    """Transfer days on checked inputs; inf where the time exceeds float64 (no warnings)."""
    with np.errstate(over="ignore"):
        days = volume / (bandwidth * util) * _DAYS_PER_GB_AT_1_GBPS
    return np.asarray(days, dtype=np.float64)


def _check_finite(
    result: Any, func: str, name: str, value: Any, by_name: str, by_value: Any
) -> None:
    bad = ~np.isfinite(result)
    if bad.any():
        i, where = first_bad(bad)
        v = float(np.broadcast_to(value, bad.shape)[i])
        by = float(np.broadcast_to(by_value, bad.shape)[i])
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must give a result within float64 range. Got "
            f"{v!r} with {by_name}={by!r}{where} instead."
        )


def required_bandwidth_gbps(
    volume_gb: Any, window_days: Any = None, utilisation: Any = None
) -> Any:
    """Line rate needed to move a volume within a window.

    Parameters
    ----------
    volume_gb : numeric
        Volume to move. [GB]
    window_days : numeric, optional
        Time available, > 0. Default: the 60-day exit-egress waiver window. [days]
    utilisation : numeric, optional
        Share of the line rate the copy gets, in (0, 1]. Default 0.8 (data file).

    Returns
    -------
    numeric
        Required line rate. [Gbit/s]

    Examples
    --------
    >>> round(required_bandwidth_gbps(10 * 1024**2, window_days=30, utilisation=1.0), 1)
    34.7
    """
    func = "required_bandwidth_gbps"
    volume = as_array(volume_gb, name="volume_gb", func=func)
    window = as_array(_window(window_days, func), name="window_days", func=func)
    util = as_array(_utilisation(utilisation, func), name="utilisation", func=func)
    with np.errstate(over="ignore"):
        gbps = np.asarray(volume / (window * util) * _DAYS_PER_GB_AT_1_GBPS, dtype=np.float64)
    _check_finite(gbps, func, "volume_gb", volume, "window_days", window)
    return wrap_like(_template(volume_gb, window_days, utilisation), gbps)


def fits_window(
    volume_gb: Any, bandwidth_gbps: Any, window_days: Any = None, utilisation: Any = None
) -> Any:
    """Whether a volume can be moved within a window (by default the 60-day waiver window).

    Parameters
    ----------
    volume_gb : numeric
        Volume to move. [GB]
    bandwidth_gbps : numeric
        Link line rate, > 0. [Gbit/s]
    window_days : numeric, optional
        Time available, > 0. Default: 60 days (data file). [days]
    utilisation : numeric, optional
        Share of the line rate the copy gets. Default 0.8 (data file).

    Returns
    -------
    bool or numpy.ndarray of bool or pandas.Series of bool
        True where ``transfer_days <= window_days``.

    Examples
    --------
    >>> fits_window([100 * 1024, 10 * 1024**2], 10.0)   # 100 TB and 10 PB over 10 Gbit/s
    array([ True, False])
    """
    func = "fits_window"
    window = as_array(_window(window_days, func), name="window_days", func=func)
    days = _days(  # inf (beyond float64) never fits
        as_array(volume_gb, name="volume_gb", func=func),
        as_array(
            bandwidth_gbps,
            name="bandwidth_gbps",
            func=func,
            minimum=0.0,
            exclusive_minimum=True,
        ),
        as_array(_utilisation(utilisation, func), name="utilisation", func=func),
    )
    fits = days <= window
    template = _template(volume_gb, bandwidth_gbps, window_days, utilisation)
    if np.ndim(fits) == 0 and not isinstance(template, np.ndarray) and np.ndim(template) == 0:
        return bool(fits)
    import pandas as pd

    if isinstance(template, pd.Series):
        return pd.Series(fits, index=template.index, name=template.name)
    return fits
