"""Cash flows and their value: discounting, NPV, IRR, payback, break-even, TCO, depreciation.

Every function here is a pure, vectorised numpy kernel. Cash flows have the months (periods) on
the **last** axis and any number of leading scenario axes: a Monte Carlo run of ``n_scenarios``
scenarios over ``n_months`` months is an array of shape ``(n_scenarios, n_months)`` and its NPV
has shape ``(n_scenarios,)``.

Conventions (the same as numpy-financial's, stated once so a spreadsheet can reproduce them)
-------------------------------------------------------------------------------------------
* **Rates** are decimals per period (``0.01`` is one per cent a month), never per cent. The
  period of the rate must be the period of the cash flows; convert an annual discount rate with
  :func:`rate_per_month_from_annual` (``(1 + r) ** (1 / 12) - 1``, compound, not ``r / 12``).
* **Signs**: money in is positive, money out is negative. Only ``cash_flow_usd`` is signed;
  parameters named ``*_cost_usd`` or ``cost_usd`` are positive magnitudes.
* **Timing** (``when``): with ``when="begin"`` (the default) the first value is at t = 0 and is
  not discounted, as in :func:`numpy_financial.npv`; with ``when="end"`` the first value is at
  t = 1, as in Excel's ``NPV()``, so ``npv(r, x, when="end") == npv(r, x) / (1 + r)``.
* **Months are counted from 0**: month 0 is the first element of the last axis.
* **pandas**: a DataFrame is scenarios (rows) x months (columns) and gives a Series on its
  index; a Series of per-scenario rates, or a second DataFrame, given with it is matched to its
  rows by index label (labels that do not match one to one are an error).
* **No solution is NaN**: where a quantity does not exist for one scenario (no IRR, never paid
  back) the result is NaN for that scenario; pass ``raise_exceptions=True`` to get a
  :class:`~exitcost.errors.NoSolutionError` naming the first such scenario instead. Bad input
  (NaN, infinity, a rate <= -1, empty or mismatched arrays) raises
  :class:`~exitcost.errors.InvalidParameterError`.

Depreciation schedules (:func:`straight_line_depreciation`,
:func:`declining_balance_depreciation`) are accounting views: they spread a purchase over its
useful life as an expense. They are not cash flows and must not be added to them; the cash view of
a purchase is a single outflow in the month it is paid.

Examples
--------
>>> import numpy as np
>>> cash_flow_usd = np.array([-40_000.0, 5_000, 8_000, 12_000, 30_000])
>>> round(npv(0.08, cash_flow_usd), 2)          # numpy_financial.npv(0.08, ...)
3065.22
>>> round(npv(0.08, cash_flow_usd, when="end"), 2)   # Excel =NPV(8%, -40000, ...)
2838.17
>>> round(irr(cash_flow_usd), 6)
0.105823
>>> payback_month(cash_flow_usd)
4.0
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost._validation import (
    as_array,
    as_rate,
    check_scalar,
    check_whole,
    match_labels,
    renamed_parameters,
    wrap_like,
)
from exitcost.errors import InvalidParameterError, NoSolutionError, format_choices

__all__ = [
    "When",
    "annuity_payment",
    "break_even_month",
    "declining_balance_depreciation",
    "discount_factors",
    "discounted_payback_month",
    "irr",
    "npv",
    "payback_month",
    "rate_per_month_from_annual",
    "rate_per_year_from_monthly",
    "straight_line_depreciation",
    "tco",
]

FloatArray = npt.NDArray[np.float64]
When: TypeAlias = Literal["begin", "end"]
"""Timing of the first cash flow: at t = 0 (``"begin"``) or at t = 1 (``"end"``)."""

_WHEN_OFFSET: Final[dict[str, int]] = {"begin": 0, "end": 1}
# Elements per chunk when a per-scenario table (rates x months) has to be built: bounds memory
# to about 32 MB of float64 whatever the number of scenarios.
_CHUNK_ELEMENTS: Final[int] = 4_000_000
# Relative tolerance under which a cumulative sum counts as zero (rounding of sums of floats).
_CUMULATIVE_RTOL: Final[float] = 1e-12


# --------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------


def _when_offset(when: object, func: str) -> int:
    if not isinstance(when, str) or when not in _WHEN_OFFSET:
        raise InvalidParameterError(
            f"The 'when' parameter of {func} must be one of {format_choices(_WHEN_OFFSET)}. "
            f"Got {when!r} instead."
        )
    return _WHEN_OFFSET[when]


def _check_months_axis(arr: FloatArray, name: str, func: str, value: Any) -> None:
    if arr.ndim == 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be an array with months on its last axis "
            f"(shape (..., n_months)). Got the single number {value!r} instead."
        )
    if arr.shape[-1] == 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must hold at least one month. "
            f"Got an empty array of shape {arr.shape} instead."
        )


def _flows(value: Any, *, name: str, func: str, minimum: float | None = None) -> FloatArray:
    """Validated float64 array with a non-empty months axis."""
    arr = as_array(value, name=name, func=func, minimum=minimum)
    _check_months_axis(arr, name, func, value)
    return arr


def _rate(value: Any, func: str, name: str = "rate_per_period") -> FloatArray:
    return as_rate(value, name=name, func=func)


def _aligned_rate(
    rate_per_period: Any, template: Any, template_name: str, func: str
) -> tuple[Any, FloatArray]:
    """The rate matched to the rows of ``template``: as given (to label results) and checked."""
    aligned = _align_rows(
        rate_per_period, template, name="rate_per_period", template_name=template_name, func=func
    )
    return aligned, _rate(aligned, func)


def _leading_shape(
    rate: FloatArray, flows: FloatArray, func: str, rate_name: str, flows_name: str
) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(rate.shape, flows.shape[:-1])
    except ValueError:
        raise InvalidParameterError(
            f"The {rate_name!r} parameter of {func} must be a single number or an array that "
            f"broadcasts against the scenario axes {flows.shape[:-1]} of {flows_name!r} (shape "
            f"{flows.shape}, months last). Got shape {rate.shape} instead."
        ) from None


def _broadcast_pair(
    a: FloatArray, b: FloatArray, func: str, a_name: str, b_name: str
) -> tuple[FloatArray, FloatArray]:
    try:
        a_b, b_b = np.broadcast_arrays(a, b)
    except ValueError:
        raise InvalidParameterError(
            f"The {a_name!r} and {b_name!r} parameters of {func} must have shapes that "
            f"broadcast together (months last). Got shapes {a.shape} and {b.shape} instead."
        ) from None
    return a_b, b_b


def _align_rows(
    value: Any, template: Any, *, name: str, template_name: str, func: str, streams: bool = False
) -> Any:
    """``value`` matched label by label to the rows of ``template`` where both carry labels.

    A Series of rates (one per scenario) or, with ``streams=True``, a DataFrame of streams (one
    row per scenario) given with a DataFrame of scenarios is read by its index labels, not by
    position, as pandas users expect; labels that do not match one to one are an error rather
    than a silent misalignment. (With ``streams=True`` a Series is one stream over the months,
    shared by every scenario, and is left as it is.)
    """
    kind = pd.DataFrame if streams else pd.Series | pd.DataFrame
    if not isinstance(template, pd.DataFrame) or not isinstance(value, kind):
        return value
    return match_labels(value, template, name=name, template_name=template_name, func=func)


def _wrap_leading(result: FloatArray, *templates: Any, name: str | None = None) -> Any:
    """Scenario-shaped result: a float for 0-d, a Series where a template carries an index."""
    if result.ndim == 0:
        return float(result)
    for template in templates:
        if isinstance(template, pd.Series | pd.DataFrame) and result.shape == (len(template),):
            return pd.Series(result, index=template.index, name=name)
    return result


def _row_label(flat_index: int, shape: tuple[int, ...]) -> str:
    if not shape:
        return ""
    return f" at scenario index {tuple(int(i) for i in np.unravel_index(flat_index, shape))}"


def _discount_table(rate: FloatArray, n: int, offset: int) -> FloatArray:
    """(1 + rate) ** -(t + offset) for t = 0..n-1, shape rate.shape + (n,)."""
    t = np.arange(offset, n + offset, dtype=np.float64)
    with np.errstate(over="ignore"):
        result: FloatArray = np.exp(-np.log1p(rate)[..., None] * t)
    return result


def _discounted(
    flows: FloatArray, rate: FloatArray, offset: int, func: str, flows_name: str
) -> FloatArray:
    """Flows times their discount factors, broadcast over leading axes."""
    _leading_shape(rate, flows, func, "rate_per_period", flows_name)
    table = _discount_table(rate, flows.shape[-1], offset)
    with np.errstate(over="ignore", invalid="ignore"):
        out: FloatArray = flows * table
    if not np.isfinite(out).all():
        raise InvalidParameterError(
            f"The 'rate_per_period' parameter of {func} is so close to -1 that the discount "
            f"factors overflow over {flows.shape[-1]} months. Got min rate "
            f"{float(rate.min())!r}; use a rate further above -1."
        )
    return out


# --------------------------------------------------------------------------------------------
# Rates and discount factors
# --------------------------------------------------------------------------------------------


def rate_per_month_from_annual(discount_rate_per_year: Any) -> Any:
    """Monthly rate equivalent to an annual rate by compounding: ``(1 + r) ** (1 / 12) - 1``.

    Parameters
    ----------
    discount_rate_per_year : numeric
        Annual rate as a decimal (``0.08`` for 8 % a year), > -1. [1/year]

    Returns
    -------
    numeric
        Monthly rate as a decimal, same kind as the input. [1/month]

    Examples
    --------
    >>> round(rate_per_month_from_annual(0.08), 8)
    0.00643403
    >>> round(rate_per_year_from_monthly(rate_per_month_from_annual(0.08)), 12)
    0.08
    """
    func = "rate_per_month_from_annual"
    rate = _rate(discount_rate_per_year, func, "discount_rate_per_year")
    return wrap_like(discount_rate_per_year, np.expm1(np.log1p(rate) / 12.0))


def rate_per_year_from_monthly(rate_per_month: Any) -> Any:
    """Annual rate equivalent to a monthly rate by compounding: ``(1 + r) ** 12 - 1``.

    The inverse of :func:`rate_per_month_from_annual`.

    Parameters
    ----------
    rate_per_month : numeric
        Monthly rate as a decimal, > -1. [1/month]

    Returns
    -------
    numeric
        Annual rate as a decimal. [1/year]

    Examples
    --------
    >>> round(rate_per_year_from_monthly(0.01), 6)
    0.126825
    """
    func = "rate_per_year_from_monthly"
    rate = _rate(rate_per_month, func, "rate_per_month")
    return wrap_like(rate_per_month, np.expm1(np.log1p(rate) * 12.0))


def discount_factors(rate_per_period: Any, n_periods: int, *, when: When = "begin") -> FloatArray:
    """Discount factors ``(1 + rate) ** -t`` for t = 0..n-1 (``"begin"``) or 1..n (``"end"``).

    Parameters
    ----------
    rate_per_period : numeric
        Discount rate per period as a decimal, > -1; an array gives one row per rate.
    n_periods : int
        Number of periods (months), >= 1.
    when : {"begin", "end"}
        Whether the first period is at t = 0 or at t = 1.

    Returns
    -------
    numpy.ndarray
        Shape ``rate.shape + (n_periods,)``.

    Examples
    --------
    >>> discount_factors(0.1, 3)
    array([1.        , 0.90909091, 0.82644628])
    >>> discount_factors([0.0, 0.1], 2, when="end").round(4)
    array([[1.    , 1.    ],
           [0.9091, 0.8264]])
    """
    func = "discount_factors"
    offset = _when_offset(when, func)
    rate = _rate(rate_per_period, func)
    n = check_whole(n_periods, name="n_periods", func=func, minimum=1)
    table = _discount_table(rate, n, offset)
    if not np.isfinite(table).all():
        raise InvalidParameterError(
            f"The 'rate_per_period' parameter of {func} is so close to -1 that the discount "
            f"factors overflow over {n} periods. Got min rate {float(rate.min())!r}."
        )
    return table


# --------------------------------------------------------------------------------------------
# NPV
# --------------------------------------------------------------------------------------------


def _npv_fast_input(value: Any, func: str) -> FloatArray:
    """float64 view of the cash flows, without scanning a plain numeric array.

    Only a plain ndarray (or pandas object) of floats or integers takes the fast path, where
    NaN and infinity are caught through the result; anything else (lists, booleans, text,
    masked arrays, object arrays) is checked in full by :func:`as_array` like every kernel's
    input, so ``npv`` accepts exactly what the other kernels accept.
    """
    raw = value.to_numpy() if isinstance(value, pd.DataFrame | pd.Series) else value
    if type(raw) is np.ndarray and raw.dtype.kind in "fiu":
        arr = np.asarray(raw, dtype=np.float64)
        _check_months_axis(arr, "cash_flow_usd", func, value)
        return arr
    return _flows(value, name="cash_flow_usd", func=func)


def npv(rate_per_period: Any, cash_flow_usd: Any, *, when: When = "begin") -> Any:
    """Net present value of cash flows, vectorised over scenarios.

    ``sum(cash_flow_usd[..., t] / (1 + rate) ** (t + offset))`` with ``offset`` 0 for
    ``when="begin"`` (numpy-financial's ``npv``: the first value is at t = 0, undiscounted) and 1
    for ``when="end"`` (Excel's ``NPV``: the first value is one period away).

    Parameters
    ----------
    rate_per_period : numeric
        Discount rate per period (per month for monthly flows) as a decimal, > -1. A scalar, or
        an array that broadcasts against the scenario axes of ``cash_flow_usd``. A Series given
        with a DataFrame of flows is matched to its rows by index label.
    cash_flow_usd : array-like, shape (..., n_months)
        Signed cash flows, money in positive, months on the last axis. A DataFrame is read as
        scenarios x months. [USD]
    when : {"begin", "end"}
        Timing of the first cash flow (see above).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        NPV per scenario, shape ``broadcast(rate.shape, cash_flow_usd.shape[:-1])``: a float for
        one stream and one rate, a Series indexed like a DataFrame or Series input. [USD]

    Raises
    ------
    InvalidParameterError
        A rate <= -1, NaN or infinity anywhere, an empty months axis, a scalar cash flow, or
        shapes that do not broadcast.

    Notes
    -----
    With a single rate the discount vector is computed once and the NPV is one matrix-vector
    product over all scenarios. Per-scenario rates build the discount table in bounded chunks.
    The input is checked for NaN and infinity through the result (either would make it
    non-finite), so a clean array is read only once.

    Examples
    --------
    >>> import numpy as np
    >>> round(npv(0.05, [-100.0, 60, 60]), 4)
    11.5646
    >>> round(npv(0.05, [-100.0, 60, 60], when="end"), 4)   # Excel: =NPV(5%, -100, 60, 60)
    11.0139
    >>> npv(np.array([0.0, 0.05]), [-100.0, 60, 60]).round(4)
    array([20.    , 11.5646])
    >>> npv(0.05, np.ones((3, 4))).shape
    (3,)
    >>> npv(-1.0, [1.0, 2.0])
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'rate_per_period' parameter of npv must be > -1...
    """
    func = "npv"
    offset = _when_offset(when, func)
    rate_per_period, rate = _aligned_rate(rate_per_period, cash_flow_usd, "cash_flow_usd", func)
    flows = _npv_fast_input(cash_flow_usd, func)
    lead = _leading_shape(rate, flows, func, "rate_per_period", "cash_flow_usd")
    n = flows.shape[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        if rate.ndim == 0:
            discount = _discount_table(rate, n, offset)
            result: FloatArray = np.asarray(flows @ discount, dtype=np.float64)
        else:
            result = _npv_chunked(rate, flows, offset, lead)
    if not np.isfinite(result).all():
        # Locate a NaN or infinity in the input with the standard message; if there is none the
        # discount factors (a rate near -1) or the sums overflowed.
        as_array(cash_flow_usd, name="cash_flow_usd", func=func, minimum=None)
        raise InvalidParameterError(
            f"The 'rate_per_period' parameter of {func} gives discount factors or sums that "
            f"overflow float64 over {n} months. Got min rate {float(rate.min())!r}; use a rate "
            "further above -1 or smaller cash flows."
        )
    return _wrap_leading(result, cash_flow_usd, rate_per_period, name="npv_usd")


def _npv_chunked(
    rate: FloatArray, flows: FloatArray, offset: int, lead: tuple[int, ...]
) -> FloatArray:
    n = flows.shape[-1]
    rates = np.broadcast_to(rate, lead).reshape(-1)
    rows = np.broadcast_to(flows, (*lead, n)).reshape(-1, n)
    out = np.empty(rates.shape[0], dtype=np.float64)
    step = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, rates.shape[0], step):  # chunks of scenarios, to bound memory
        part = slice(start, start + step)
        table = _discount_table(rates[part], n, offset)
        out[part] = np.einsum("ij,ij->i", rows[part], table)
    return out.reshape(lead)


# --------------------------------------------------------------------------------------------
# IRR
# --------------------------------------------------------------------------------------------

# Search grid for sign changes of the NPV, in u = 1 + r for r < 0 and u = 1 / (1 + r) for r >= 0,
# so both halves live in (0, 1] and the polynomial is evaluated without overflow. Dense near
# u = 1 (r = 0, where IRRs usually are), geometric towards 0 (r -> -1 and r -> +infinity).
_U_GRID: Final[FloatArray] = np.unique(
    np.concatenate([np.geomspace(1e-6, 0.2, 80), np.linspace(0.2, 1.0, 641)])
)
_BISECTIONS: Final[int] = 64


def _scaled_npv(
    left: FloatArray, right: FloatArray, u: FloatArray, negative: npt.NDArray[np.bool_]
) -> FloatArray:
    """Sign-correct NPV of each row at rate r_i given through u_i (see _U_GRID and _aligned)."""
    n = left.shape[-1]
    t = np.arange(n, dtype=np.float64)
    exponent = np.where(negative[:, None], (n - 1) - t, t)
    v = np.where(negative[:, None], right, left)
    return np.asarray(np.einsum("ij,ij->i", v, u[:, None] ** exponent), dtype=np.float64)


def _aligned(v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each row of v shifted to start at its first non-zero flow, and to end at its last.

    Shifting a row multiplies its NPV by a power of (1 + r), which has the same roots. The
    scaled polynomials then keep a term of power 0 (a non-zero flow times 1), so no grid point
    underflows to an NPV of exactly 0 and counts as a root: zero padding changes nothing.
    """
    rows, n = v.shape
    nonzero = v != 0
    first = np.argmax(nonzero, axis=1)[:, None]
    last = (n - 1 - np.argmax(nonzero[:, ::-1], axis=1))[:, None]
    cols = np.arange(n)[None, :]
    index = np.arange(rows)[:, None]
    source = first + cols  # left-aligned: column c holds flow first + c
    left = np.where(source <= last, v[index, np.minimum(source, n - 1)], 0.0)
    source = last - (n - 1) + cols  # right-aligned: column n - 1 holds flow last
    right = np.where(source >= first, v[index, np.maximum(source, 0)], 0.0)
    return left, right


def _irr_rows(v: FloatArray) -> FloatArray:
    """IRR of each row of v (2-D, each with flows of both signs), NaN where none is found."""
    rows, n = v.shape
    left, right = _aligned(v)
    t = np.arange(n, dtype=np.float64)
    u = _U_GRID
    # NPV sign at r = u - 1 (u ascending, r in (-1, 0]) and r = 1/u - 1 (u descending, r >= 0).
    neg_values = right @ (u[None, :] ** ((n - 1) - t)[:, None])
    pos_values = left @ (u[::-1][None, :] ** t[:, None])
    values = np.concatenate([neg_values, pos_values[:, 1:]], axis=1)
    grid_u = np.concatenate([u, u[::-1][1:]])
    grid_negative = np.concatenate([np.ones(u.size, bool), np.zeros(u.size - 1, bool)])
    zero_index = u.size - 1  # the grid point at r = 0
    sign = np.sign(values)
    # A root lies in cell g (between grid points g and g + 1) or at point g itself.
    change = (sign[:, :-1] * sign[:, 1:] < 0) | (sign[:, :-1] == 0)
    cells = np.arange(change.shape[1])
    candidates = []
    for above in (True, False):  # the nearest root above zero, then the nearest below
        side = cells >= zero_index if above else cells < zero_index
        hit = change & side
        found = hit.any(axis=1)
        if above:
            cell = np.argmax(hit, axis=1)
        else:
            cell = hit.shape[1] - 1 - np.argmax(hit[:, ::-1], axis=1)
        at_point = sign[np.arange(rows), cell] == 0
        lo_u = grid_u[cell]
        hi_u = grid_u[cell + 1]
        negative = grid_negative[cell + 1]  # the side of the cell (its right end)
        f_lo = values[np.arange(rows), cell]
        # Bisection in u on every row at once (fixed count: 2**-64 of the cell width).
        for _ in range(_BISECTIONS):
            mid = 0.5 * (lo_u + hi_u)
            f_mid = _scaled_npv(left, right, mid, negative)
            same = np.sign(f_mid) == np.sign(f_lo)
            lo_u = np.where(same, mid, lo_u)
            f_lo = np.where(same, f_mid, f_lo)
            hi_u = np.where(same, hi_u, mid)
        root_u = np.where(at_point, grid_u[cell], 0.5 * (lo_u + hi_u))
        root = np.where(negative, root_u - 1.0, 1.0 / root_u - 1.0)
        candidates.append(np.where(found, root, np.nan))
    above_rate, below_rate = candidates
    pick_below = np.isnan(above_rate) | (np.abs(below_rate) < np.abs(above_rate))
    return np.where(pick_below, below_rate, above_rate)


def irr(cash_flow_usd: Any, *, raise_exceptions: bool = False) -> Any:
    """Internal rate of return per period, vectorised over scenarios.

    The rate ``r > -1`` at which ``npv(r, cash_flow_usd)`` (``when="begin"``) is zero. Where
    several such rates exist, the one closest to zero, as numpy-financial chooses.

    Parameters
    ----------
    cash_flow_usd : array-like, shape (..., n_months)
        Signed cash flows, months last. [USD]
    raise_exceptions : bool, default False
        Raise :class:`~exitcost.errors.NoSolutionError` naming the first scenario that has no
        IRR, instead of returning NaN for it.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        IRR per period (per month for monthly flows) as a decimal; NaN where there is none (all
        flows of one sign or zero). Shape ``cash_flow_usd.shape[:-1]``. [1/period]

    Notes
    -----
    All scenarios are solved together: the NPV polynomial is evaluated for every row on a fixed
    grid of rates from -1 to about 10**6 per period (one matrix product), the sign changes
    nearest to zero on either side are refined by 64 bisections, and the root closer to zero
    is kept. Roots that lie closer together than the grid spacing (about 0.001 near r = 0) can
    be missed as a pair; flows with a single sign change have exactly one IRR, which is always
    found if it lies in the grid's range.

    Examples
    --------
    >>> round(irr([-100.0, 39, 59, 55, 20]), 5)     # numpy_financial.irr example
    0.28095
    >>> round(irr([-100.0, 100, 0, -7]), 5)        # two IRRs; the one nearest zero
    -0.0833
    >>> irr([[-100.0, 110], [100.0, 10]])          # the second row has no sign change
    array([0.1, nan])
    >>> irr([100.0, 10], raise_exceptions=True)
    Traceback (most recent call last):
    ...
    exitcost.errors.NoSolutionError: irr found no internal rate of return...
    """
    func = "irr"
    flows = _flows(cash_flow_usd, name="cash_flow_usd", func=func)
    lead = flows.shape[:-1]
    n = flows.shape[-1]
    flat = flows.reshape(-1, n)
    result = np.full(flat.shape[0], np.nan)
    solvable: npt.NDArray[np.bool_] = np.asarray(
        (flat > 0).any(axis=1) & (flat < 0).any(axis=1), dtype=bool
    )
    index = np.flatnonzero(solvable)
    step = max(1, _CHUNK_ELEMENTS // (2 * _U_GRID.size + n))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for start in range(0, index.size, step):  # chunks of scenarios, to bound memory
            part = index[start : start + step]
            result[part] = _irr_rows(flat[part])
    if raise_exceptions and np.isnan(result).any():
        first = int(np.flatnonzero(np.isnan(result))[0])
        raise NoSolutionError(
            f"{func} found no internal rate of return{_row_label(first, lead)}: "
            + (
                "the cash flows never change sign."
                if not bool(solvable[first])
                else "the NPV has no root in the searched range of rates."
            )
            + " Pass raise_exceptions=False to get NaN for such scenarios."
        )
    return _wrap_leading(result.reshape(lead), cash_flow_usd, name="irr_per_period")


# --------------------------------------------------------------------------------------------
# Payback, break-even, TCO
# --------------------------------------------------------------------------------------------


def _payback(
    flows: FloatArray,
    *,
    fractional: bool,
    sustained: bool,
    raise_exceptions: bool,
    func: str,
    what: str,
) -> FloatArray:
    n = flows.shape[-1]
    cumulative = np.cumsum(flows, axis=-1)
    tolerance = _CUMULATIVE_RTOL * np.cumsum(np.abs(flows), axis=-1)
    negative = cumulative < -tolerance
    if sustained:
        any_negative = negative.any(axis=-1)
        last_negative = (n - 1) - np.argmax(negative[..., ::-1], axis=-1)
        month = np.where(any_negative, last_negative + 1, 0)
    else:
        reached = ~negative
        month = np.where(reached.any(axis=-1), np.argmax(reached, axis=-1), n)
    never = month >= n
    result = month.astype(np.float64)
    if fractional:
        k = np.clip(month, 1, n - 1)[..., None]
        before = np.take_along_axis(cumulative, k - 1, axis=-1)[..., 0]
        flow = np.take_along_axis(flows, k, axis=-1)[..., 0]
        interpolate = (month > 0) & ~never
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(interpolate, -before / np.where(interpolate, flow, 1.0), 0.0)
        result = np.where(interpolate, month - 1 + fraction, result)
    result = np.where(never, np.nan, result)
    if raise_exceptions and never.any():
        first = int(np.flatnonzero(never.reshape(-1))[0])
        raise NoSolutionError(
            f"{func}: {what} is never reached within the {n} months given"
            f"{_row_label(first, never.shape)}. Pass raise_exceptions=False to get NaN for "
            "such scenarios, or lengthen the horizon."
        )
    return result


def payback_month(
    cash_flow_usd: Any,
    *,
    fractional: bool = False,
    sustained: bool = True,
    raise_exceptions: bool = False,
) -> Any:
    """Month in which the cumulative cash flow turns non-negative (undiscounted payback).

    Parameters
    ----------
    cash_flow_usd : array-like, shape (..., n_months)
        Signed cash flows, months last (month 0 first). [USD]
    fractional : bool, default False
        Interpolate within the payback month instead of returning whole months.
    sustained : bool, default True
        Require the cumulative flow to stay non-negative to the end of the horizon.
    raise_exceptions : bool, default False
        Raise :class:`~exitcost.errors.NoSolutionError` instead of returning NaN.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Payback month per scenario (0-based), NaN where never paid back. [months]

    Notes
    -----
    Definition: let ``C[k]`` be the cumulative sum of the flows through month k. The payback
    month is the first month ``k`` with ``C[k] >= 0`` and, with ``sustained=True`` (the
    default), ``C`` non-negative in every later month of the horizon as well, so a later
    hardware refresh that pushes the cumulative flow back below zero moves the payback past it.
    ``sustained=False`` gives the first crossing. With ``fractional=True`` the month is
    interpolated linearly inside month ``k``: ``k - 1 + (-C[k - 1]) / flow[k]`` (the
    spreadsheet payback period, "years before recovery + unrecovered cost / next year's flow").
    A stream that is never negative pays back in month 0. NaN where the stream is not paid back
    within the horizon.

    Examples
    --------
    >>> payback_month([-100.0, 30, 30, 30, 30])
    4.0
    >>> round(payback_month([-100.0, 30, 30, 30, 30], fractional=True), 4)
    3.3333
    >>> payback_month([[-100.0, 50, 50, -10, 20], [-100.0, 10, 10, 10, 10]])
    array([ 4., nan])
    >>> payback_month([-100.0, 50, 50, -10, 20], sustained=False)
    2.0
    """
    func = "payback_month"
    flows = _flows(cash_flow_usd, name="cash_flow_usd", func=func)
    result = _payback(
        flows,
        fractional=fractional,
        sustained=sustained,
        raise_exceptions=raise_exceptions,
        func=func,
        what="payback",
    )
    return _wrap_leading(result, cash_flow_usd, name="payback_month")


def discounted_payback_month(
    rate_per_period: Any,
    cash_flow_usd: Any,
    *,
    when: When = "begin",
    fractional: bool = False,
    sustained: bool = True,
    raise_exceptions: bool = False,
) -> Any:
    """Month in which the cumulative discounted cash flow turns non-negative.

    The same as :func:`payback_month` on ``cash_flow_usd * (1 + rate) ** -(t + offset)``, with
    the timing convention of :func:`npv`.

    Parameters
    ----------
    rate_per_period : numeric
        Discount rate per period as a decimal, > -1; scalar or broadcasting against the scenario
        axes.
    cash_flow_usd : array-like, shape (..., n_months)
        Signed cash flows, months last. [USD]
    when : {"begin", "end"}
        Timing of the first cash flow.
    fractional, sustained, raise_exceptions : bool
        As for :func:`payback_month`.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Discounted payback month per scenario, NaN where never paid back. [months]

    Examples
    --------
    >>> discounted_payback_month(0.0, [-100.0, 30, 30, 30, 30])
    4.0
    >>> import math
    >>> math.isnan(discounted_payback_month(0.1, [-100.0, 30, 30, 30, 30]))
    True
    >>> round(discounted_payback_month(0.05, [-100.0, 30, 30, 30, 30], fractional=True), 3)
    3.742
    """
    func = "discounted_payback_month"
    offset = _when_offset(when, func)
    rate_per_period, rate = _aligned_rate(rate_per_period, cash_flow_usd, "cash_flow_usd", func)
    flows = _flows(cash_flow_usd, name="cash_flow_usd", func=func)
    discounted = _discounted(flows, rate, offset, func, "cash_flow_usd")
    result = _payback(
        discounted,
        fractional=fractional,
        sustained=sustained,
        raise_exceptions=raise_exceptions,
        func=func,
        what="discounted payback",
    )
    return _wrap_leading(result, cash_flow_usd, rate_per_period, name="payback_month")


def break_even_month(
    baseline_cost_usd: Any,
    alternative_cost_usd: Any,
    *,
    rate_per_period: Any = 0.0,
    when: When = "begin",
    fractional: bool = False,
    sustained: bool = True,
    raise_exceptions: bool = False,
) -> Any:
    """Month from which the alternative's cumulative cost is at or below the baseline's.

    Typically the baseline is staying in the cloud and the alternative is leaving (migration and
    hardware up front, lower running costs after). The break-even month is the payback month of
    the savings ``baseline_cost_usd - alternative_cost_usd``, discounted at ``rate_per_period``
    (0 by default). For two signed cash-flow streams use
    ``payback_month(alternative_cash_flow_usd - baseline_cash_flow_usd)``.

    Parameters
    ----------
    baseline_cost_usd, alternative_cost_usd : array-like, shape (..., n_months)
        Positive monthly costs of the two options, months last; they must broadcast. [USD]
    rate_per_period : numeric, default 0.0
        Discount rate per period (decimal, > -1).
    when : {"begin", "end"}
        Timing of the first month, as for :func:`npv`.
    fractional, sustained, raise_exceptions : bool
        As for :func:`payback_month` (the definition is the same, on the savings).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Break-even month per scenario (0-based), NaN where the alternative never catches up
        within the horizon. [months]

    Examples
    --------
    >>> stay_usd = [100.0] * 12
    >>> leave_usd = [650.0] + [40.0] * 11
    >>> break_even_month(stay_usd, leave_usd)
    10.0
    >>> round(break_even_month(stay_usd, leave_usd, fractional=True), 3)
    9.167
    """
    func = "break_even_month"
    offset = _when_offset(when, func)
    alternative_cost_usd = _align_rows(
        alternative_cost_usd,
        baseline_cost_usd,
        name="alternative_cost_usd",
        template_name="baseline_cost_usd",
        func=func,
        streams=True,
    )
    if isinstance(baseline_cost_usd, pd.DataFrame):
        template, template_name = baseline_cost_usd, "baseline_cost_usd"
    else:
        template, template_name = alternative_cost_usd, "alternative_cost_usd"
    rate_per_period, rate = _aligned_rate(rate_per_period, template, template_name, func)
    base = _flows(baseline_cost_usd, name="baseline_cost_usd", func=func, minimum=0.0)
    alt = _flows(alternative_cost_usd, name="alternative_cost_usd", func=func, minimum=0.0)
    base, alt = _broadcast_pair(base, alt, func, "baseline_cost_usd", "alternative_cost_usd")
    savings = _discounted(base - alt, rate, offset, func, "baseline_cost_usd")
    result = _payback(
        savings,
        fractional=fractional,
        sustained=sustained,
        raise_exceptions=raise_exceptions,
        func=func,
        what="break-even",
    )
    return _wrap_leading(
        result, baseline_cost_usd, alternative_cost_usd, rate_per_period, name="break_even_month"
    )


@renamed_parameters(months="horizon_months")
def tco(
    cost_usd: Any,
    *,
    horizon_months: int | None = None,
    rate_per_period: Any = 0.0,
    when: When = "begin",
) -> Any:
    """Total cost of ownership: the (discounted) sum of monthly costs over a horizon.

    Parameters
    ----------
    cost_usd : array-like, shape (..., n_months)
        Positive monthly costs, months last. [USD]
    horizon_months : int, optional
        Horizon: the first ``horizon_months`` months are summed (1 <= horizon_months <=
        n_months; ``months`` is its old name, kept for one release with a FutureWarning).
        Default: all.
    rate_per_period : numeric, default 0.0
        Discount rate per period (decimal, > -1); 0 gives the plain sum.
    when : {"begin", "end"}
        Timing of the first month, as for :func:`npv`.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        TCO per scenario, positive. [USD]

    Examples
    --------
    >>> tco([100.0, 100, 100])
    300.0
    >>> round(tco([100.0, 100, 100], horizon_months=2, rate_per_period=0.1), 4)
    190.9091
    """
    func = "tco"
    offset = _when_offset(when, func)
    rate_per_period, rate = _aligned_rate(rate_per_period, cost_usd, "cost_usd", func)
    costs = _flows(cost_usd, name="cost_usd", func=func, minimum=0.0)
    n = costs.shape[-1]
    horizon = n if horizon_months is None else horizon_months
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, int | np.integer)
        or not (1 <= horizon <= n)
    ):
        raise InvalidParameterError(
            f"The 'horizon_months' parameter of {func} must be a whole number from 1 to {n} (the "
            f"months in 'cost_usd'). Got {horizon_months!r} instead."
        )
    window = costs[..., : int(horizon)]
    result = _discounted(window, rate, offset, func, "cost_usd").sum(axis=-1)
    return _wrap_leading(np.asarray(result), cost_usd, rate_per_period, name="tco_usd")


# --------------------------------------------------------------------------------------------
# Annuities (leasing) and depreciation
# --------------------------------------------------------------------------------------------


def annuity_payment(
    principal_usd: Any,
    rate_per_period: Any,
    n_periods: Any,
    *,
    residual_usd: Any = 0.0,
    when: When = "end",
) -> Any:
    """Level payment that repays a principal (less a residual) over n periods: a lease or loan.

    ``(P * (1 + r) ** n - F) * r / (((1 + r) ** n - 1) * (1 + r * w))`` with ``w`` 1 for
    payments in advance (``when="begin"``) and 0 in arrears (``"end"``); ``(P - F) / n`` at
    r = 0. This is ``-numpy_financial.pmt(r, n, P, -F, when)``, as a positive cost.

    Parameters
    ----------
    principal_usd : numeric
        Amount financed (the hardware price), >= 0. [USD]
    rate_per_period : numeric
        Interest rate per period as a decimal, > -1.
    n_periods : numeric
        Number of payments, >= 1. [periods]
    residual_usd : numeric, default 0.0
        Balance left at the end (a lease's residual value or balloon), 0 <= residual <=
        principal. [USD]
    when : {"begin", "end"}
        Payments at the start (leases, usually) or the end (loans) of each period.

    Returns
    -------
    float or numpy.ndarray
        Payment per period, positive. [USD]

    Examples
    --------
    >>> round(annuity_payment(100_000, 0.005, 36), 2)
    3042.19
    >>> round(annuity_payment(100_000, 0.0, 36), 2)
    2777.78
    """
    func = "annuity_payment"
    w = 1 - _when_offset(when, func)  # 1 for payments in advance, 0 in arrears
    principal = as_array(principal_usd, name="principal_usd", func=func)
    rate = _rate(rate_per_period, func)
    n = as_array(n_periods, name="n_periods", func=func, minimum=1.0)
    residual = as_array(residual_usd, name="residual_usd", func=func)
    try:
        principal, rate, n, residual = np.broadcast_arrays(principal, rate, n, residual)
    except ValueError:
        raise InvalidParameterError(
            f"The principal_usd, rate_per_period, n_periods and residual_usd parameters of {func} "
            f"must broadcast together. Got shapes {np.shape(principal_usd)}, "
            f"{np.shape(rate_per_period)}, {np.shape(n_periods)} and {np.shape(residual_usd)}."
        ) from None
    above = residual > principal
    if above.any():
        where = tuple(int(i) for i in np.argwhere(above)[0]) if above.ndim else ()
        raise InvalidParameterError(
            f"The 'residual_usd' parameter of {func} must be <= principal_usd (a lease or loan "
            f"cannot leave more than it financed). Got residual {float(residual[where])!r} for a "
            f"principal of {float(principal[where])!r}"
            + (f" at index {where}" if where else "")
            + " instead."
        )
    growth = np.expm1(np.log1p(rate) * n)  # (1 + r) ** n - 1, accurate for small r
    with np.errstate(divide="ignore", invalid="ignore"):
        level = ((principal * (growth + 1.0) - residual) * rate) / (growth * (1.0 + rate * w))
    result = np.where(rate == 0.0, (principal - residual) / n, level)
    if not np.isfinite(result).all():
        raise InvalidParameterError(
            f"The 'rate_per_period' parameter of {func} overflows over the periods given. "
            f"Got min rate {float(rate.min())!r} and max n_periods {float(n.max())!r}."
        )
    return _wrap_leading(np.asarray(result), principal_usd, name="payment_usd")


def _depreciation_inputs(
    cost_usd: Any, salvage_usd: Any, life_months: Any, func: str
) -> tuple[FloatArray, FloatArray, int]:
    cost = as_array(cost_usd, name="cost_usd", func=func)
    salvage = as_array(salvage_usd, name="salvage_usd", func=func)
    life = check_whole(life_months, name="life_months", func=func, minimum=1, unit="months")
    cost, salvage = _broadcast_pair(cost, salvage, func, "cost_usd", "salvage_usd")
    above = salvage > cost
    if above.any():
        where = np.argwhere(above)[0] if above.ndim else ()
        raise InvalidParameterError(
            f"The 'salvage_usd' parameter of {func} must be <= cost_usd. Got salvage "
            f"{float(salvage[tuple(where)])!r} for a cost of {float(cost[tuple(where)])!r}"
            + (f" at index {tuple(int(i) for i in where)}" if above.ndim else "")
            + " instead."
        )
    return cost, salvage, int(life)


def straight_line_depreciation(
    cost_usd: Any, *, life_months: int, salvage_usd: Any = 0.0
) -> FloatArray:
    """Monthly straight-line depreciation schedule (book view).

    Each month expenses ``(cost - salvage) / life_months``; the last month takes the rounding
    remainder so the schedule sums to ``cost - salvage``.

    Parameters
    ----------
    cost_usd : numeric
        Purchase cost, >= 0; an array gives one schedule per scenario. [USD]
    life_months : int
        Useful life, >= 1. [months]
    salvage_usd : numeric, default 0.0
        Value at the end of the life, 0 <= salvage <= cost. [USD]

    Returns
    -------
    numpy.ndarray
        Depreciation expense per month, shape ``broadcast(cost, salvage).shape +
        (life_months,)``. [USD]

    Examples
    --------
    >>> straight_line_depreciation(1200.0, life_months=4, salvage_usd=200.0)
    array([250., 250., 250., 250.])
    """
    func = "straight_line_depreciation"
    cost, salvage, life = _depreciation_inputs(cost_usd, salvage_usd, life_months, func)
    base = cost - salvage
    each = base / life
    schedule = np.repeat(each[..., None], life, axis=-1)
    schedule[..., -1] = base - each * (life - 1)
    return schedule


def declining_balance_depreciation(
    cost_usd: Any, *, life_months: int, salvage_usd: Any = 0.0, factor: float = 2.0
) -> FloatArray:
    """Monthly declining-balance depreciation with the switch to straight-line (book view).

    Each month expenses ``min(book * factor / life_months, book - salvage)`` until straight-line
    over the remaining life, ``(book - salvage) / months_left``, gives more; from then on it
    expenses that straight-line amount. This is Excel's ``VDB`` with ``no_switch=FALSE``
    applied period by period, and the schedule sums to ``cost - salvage``.

    Parameters
    ----------
    cost_usd : numeric
        Purchase cost, >= 0; an array gives one schedule per scenario. [USD]
    life_months : int
        Useful life, >= 1. [months]
    salvage_usd : numeric, default 0.0
        Value at the end of the life, 0 <= salvage <= cost. [USD]
    factor : float, default 2.0
        Declining-balance factor (2 = double declining balance), > 0.

    Returns
    -------
    numpy.ndarray
        Depreciation expense per month, shape ``broadcast(cost, salvage).shape +
        (life_months,)``. [USD]

    Examples
    --------
    Five periods, double declining balance, switching to straight-line in the fourth (the
    textbook 10,000 / 5-year example):

    >>> declining_balance_depreciation(10_000.0, life_months=5)
    array([4000., 2400., 1440., 1080., 1080.])
    """
    func = "declining_balance_depreciation"
    cost, salvage, life = _depreciation_inputs(cost_usd, salvage_usd, life_months, func)
    factor_value = check_scalar(factor, name="factor", func=func, exclusive_minimum=True)
    rate = factor_value / life
    t = np.arange(life + 1, dtype=np.float64)
    # Book value under declining balance alone, floored at salvage (the DDB cap).
    keep = max(1.0 - rate, 0.0)
    with np.errstate(under="ignore"):
        book = np.maximum(cost[..., None] * keep**t, salvage[..., None])
    declining = book[..., :-1] - book[..., 1:]
    months_left = life - t[:-1]
    straight = (book[..., :-1] - salvage[..., None]) / months_left
    switch = straight > declining
    switched = np.cumsum(switch, axis=-1) > 0
    first = np.where(switch.any(axis=-1), np.argmax(switch, axis=-1), life)
    level = np.take_along_axis(
        straight, np.minimum(first, life - 1)[..., None], axis=-1
    )  # the straight-line amount fixed at the switch
    schedule: FloatArray = np.where(switched, level, declining)
    return schedule
