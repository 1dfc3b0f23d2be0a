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

import calendar
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
    "DATE_MAX",
    "DATE_MIN",
    "add_months",
    "format_size",
    "format_usd",
    "month_start",
    "months_between",
    "whole_month_or_none",
    "parse_date",
    "parse_size_gb",
    "round_money",
]

HOURS_PER_MONTH: float = 365.0 * 24.0 / 12.0
"""Hours in an average month (8,760 / 12 = 730): the providers' billing month for hourly prices
and port fees, and the month of always-on use."""

BYTES_PER_GB: int = 2**30
"""Bytes in one billing GB (the providers' GB, equal to one GiB)."""

DATE_MIN = dt.date(1990, 1, 1)
"""Earliest plausible date of an estate, a price book, a contract or a plan."""
DATE_MAX = dt.date(2200, 12, 31)
"""Latest plausible date: a contract, a plan or a horizon further ahead is a typo."""
_EPOCH = dt.date(1970, 1, 1)
_DAY_MIN = (dt.date.min - _EPOCH).days
_DAY_MAX = (dt.date.max - _EPOCH).days

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
# The text is stripped and at most _SIZE_TEXT_MAX characters long before the pattern runs, and
# the quantifiers are possessive, so matching takes linear time whatever the input.
_SIZE_RE = re.compile(
    r"(?P<num>[+-]?+(?:(?:\d{1,3}+(?:,\d{3})++|\d++(?:_\d++)*+)(?:\.\d*+)?+|\.\d++)"
    r"(?:[eE][+-]?+\d++)?+)[ \t]*+(?P<unit>[A-Za-z]*+)",
    re.ASCII,
)
_SIZE_TEXT_MAX = 64  # longer text is not a size ("1,000,000,000,000.000000 PiB" is 28)


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
        text = value.strip()
        match = _SIZE_RE.fullmatch(text) if len(text) <= _SIZE_TEXT_MAX else None
        if match is None:
            raise InvalidParameterError(
                f"The {name!r} value must be a size such as '500 TB', '750 GiB' or '1,024 GB' "
                "(a comma only separates thousands; write 1.5 TB, not 1,5 TB). "
                f"Got {short_repr(value)} instead."
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


def _date_help(name: str, func: str | None) -> str:
    where = f"The {name!r} parameter of {func}" if func else f"The {name!r} value"
    return (
        f"{where} must be a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}: a "
        "date, a datetime, an ISO date string such as '2025-01-31' or a month such as '2025-01'"
    )


def parse_date(value: Any, *, name: str = "as_of", func: str | None = None) -> dt.date:
    """The one reading of a date that exitcost accepts anywhere a user gives one.

    Accepted: a ``date``, a ``datetime`` (pandas ``Timestamp`` too), a ``numpy.datetime64``,
    an ISO date (``"2025-01-31"``), an ISO date and time (``"2025-01-31T12:00"``), or a month
    (``"2025-01"``, its first day). ``None`` means today. The date must lie between
    :data:`DATE_MIN` and :data:`DATE_MAX`.

    Parameters
    ----------
    value : date, datetime, numpy.datetime64, str or None
        The date.
    name, func : str
        The parameter and the public function named in the error message.

    Raises
    ------
    InvalidParameterError
        Not a date, an impossible date (``"2026-02-30"``), NaT, or outside the plausible range.

    Examples
    --------
    >>> parse_date("2024-09")
    datetime.date(2024, 9, 1)
    >>> parse_date("2024-09-25T08:00")
    datetime.date(2024, 9, 25)
    >>> parse_date(np.datetime64("2030-01-15"))
    datetime.date(2030, 1, 15)
    >>> parse_date("9999-12-31", name="as_of", func="exit_bill")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'as_of' parameter of exit_bill must be a date ...
    """
    day: dt.date | None = None
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        day = None if value != value else value.date()  # pandas.NaT is a datetime unequal to itself
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, np.datetime64):
        if not np.isnat(value):
            days = value.astype("datetime64[D]").astype(np.int64)
            if _DAY_MIN <= days <= _DAY_MAX:
                day = _EPOCH + dt.timedelta(days=int(days))
            else:
                day = dt.date.max  # refused below as out of range
    elif isinstance(value, str):
        text = value.strip()
        if len(text) <= 32:  # the longest ISO datetime with a fraction and offset
            if len(text) == 7 and text[4:5] == "-":
                text += "-01"
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                try:
                    day = dt.datetime.fromisoformat(text).date()
                except ValueError:
                    day = None
    if day is None or not DATE_MIN <= day <= DATE_MAX:
        raise InvalidParameterError(f"{_date_help(name, func)}. Got {short_repr(value)} instead.")
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """Add whole calendar months, clamping the day to the month's length.

    Raises
    ------
    InvalidParameterError
        ``months`` is not a whole number, or the result would fall outside the calendar
        (before year 1 or after year 9999); the arithmetic itself never overflows.

    Examples
    --------
    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(dt.date(2026, 11, 15), -12)
    datetime.date(2025, 11, 15)
    >>> add_months(dt.date(9999, 12, 1), 1)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: Adding 1 months to 9999-12-01 gives a date after ...
    """
    try:
        count = int(months)
        whole = count == months
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole or isinstance(months, bool):
        raise InvalidParameterError(
            f"A number of months must be a whole number. Got {short_repr(months)} instead."
        )
    index = day.year * 12 + (day.month - 1) + count  # Python integers: no overflow
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        side = "after 9999-12-31" if count > 0 else "before 0001-01-01"
        raise InvalidParameterError(
            f"Adding {count} months to {day.isoformat()} gives a date {side}, which no "
            "calendar holds; a plan, a contract or a horizon that long is not plausible."
        )
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last_day))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from the month of ``start`` to the month of ``end`` (signed).

    Billing is monthly, so only the calendar months count: 2026-01-31 to 2026-02-01 is one month.
    An ``end`` before ``start`` gives a negative count; a caller that needs "months left" takes
    ``max(months_between(start, end), 0)``.

    Examples
    --------
    >>> months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 1))
    1
    >>> months_between(dt.date(2027, 1, 1), dt.date(2026, 1, 1))
    -12
    """
    return (end.year - start.year) * 12 + (end.month - start.month)


def whole_month_or_none(month: float) -> int | None:
    """A month index as an int; None where there is none (NaN: never within the horizon).

    None becomes ``<NA>`` in a pandas ``Int64`` column, so a result never holds a NaN month.

    Examples
    --------
    >>> whole_month_or_none(5.0), whole_month_or_none(float("nan"))
    (5, None)
    """
    return int(month) if math.isfinite(month) else None
