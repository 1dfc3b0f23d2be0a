"""The marginal tier kernel: volume-tiered prices as piecewise-linear cumulative cost.

A tiered price charges each GB at the rate of the band it falls in, bands reset every billing
month, so the month's cost is a continuous, piecewise-linear, non-decreasing function of the
month's volume. The kernel evaluates it for any array of volumes (each element its own month)
without a Python loop over elements:

- a schedule is described by the lower edges of its bands (``edges_gb``, starting at 0) and
  their rates (``rates_usd_per_gb``); the FOCUS bounds of a price book (exclusive minimum,
  inclusive maximum) give the same function, since a single GB on an edge has no width;
- free allowances are a zero-rate first band (the free GB come off the first band);
- volumes beyond the published limit (``limit_gb``, "contact sales") raise
  :class:`~exitcost.errors.PriceLimitError` unless ``beyond_published="extrapolate"``, which
  prices them at the last rate with an :class:`~exitcost.errors.ExtrapolationWarning`.

Evaluation works on cache-sized chunks (65,536 elements) so that each element is read from main
memory once. When the paid rates never rise (the usual volume discount) the cost is the lower
envelope of one line per paid band, ``max(0, min_k(a_k + r_k * v))``: two or three
arithmetic operations per band. Otherwise it is the marginal sum
``r_0 v + sum_k (r_k - r_{k-1}) max(v - e_k, 0)``. Both give the same function.

Examples
--------
>>> import numpy as np
>>> edges = [0, 10240, 51200, 153600]
>>> rates = [0.09, 0.085, 0.07, 0.05]
>>> tiered_cost(10240.0, edges, rates)
921.6
>>> tiered_cost(np.array([0.0, 1024.0, 512000.0]), edges, rates)
array([    0.  ,    92.16, 29491.2 ])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from exitcost._validation import as_array, check_scalar, warn_user, wrap_like
from exitcost.errors import (
    ExtrapolationWarning,
    InvalidParameterError,
    PriceLimitError,
)

__all__ = [
    "BeyondPublished",
    "CHUNK_ELEMENTS",
    "TierSchedule",
    "account_tiered_cost",
    "add_free_allowance",
    "allowance_split",
    "evaluate_tiers",
    "schedule_lines",
    "tiered_cost",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
BeyondPublished: TypeAlias = Literal["error", "extrapolate"]
"""What a price does with volumes beyond its last published tier: raise, or extrapolate the last
rate. The cost graph adds ``"exclude"`` (the option is unavailable there), see
:data:`exitcost.graph._schedule.EdgeBeyondPublished`."""

CHUNK_ELEMENTS = 65_536
"""Elements per chunk (512 KiB of float64, a few chunks fit in L2 cache)."""


def _check_beyond(beyond_published: str, func: str) -> None:
    if beyond_published not in ("error", "extrapolate"):
        raise InvalidParameterError(
            f"The 'beyond_published' parameter of {func} must be 'error' or 'extrapolate'. "
            f"Got {beyond_published!r} instead."
        )


def _schedule_arrays(
    edges_gb: Any, rates_usd_per_gb: Any, func: str
) -> tuple[FloatArray, FloatArray]:
    edges = as_array(edges_gb, name="edges_gb", func=func)
    rates = as_array(rates_usd_per_gb, name="rates_usd_per_gb", func=func)
    if edges.ndim != 1 or rates.shape != edges.shape or edges.size == 0:
        raise InvalidParameterError(
            f"The 'edges_gb' and 'rates_usd_per_gb' parameters of {func} must be 1-d arrays of "
            f"the same non-zero length. Got shapes {edges.shape} and {rates.shape} instead."
        )
    if edges[0] != 0.0 or (edges.size > 1 and np.any(np.diff(edges) <= 0)):
        raise InvalidParameterError(
            f"The 'edges_gb' parameter of {func} must start at 0 and increase strictly. "
            f"Got {edges.tolist()!r} instead."
        )
    return edges, rates


def _limit_check(high: float, limit_gb: float, beyond_published: str, func: str, name: str) -> None:
    if high > limit_gb:
        if beyond_published == "error":
            raise PriceLimitError(
                f"The {name!r} parameter of {func} holds {high:,.6g} GB, beyond the last "
                f"published price tier ({limit_gb:,.6g} GB per month; the provider quotes larger "
                "volumes on request). Pass beyond_published='extrapolate' to price the excess "
                "at the last published rate."
            )
        warn_user(
            f"{func}: {high:,.6g} GB exceeds the last published price tier ({limit_gb:,.6g} GB "
            "per month); the excess is priced at the last published rate.",
            ExtrapolationWarning,
        )


def _checked_volume(value: Any, name: str, func: str) -> FloatArray:
    """float64 view of ``value``; the full :func:`as_array` check runs only if a fast one fails."""
    raw = value.to_numpy() if hasattr(value, "to_numpy") else value
    if type(raw) is np.ndarray and raw.dtype.kind in "fiu":
        arr = raw.astype(np.float64, copy=False)
    elif type(raw) is float or isinstance(raw, np.floating | np.integer):
        arr = np.asarray(raw, dtype=np.float64)
    else:  # lists, masked arrays, strings, booleans, objects, Python ints (any size): full check
        return as_array(value, name=name, func=func)
    if arr.size:
        low, high = float(arr.min()), float(arr.max())
        if not (low >= 0.0 and np.isfinite(high)):
            as_array(value, name=name, func=func)  # raises with the detailed message
    return arr


def schedule_lines(
    edges_gb: FloatArray, rates_usd_per_gb: FloatArray
) -> tuple[bool, FloatArray, FloatArray, FloatArray]:
    """How the kernel evaluates one schedule: ``(envelope, slopes, intercepts, steps)``.

    Where the paid rates never rise (``envelope`` True) the cost is
    ``max(0, min_k(intercepts[k] + slopes[k] * v))``, one line per band from the first paid band;
    otherwise it is the marginal sum ``max(0, steps[0] v + sum_k steps[k] max(v - edges[k], 0))``.
    Every evaluator of tier schedules (this module's and the cost graph's, which evaluates many
    schedules at once) builds its arithmetic from these, so they agree bit for bit.

    Examples
    --------
    >>> envelope, slopes, intercepts, _ = schedule_lines(np.array([0.0, 100.0]), np.array([0, 0.5]))
    >>> bool(envelope), slopes.tolist(), intercepts.tolist()
    (True, [0.5], [-50.0])
    """
    steps = np.concatenate(([rates_usd_per_gb[0]], np.diff(rates_usd_per_gb)))
    paid = np.flatnonzero(rates_usd_per_gb > 0.0)
    if paid.size == 0:
        return False, np.zeros(0), np.zeros(0), steps
    first = int(paid[0])
    tail = rates_usd_per_gb[first:]
    if not np.all(np.diff(tail) <= 0.0):
        return False, np.zeros(0), np.zeros(0), steps
    widths = np.diff(edges_gb[first:])
    cum = np.concatenate(([0.0], np.cumsum(widths * tail[:-1])))
    return True, tail, cum - tail * edges_gb[first:], steps


def _chunks(
    flat: FloatArray, out: FloatArray
) -> Iterator[tuple[FloatArray, FloatArray, FloatArray]]:
    """The volumes in chunks of at most :data:`CHUNK_ELEMENTS`, with their output and scratch.

    Yields ``(x, o, b)``: the chunk, its slice of ``out`` and a buffer of the same length (one
    buffer serves every chunk).
    """
    buf = np.empty(min(CHUNK_ELEMENTS, flat.size))
    for start in range(0, flat.size, CHUNK_ELEMENTS):
        x = flat[start : start + CHUNK_ELEMENTS]
        yield x, out[start : start + CHUNK_ELEMENTS], buf[: x.size]


def evaluate_tiers(
    volume: FloatArray,
    edges: FloatArray,
    rates: FloatArray,
    lines: tuple[bool, FloatArray, FloatArray, FloatArray] | None = None,
) -> FloatArray:
    """Piecewise-linear cumulative cost of each volume, chunked, with no checks.

    The arithmetic of :func:`tiered_cost` for callers that have checked their volumes (finite,
    >= 0, within the published limit) and hold a valid schedule: the engine's month-by-month
    kernel, which checks a whole block of volumes once. ``lines`` is
    :func:`schedule_lines` of the schedule, if the caller keeps it (as
    :attr:`TierSchedule.lines` does).

    Examples
    --------
    >>> evaluate_tiers(np.array([10240.0, 20480.0]), np.array([0.0, 10240.0]),
    ...                np.array([0.09, 0.085]))
    array([ 921.6, 1792. ])
    """
    flat = np.ascontiguousarray(volume).reshape(-1)
    out = np.empty_like(flat)
    if not np.any(rates > 0.0):
        out.fill(0.0)
        return out.reshape(volume.shape)
    envelope, slopes, intercepts, steps = schedule_lines(edges, rates) if lines is None else lines
    if envelope:
        # Lower envelope of one line per band from the first paid band on.
        for x, o, b in _chunks(flat, out):
            np.multiply(x, slopes[0], out=o)
            o += intercepts[0]
            for k in range(1, slopes.size):
                np.multiply(x, slopes[k], out=b)
                b += intercepts[k]
                np.minimum(o, b, out=o)
            np.maximum(o, 0.0, out=o)
    else:
        for x, o, b in _chunks(flat, out):
            np.multiply(x, steps[0], out=o)
            for k in range(1, edges.size):
                np.subtract(x, edges[k], out=b)
                np.maximum(b, 0.0, out=b)
                b *= steps[k]
                o += b
            np.maximum(o, 0.0, out=o)
    return out.reshape(volume.shape)


def tiered_cost(
    volume_gb: Any,
    edges_gb: Sequence[float] | FloatArray,
    rates_usd_per_gb: Sequence[float] | FloatArray,
    *,
    limit_gb: float | None = None,
    beyond_published: BeyondPublished = "error",
    name: str = "volume_gb",
    func: str = "tiered_cost",
) -> Any:
    """Cost of monthly volumes under a marginal tier schedule.

    Parameters
    ----------
    volume_gb : numeric
        Volume in each billing month (scalar, ndarray of any shape, or Series); each element is
        priced as its own month. [GB]
    edges_gb : array-like
        Lower edge of each band, starting at 0 and strictly increasing. [GB]
    rates_usd_per_gb : array-like
        Rate of each band (the last band runs to ``limit_gb``). [USD/GB]
    limit_gb : float, optional
        Published limit: no price is published beyond it (None = unbounded). [GB]
    beyond_published : {"error", "extrapolate"}
        What to do with volumes beyond ``limit_gb``: raise :class:`PriceLimitError`, or price
        them at the last rate with an :class:`ExtrapolationWarning`.
    name, func : str
        Parameter and function names used in error messages.

    Returns
    -------
    float, ndarray or Series
        Cost of each month, the same kind and shape as ``volume_gb``. [USD]

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite volumes, or a malformed schedule.
    PriceLimitError
        A volume beyond ``limit_gb`` with ``beyond_published="error"``.

    Examples
    --------
    >>> tiered_cost(1025.0, [0, 1024], [0.12, 0.11])  # 1024 * 0.12 + 1 * 0.11
    122.99
    >>> tiered_cost(600.0, [0, 100], [0.0, 0.5], limit_gb=500)
    Traceback (most recent call last):
    ...
    exitcost.errors.PriceLimitError: The 'volume_gb' parameter of tiered_cost holds 600 GB, ...
    """
    _check_beyond(beyond_published, func)
    edges, rates = _schedule_arrays(edges_gb, rates_usd_per_gb, func)
    volume = _checked_volume(volume_gb, name, func)
    if limit_gb is not None and volume.size:
        _limit_check(float(volume.max()), float(limit_gb), beyond_published, func, name)
    return wrap_like(volume_gb, evaluate_tiers(volume, edges, rates))


def add_free_allowance(
    edges_gb: Sequence[float] | FloatArray,
    rates_usd_per_gb: Sequence[float] | FloatArray,
    free_gb: float,
) -> tuple[FloatArray, FloatArray]:
    """Schedule with the first ``free_gb`` GB of each month at zero (band edges unchanged).

    Examples
    --------
    >>> e, r = add_free_allowance([0, 10240], [0.09, 0.085], 100)
    >>> e.tolist(), r.tolist()
    ([0.0, 100.0, 10240.0], [0.0, 0.09, 0.085])
    """
    edges = np.asarray(edges_gb, dtype=np.float64)
    rates = np.asarray(rates_usd_per_gb, dtype=np.float64)
    if free_gb <= 0:
        return edges.copy(), rates.copy()
    band = np.searchsorted(edges, free_gb, side="right") - 1
    keep = edges > free_gb
    new_edges = np.concatenate(([0.0, free_gb], edges[keep]))
    new_rates = np.concatenate(([0.0, rates[band]], rates[keep]))
    return new_edges, new_rates


@dataclass(frozen=True, eq=False)
class TierSchedule:
    """A marginal tier schedule for one transfer or storage price, ready to evaluate.

    Attributes
    ----------
    edges_gb : ndarray
        Lower edge of each band, from 0 (FOCUS exclusive minimums). [GB]
    rates_usd_per_gb : ndarray
        Rate of each band. [USD/GB]
    limit_gb : float
        Published limit, ``inf`` when unbounded. [GB]
    free_gb : float
        Free allowance folded into the first band(s) (0 when none). [GB]
    labels : tuple of str
        Confidence label of each band (V, S+, S, M, R).
    sources : tuple of str
        Source id of each band in its price book.

    Examples
    --------
    >>> s = TierSchedule.from_bounds([(0, 10240, 0.09), (10240, None, 0.085)], free_gb=100)
    >>> s.cost(10340.0)  # (10240 - 100) * 0.09 + 100 * 0.085
    921.1
    >>> s.upper_gb.tolist()
    [100.0, 10240.0, inf]
    """

    edges_gb: FloatArray
    rates_usd_per_gb: FloatArray
    limit_gb: float = float("inf")
    free_gb: float = 0.0
    labels: tuple[str, ...] = field(default=())
    sources: tuple[str, ...] = field(default=())
    base: TierSchedule | None = field(default=None, repr=False)
    """The schedule before the free allowance was folded in (None when ``free_gb`` is 0)."""

    def __post_init__(self) -> None:
        edges, rates = _schedule_arrays(self.edges_gb, self.rates_usd_per_gb, "TierSchedule")
        edges.setflags(write=False)
        rates.setflags(write=False)
        object.__setattr__(self, "edges_gb", edges)
        object.__setattr__(self, "rates_usd_per_gb", rates)

    @classmethod
    def from_bounds(
        cls,
        tiers: Sequence[tuple[float, float | None, float]],
        *,
        free_gb: float = 0.0,
        labels: Sequence[str] = (),
        sources: Sequence[str] = (),
    ) -> TierSchedule:
        """Build from FOCUS tiers ``(min_gb, max_gb or None, usd_per_gb)``, contiguous from 0.

        A finite ``max_gb`` on the last tier is the published limit.
        """
        edges = [float(t[0]) for t in tiers]
        rates = [float(t[2]) for t in tiers]
        last_max = tiers[-1][1] if tiers else None
        limit = float("inf") if last_max is None else float(last_max)
        labels_t, sources_t = tuple(labels), tuple(sources)
        if free_gb > 0:
            base = cls(np.asarray(edges), np.asarray(rates), limit, 0.0, labels_t, sources_t)
            e, r = add_free_allowance(edges, rates, free_gb)
            skipped = len(edges) - (e.size - 2)
            labels_t = (labels_t[:1] + labels_t[skipped - 1 :]) if labels_t else ()
            sources_t = (sources_t[:1] + sources_t[skipped - 1 :]) if sources_t else ()
            return cls(e, r, limit, float(free_gb), labels_t, sources_t, base)
        return cls(np.asarray(edges), np.asarray(rates), limit, 0.0, labels_t, sources_t)

    @classmethod
    def flat(cls, usd_per_gb: float, *, label: str = "", source: str = "") -> TierSchedule:
        """A single unbounded band at one rate."""
        return cls(np.zeros(1), np.asarray([float(usd_per_gb)]), labels=(label,), sources=(source,))

    @cached_property
    def lines(self) -> tuple[bool, FloatArray, FloatArray, FloatArray]:
        """:func:`schedule_lines` of this schedule, worked out once."""
        return schedule_lines(self.edges_gb, self.rates_usd_per_gb)

    @property
    def upper_gb(self) -> FloatArray:
        """Inclusive upper edge of each band (the last is the published limit). [GB]"""
        return np.append(self.edges_gb[1:], self.limit_gb)

    @property
    def cumulative_usd(self) -> FloatArray:
        """Cost of a month whose volume ends exactly at each lower edge. [USD]"""
        widths = np.diff(self.edges_gb)
        return np.concatenate(([0.0], np.cumsum(widths * self.rates_usd_per_gb[:-1])))

    @property
    def max_rate_usd_per_gb(self) -> float:
        """The highest rate of any band. [USD/GB]"""
        return float(self.rates_usd_per_gb.max())

    def without_free_allowance(self) -> TierSchedule:
        """The schedule as published, before the free allowance was folded in.

        Exact also when the allowance reaches past the first band's upper edge.

        Examples
        --------
        >>> s = TierSchedule.from_bounds([(0, 100, 0.1), (100, None, 0.05)], free_gb=150)
        >>> s.edges_gb.tolist(), s.without_free_allowance().edges_gb.tolist()
        ([0.0, 150.0], [0.0, 100.0])
        """
        if self.free_gb <= 0:
            return self
        if self.base is not None:
            return self.base
        # Built directly from arrays: the free band is the first one, the rest is as published.
        edges = np.concatenate(([0.0], self.edges_gb[2:]))
        rates = self.rates_usd_per_gb[1:]
        return TierSchedule(edges, rates, self.limit_gb, 0.0, self.labels[1:], self.sources[1:])

    def cost(
        self,
        volume_gb: Any,
        *,
        beyond_published: BeyondPublished = "error",
        name: str = "volume_gb",
        func: str = "TierSchedule.cost",
    ) -> Any:
        """Cost of each element of ``volume_gb``, each its own billing month (see tiered_cost)."""
        limit = None if np.isinf(self.limit_gb) else self.limit_gb
        return tiered_cost(
            volume_gb,
            self.edges_gb,
            self.rates_usd_per_gb,
            limit_gb=limit,
            beyond_published=beyond_published,
            name=name,
            func=func,
        )

    def __repr__(self) -> str:
        bands = ", ".join(
            f"{lo:g}-{hi:g}: {r:g}"
            for lo, hi, r in zip(
                self.edges_gb.tolist(),
                self.upper_gb.tolist(),
                self.rates_usd_per_gb.tolist(),
                strict=True,
            )
        )
        return f"TierSchedule({bands} USD/GB)"


def account_tiered_cost(
    volume_gb: Any,
    schedules: Sequence[TierSchedule],
    *,
    free_gb: float = 0.0,
    own_free_gb: Sequence[float] | FloatArray | float = 0.0,
    eligible: Sequence[bool] | npt.NDArray[np.bool_] | None = None,
    beyond_published: BeyondPublished = "error",
    func: str = "account_tiered_cost",
) -> FloatArray:
    """Cost per source of one account's monthly volumes, with an account-wide free allowance.

    Each source first uses its own (per-region) allowance ``own_free_gb``; what it sends beyond
    that draws on the account allowance ``free_gb``, shared by the ``eligible`` sources in the
    order given, once per month. Free GB come off the start of each source's schedule, so a
    source sending ``v`` GB of which ``f`` are free pays ``C(v) - C(f)``.

    Parameters
    ----------
    volume_gb : array-like, shape (..., n_sources)
        Each source region's volume in each month (months or scenarios on the leading axes). [GB]
    schedules : sequence of TierSchedule, length n_sources
        Each source's schedule as published, *without* any free allowance (tiers are per
        source region).
    free_gb : float
        Free GB per month for the whole account. [GB]
    own_free_gb : float or array-like of length n_sources
        Free GB per month of each source on its own (per-region allowances). [GB]
    eligible : array-like of bool, length n_sources, optional
        Which sources the account allowance applies to (default: all).
    beyond_published : {"error", "extrapolate"}
        Volumes beyond a schedule's published limit (see :func:`tiered_cost`).
    func : str
        Function name used in error messages.

    Returns
    -------
    ndarray, shape (..., n_sources)
        Cost of each source's volume after the allowances. [USD]

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite volumes or allowances, or a last axis that is not n_sources.

    Examples
    --------
    >>> s = TierSchedule.from_bounds([(0, 10240, 0.09), (10240, None, 0.085)])
    >>> account_tiered_cost([[60.0, 60.0]], [s, s], free_gb=100)  # 100 GB free, 20 GB paid
    array([[0. , 1.8]])
    >>> account_tiered_cost([[60.0, 60.0]], [s, s], free_gb=100, eligible=[False, True])
    array([[5.4, 0. ]])
    """
    volume = as_array(volume_gb, name="volume_gb", func=func)
    n = len(schedules)
    if volume.ndim == 0 or volume.shape[-1] != n:
        raise InvalidParameterError(
            f"The 'volume_gb' parameter of {func} must have a last axis of length "
            f"{n} (one column per source). Got shape {volume.shape} instead."
        )
    shared = check_scalar(free_gb, name="free_gb", func=func)
    own = as_array(own_free_gb, name="own_free_gb", func=func)
    if own.ndim > 1 or (own.ndim == 1 and own.size != n):
        raise InvalidParameterError(
            f"The 'own_free_gb' parameter of {func} must be a number or hold one value per "
            f"source ({n}). Got shape {own.shape} instead."
        )
    mask = np.ones(n) if eligible is None else np.asarray(eligible, dtype=bool).astype(float)
    if mask.shape != (n,):
        raise InvalidParameterError(
            f"The 'eligible' parameter of {func} must hold one flag per source ({n}). "
            f"Got shape {mask.shape} instead."
        )
    free_each = allowance_split(volume, shared, own, mask)
    out = np.empty_like(volume)
    for j, schedule in enumerate(schedules):  # loop over a handful of sources
        full = schedule.cost(volume[..., j], beyond_published=beyond_published, func=func)
        saved = schedule.cost(free_each[..., j], beyond_published="extrapolate", func=func)
        out[..., j] = np.maximum(np.asarray(full) - np.asarray(saved), 0.0)
    return out


def allowance_split(
    volume_gb: FloatArray, free_gb: float, own_free_gb: Any, eligible: FloatArray
) -> FloatArray:
    """Free GB of each source of one account in each month, with no checks.

    Each source first uses its own allowance ``own_free_gb``; what it sends beyond that draws
    on the account's ``free_gb``, shared by the sources with ``eligible`` 1 in column order
    (the rule of :func:`account_tiered_cost`, which checks its inputs and calls this).

    Examples
    --------
    >>> allowance_split(np.array([[60.0, 60.0]]), 100.0, 0.0, np.array([1.0, 1.0]))
    array([[60., 40.]])
    """
    own = np.broadcast_to(np.asarray(own_free_gb, dtype=np.float64), volume_gb.shape[-1:])
    out: FloatArray = np.minimum(volume_gb, own)
    left: Any = free_gb  # what is left of the account's allowance, month by month
    for j in range(volume_gb.shape[-1]):  # a handful of sources, each a contiguous pass
        if eligible[j] <= 0:
            continue
        residual = volume_gb[..., j] - out[..., j]
        taken = np.minimum(residual, np.maximum(left, 0.0))
        out[..., j] += taken
        left = left - taken
    return out
