"""Data sizes, months and money.

The size rule
-------------
exitcost measures data in **billing gigabytes** (``GB``), the unit in which AWS, Microsoft Azure
and Google Cloud meter transfer and storage: one GB is 2**30 bytes, and the larger units step
by 1,024 (1 TB = 1,024 GB, 1 PB = 1,048,576 GB). This is why AWS's published tier edges
("first 10 TB", "next 40 TB") sit at 10,240 and 51,200 GB. The IEC names (GiB, TiB, PiB) mean
the same amounts, so ``"2 TiB"`` and ``"2 TB"`` are both 2,048 GB.

Storage vendors' datasheets and disk labels count in SI units (1 TB = 10**12 bytes). Pass
``si=True`` to :func:`parse_size_gb` to read such sizes; they are converted to billing GB
(1 SI TB = 931.32... GB). Raw byte counts (``"5e12 B"``) are always exact.

Money is carried as float64 US dollars and rounded only for display (:func:`round_money`,
half away from zero, to the cent).

Examples
--------
>>> parse_size_gb("500TB")
512000.0
>>> parse_size_gb("2 PiB")
2097152.0
>>> parse_size_gb("750 GiB")
750.0
>>> parse_size_gb(1.5e6)
1500000.0
>>> round(parse_size_gb("1 TB", si=True), 4)
931.3226
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import sys
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import numpy as np

from exitcost.errors import InvalidParameterError, format_choices, short_repr

__all__ = [
    "HOURS_PER_MONTH",
    "BYTES_PER_GB",
    "add_months",
    "format_size",
    "format_usd",
    "month_start",
    "months_between",
    "parse_size_gb",
    "round_money",
]

HOURS_PER_MONTH: float = 365.0 * 24.0 / 12.0
"""Hours in an average month (8,760 / 12 = 730): the providers' billing month for hourly prices
and port fees, and the month of always-on use."""

BYTES_PER_GB: int = 2**30
"""Bytes in one billing GB (the providers' GB, equal to one GiB)."""

# Factors to billing GB for the binary reading (the default).
_BINARY_GB: dict[str, float] = {
    "B": 1.0 / BYTES_PER_GB,
    "KB": 1.0 / 2**20,
    "MB": 1.0 / 2**10,
    "GB": 1.0,
    "TB": 2.0**10,
    "PB": 2.0**20,
    "EB": 2.0**30,
}
_SI_BYTES: dict[str, float] = {
    "B": 1.0,
    "KB": 1e3,
    "MB": 1e6,
    "GB": 1e9,
    "TB": 1e12,
    "PB": 1e15,
    "EB": 1e18,
}
_IEC = {"KIB": "KB", "MIB": "MB", "GIB": "GB", "TIB": "TB", "PIB": "PB", "EIB": "EB"}
_VALID_UNITS = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
# A number: digits with optional thousands commas in groups of three ("1,024") or Python-style
# underscores ("1_000"), an optional fraction and exponent. A comma is never a decimal mark:
# "1,5 TB" is rejected rather than read as 15 TB.
_SIZE_RE = re.compile(
    r"^\s*(?P<num>[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d*)?|\.\d+)"
    r"(?:[eE][+-]?\d+)?)\s*(?P<unit>[A-Za-z]*)\s*$",
    re.ASCII,
)


def parse_size_gb(value: Any, *, si: bool = False, name: str = "size") -> float:
    """Parse a data size into billing GB (2**30 bytes).

    Parameters
    ----------
    value : str or number
        A number (already in GB) or a string such as ``"500TB"``, ``"2 PiB"``, ``"750 GiB"``,
        ``"1.5e6"`` or ``"1,024 GB"``. Units are case-insensitive; a bare number means GB.
        A comma only separates thousands, in groups of three: ``"1,5 TB"`` is an error, not
        15 TB. Surrounding whitespace is ignored; ``"-0"`` gives ``0.0``.
    si : bool, default False
        Read KB/MB/GB/TB/PB/EB as SI powers of 1000 bytes (disk labels) instead of the billing
        convention (powers of 1024). IEC units (GiB, TiB, ...) are binary either way.
    name : str
        Field name used in error messages.

    Returns
    -------
    float
        The size in billing GB. [GB]

    Raises
    ------
    InvalidParameterError
        Unparseable text, an unknown unit, or a negative, NaN or infinite size.

    Examples
    --------
    >>> parse_size_gb("10 TB")
    10240.0
    >>> parse_size_gb("512 MB")
    0.5
    >>> parse_size_gb(" 1e3TB ")
    1024000.0
    >>> parse_size_gb("1,5 TB")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'size' value ... write 1.5 TB, not 1,5 TB)...
    >>> parse_size_gb("3 furlongs")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'size' value ... unit 'furlongs' is not one of ...
    """
    if isinstance(value, bool | np.bool_):
        raise InvalidParameterError(
            f"The {name!r} value must be a size in GB or a string such as '500 TB'. "
            f"Got {value!r} instead."
        )
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        unit = "GB"
    elif isinstance(value, str):
        match = _SIZE_RE.match(value)
        if match is None:
            raise InvalidParameterError(
                f"The {name!r} value must be a size such as '500 TB', '750 GiB' or '1,024 GB' "
                "(a comma only separates thousands; write 1.5 TB, not 1,5 TB). "
                f"Got {value!r} instead."
            )
        number = float(match["num"].replace(",", "").replace("_", ""))
        unit = match["unit"] or "GB"
    else:
        raise InvalidParameterError(
            f"The {name!r} value must be a size in GB or a string such as '500 TB'. "
            f"Got {value!r} of type {type(value).__name__} instead."
        )
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise InvalidParameterError(
            f"The {name!r} value must be a finite, non-negative size. "
            f"Got {short_repr(value)} instead."
        )
    key = unit.upper()
    if key in _IEC:
        size_gb = number * _BINARY_GB[_IEC[key]]
    elif key not in _BINARY_GB:
        raise InvalidParameterError(
            f"The {name!r} value must be a size such as '500 TB' or '750 GiB'; unit {unit!r} is "
            f"not one of {format_choices(_VALID_UNITS)}. Got {value!r} instead."
        )
    elif si:
        size_gb = number * _SI_BYTES[key] / BYTES_PER_GB
    else:
        size_gb = number * _BINARY_GB[key]
    if not math.isfinite(size_gb):
        raise InvalidParameterError(
            f"The {name!r} value must be a finite size; {value!r} is beyond the largest float "
            f"({sys.float_info.max:g} GB)."
        )
    return size_gb + 0.0  # -0.0 (from "-0") becomes 0.0


def format_size(size_gb: float, precision: int = 1) -> str:
    """Format a size in billing GB with the largest binary unit that keeps it >= 1.

    Examples
    --------
    >>> format_size(512000)
    '500.0 TB'
    >>> format_size(0.25)
    '256.0 MB'
    """
    if not math.isfinite(size_gb):
        raise InvalidParameterError(f"format_size needs a finite size. Got {size_gb!r} instead.")
    for unit in ("EB", "PB", "TB", "GB", "MB", "KB"):
        factor = _BINARY_GB[unit]
        if abs(size_gb) >= factor:
            return f"{size_gb / factor:,.{precision}f} {unit}"
    return f"{size_gb * BYTES_PER_GB:,.0f} B"


def round_money(amount_usd: float, decimals: int = 2) -> float:
    """Round an amount to ``decimals`` places, half away from zero (not banker's rounding).

    Examples
    --------
    >>> round_money(2.675)
    2.68
    >>> round_money(-0.125)
    -0.13
    >>> round_money(5e39)
    5e+39
    """
    if not math.isfinite(amount_usd):
        raise InvalidParameterError(f"round_money needs a finite amount. Got {amount_usd!r}.")
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(repr(float(amount_usd)))
    # Enough digits for the integer part of any float (up to ~1.8e308) plus the decimals.
    context = Context(prec=max(28, exact.adjusted() + decimals + 2))
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP, context=context))


def format_usd(amount_usd: float, decimals: int = 2) -> str:
    """Format US dollars for display, rounded with :func:`round_money`.

    Examples
    --------
    >>> format_usd(1234567.891)
    '$1,234,567.89'
    >>> format_usd(-5)
    '-$5.00'
    """
    rounded = round_money(amount_usd, decimals)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.{decimals}f}"


def month_start(day: dt.date) -> dt.date:
    """The first day of the calendar month containing ``day``.

    Examples
    --------
    >>> month_start(dt.date(2026, 11, 27))
    datetime.date(2026, 11, 1)
    """
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Add whole calendar months, clamping the day to the month's length.

    Examples
    --------
    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(dt.date(2026, 11, 15), -12)
    datetime.date(2025, 11, 15)
    """
    index = day.year * 12 + (day.month - 1) + int(months)
    year, month0 = divmod(index, 12)
    next_first = dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (next_first - dt.timedelta(days=1)).day
    return dt.date(year, month0 + 1, min(day.day, last_day))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from the month of ``start`` to the month of ``end``.

    Billing is monthly, so only the calendar months count: 2026-01-31 to 2026-02-01 is one month.

    Examples
    --------
    >>> months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 1))
    1
    >>> months_between(dt.date(2027, 1, 1), dt.date(2026, 1, 1))
    -12
    """
    return (end.year - start.year) * 12 + (end.month - start.month)
