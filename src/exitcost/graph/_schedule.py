"""Transfer options (priced edges) and the padded tier arrays the graph kernels use (private).

A :class:`TransferOption` is one way to move data from one location to another: a tiered per-GB
price (the pricing :class:`~exitcost.pricing.tiers.TierSchedule`, the same type the price books
hold), a fixed fee per month (an interconnect port, a committed transit contract), an optional
capacity in GB per month, and the class of transfer. :func:`pad_tiers` turns many options into
``(n_edges, n_tiers)`` arrays and :func:`tier_cost_usd` evaluates all of them at once, with the
lines and steps of :func:`exitcost.pricing.tiers.schedule_lines`, so that an edge costs what the
pricing kernel says.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from exitcost._validation import as_array, check_scalar, renamed_parameters, warn_user, wrap_like
from exitcost.categories import TRANSFER_CLASSES
from exitcost.errors import (
    ExtrapolationWarning,
    InvalidParameterError,
    PriceLimitError,
    format_choices,
)
from exitcost.pricing.tiers import BeyondPublished, TierSchedule, schedule_lines

__all__ = [
    "EdgeBeyondPublished",
    "PaddedTiers",
    "TransferOption",
    "pad_tiers",
    "tier_cost_usd",
    "tier_gb",
    "variable_cost_usd",
]

FloatArray = npt.NDArray[np.float64]
EdgeBeyondPublished: TypeAlias = BeyondPublished | Literal["exclude"]
"""The pricing choices for volumes beyond a published tier, plus ``"exclude"``: the option is
unavailable there (routing then takes another path)."""
_BEYOND = ("error", "extrapolate", "exclude")


def _bound(value: Any, *, where: str) -> float:
    if value is None:
        return math.inf
    try:
        bound = float(value)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"The tier bound {where} must be a number of GB or None (unbounded). "
            f"Got {value!r} instead."
        ) from None
    if math.isnan(bound) or bound <= 0:
        raise InvalidParameterError(
            f"The tier bound {where} must be > 0 GB (or None for unbounded). Got {value!r} instead."
        )
    return bound


@dataclass(frozen=True)
class TransferOption:
    """One priced way to move data from ``src`` to ``dst`` (an edge of the cost graph).

    The price for one month at volume ``v`` GB is the tiered per-GB charge (each tier billed at its
    own rate, FOCUS bounds: exclusive minimum, inclusive maximum) plus ``fixed_usd_per_month``.
    A free allowance is a leading tier at rate 0 ("free GB come off the first band").

    Attributes
    ----------
    src, dst : str
        Location ids (``provider:region``, a site id, or ``"internet"``).
    key : str
        Name of the option, unique among the options from ``src`` to ``dst``.
    transfer_class : str
        One of :data:`exitcost.categories.TRANSFER_CLASSES`.
    schedule : TierSchedule
        The tiered per-GB price; a finite ``limit_gb`` is the published limit ("contact sales"
        beyond it). ``upper_gb`` and ``usd_per_gb`` give its bounds and rates as tuples.
    fixed_usd_per_month : float
        Fixed fee per month whatever the volume (port hours, committed transit). [USD/month]
    capacity_gb_per_month : float
        Most GB per month the option can carry; beyond it the option is unavailable. [GB/month]
    source : str
        Where the price comes from (price book and line, or ``"user"``).

    Examples
    --------
    >>> opt = TransferOption.from_tiers(
    ...     "a", "b", [(10_240, 0.09), (None, 0.085)], fixed_usd_per_month=10.0, free_gb=100
    ... )
    >>> opt.upper_gb
    (100.0, 10240.0, inf)
    >>> opt.cost_usd(20_000.0)
    1752.2
    """

    src: str
    dst: str
    key: str
    transfer_class: str
    schedule: TierSchedule
    fixed_usd_per_month: float = 0.0
    capacity_gb_per_month: float = math.inf
    source: str = "user"

    def __post_init__(self) -> None:
        where = f"of edge {self.src!r} -> {self.dst!r} ({self.key!r})"
        if self.src == self.dst:
            raise InvalidParameterError(
                f"An edge must join two different locations; got {self.src!r} -> {self.dst!r}."
            )
        if self.transfer_class not in TRANSFER_CLASSES:
            raise InvalidParameterError(
                f"The 'transfer_class' {where} must be one of {format_choices(TRANSFER_CLASSES)}. "
                f"Got {self.transfer_class!r} instead."
            )
        if not isinstance(self.schedule, TierSchedule):
            raise InvalidParameterError(
                f"The 'schedule' {where} must be a TierSchedule (exitcost.pricing.tiers). "
                f"Got {type(self.schedule).__name__} instead."
            )
        if not self.schedule.limit_gb > self.schedule.edges_gb[-1]:
            raise InvalidParameterError(
                f"The tier bounds {where} must be > 0 and strictly increasing (None or inf for "
                f"unbounded last). Got {self.upper_gb!r} instead."
            )
        fixed = self.fixed_usd_per_month
        if not (isinstance(fixed, int | float) and 0 <= fixed < math.inf):
            check_scalar(fixed, name=f"fixed_usd_per_month {where}", func="TransferOption")
        if not (self.capacity_gb_per_month > 0):  # NaN fails too
            raise InvalidParameterError(
                f"The 'capacity_gb_per_month' {where} must be > 0 (inf for unlimited). "
                f"Got {self.capacity_gb_per_month!r} instead."
            )

    @classmethod
    def from_tiers(
        cls,
        src: str,
        dst: str,
        tiers: Sequence[tuple[float | None, float]] | float,
        *,
        key: str | None = None,
        transfer_class: str = "interconnect",
        fixed_usd_per_month: float = 0.0,
        capacity_gb_per_month: float | None = None,
        free_gb: float = 0.0,
        source: str = "user",
    ) -> TransferOption:
        """Build an option from ``[(upper_gb, usd_per_gb), ...]`` or a flat rate.

        ``upper_gb=None`` marks the unbounded last tier; ``free_gb`` inserts a leading free tier
        inside the first band. Raises :class:`~exitcost.errors.InvalidParameterError` naming the
        edge for a malformed schedule.
        """
        where = f"of edge {src!r} -> {dst!r}"
        if isinstance(tiers, int | float):
            pairs: list[tuple[float | None, float]] = [(None, float(tiers))]
        else:
            try:
                pairs = [(u, float(r)) for u, r in tiers]
            except (TypeError, ValueError):
                raise InvalidParameterError(
                    f"The 'tiers' {where} must be a rate in USD/GB or a list of "
                    f"(upper_gb, usd_per_gb) pairs. Got {tiers!r} instead."
                ) from None
        upper = [_bound(u, where=f"{i} {where}") for i, (u, _) in enumerate(pairs)]
        rates = [r for _, r in pairs]
        if not upper:
            raise InvalidParameterError(
                f"The tier schedule {where} must have at least one tier. Got {tiers!r} instead."
            )
        if not all(a < b for a, b in itertools.pairwise(upper)):
            raise InvalidParameterError(
                f"The tier bounds {where} must be > 0 and strictly increasing (None or inf for "
                f"unbounded last). Got {tuple(upper)!r} instead."
            )
        if not all(0 <= r < math.inf for r in rates):
            as_array(rates, name=f"usd_per_gb {where}", func="TransferOption.from_tiers")
        free = check_scalar(free_gb, name=f"free_gb {where}", func="TransferOption.from_tiers")
        if free > 0 and free >= upper[0]:
            raise InvalidParameterError(
                f"The 'free_gb' {where} must be below the first tier bound {upper[0]:g} GB. "
                f"Got {free_gb!r} instead."
            )
        lower = [0.0, *upper[:-1]]
        bounds = [(lo, hi, r) for lo, hi, r in zip(lower, upper, rates, strict=True)]
        capacity = math.inf if capacity_gb_per_month is None else float(capacity_gb_per_month)
        return cls(
            src=src,
            dst=dst,
            key=key if key is not None else transfer_class,
            transfer_class=transfer_class,
            schedule=TierSchedule.from_bounds(bounds, free_gb=free),
            fixed_usd_per_month=float(fixed_usd_per_month),
            capacity_gb_per_month=capacity,
            source=source,
        )

    @property
    def upper_gb(self) -> tuple[float, ...]:
        """Inclusive upper bound of each tier, strictly increasing; ``inf`` = unbounded. [GB]"""
        return tuple(self.schedule.upper_gb.tolist())

    @property
    def usd_per_gb(self) -> tuple[float, ...]:
        """Rate of each tier. [USD/GB]"""
        return tuple(self.schedule.rates_usd_per_gb.tolist())

    @property
    def limit_gb(self) -> float:
        """Published limit: the last tier's upper bound (``inf`` if unbounded). [GB]"""
        return float(self.schedule.limit_gb)

    def tiers(self) -> list[tuple[float, float, float]]:
        """``(lower_gb, upper_gb, usd_per_gb)`` of each tier (lower bound exclusive)."""
        lower = (0.0, *self.upper_gb[:-1])
        return list(zip(lower, self.upper_gb, self.usd_per_gb, strict=True))

    @renamed_parameters(months="recurring_months")
    def cost_usd(
        self,
        volume_gb: Any,
        recurring_months: float = 1.0,
        beyond_published: EdgeBeyondPublished = "error",
    ) -> Any:
        """Cost of moving ``volume_gb`` a month, ``recurring_months`` months, over this option.

        [USD]. ``months`` is the old name of ``recurring_months``, kept for one release with a
        FutureWarning.

        ``inf`` where the volume exceeds the capacity (or the published limit with
        ``beyond_published="exclude"``).
        """
        func = "TransferOption.cost_usd"
        volume = as_array(volume_gb, name="volume_gb", func=func)
        m = check_scalar(recurring_months, name="recurring_months", func=func)
        arrays = pad_tiers([self])
        cost = tier_cost_usd(arrays, volume[..., None], beyond_published, keys=[self.key])[..., 0]
        return wrap_like(volume_gb, cost * m, allow_inf=True)  # inf: beyond capacity


@dataclass(frozen=True)
class PaddedTiers:
    """Tier schedules of many options padded to ``(n_edges, n_tiers)`` arrays.

    Padding tiers have ``lower_gb = inf``, width 0 and rate 0, so they never charge.

    The variable charge is evaluated with the lines and steps of
    :func:`exitcost.pricing.tiers.schedule_lines`, in the same order as the pricing tier kernel,
    so that an edge built from a price book costs exactly (bit for bit) what
    :func:`exitcost.pricing.egress_cost` says (lines left-aligned from the first paid band,
    padding lines ``0 * v + inf``).
    """

    lower_gb: FloatArray
    width_gb: FloatArray
    usd_per_gb: FloatArray
    last_tier: npt.NDArray[np.bool_]
    limit_gb: FloatArray
    fixed_usd_per_month: FloatArray
    capacity_gb_per_month: FloatArray
    envelope: npt.NDArray[np.bool_]
    envelope_slope: FloatArray
    envelope_intercept_usd: FloatArray
    step_usd_per_gb: FloatArray


def pad_tiers(options: Sequence[TransferOption]) -> PaddedTiers:
    """Pad the tier schedules of ``options`` into rectangular arrays (one row per option)."""
    n = len(options)
    n_tiers = max((o.schedule.edges_gb.size for o in options), default=1)
    upper = np.full((n, n_tiers), np.inf)
    rate = np.zeros((n, n_tiers))
    slope = np.zeros((n, n_tiers))
    intercept = np.full((n, n_tiers), np.inf)
    step = np.zeros((n, n_tiers))
    envelope = np.zeros(n, dtype=bool)
    count = np.array([o.schedule.edges_gb.size for o in options], dtype=np.intp)
    for i, o in enumerate(options):  # one row per edge at compile time, not per volume
        upper[i, : count[i]] = o.schedule.upper_gb
        rate[i, : count[i]] = o.schedule.rates_usd_per_gb
        envelope[i], s, c, st = schedule_lines(o.schedule.edges_gb, o.schedule.rates_usd_per_gb)
        slope[i, : s.size] = s
        intercept[i, : c.size] = c
        step[i, : st.size] = st
    col = np.arange(n_tiers)
    real = col[None, :] < count[:, None]
    lower = np.concatenate([np.zeros((n, 1)), upper[:, :-1]], axis=1)
    lower = np.where(real, lower, np.inf)
    width = np.where(real, upper - np.where(real, lower, 0.0), 0.0)
    last = col[None, :] == (count[:, None] - 1)
    limit = upper[np.arange(n), np.maximum(count - 1, 0)] if n else np.zeros(0)
    return PaddedTiers(
        lower_gb=lower,
        width_gb=width,
        usd_per_gb=rate,
        last_tier=last,
        limit_gb=limit,
        fixed_usd_per_month=np.array([o.fixed_usd_per_month for o in options], dtype=np.float64),
        capacity_gb_per_month=np.array(
            [o.capacity_gb_per_month for o in options], dtype=np.float64
        ),
        envelope=envelope,
        envelope_slope=slope,
        envelope_intercept_usd=intercept,
        step_usd_per_gb=step,
    )


def variable_cost_usd(tiers: PaddedTiers, volume_gb: FloatArray) -> FloatArray:
    """Tiered (per-GB) charge of every option, last published rate beyond the limit. [USD]

    ``volume_gb`` broadcasts against ``(n_edges,)`` on its last axis. Same arithmetic as the
    pricing kernel (see :class:`PaddedTiers`); the loops run over a handful of tiers.
    """
    v = np.asarray(volume_gb, dtype=np.float64)
    with np.errstate(invalid="ignore"):  # padding lines: 0 * v + inf
        env = v * tiers.envelope_slope[:, 0] + tiers.envelope_intercept_usd[:, 0]
        for k in range(1, tiers.envelope_slope.shape[1]):
            env = np.minimum(
                env, v * tiers.envelope_slope[:, k] + tiers.envelope_intercept_usd[:, k]
            )
    marginal = v * tiers.step_usd_per_gb[:, 0]
    for k in range(1, tiers.step_usd_per_gb.shape[1]):
        marginal = (
            marginal + np.maximum(v - tiers.lower_gb[:, k], 0.0) * tiers.step_usd_per_gb[:, k]
        )
    out: FloatArray = np.maximum(np.where(tiers.envelope, env, marginal), 0.0)
    return out


def _edge_name(keys: Sequence[str] | Callable[[int], str] | None, edge: int) -> str:
    if keys is None:
        return f"edge {edge}"
    return keys(edge) if callable(keys) else keys[edge]


def tier_gb(tiers: PaddedTiers, volume_gb: FloatArray, extrapolate: bool) -> FloatArray:
    """GB falling in each tier: shape ``volume_gb.shape[:-1] + (n_edges, n_tiers)``.

    ``volume_gb`` broadcasts against ``(n_edges,)`` on its last axis.
    """
    width = np.where(tiers.last_tier, np.inf, tiers.width_gb) if extrapolate else tiers.width_gb
    v = np.asarray(volume_gb, dtype=np.float64)[..., None]
    return np.clip(v - tiers.lower_gb, 0.0, width)


def tier_cost_usd(
    tiers: PaddedTiers,
    volume_gb: FloatArray,
    beyond_published: str = "error",
    *,
    keys: Sequence[str] | Callable[[int], str] | None = None,
) -> FloatArray:
    """Monthly cost of every option at ``volume_gb`` (broadcast on the last axis). [USD]

    Tiered charge plus fixed fee; ``inf`` where the volume exceeds the option's capacity, or its
    published limit when ``beyond_published="exclude"``.

    Raises
    ------
    InvalidParameterError
        ``beyond_published`` is not one of ``"error"``, ``"extrapolate"``, ``"exclude"``.
    PriceLimitError
        A volume exceeds a published limit and ``beyond_published="error"``.
    """
    if beyond_published not in _BEYOND:
        raise InvalidParameterError(
            f"The 'beyond_published' parameter must be one of {format_choices(_BEYOND)}. "
            f"Got {beyond_published!r} instead."
        )
    shape = np.broadcast_shapes(np.shape(volume_gb), tiers.limit_gb.shape)
    v = np.broadcast_to(np.asarray(volume_gb, dtype=np.float64), shape)
    beyond = v > tiers.limit_gb
    extrapolate = beyond_published == "extrapolate"
    if beyond.any():
        where = np.argwhere(beyond)[0]
        edge = int(where[-1])
        name = _edge_name(keys, edge)
        if beyond_published == "error":
            raise PriceLimitError(
                f"A volume of {float(v[tuple(where)]):g} GB is beyond the last published tier "
                f"({float(tiers.limit_gb[edge]):g} GB) of {name}; the provider quotes it on "
                "request. Pass beyond_published='extrapolate' to price it at the last published "
                "rate, or 'exclude' to treat the option as unavailable."
            )
        if extrapolate:
            warn_user(
                f"Priced {int(beyond.sum())} volume(s) beyond the last published tier of "
                f"{name} (and possibly others) at the last published rate.",
                ExtrapolationWarning,
            )
    cost = variable_cost_usd(tiers, v) + tiers.fixed_usd_per_month
    unavailable = v > tiers.capacity_gb_per_month
    if beyond_published == "exclude":
        unavailable = unavailable | beyond
    return np.where(unavailable, np.inf, cost)
