"""Plans: which workloads and datasets move where, and when, checked against a model.

A :class:`Plan` is a name and a list of :class:`Move` (an element, a target location, a start
month, optionally a strategy), with a data-move bandwidth and whether the exit waiver is asked
for. :meth:`Plan.stay` moves nothing; :meth:`Plan.leave` moves everything of a provider;
explicit move lists give splits and waves. :func:`resolve` checks a plan against a compiled
model before any work and turns it into arrays (:class:`ResolvedPlan`).

Examples
--------
>>> from exitcost.estate import sample_estate
>>> from exitcost.model import compile
>>> model = compile(sample_estate())
>>> plan = Plan.leave("aws", to="colo:new-site", start=0)
>>> resolved = resolve(plan, model.with_locations(plan.targets()))
>>> int(resolved.workload_moved.sum()) > 0
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate.model import SITE_KINDS
from exitcost.model import Model
from exitcost.pricing.books import as_date
from exitcost.pricing.programmes import data_act_factors
from exitcost.units import months_between

__all__ = ["Move", "Plan", "ResolvedPlan", "resolve", "sample_plans"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_MOVING = ("rehost", "relocate", "replatform", "repurchase", "refactor")


@dataclass(frozen=True)
class Move:
    """One element (a workload or dataset id) moving to a location from a start month."""

    element: str
    to: str
    start: int | str | dt.date = 0
    strategy: str | None = None


@dataclass(frozen=True)
class _Leave:
    provider: str
    to: str | Mapping[str, str]
    start: int | str | dt.date


@dataclass(frozen=True)
class Plan:
    """A migration plan: a name, moves, a data-move bandwidth and the exit waiver.

    Parameters
    ----------
    name : str
        How results label the plan.
    moves : sequence of Move or (element, to[, start[, strategy]]) tuples
        Explicit moves (splits and waves).
    bandwidth_gbps : float, optional
        Bandwidth of the data move's path (default: the engine defaults' 10 Gbit/s). [Gbit/s]
    exit_waiver : bool, default False
        Ask for the provider's free-egress-on-exit programme: what moves inside its window is
        free, what falls outside pays list price.

    Examples
    --------
    >>> Plan("split", moves=[("clickstream-etl", "gcp:europe-west4", 3)]).moves[0].start
    3
    """

    name: str
    moves: tuple[Move, ...] = ()
    bandwidth_gbps: float | None = None
    exit_waiver: bool = False
    leaves: tuple[_Leave, ...] = field(default=(), repr=False)

    def __init__(
        self,
        name: str,
        moves: Iterable[Move | Sequence[Any]] = (),
        *,
        bandwidth_gbps: float | None = None,
        exit_waiver: bool = False,
        leaves: Iterable[_Leave] = (),
    ) -> None:
        if not isinstance(name, str) or not name:
            raise InvalidParameterError(
                f"The 'name' parameter of Plan must be a non-empty string. Got {name!r} instead."
            )
        built = []
        for i, m in enumerate(moves):
            if isinstance(m, Move):
                built.append(m)
            elif isinstance(m, Sequence) and not isinstance(m, str) and 2 <= len(m) <= 4:
                built.append(Move(*m))
            else:
                raise InvalidParameterError(
                    f"The 'moves[{i}]' parameter of Plan must be a Move or a tuple (element, "
                    f"to[, start[, strategy]]). Got {m!r} instead."
                )
        if bandwidth_gbps is not None and (
            isinstance(bandwidth_gbps, bool)
            or not isinstance(bandwidth_gbps, int | float)
            or not math.isfinite(bandwidth_gbps)
            or bandwidth_gbps <= 0
        ):
            raise InvalidParameterError(
                f"The 'bandwidth_gbps' parameter of Plan must be a number > 0 (Gbit/s). "
                f"Got {bandwidth_gbps!r} instead."
            )
        if not isinstance(exit_waiver, bool):
            raise InvalidParameterError(
                f"The 'exit_waiver' parameter of Plan must be True or False. "
                f"Got {exit_waiver!r} instead."
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "moves", tuple(built))
        object.__setattr__(self, "bandwidth_gbps", bandwidth_gbps)
        object.__setattr__(self, "exit_waiver", exit_waiver)
        object.__setattr__(self, "leaves", tuple(leaves))

    @classmethod
    def stay(cls, name: str = "stay") -> Plan:
        """Move nothing: the estate as it runs today.

        Examples
        --------
        >>> Plan.stay().moves
        ()
        """
        return cls(name)

    @classmethod
    def leave(
        cls,
        provider: str,
        *,
        to: str | Mapping[str, str],
        start: int | str | dt.date = 0,
        bandwidth_gbps: float | None = None,
        exit_waiver: bool = False,
        name: str | None = None,
    ) -> Plan:
        """Move every workload and dataset of ``provider`` to ``to``.

        ``to`` is any location id: a new site (``"colo:new"``), a site of the estate
        (``"onprem:fra1"``), another cloud region (``"gcp:europe-west4"``), or a mapping from
        each of the provider's locations to its target. Workloads move in the windows of the
        effort schedule from ``start`` (months or a date); retained workloads stay.

        Examples
        --------
        >>> Plan.leave("aws", to="onprem:fra1", start="2028-01").name
        'leave aws for onprem:fra1 from 2028-01'
        """
        where = to if isinstance(to, str) else "several locations"
        label = name or (f"leave {provider} for {where}" + ("" if start == 0 else f" from {start}"))
        return cls(
            label,
            bandwidth_gbps=bandwidth_gbps,
            exit_waiver=exit_waiver,
            leaves=(_Leave(provider, to, start),),
        )

    def targets(self) -> tuple[str, ...]:
        """Every target location the plan names (for :meth:`Model.with_locations`)."""
        found: list[str] = [m.to for m in self.moves]
        for leave in self.leaves:
            found += [leave.to] if isinstance(leave.to, str) else list(leave.to.values())
        return tuple(dict.fromkeys(found))

    def shifted(self, months: int, name: str | None = None) -> Plan:
        """The same plan started ``months`` later (for the lock-in clock)."""
        moves = tuple(replace(m, start=_offset_text(m.start, months)) for m in self.moves)
        leaves = tuple(replace(x, start=_offset_text(x.start, months)) for x in self.leaves)
        return Plan(
            name or f"{self.name} +{months}m",
            moves,
            bandwidth_gbps=self.bandwidth_gbps,
            exit_waiver=self.exit_waiver,
            leaves=leaves,
        )


def _offset_text(start: int | str | dt.date, months: int) -> int | str | dt.date:
    if isinstance(start, int):
        return start + months
    return f"{start}+{months}"


def _start_month(model: Model, start: Any, name: str, horizon: int) -> int:
    """Whole months >= 0 from the model's month 0 to ``start`` (months or a date)."""
    extra = 0
    if isinstance(start, str) and "+" in start:
        start, more = start.split("+", 1)
        extra = int(more)
    if isinstance(start, bool):
        month = -1
    elif isinstance(start, int | np.integer):
        month = int(start)
    else:
        if isinstance(start, str) and len(start) == 7:
            start = f"{start}-01"  # "2028-01": the month's first day
        try:
            month = months_between(model.as_of, as_date(start, name=name, func="Plan"))
        except InvalidParameterError:
            month = -1
    month += extra
    if month < 0 or month >= horizon:
        raise InvalidParameterError(
            f"The {name!r} parameter of Plan must be a whole month >= 0 (or a date in or after "
            f"{model.as_of:%Y-%m}) before the horizon of {horizon} months. "
            f"Got {start!r} instead."
        )
    return month


@dataclass(frozen=True, eq=False)
class ResolvedPlan:
    """A plan as arrays over the model's workloads ``W`` and datasets ``D``.

    ``workload_move_start`` is the month a workload's move starts (``inf`` for one that does
    not move), ``workload_switch`` the whole month its traffic is served from the target,
    ``labour_start`` the start of its labour window; ``dataset_start`` is the month its copy
    may start (``inf`` if it stays); ``site_in_service`` maps each site target to its first
    month. ``data_order`` lists the moved datasets in the order they share the path.
    """

    name: str
    workload_target: IntArray
    workload_moved: BoolArray
    workload_retired: BoolArray
    workload_move_start: FloatArray
    workload_switch: FloatArray
    labour_start: FloatArray
    dataset_target: IntArray
    dataset_moved: BoolArray
    dataset_start: FloatArray
    data_order: IntArray
    bandwidth_gbps: float
    exit_waiver: bool
    site_in_service: Mapping[int, int]
    switching_factor: FloatArray


def _element(model: Model, element: str, path: str) -> tuple[str, int]:
    """A workload or dataset by id (``workload:`` / ``dataset:`` prefixes settle a shared id)."""
    kind, _, name = element.partition(":") if ":" in element else ("", "", element)
    in_w = name in model.workload_ids and kind in ("", "workload")
    in_d = name in model.dataset_ids and kind in ("", "dataset")
    if in_w and in_d:
        raise InvalidParameterError(
            f"The {path!r} parameter of Plan names {element!r}, which is both a workload and a "
            f"dataset; write 'workload:{name}' or 'dataset:{name}'."
        )
    if in_w:
        return "workload", model.workload_ids.index(name)
    if in_d:
        return "dataset", model.dataset_ids.index(name)
    raise InvalidParameterError(
        f"The {path!r} parameter of Plan names {element!r}, which is no workload or dataset of "
        f"the estate; valid: {format_choices((*model.workload_ids, *model.dataset_ids))}."
    )


def resolve(
    plan: Plan,
    model: Model,
    *,
    horizon_months: int = 60,
    customer_jurisdiction: str | None = None,
) -> ResolvedPlan:
    """Check ``plan`` against ``model`` and turn it into arrays; every problem before any work.

    ``customer_jurisdiction`` brings in the EU Data Act: the data move's egress in each month
    is multiplied by :func:`exitcost.pricing.data_act_factors` (1 before it applies, the
    at-cost fraction, 0 once switching charges are forbidden).

    Raises
    ------
    InvalidParameterError
        An unknown workload, dataset, provider or location; a start at or after the horizon;
        a target with no price for what it must hold (a storage class, a GPU model, compute);
        a dataset whose residency the target breaks.
    """
    if not isinstance(plan, Plan):
        raise InvalidParameterError(
            f"The 'plans' parameter of simulate must hold Plan objects. Got {plan!r} instead."
        )
    n_w, n_d = model.n_workloads, model.n_datasets
    w_target = model.workload_location.copy()
    d_target = model.dataset_location.copy()
    w_start = np.full(n_w, np.inf)
    d_start = np.full(n_d, np.inf)
    strategy = list(model.workload_strategy)
    labour = np.full(n_w, np.inf)
    from_schedule = np.zeros(n_w, dtype=bool)

    def target_index(to: str, path: str) -> int:
        if to not in model.location_ids:
            raise InvalidParameterError(
                f"The {path!r} parameter of Plan names location {to!r}, which the model does "
                "not know; pass the plan to simulate (which prices its targets) or "
                "Model.with_locations."
            )
        return model.location_ids.index(to)

    for k, leave in enumerate(plan.leaves):
        providers = {
            p
            for p, kind in zip(model.location_provider, model.location_kind, strict=True)
            if kind == "cloud"
        }
        if leave.provider not in providers:
            raise InvalidParameterError(
                f"The 'provider' parameter of Plan.leave must be a cloud provider of the estate "
                f"({format_choices(sorted(providers))}). Got {leave.provider!r} instead."
            )
        month = _start_month(model, leave.start, "start", horizon_months)
        here = [
            i
            for i, p in enumerate(model.location_provider)
            if p == leave.provider
            and i < len(model.location_kind)
            and model.location_kind[i] == "cloud"
        ]
        mapping = (
            {model.location_ids[i]: leave.to for i in here}
            if isinstance(leave.to, str)
            else dict(leave.to)
        )
        for origin in mapping:
            if origin not in [model.location_ids[i] for i in here]:
                raise InvalidParameterError(
                    f"The 'to' parameter of Plan.leave maps {origin!r}, which is no location of "
                    f"{leave.provider}; valid: "
                    f"{format_choices(model.location_ids[i] for i in here)}."
                )
        for i in here:
            if model.location_ids[i] not in mapping:
                continue
            t = target_index(mapping[model.location_ids[i]], f"leaves[{k}].to")
            ws = model.workload_location == i
            moving = ws & np.array([s in _MOVING or s == "retire" for s in strategy])
            w_target[moving] = t
            w_start[moving] = month + model.workload_start_month[moving]
            labour[moving] = month + model.workload_start_month[moving]
            from_schedule[moving] = True
            ds = model.dataset_location == i
            d_target[ds] = t
            d_start[ds] = float(month)

    for k, move in enumerate(plan.moves):
        kind, j = _element(model, move.element, f"moves[{k}].element")
        t = target_index(move.to, f"moves[{k}].to")
        month = _start_month(model, move.start, f"moves[{k}].start", horizon_months)
        if kind == "workload":
            if move.strategy is not None:
                strategy[j] = move.strategy
            w_target[j] = t
            w_start[j] = float(month)
            labour[j] = float(month)
        else:
            d_target[j] = t
            d_start[j] = float(month)

    w_moved = np.isfinite(w_start) & (w_target != model.workload_location)
    retired = w_moved & np.array([s == "retire" for s in strategy])
    d_moved = np.isfinite(d_start) & (d_target != model.dataset_location)
    w_start = np.where(w_moved, w_start, np.inf)
    labour = np.where(w_moved, labour, np.inf)
    d_start = np.where(d_moved, d_start, np.inf)

    # Sites: in service after the hardware lead time from the first move into them; moves
    # into a site start no earlier (labour is not shifted).
    lead = int(model.facility.value("hardware_lead_time_months"))
    in_service: dict[int, int] = {}
    for t in sorted(set(w_target[w_moved & ~retired].tolist()) | set(d_target[d_moved].tolist())):
        if model.location_kind[t] not in SITE_KINDS:
            continue
        first = min(
            float(w_start[(w_target == t) & w_moved].min(initial=np.inf)),
            float(d_start[(d_target == t) & d_moved].min(initial=np.inf)),
        )
        in_service[t] = math.floor(first) + lead
        here_w = (w_target == t) & w_moved
        w_start[here_w] = np.maximum(w_start[here_w], in_service[t])
        here_d = (d_target == t) & d_moved
        d_start[here_d] = np.maximum(d_start[here_d], in_service[t])
    _check_prices(model, w_target, w_moved & ~retired, d_target, d_moved, plan.name)

    duration = np.where(w_moved, model.workload_duration_months, 0.0)
    switch = np.where(w_moved, np.ceil(w_start + duration - 1e-9), np.inf)
    order = np.flatnonzero(d_moved)
    order = order[np.argsort(d_start[order], kind="stable")]
    bandwidth = (
        plan.bandwidth_gbps
        if plan.bandwidth_gbps is not None
        else model.defaults.data_move_bandwidth_gbps
    )
    return ResolvedPlan(
        name=plan.name,
        workload_target=w_target,
        workload_moved=w_moved,
        workload_retired=retired,
        workload_move_start=w_start,
        workload_switch=switch,
        labour_start=labour,
        dataset_target=d_target,
        dataset_moved=d_moved,
        dataset_start=d_start,
        data_order=order.astype(np.int64),
        bandwidth_gbps=float(bandwidth),
        exit_waiver=plan.exit_waiver,
        site_in_service=in_service,
        switching_factor=data_act_factors(
            model.as_of, horizon_months, customer_jurisdiction, func="resolve"
        ),
    )


def _check_prices(
    model: Model,
    w_target: IntArray,
    w_moving: BoolArray,
    d_target: IntArray,
    d_moved: BoolArray,
    name: str,
) -> None:
    """A target must price what it holds: storage classes, compute, GPU models."""
    p = model.prices
    problems = []
    for d in np.flatnonzero(d_moved):  # the moved datasets, checked once per plan
        t, c = int(d_target[d]), int(model.dataset_storage_class[d])
        if not p.storage_priced[t, c]:
            problems.append(
                f"dataset {model.dataset_ids[d]!r} needs {model.estate.datasets[d].storage_class}"
                f" storage, which {model.location_ids[t]} has no price for"
            )
        residency = model.estate.datasets[d].residency
        juris = model.location_jurisdiction[t]
        if residency and juris and juris not in residency:
            problems.append(
                f"dataset {model.dataset_ids[d]!r} must stay in {', '.join(residency)}, but "
                f"{model.location_ids[t]} is in {juris}"
            )
    for w in np.flatnonzero(w_moving):
        t = int(w_target[w])
        if model.location_kind[t] in SITE_KINDS:
            continue
        if model.workload_gpus[w] > 0 and model.workload_gpu_model[w] not in p.gpu_usd_per_hour[t]:
            problems.append(
                f"workload {model.workload_ids[w]!r} runs {model.workload_gpu_model[w]} GPUs, "
                f"which {model.location_ids[t]} has no price for"
            )
        needs_units = model.workload_vcpus[w] + model.workload_memory_gib[w] > 0
        if needs_units and not np.isfinite(p.vcpu_usd_per_hour[t]):
            problems.append(
                f"workload {model.workload_ids[w]!r} needs compute, which "
                f"{model.location_ids[t]} has no price for"
            )
    if problems:
        raise InvalidParameterError(
            f"Plan {name!r} cannot be priced: "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            + ". Choose another target or storage class."
        )


def sample_plans() -> tuple[Plan, ...]:
    """Four plans for the sample estate, to compare side by side.

    Stay; leave AWS for an own (colocation) site now; the same from 2028; move the EU
    analytics to Google Cloud in Europe and keep the rest.

    Examples
    --------
    >>> [p.name for p in sample_plans()]  # doctest: +NORMALIZE_WHITESPACE
    ['stay', 'leave aws for colo:own-site', 'leave aws for colo:own-site from 2028-01',
     'analytics to gcp']
    """
    return (
        Plan.stay(),
        Plan.leave("aws", to="colo:own-site", bandwidth_gbps=10.0),
        Plan.leave("aws", to="colo:own-site", start="2028-01", bandwidth_gbps=10.0),
        Plan(
            "analytics to gcp",
            moves=[
                ("eu-analytics", "gcp:europe-west4", 1),
                ("eu-analytics-warehouse", "gcp:europe-west4", 1),
            ],
            bandwidth_gbps=10.0,
        ),
    )
