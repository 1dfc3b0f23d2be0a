"""Re-platforming effort over the seven migration strategies, labour cost and lock-in.

Effort of moving one workload, as a three-point range (low / mode / high person-days):

* **base effort** by strategy: ``fixed + per_instance x instances`` plus, for strategies that
  adapt code (replatform, refactor), COCOMO II effort of the *equivalent* size
  ``code_kloc x AAM``, where AAM is the COCOMO II reuse model's adaptation adjustment multiplier
  (:func:`adaptation_adjustment`) from the strategy's design, code and integration fractions
  (DM, CM, IM): a migration adapts existing code, it does not write it anew. The base range is
  ``low_factor x mode`` to ``high_factor x mode`` (0.7 and 3 by default);
* plus **service effort**: for every catalogued service the workload uses, ``units x`` the
  catalog's person-days per unit (its own low / mode / high), weighted by the strategy's
  ``service_effort_factor`` (1 for replatform and refactor, which replace the services; 0 for
  rehost and relocate, which move instances and containers unchanged, and for repurchase,
  retain and retire);
* **services an unchanged move cannot take along**: a workload that leaves the provider with
  rehost or relocate but uses a service whose catalog ``exit_strategy`` carries service effort
  (replatform or refactor: SageMaker, DynamoDB, Step Functions...) still has to replace that
  service, or it has not left. Such services keep their catalog effort (weight of their
  ``exit_strategy``, 1), one :class:`~exitcost.errors.DefaultAssumptionWarning` per call
  names the first few such workloads and their services, and ``defaults_used`` lists them for
  every workload. The code changes the
  replacement needs are not sized under rehost or relocate (no code term): name the catalog's
  strategy for that workload to include them. Managed Kubernetes (``exit_strategy`` relocate)
  moves with a rehost or relocate and adds nothing.

A workload with no strategy gets the least demanding one that leaves the provider with all its
parts: the most demanding, in the data file's ``default_strategy.order`` (retain < retire <
relocate < rehost < repurchase < replatform < refactor), of rehost for its own instances (when it
has any or does not say) and the catalog ``exit_strategy`` of each service (rehost for plain VMs
and disks, relocate for managed Kubernetes, replatform where the service has a portable
equivalent, refactor where it has none). Adding a service never lowers it, so effort and labour
never fall as services are added.

Every function takes ``provider`` and ``locations`` to scope the exit (see
:mod:`exitcost.effort.scope`); ``None`` keeps the whole estate.

The mean is the PERT mean ``(low + 4 mode + high) / 6``; :func:`sample_effort` draws PERT samples
of the same ranges with a scenario axis first. Labour cost is person-days times the team's
``usd_per_person_day``.

Lock-in of a workload is the mean of its services' lock-in weights (0..1), weighted by the
effort each service takes to replace (units x mode person-days per unit); the ``lock_in_drivers``
column names the services that contribute most. The estate's lock-in is the run-cost-weighted
mean of its workloads' scores (:func:`estate_lock_in`).

Every coefficient comes from ``data/catalog/`` (see :mod:`exitcost.effort.catalog`).

Examples
--------
>>> round(float(adaptation_adjustment(0.1, 0.2, 0.4, assessment_assimilation=0.04,
...                                    software_understanding=0.3, unfamiliarity=0.4)), 4)
0.3128
>>> base_effort_person_days([2.0, 8.0], anchor_person_days=20.0, anchor_size=2.0,
...                         exponent=1.0997)
array([20.        , 91.85...])
>>> pert_mean(0.7, 1.0, 3.0)
1.2833...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from exitcost._validation import as_array, check_known_ids, first_bad, wrap_like
from exitcost.effort._warnings import few, once_per_call, warn_once
from exitcost.effort.adaptation import adaptation_adjustment
from exitcost.effort.catalog import (
    EXIT_STRATEGIES,
    STRATEGIES,
    Catalog,
    EffortDefaults,
    ServiceEntry,
    load_catalog,
    load_effort_defaults,
)
from exitcost.effort.scope import scoped_estate
from exitcost.errors import (
    DefaultAssumptionWarning,
    InvalidParameterError,
    format_choices,
    short_repr,
)
from exitcost.uncertainty import pert_beta_shape, point, three_point_mean

if TYPE_CHECKING:
    from exitcost.estate import Estate

__all__ = [
    "EffortInputs",
    "LockInSummary",
    "adaptation_adjustment",
    "base_effort_person_days",
    "effort_inputs",
    "estate_lock_in",
    "estimate_effort",
    "pert_mean",
    "sample_effort",
    "sample_pert",
    "scoped_inputs",
    "text_column",
]

FloatArray = npt.NDArray[np.float64]
_N_DRIVERS = 3


# ---------------------------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------------------------


def base_effort_person_days(
    size: Any,
    *,
    anchor_person_days: Any,
    anchor_size: Any,
    exponent: Any,
    fixed_person_days: Any = 0.0,
) -> Any:
    """Base effort of a move from its size: ``fixed + anchor * (size / anchor_size) ** exponent``.

    Parameters
    ----------
    size : numeric
        Instances or thousands of lines of code (KLOC), >= 0.
    anchor_person_days : numeric
        Effort at ``anchor_size``, >= 0. [person-days]
    anchor_size : numeric
        Size of the anchor, > 0.
    exponent : numeric
        Scale exponent, > 0 (1 linear; 1.0997 COCOMO II nominal).
    fixed_person_days : numeric
        Effort independent of size, >= 0. [person-days]

    Returns
    -------
    numeric
        Effort, non-decreasing in ``size``. [person-days]

    Examples
    --------
    >>> round(base_effort_person_days(5.0, anchor_person_days=55.86, anchor_size=1.0,
    ...                               exponent=1.0997), 0)   # COCOMO II: 5 KSLOC -> 328 pd
    328.0
    """
    func = "base_effort_person_days"
    s = as_array(size, name="size", func=func)
    anchor = as_array(anchor_person_days, name="anchor_person_days", func=func)
    a_size = as_array(anchor_size, name="anchor_size", func=func, exclusive_minimum=True)
    exp = as_array(exponent, name="exponent", func=func, exclusive_minimum=True)
    fixed = as_array(fixed_person_days, name="fixed_person_days", func=func)
    result = _power_effort(s, anchor, a_size, exp, fixed)
    if not np.isfinite(result).all():
        i, where = first_bad(~np.isfinite(result))
        raise InvalidParameterError(
            f"The 'size' parameter of {func} must give an effort within float64 range. Got "
            f"size={float(np.broadcast_to(s, result.shape)[i])!r}{where} instead."
        )
    return wrap_like(size, result)


def _power_effort(
    size: FloatArray, anchor: Any, anchor_size: Any, exponent: Any, fixed: Any
) -> FloatArray:
    """``fixed + anchor (size / anchor_size) ** exponent`` without checks (inf on overflow)."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = fixed + anchor * np.power(size / anchor_size, exponent)
    return np.asarray(result, dtype=np.float64)


def _check_range(low: Any, mode: Any, high: Any, func: str) -> tuple[FloatArray, ...]:
    lo = as_array(low, name="low", func=func)
    mo = as_array(mode, name="mode", func=func)
    hi = as_array(high, name="high", func=func)
    lo, mo, hi = np.broadcast_arrays(lo, mo, hi)
    bad = (lo > mo) | (mo > hi)
    if bad.any():
        i, where = first_bad(bad)
        raise InvalidParameterError(
            f"The range of {func} must satisfy low <= mode <= high. Got low={float(lo[i])!r}, "
            f"mode={float(mo[i])!r}, high={float(hi[i])!r}{where} instead."
        )
    return lo, mo, hi


def pert_mean(low: Any, mode: Any, high: Any) -> Any:
    """PERT mean of a three-point estimate, ``(low + 4 mode + high) / 6``.

    Raises
    ------
    InvalidParameterError
        A negative value, or low > mode or mode > high anywhere.

    Examples
    --------
    >>> pert_mean([14.0, 0.0], [20.0, 0.0], [60.0, 0.0])
    array([25.66..., 0.  ])
    >>> pert_mean(3.0, 2.0, 5.0)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The range of pert_mean must satisfy low <= mode <= ...
    """
    lo, mo, hi = _check_range(low, mode, high, "pert_mean")
    return wrap_like(low, np.asarray(three_point_mean(lo, mo, hi)))


def sample_pert(
    low: Any,
    mode: Any,
    high: Any,
    n: int,
    rng: np.random.Generator,
    *,
    correlation: Literal["independent", "comonotonic"] = "independent",
) -> FloatArray:
    """Draw PERT samples of many three-point estimates at once, scenario axis first.

    Parameters
    ----------
    low, mode, high : array-like, shape (k,)
        The ranges (broadcast together).
    n : int
        Number of scenarios.
    rng : numpy.random.Generator
        Seeded generator.
    correlation : {"independent", "comonotonic"}
        ``"independent"`` draws each estimate on its own; ``"comonotonic"`` uses one quantile per
        scenario for all of them (every move overruns together: the programme-wide view).

    Returns
    -------
    numpy.ndarray, shape (n, k)
        Samples in ``[low, high]``; a zero-width range gives its value.

    Examples
    --------
    >>> import numpy as np
    >>> s = sample_pert([1.0, 5.0], [2.0, 5.0], [6.0, 5.0], 1000, np.random.default_rng(0))
    >>> s.shape, bool((s[:, 0] >= 1).all() and (s[:, 0] <= 6).all()), float(s[:, 1].max())
    ((1000, 2), True, 5.0)
    """
    func = "sample_pert"
    lo, mo, hi = _check_range(low, mode, high, func)
    lo, mo, hi = (np.atleast_1d(x) for x in (lo, mo, hi))
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InvalidParameterError(
            f"The 'n' parameter of {func} must be an integer >= 0. Got {n!r} instead."
        )
    if not isinstance(rng, np.random.Generator):
        raise InvalidParameterError(
            f"The 'rng' parameter of {func} must be a numpy.random.Generator (for example "
            f"numpy.random.default_rng(seed)). Got {short_repr(rng)} instead."
        )
    if correlation not in ("independent", "comonotonic"):
        raise InvalidParameterError(
            f"The 'correlation' parameter of {func} must be one of "
            f"{format_choices(['independent', 'comonotonic'])}. Got {correlation!r} instead."
        )
    span = hi - lo
    alpha, beta = pert_beta_shape(lo, mo, hi)
    shape = (int(n), lo.shape[-1])
    if correlation == "comonotonic":
        u = np.broadcast_to(rng.random((int(n), 1)), shape)
        q = special.betaincinv(alpha, beta, u)
    else:
        q = rng.beta(np.broadcast_to(alpha, shape), np.broadcast_to(beta, shape))
    return np.asarray(lo + span * q, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# From an estate to arrays
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffortInputs:
    """The arrays the effort model needs, compiled from an estate (one entry per workload).

    Attributes
    ----------
    workloads : tuple of str
        Workload ids, in estate order.
    strategies : tuple of str
        Strategy of each workload.
    strategy_sources : tuple of str
        Where each strategy came from: ``"argument"``, ``"estate"`` or ``"default"``.
    services : tuple of str
        Service ids (columns of ``units``), catalogued or not.
    units : numpy.ndarray, shape (n_workloads, n_services)
        Units of each service each workload uses.
    service_person_days : numpy.ndarray, shape (3, n_services)
        Low, mode, high person-days per unit of each service.
    lock_in_weight : numpy.ndarray, shape (n_services,)
        Lock-in weight of each service.
    unknown_services : tuple of str
        Services not in the catalog (priced with the catalog's ``unknown`` entry).
    base_person_days : numpy.ndarray, shape (3, n_workloads)
        Low, mode, high base effort by strategy.
    code_person_days : numpy.ndarray, shape (n_workloads,)
        Part of the base mode from adapting code (COCOMO II reuse model; 0 where the strategy
        leaves the code unchanged).
    equivalent_kloc : numpy.ndarray, shape (n_workloads,)
        ``code_kloc x AAM``: the new code the adaptation is worth. [KSLOC]
    service_effort_factor : numpy.ndarray, shape (n_workloads,)
        Weight of the service effort under each workload's strategy.
    service_weight : numpy.ndarray, shape (n_workloads, n_services)
        Weight of each service's effort in each workload: the strategy's factor, or the factor
        of the service's catalog ``exit_strategy`` where an unchanged move (rehost, relocate)
        cannot take the service along.
    kept_services : tuple of tuple of str
        For each workload, the services whose effort was kept that way (empty for most).
    usd_per_person_day : numpy.ndarray, shape (n_workloads,)
        Day rate of each workload's team.
    team_default : numpy.ndarray of bool, shape (n_workloads,)
        True where the workload has no team and the default rate was used.
    instances_default : numpy.ndarray of bool, shape (n_workloads,)
        True where the strategy has a per-instance effort and the default count was assumed.
    """

    workloads: tuple[str, ...]
    strategies: tuple[str, ...]
    strategy_sources: tuple[str, ...]
    services: tuple[str, ...]
    units: FloatArray
    service_person_days: FloatArray
    lock_in_weight: FloatArray
    unknown_services: tuple[str, ...]
    base_person_days: FloatArray
    code_person_days: FloatArray
    equivalent_kloc: FloatArray
    service_effort_factor: FloatArray
    service_weight: FloatArray
    kept_services: tuple[tuple[str, ...], ...]
    usd_per_person_day: FloatArray
    team_default: npt.NDArray[np.bool_]
    instances_default: npt.NDArray[np.bool_]

    @property
    def person_days(self) -> FloatArray:
        """Low, mode, high total effort per workload, shape (3, n_workloads). [person-days]"""
        services = ((self.units * self.service_weight) @ self.service_person_days.T).T
        return np.asarray(self.base_person_days + services)  # (3, n_workloads)

    @property
    def lock_in_contributions(self) -> FloatArray:
        """Share of each service in each workload's lock-in score, shape (n_workloads, n_services).

        Rows sum to the workload's score (0 for a workload without weighted services).
        """
        effort = self.units * self.service_person_days[1]
        total = effort.sum(axis=1, keepdims=True)
        share = np.divide(effort, total, out=np.zeros_like(effort), where=total > 0)
        return np.asarray(share * self.lock_in_weight)


def _resolve_strategies(
    estate: Estate,
    strategies: str | Mapping[str, str] | None,
    catalog: Catalog,
    defaults: EffortDefaults,
    valid_ids: Sequence[str],
    func: str,
) -> tuple[list[str], list[str]]:
    ids = [w.id for w in estate.workloads]
    if isinstance(strategies, str):
        given: Mapping[str, str] = dict.fromkeys(ids, strategies)
        label = "'strategies' parameter"
    elif strategies is None:
        given = {}
        label = ""
    elif isinstance(strategies, Mapping):
        check_known_ids(
            strategies,
            valid_ids,
            name="strategies",
            func=func,
            entity="workload",
            missing="that are not in the estate",
        )
        given = strategies
        label = "'strategies' parameter"
    else:
        raise InvalidParameterError(
            f"The 'strategies' parameter of {func} must be None, a strategy name or a "
            f"mapping of workload id to strategy. Got {strategies!r} instead."
        )
    for wid, strategy in given.items():
        if strategy not in STRATEGIES:
            raise InvalidParameterError(
                f"The {label} of {func} must name one of {format_choices(STRATEGIES)}. "
                f"Got {strategy!r} for workload {wid!r} instead."
            )
    rule = defaults.default_strategy
    chosen, sources = [], []
    for w in estate.workloads:
        if w.id in given:
            chosen.append(given[w.id])
            sources.append("argument")
        elif w.strategy is not None:
            chosen.append(w.strategy)
            sources.append("estate")
        else:
            # What each part needs to leave: its own instances (when it has or may have any)
            # and each service; the most demanding of them, so a service never lowers it.
            needs: list[str] = [
                (
                    catalog.entry(s.service) if s.service in catalog else catalog.unknown
                ).exit_strategy
                for s in w.services
            ]
            if w.instances is None or w.instances > 0:
                needs.append(rule.plain_instances)
            chosen.append(rule.most_demanding(needs) if needs else rule.without_services)
            sources.append("default")
    return chosen, sources


def _service_weights(
    estate: Estate,
    chosen: Sequence[str],
    entries: Sequence[ServiceEntry],
    services: Sequence[str],
    units: FloatArray,
    factor: FloatArray,
    defaults: EffortDefaults,
) -> tuple[FloatArray, tuple[tuple[str, ...], ...]]:
    """Weight of each service's effort per workload, keeping what an unchanged move leaves."""
    leaving = np.array([s in EXIT_STRATEGIES for s in chosen], dtype=np.bool_).reshape(len(chosen))
    needed = np.array(
        [defaults.strategies[e.exit_strategy].service_effort_factor for e in entries],
        dtype=np.float64,
    ).reshape(len(entries))
    kept = leaving[:, None] & (units > 0) & (needed[None, :] > factor[:, None])
    weight = np.where(kept, needed[None, :], factor[:, None])
    names = tuple(tuple(services[int(j)] for j in np.flatnonzero(row)) for row in kept)
    if kept.any():
        per_unit = np.array([e.person_days_per_unit.mode for e in entries], dtype=np.float64)
        rows = np.flatnonzero(kept.any(axis=1))
        cols = np.flatnonzero(kept.any(axis=0))
        moved_with = sorted({chosen[int(i)] for i in rows}, key=EXIT_STRATEGIES.index)
        needs = sorted({entries[int(j)].exit_strategy for j in cols}, key=EXIT_STRATEGIES.index)
        extra = float((units * per_unit * kept).sum())
        movers = [estate.workloads[int(i)].id for i in rows]
        warn_once(
            f"{len(rows)} workload(s) moved with {' or '.join(moved_with)} use managed services "
            f"that cannot leave the provider unchanged: {few(movers)}, using "
            f"{few([services[int(j)] for j in cols], limit=8)}. Their catalog service "
            f"effort is kept ({extra:g} person-days mode), but the code changes the replacements "
            f"need are not sized; name the services' exit strategy ({' or '.join(needs)}) for "
            "those workloads to include them. The 'defaults_used' column of "
            "exitcost.effort.estimate_effort lists each workload's services.",
            DefaultAssumptionWarning,
        )
    return np.asarray(weight, dtype=np.float64), names


@once_per_call
def effort_inputs(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> EffortInputs:
    """Compile an estate (or the part an exit covers) into the arrays of the effort model.

    See :func:`estimate_effort` for the parameters. Unknown services raise or warn here.
    """
    return scoped_inputs(
        estate,
        strategies,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
    )[1]


def scoped_inputs(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
    func: str = "estimate_effort",
) -> tuple[Estate, EffortInputs]:
    """The estate cut to an exit's scope and its effort inputs (for the schedule and the bill)."""
    catalog = load_catalog() if catalog is None else catalog
    defaults = load_effort_defaults() if defaults is None else defaults
    if on_unknown not in ("default", "raise"):
        raise InvalidParameterError(
            f"The 'on_unknown' parameter of {func} must be one of "
            f"{format_choices(['default', 'raise'])}. Got {on_unknown!r} instead."
        )
    all_ids = [w.id for w in estate.workloads]
    estate = scoped_estate(estate, provider, locations, func=func)
    services: dict[str, int] = {}
    for w in estate.workloads:
        for use in w.services:
            services.setdefault(use.service, len(services))
    unknown = tuple(s for s in services if s not in catalog)
    if unknown and on_unknown == "raise":
        catalog.entry(unknown[0])  # raises UnknownServiceError with close matches
    if unknown:
        users = [w.id for w in estate.workloads if any(u.service in unknown for u in w.services)]
        warn_once(
            f"{len(unknown)} service(s) not in the service catalog (as of {catalog.as_of}) were "
            f"given the catalog's default 'unknown' entry ({catalog.unknown.effort_class}, "
            f"{catalog.unknown.person_days_per_unit.mode:g} person-days per unit, lock-in "
            f"{catalog.unknown.lock_in.weight:g}): {few(unknown, limit=8)}, used by "
            f"{len(users)} workload(s): {few(users)}. Add them to the catalog or pass "
            "on_unknown='raise'. The 'defaults_used' column of exitcost.effort.estimate_effort "
            "lists them per workload.",
            DefaultAssumptionWarning,
        )
    entries: list[ServiceEntry] = [
        catalog.entry(s) if s in catalog else catalog.unknown for s in services
    ]
    n_w, n_s = len(estate.workloads), len(services)
    units = np.zeros((n_w, n_s))
    for i, w in enumerate(estate.workloads):
        for use in w.services:
            units[i, services[use.service]] += use.units
    per_unit = np.array(
        [
            [e.person_days_per_unit.low for e in entries],
            [e.person_days_per_unit.mode for e in entries],
            [e.person_days_per_unit.high for e in entries],
        ]
    ).reshape(3, n_s)
    weights = np.array([e.lock_in.weight for e in entries], dtype=np.float64)

    chosen, sources = _resolve_strategies(estate, strategies, catalog, defaults, all_ids, func)
    table = {s: defaults.strategies[s] for s in set(chosen)}  # type: ignore[index]
    none = (0.0, 0.0, 0.0, 0.0, 0.3, 0.0)  # no code adaptation: AAM 0 (DM = CM = IM = AA = 0)
    coef = np.array(
        [
            [
                table[s].fixed_person_days,
                table[s].person_days_per_instance,
                table[s].service_effort_factor,
                *(
                    (
                        a.design_modified,
                        a.code_modified,
                        a.integration_modified,
                        a.assessment_assimilation,
                        a.software_understanding,
                        a.unfamiliarity,
                    )
                    if (a := table[s].code_adaptation) is not None
                    else none
                ),
            ]
            for s in chosen
        ]
    ).reshape(n_w, 9)
    assumed = defaults.missing_instances.default_instances
    given_instances = np.array(
        [np.nan if w.instances is None else float(w.instances) for w in estate.workloads],
        dtype=np.float64,
    ).reshape(n_w)
    instances_default = np.isnan(given_instances) & (coef[:, 1] > 0)
    instances = np.where(np.isnan(given_instances), assumed, given_instances)
    kloc = np.array([point(w.code_kloc) for w in estate.workloads], dtype=np.float64).reshape(n_w)
    aam = np.asarray(
        adaptation_adjustment(
            coef[:, 3],
            coef[:, 4],
            coef[:, 5],
            assessment_assimilation=coef[:, 6],
            software_understanding=coef[:, 7],
            unfamiliarity=coef[:, 8],
        )
    )
    with np.errstate(over="ignore", invalid="ignore"):
        equivalent = kloc * aam
    cocomo = defaults.cocomo
    code = _power_effort(
        equivalent,
        cocomo.a_person_months * defaults.schedule.person_days_per_person_month,
        1.0,
        cocomo.exponent,
        0.0,
    )
    rng_ = defaults.range
    with np.errstate(over="ignore", invalid="ignore"):
        mode = coef[:, 0] + coef[:, 1] * instances + code
        base = np.stack([rng_.low_factor * mode, mode, rng_.high_factor * mode])

    weight, kept_names = _service_weights(
        estate, chosen, entries, list(services), units, coef[:, 2], defaults
    )

    default_rate = defaults.labour.default_usd_per_person_day
    rates = np.array(
        [
            estate.team(w.team).usd_per_person_day if w.team is not None else default_rate
            for w in estate.workloads
        ],
        dtype=np.float64,
    )
    inputs = EffortInputs(
        workloads=tuple(w.id for w in estate.workloads),
        strategies=tuple(chosen),
        strategy_sources=tuple(sources),
        services=tuple(services),
        units=units,
        service_person_days=per_unit,
        lock_in_weight=weights,
        unknown_services=unknown,
        base_person_days=base,
        code_person_days=code,
        equivalent_kloc=equivalent,
        service_effort_factor=coef[:, 2],
        service_weight=weight,
        kept_services=kept_names,
        usd_per_person_day=rates,
        team_default=np.array([w.team is None for w in estate.workloads], dtype=np.bool_),
        instances_default=np.asarray(instances_default, dtype=np.bool_),
    )
    _check_in_range(estate, inputs, func)
    return estate, inputs


def _check_in_range(estate: Estate, inputs: EffortInputs, func: str) -> None:
    """Raise, naming the workload and its estate fields, where effort or labour overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        lo, mo, hi = inputs.person_days
        mean = (lo + 4.0 * mo + hi) / 6.0
        effort = np.stack([lo, mo, hi, mean])
        services = (inputs.units * inputs.service_person_days[2]).sum(axis=1)
        labour = effort * inputs.usd_per_person_day
    bad_effort = ~(np.isfinite(effort).all(axis=0) & np.isfinite(services))
    if bad_effort.any():
        i = int(np.argmax(bad_effort))
        w = estate.workloads[i]
        units = {u.service: u.units for u in w.services}
        raise InvalidParameterError(
            f"The effort of workload {w.id!r} in {func} must be within float64 range; its "
            f"estate fields 'instances', 'code_kloc' and 'services[].units' size it. Got "
            f"instances={w.instances!r}, code_kloc={w.code_kloc!r}, units={units!r} instead."
        )
    bad_labour = ~np.isfinite(labour).all(axis=0)
    if bad_labour.any():
        i = int(np.argmax(bad_labour))
        w = estate.workloads[i]
        team = (
            f"team {w.team!r} (its 'usd_per_person_day')"
            if w.team is not None
            else "the default day rate (labour.default_usd_per_person_day)"
        )
        raise InvalidParameterError(
            f"The labour cost of workload {w.id!r} in {func} must be within float64 range; it is "
            f"its person-days x the day rate of {team}. Got "
            f"{float(inputs.usd_per_person_day[i])!r} USD per person-day for up to "
            f"{float(effort[:, i].max())!r} person-days instead."
        )


def text_column(values: Sequence[str | None]) -> Any:
    """A text column for a DataFrame: the values, or an empty ``str`` array (not float64)."""
    return list(values) if len(values) else pd.array([], dtype="str")


def _drivers(contrib: FloatArray, services: Sequence[str]) -> list[str]:
    """Top services by contribution, as text ``"aws.dynamodb 0.54, aws.lambda 0.13"``."""
    if contrib.shape[1] == 0:
        return [""] * contrib.shape[0]
    order = np.argsort(-contrib, axis=1, kind="stable")[:, :_N_DRIVERS]
    top = np.take_along_axis(contrib, order, axis=1)
    return [
        ", ".join(f"{services[j]} {v:.2f}" for j, v in zip(row, vals, strict=True) if v > 0)
        for row, vals in zip(order, top, strict=True)
    ]


@once_per_call
def estimate_effort(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> pd.DataFrame:
    """Person-days, labour cost and lock-in of moving each workload of an estate.

    Parameters
    ----------
    estate : Estate
        The estate (its workloads, teams and the services each workload uses).
    strategies : str or mapping, optional
        One strategy for every workload (``"refactor"``), or a mapping of workload id to
        strategy overriding the estate's. Workloads without one use the estate's ``strategy``,
        or else the default: the least demanding strategy that leaves the provider with all its
        parts, i.e. the most demanding (``default_strategy.order`` in the effort defaults) of
        ``rehost`` for its instances (unless it has 0) and the catalog ``exit_strategy`` of each
        service it uses (``rehost`` for plain VMs and disks, ``relocate`` for managed
        Kubernetes, ``replatform`` where the service has a portable equivalent, ``refactor``
        where it has none), reported in ``strategy_source`` and ``defaults_used``. Adding a
        service never lowers the default.
    provider : str or sequence of str, optional
        Scope the exit to the workloads at this provider's locations (``"aws"``); ``None``
        (default) with ``locations=None`` is the whole estate. See
        :func:`exitcost.effort.exit_scope`.
    locations : str or sequence of str, optional
        Scope the exit to the workloads at these location ids (union with ``provider``).
    catalog : Catalog, optional
        Service catalog (default: the newest bundled one).
    defaults : EffortDefaults, optional
        Effort defaults (default: the newest bundled file).
    on_unknown : {"default", "raise"}
        A service missing from the catalog is priced with the catalog's ``unknown`` entry and
        reported (``DefaultAssumptionWarning`` and the ``defaults_used`` column), or raises
        :class:`~exitcost.errors.UnknownServiceError` listing close matches.

    Warns
    -----
    DefaultAssumptionWarning
        A service priced with the catalog's ``unknown`` entry, or a workload moved with rehost
        or relocate that uses services needing a replacement (catalog ``exit_strategy``
        replatform or refactor): their catalog effort is kept and listed in ``defaults_used``.

    Returns
    -------
    pandas.DataFrame
        One row per workload in scope (index ``workload``) with columns ``team``,
        ``strategy``, ``strategy_source``, ``base_person_days`` (mode, including
        ``code_person_days``), ``code_person_days`` (mode, COCOMO II reuse model on
        ``equivalent_kloc``), ``equivalent_kloc``, ``service_person_days`` (mode),
        ``person_days_low``, ``person_days_mode``, ``person_days_high``, ``person_days_mean``
        (PERT), ``usd_per_person_day``, ``labour_low_usd``, ``labour_mode_usd``,
        ``labour_high_usd``, ``labour_mean_usd``, ``lock_in_score`` (0..1),
        ``lock_in_drivers`` and ``defaults_used``.

    Raises
    ------
    InvalidParameterError
        Unknown strategy, workload id, provider or location, bad ``on_unknown``; effort or
        labour beyond float64 range (naming the workload, team and estate field).
    UnknownServiceError
        A service is not in the catalog and ``on_unknown="raise"``.

    Examples
    --------
    >>> from exitcost.estate import Estate
    >>> estate = Estate.from_dict({
    ...     "name": "demo", "as_of": "2026-11-27",
    ...     "locations": [{"id": "aws:us-east-1", "kind": "cloud",
    ...                    "continent": "north_america", "jurisdiction": "US"}],
    ...     "teams": [{"id": "core", "usd_per_person_day": 800,
    ...                "capacity_person_days_per_month": 100}],
    ...     "workloads": [{"id": "shop", "location": "aws:us-east-1", "team": "core",
    ...                    "instances": 2, "strategy": "replatform", "code_kloc": 10,
    ...                    "services": [{"service": "aws.rds_postgres", "units": 1},
    ...                                 {"service": "aws.sqs", "units": 2}]}]})
    >>> row = estimate_effort(estate).loc["shop"]
    >>> round(float(row.equivalent_kloc), 3), round(float(row.code_person_days), 1)  # x AAM
    (0.446, 23.0)
    >>> round(float(row.person_days_mode), 1)   # 2 x 2.5 + 23.0 + 1 x 1 (RDS) + 2 x 3 (SQS)
    35.0
    >>> row.lock_in_drivers
    'aws.sqs 0.37, aws.rds_postgres 0.02'
    """
    estate, inputs = scoped_inputs(
        estate,
        strategies,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
    )
    pd_range = inputs.person_days
    mean = three_point_mean(pd_range[0], pd_range[1], pd_range[2])
    rate = inputs.usd_per_person_day
    contrib = inputs.lock_in_contributions
    service_mode = (inputs.units * inputs.service_weight) @ inputs.service_person_days[1]
    unknown = set(inputs.unknown_services)
    defaults_used = []
    for i, w in enumerate(estate.workloads):
        used = [f"unknown service {u.service}" for u in w.services if u.service in unknown]
        if inputs.strategy_sources[i] == "default":
            used.append(f"strategy {inputs.strategies[i]}")
        if inputs.kept_services[i]:
            used.append(
                f"service effort kept under {inputs.strategies[i]}: "
                + ", ".join(inputs.kept_services[i])
            )
        if inputs.instances_default[i]:
            used.append("instances")
        if inputs.team_default[i]:
            used.append("labour rate")
        defaults_used.append("; ".join(used))
    frame = pd.DataFrame(
        {
            "team": text_column([w.team for w in estate.workloads]),
            "strategy": text_column(inputs.strategies),
            "strategy_source": text_column(inputs.strategy_sources),
            "base_person_days": inputs.base_person_days[1],
            "code_person_days": inputs.code_person_days,
            "equivalent_kloc": inputs.equivalent_kloc,
            "service_person_days": service_mode,
            "person_days_low": pd_range[0],
            "person_days_mode": pd_range[1],
            "person_days_high": pd_range[2],
            "person_days_mean": mean,
            "usd_per_person_day": rate,
            "labour_low_usd": pd_range[0] * rate,
            "labour_mode_usd": pd_range[1] * rate,
            "labour_high_usd": pd_range[2] * rate,
            "labour_mean_usd": mean * rate,
            "lock_in_score": contrib.sum(axis=1),
            "lock_in_drivers": text_column(_drivers(contrib, inputs.services)),
            "defaults_used": text_column(defaults_used),
        },
        index=pd.Index(list(inputs.workloads), name="workload"),
    )
    return frame


@once_per_call
def sample_effort(
    estate: Estate,
    n: int,
    rng: np.random.Generator,
    strategies: str | Mapping[str, str] | None = None,
    *,
    correlation: Literal["independent", "comonotonic"] = "independent",
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> FloatArray:
    """Sampled person-days per workload: PERT draws of the ranges of :func:`estimate_effort`.

    Parameters
    ----------
    estate, strategies, provider, locations, catalog, defaults, on_unknown
        As for :func:`estimate_effort`.
    n : int
        Number of scenarios.
    rng : numpy.random.Generator
        Seeded generator (same seed, same samples).
    correlation : {"independent", "comonotonic"}
        Whether workloads overrun independently or together (see :func:`sample_pert`).

    Returns
    -------
    numpy.ndarray, shape (n, n_workloads)
        Person-days, scenario axis first, workloads in scope in estate order. Multiply by the
        ``usd_per_person_day`` column of :func:`estimate_effort` for labour cost.
    """
    inputs = effort_inputs(
        estate,
        strategies,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
    )
    lo, mo, hi = inputs.person_days
    return sample_pert(lo, mo, hi, n, rng, correlation=correlation)


@dataclass(frozen=True)
class LockInSummary:
    """Lock-in of an estate and the services that drive it.

    Attributes
    ----------
    score : float
        Run-cost-weighted mean of the workloads' lock-in scores, 0..1.
    drivers : pandas.DataFrame
        One row per service (index ``service``), columns ``units``, ``lock_in_weight`` and
        ``contribution`` (its share of ``score``; the column sums to ``score``), largest first.
    weighting : str
        What weighted the workloads: ``"compute_usd_per_month"``, ``"person_days_mode"`` (no
        workload has a run cost) or ``"equal"``.
    """

    score: float
    drivers: pd.DataFrame
    weighting: str


@once_per_call
def estate_lock_in(
    estate: Estate,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> LockInSummary:
    """Lock-in score of a whole estate, explained by the services that drive it.

    Workload scores (see :func:`estimate_effort`) are averaged with weights proportional to the
    workloads' monthly run cost (``compute_usd_per_month``, expected value); if no workload has
    a run cost, by their most likely effort; if none has that either, equally. ``provider``
    and ``locations`` restrict it to the workloads an exit covers (see :func:`estimate_effort`).

    Examples
    --------
    >>> from exitcost.estate import Estate
    >>> estate = Estate.from_dict({
    ...     "name": "demo", "as_of": "2026-11-27",
    ...     "locations": [{"id": "aws:us-east-1", "kind": "cloud",
    ...                    "continent": "north_america", "jurisdiction": "US"}],
    ...     "workloads": [
    ...         {"id": "orders", "location": "aws:us-east-1", "compute_usd_per_month": 3000,
    ...          "services": [{"service": "aws.dynamodb", "units": 4}]},
    ...         {"id": "web", "location": "aws:us-east-1", "compute_usd_per_month": 1000,
    ...          "services": ["aws.ec2"]}]})
    >>> summary = estate_lock_in(estate)   # 0.75 x 0.71 + 0.25 x 0
    >>> summary.score, summary.weighting
    (0.5325, 'compute_usd_per_month')
    >>> summary.drivers
                  units  lock_in_weight  contribution
    service
    aws.dynamodb    4.0            0.71        0.5325
    aws.ec2         1.0            0.00        0.0000
    """
    estate, inputs = scoped_inputs(
        estate,
        None,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
        func="estate_lock_in",
    )
    contrib = inputs.lock_in_contributions
    spend = np.array([point(w.compute_usd_per_month) for w in estate.workloads], dtype=np.float64)
    effort = inputs.person_days[1]
    if spend.sum() > 0:
        weights, how = spend, "compute_usd_per_month"
    elif effort.sum() > 0:
        weights, how = effort, "person_days_mode"
    else:
        weights, how = np.ones(len(estate.workloads)), "equal"
    share = weights / weights.sum() if weights.size else weights
    by_service = share @ contrib if contrib.size else np.zeros(len(inputs.services))
    drivers = pd.DataFrame(
        {
            "units": inputs.units.sum(axis=0),
            "lock_in_weight": inputs.lock_in_weight,
            "contribution": by_service,
        },
        index=pd.Index(list(inputs.services), name="service"),
    ).sort_values("contribution", ascending=False, kind="stable")
    return LockInSummary(score=float(by_service.sum()), drivers=drivers, weighting=how)
