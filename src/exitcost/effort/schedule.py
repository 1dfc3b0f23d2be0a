"""Schedule of an exit programme: how long each move takes, and the cost of dual running.

The model is a lane schedule, deliberately simple and explained:

* each team works through its moves in priority order (smallest first by default, as AWS
  advises for early waves) and never spends more than ``capacity_person_days_per_month`` in any
  month;
* one move absorbs at most ``max_person_days_per_month_per_move`` (a migration team of six,
  19 person-days per person-month: 114), and never more than its team's capacity;
* the team's capacity is split into equal *lanes* that run one move at a time, each at a
  constant rate; moves are dealt to the lanes in priority order (first to lane 0, second to
  lane 1, ...) and follow each other within a lane. With ``k = capacity / max per move`` the
  team runs either ``floor(k)`` lanes at the full per-move rate or ``ceil(k)`` lanes sharing the
  whole capacity (below the per-move rate), whichever ends the team's moves sooner; a team with
  ``k <= 1`` runs one lane at its capacity;
* a move's duration is ``effort / lane rate`` (at least ``effort / min(max per move,
  capacity)``), it starts when the move before it in its lane ends, and the programme lasts
  until the last move ends: at least ``total effort / capacity`` and the longest single move,
  at most all moves one after another.

Old and new run side by side from the start of a move until the end of its hypercare period
(months from the data file, by workload kind); the dual-running cost is those months times the
workload's monthly run cost times a cost factor (1.0 by default). Retained and retired
workloads do not dual-run.

Examples
--------
>>> import numpy as np
>>> s = schedule_moves([100.0, 100.0], [0, 0], [100.0], max_person_days_per_month_per_move=50.0)
>>> s["duration_months"], s["end_month"]
(array([2., 2.]), array([2., 2.]))
>>> float(s["programme_months"])
2.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost._validation import as_array, first_bad
from exitcost.effort._warnings import once_per_call
from exitcost.effort.catalog import Catalog, EffortDefaults, ThreePoint, load_effort_defaults
from exitcost.effort.model import EffortInputs, sample_pert, scoped_inputs, text_column
from exitcost.errors import InvalidParameterError, format_choices, short_repr
from exitcost.uncertainty import point, three_point_mean

if TYPE_CHECKING:
    from exitcost.estate import Estate

__all__ = [
    "dual_running_cost",
    "plan_schedule",
    "sample_programme",
    "schedule_moves",
    "schedule_summary",
]

FloatArray = npt.NDArray[np.float64]
_NO_TEAM = "(no team)"


def schedule_moves(
    effort_person_days: Any,
    team_index: Any,
    capacity_person_days_per_month: Any,
    *,
    max_person_days_per_month_per_move: float | None = None,
    priority: Any = None,
) -> dict[str, FloatArray]:
    """Start, duration and end of each move under team capacity (lane schedule, see above).

    Parameters
    ----------
    effort_person_days : array-like, shape (..., n_moves)
        Effort of each move; leading axes (scenarios) broadcast. [person-days]
    team_index : array-like of int, shape (n_moves,)
        Team of each move, an index into ``capacity_person_days_per_month``.
    capacity_person_days_per_month : array-like, shape (n_teams,)
        What each team can spend per month, > 0 for a team with work. [person-days per month]
    max_person_days_per_month_per_move : float, optional
        Most one move can absorb per month. Default from the data file (6 people x 19 days).
    priority : array-like, shape (n_moves,), optional
        Order within a team (lower first; ties keep input order). Default: input order.

    Returns
    -------
    dict of numpy.ndarray
        ``start_month``, ``duration_months``, ``end_month`` (shape of the effort) and
        ``programme_months`` (the leading axes: the last end, 0 without moves). [months]

    Raises
    ------
    InvalidParameterError
        Negative or non-finite effort or capacity, a bad team index, or a team with work but no
        capacity.

    Examples
    --------
    >>> s = schedule_moves([[10.0, 100.0]], [0, 0], [50.0],
    ...                    max_person_days_per_month_per_move=50.0)
    >>> s["start_month"], s["end_month"], s["programme_months"]
    (array([[0. , 0.2]]), array([[0.2, 2.2]]), array([2.2]))
    """
    func = "schedule_moves"
    effort = as_array(effort_person_days, name="effort_person_days", func=func)
    capacity = np.atleast_1d(
        as_array(capacity_person_days_per_month, name="capacity_person_days_per_month", func=func)
    )
    if max_person_days_per_month_per_move is None:
        max_person_days_per_month_per_move = (
            load_effort_defaults().schedule.max_person_days_per_month_per_move
        )
    cap_move = float(
        as_array(
            max_person_days_per_month_per_move,
            name="max_person_days_per_month_per_move",
            func=func,
            exclusive_minimum=True,
        )
    )
    effort = np.atleast_1d(effort)
    n = effort.shape[-1]
    teams = np.asarray(team_index)
    if teams.shape != (n,) or (n and not np.issubdtype(teams.dtype, np.integer)):
        raise InvalidParameterError(
            f"The 'team_index' parameter of {func} must be {n} integers, one per move. "
            f"Got {team_index!r} instead."
        )
    teams = teams.astype(np.intp)
    if n and (teams.min() < 0 or teams.max() >= capacity.size):
        raise InvalidParameterError(
            f"The 'team_index' parameter of {func} must index the {capacity.size} capacities "
            f"(0 to {capacity.size - 1}). Got {team_index!r} instead."
        )
    team_cap = capacity[teams] if n else np.zeros(0)
    busy = (effort > 0) & (team_cap == 0)
    if busy.any():
        i = int(np.argwhere(busy)[0][-1])
        raise InvalidParameterError(
            f"The 'capacity_person_days_per_month' parameter of {func} must be > 0 for a team "
            f"with work. Got 0 for team index {int(teams[i])} (move {i}) instead."
        )
    prio = (
        np.arange(n, dtype=np.float64)
        if priority is None
        else as_array(priority, name="priority", func=func, minimum=None)
    )
    if prio.shape != (n,):
        raise InvalidParameterError(
            f"The 'priority' parameter of {func} must have one value per move ({n}). "
            f"Got {priority!r} instead."
        )
    out = _fluid_schedule(effort, teams, capacity, cap_move, prio)
    bad = ~np.isfinite(out["end_month"])
    if bad.any():
        i = int(np.argwhere(bad)[0][-1])
        raise InvalidParameterError(
            f"The 'capacity_person_days_per_month' parameter of {func} must give durations "
            f"within float64 range. Got {float(team_cap[i])!r} for team index {int(teams[i])} "
            f"(move {i}, effort up to {float(effort[..., i].max())!r} person-days) instead."
        )
    return out


def _fluid_schedule(
    effort: FloatArray,
    teams: npt.NDArray[np.intp],
    capacity: FloatArray,
    cap_move: float,
    prio: FloatArray,
) -> dict[str, FloatArray]:
    """The lane schedule on checked inputs (inf where durations overflow, no warnings)."""
    n = effort.shape[-1]
    if n == 0:
        empty = np.zeros(effort.shape, dtype=np.float64)
        return {
            "start_month": empty,
            "duration_months": empty.copy(),
            "end_month": empty.copy(),
            "programme_months": np.zeros(effort.shape[:-1]),
        }
    safe_cap = np.where(capacity > 0, capacity, 1.0)
    with np.errstate(over="ignore"):
        k = safe_cap / cap_move  # moves a team could run at the full per-move rate
    counts = np.bincount(teams, minlength=capacity.size).astype(np.float64)
    rank = _rank_in_team(teams, prio)
    full = np.where(k >= 1.0, np.floor(k), 1.0)
    shared = np.where(k >= 1.0, np.ceil(k), 1.0)
    a = _lanes(effort, teams, rank, prio, np.minimum(full, counts), np.minimum(cap_move, safe_cap))
    b = _lanes(effort, teams, rank, prio, np.minimum(shared, counts), safe_cap / shared)
    # Per team and scenario, the option that ends the team's moves sooner (ties: full rate).
    by_team = np.argsort(teams, kind="stable")
    present, first = np.unique(teams[by_team], return_index=True)
    ends_a = np.maximum.reduceat(a[2][..., by_team], first, axis=-1)
    ends_b = np.maximum.reduceat(b[2][..., by_team], first, axis=-1)
    use_b = (ends_b < ends_a)[..., np.searchsorted(present, teams)]
    start, duration, end = (np.where(use_b, y, x) for x, y in zip(a, b, strict=True))
    return {
        "start_month": start,
        "duration_months": duration,
        "end_month": end,
        "programme_months": np.asarray(end.max(axis=-1), dtype=np.float64),
    }


def _rank_in_team(teams: npt.NDArray[np.intp], prio: FloatArray) -> npt.NDArray[np.intp]:
    """Position of each move in its team's priority order (ties keep input order)."""
    n = teams.size
    order = np.lexsort((np.arange(n), prio, teams))
    first = np.searchsorted(teams[order], teams[order], side="left")
    rank = np.empty(n, dtype=np.intp)
    rank[order] = np.arange(n) - first
    return rank


def _lanes(
    effort: FloatArray,
    teams: npt.NDArray[np.intp],
    rank: npt.NDArray[np.intp],
    prio: FloatArray,
    lanes: FloatArray,
    rate: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Start, duration, end with moves dealt round-robin to ``lanes`` lanes of ``rate`` a team."""
    n = teams.size
    lane = np.mod(rank, lanes[teams]).astype(np.intp)  # lanes <= moves in the team: small
    group = teams * n + lane
    order = np.lexsort((np.arange(n), prio, group))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(n)
    first = np.searchsorted(group[order], group[order], side="left")
    e_sorted = effort[..., order]
    move_rate = rate[teams]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        cs = np.cumsum(e_sorted, axis=-1)
        # Running totals within each lane (sorted by lane, so the lane's first move offsets).
        cumulative = (cs - cs[..., first] + e_sorted[..., first])[..., inverse]
        duration = effort / move_rate
        end = np.where(effort > 0, cumulative / move_rate, 0.0)
        end = np.where(np.isnan(end), np.inf, end)
        start = end - duration
    return (
        np.asarray(start, dtype=np.float64),
        np.asarray(duration, dtype=np.float64),
        np.asarray(end, dtype=np.float64),
    )


def dual_running_cost(
    duration_months: Any,
    hypercare_months: Any,
    run_usd_per_month: Any,
    *,
    cost_factor: Any = None,
    applies: Any = True,
) -> dict[str, FloatArray]:
    """Months and cost of running old and new side by side.

    Parameters
    ----------
    duration_months : array-like
        Duration of each move (0 for no move). [months]
    hypercare_months : array-like
        Months the old side keeps running after cut-over. [months]
    run_usd_per_month : array-like
        Monthly run cost of the old side. [USD per month]
    cost_factor : float, optional
        Share of the run cost paid again while both run. Default from the data file (1.0).
    applies : array-like of bool
        False where the strategy does not dual-run (retain, retire).

    Returns
    -------
    dict of numpy.ndarray
        ``dual_running_months`` and ``dual_running_usd`` (broadcast shape).

    Examples
    --------
    >>> d = dual_running_cost([2.0, 0.0], 0.5, [1000.0, 500.0], cost_factor=1.0)
    >>> d["dual_running_months"], d["dual_running_usd"]
    (array([2.5, 0. ]), array([2500.,    0.]))
    """
    func = "dual_running_cost"
    duration = as_array(duration_months, name="duration_months", func=func)
    hypercare = as_array(hypercare_months, name="hypercare_months", func=func)
    run = as_array(run_usd_per_month, name="run_usd_per_month", func=func)
    if cost_factor is None:
        cost_factor = load_effort_defaults().dual_running.cost_factor
    factor = as_array(cost_factor, name="cost_factor", func=func)
    if np.asarray(applies).dtype != np.bool_:
        raise InvalidParameterError(
            f"The 'applies' parameter of {func} must be a bool or an array of bools. "
            f"Got {short_repr(applies)} instead."
        )
    out = _dual_running(duration, hypercare, run, factor, applies)
    bad = ~np.isfinite(out["dual_running_usd"])
    if bad.any():
        i, where = first_bad(bad)
        raise InvalidParameterError(
            f"The 'run_usd_per_month' parameter of {func} must give a cost within float64 range "
            f"over the dual-running months. Got "
            f"{float(np.broadcast_to(run, bad.shape)[i])!r} USD per month for "
            f"{float(out['dual_running_months'][i])!r} months{where} instead."
        )
    return out


def _dual_running(
    duration: Any, hypercare: Any, run: Any, factor: Any, applies: Any
) -> dict[str, FloatArray]:
    """Dual-running months and cost on checked inputs (inf where the cost overflows)."""
    mask = np.asarray(applies, dtype=bool) & (np.asarray(duration) > 0)
    with np.errstate(over="ignore", invalid="ignore"):
        months = np.where(mask, duration + hypercare, 0.0)
        cost = np.where(months > 0, months * run * factor, 0.0)
    return {
        "dual_running_months": np.asarray(months, dtype=np.float64),
        "dual_running_usd": np.asarray(cost, dtype=np.float64),
    }


def _by_workload(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Points or scenarios (workloads last) as rows of workloads, shape (rows, n_workloads).

    Unlike ``reshape(-1, n)`` this works without workloads (an exit of data only).
    """
    values = np.atleast_1d(values)
    return values.reshape(math.prod(values.shape[:-1]), values.shape[-1])


def _estate_schedule(
    estate: Estate,
    person_days: FloatArray,
    names: Sequence[str],
    caps: FloatArray,
    index: npt.NDArray[np.intp],
    defaults: EffortDefaults,
    priority: Any,
    func: str,
) -> dict[str, FloatArray]:
    """:func:`schedule_moves` for an estate, with errors naming teams, workloads and fields."""
    busy = _by_workload(np.asarray(person_days > 0)).any(axis=0)
    for i in (int(k) for k in np.flatnonzero(busy)):
        cap = float(caps[index[i]])
        if not (np.isfinite(cap) and cap > 0):
            raise InvalidParameterError(
                _capacity_problem(
                    estate, names, index, i, cap, func, "a finite number > 0 of person-days"
                )
            )
    prio = np.arange(len(estate.workloads), dtype=np.float64) if priority is None else priority
    sched = _fluid_schedule(
        np.asarray(person_days, dtype=np.float64),
        index,
        np.asarray(caps, dtype=np.float64),
        defaults.schedule.max_person_days_per_month_per_move,
        np.asarray(prio, dtype=np.float64),
    )
    bad = ~_by_workload(np.isfinite(sched["end_month"])).all(axis=0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidParameterError(
            _capacity_problem(
                estate,
                names,
                index,
                i,
                float(caps[index[i]]),
                func,
                f"large enough for the duration of a move of "
                f"{float(np.max(person_days[..., i]))!r} person-days to fit in float64",
            )
        )
    return sched


def _capacity_problem(
    estate: Estate,
    names: Sequence[str],
    index: npt.NDArray[np.intp],
    i: int,
    cap: float,
    func: str,
    constraint: str,
) -> str:
    team = names[int(index[i])]
    if team == _NO_TEAM:
        where = (
            "the default migration team (schedule.default_team_capacity_person_days_per_month "
            "in the effort defaults)"
        )
    else:
        position = [t.id for t in estate.teams].index(team)
        where = f"team {team!r} (teams[{position}].capacity_person_days_per_month)"
    return (
        f"The capacity of {where} in {func} must be {constraint} to move workload "
        f"{estate.workloads[i].id!r}. Got {cap!r} person-days per month instead."
    )


def _estate_dual_running(
    estate: Estate,
    duration: FloatArray,
    hypercare: FloatArray,
    run: FloatArray,
    defaults: EffortDefaults,
    applies: npt.NDArray[np.bool_],
    func: str,
) -> dict[str, FloatArray]:
    """:func:`dual_running_cost` for an estate, with errors naming the workload and field."""
    dual = _dual_running(duration, hypercare, run, defaults.dual_running.cost_factor, applies)
    bad = ~_by_workload(np.isfinite(dual["dual_running_usd"])).all(axis=0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidParameterError(
            f"The dual-running cost of workload {estate.workloads[i].id!r} in {func} must be "
            "within float64 range; it is its 'compute_usd_per_month' x the months old and new "
            f"run side by side. Got compute_usd_per_month={float(run[i])!r} for up to "
            f"{float(np.max(dual['dual_running_months'][..., i]))!r} months instead."
        )
    return dual


def _teams(
    estate: Estate, defaults: EffortDefaults, *, all_teams: bool = False
) -> tuple[list[str], FloatArray, Any]:
    names = [t.id for t in estate.teams]
    caps = [t.capacity_person_days_per_month for t in estate.teams]
    if all_teams or any(w.team is None for w in estate.workloads):
        names.append(_NO_TEAM)
        caps.append(defaults.schedule.default_team_capacity_person_days_per_month)
    position = {name: i for i, name in enumerate(names)}
    index = np.array(
        [position[w.team if w.team is not None else _NO_TEAM] for w in estate.workloads],
        dtype=np.intp,
    )
    return names, np.asarray(caps, dtype=np.float64), index


def _hypercare_ranges(estate: Estate, defaults: EffortDefaults) -> list[ThreePoint]:
    """The hypercare range of each workload, by its kind."""
    return [defaults.dual_running.hypercare_months.for_kind(w.kind) for w in estate.workloads]


def _programme(
    estate: Estate,
    inputs: EffortInputs,
    defaults: EffortDefaults,
    person_days: FloatArray,
    care: FloatArray,
    priority: Any,
    func: str,
) -> tuple[list[str], npt.NDArray[np.intp], dict[str, FloatArray], dict[str, FloatArray], Any]:
    """Schedule and dual running of an estate's moves (points or scenarios, workloads last).

    Returns the team names, each workload's team index, the schedule, the dual running and the
    workloads' monthly run cost.
    """
    names, caps, index = _teams(estate, defaults)
    sched = _estate_schedule(estate, person_days, names, caps, index, defaults, priority, func)
    run = np.array([point(w.compute_usd_per_month) for w in estate.workloads], dtype=np.float64)
    applies = np.asarray(
        [defaults.strategies[s].dual_running for s in inputs.strategies],  # type: ignore[index]
        dtype=np.bool_,
    )
    dual = _estate_dual_running(
        estate, sched["duration_months"], care, run, defaults, applies, func
    )
    return names, index, sched, dual, run


def _check_choice(value: str, name: str, choices: list[str], func: str) -> None:
    if value not in choices:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be one of {format_choices(choices)}. "
            f"Got {value!r} instead."
        )


@once_per_call
def plan_schedule(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    effort: Literal["mode", "mean", "low", "high"] = "mean",
    order: Literal["smallest_first", "estate"] = "smallest_first",
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> pd.DataFrame:
    """Point schedule of an estate's exit: each move's months and its dual-running cost.

    Parameters
    ----------
    estate : Estate
        The estate (workloads, teams and their capacity).
    strategies, provider, locations, catalog, defaults, on_unknown
        As for :func:`exitcost.effort.estimate_effort` (``provider`` and ``locations`` scope the
        exit; ``None`` is the whole estate).
    effort : {"mean", "mode", "low", "high"}
        Which point of each effort range to schedule (PERT mean by default).
    order : {"smallest_first", "estate"}
        Order of moves within a team: smallest effort first (AWS: early waves hold few,
        low-complexity applications) or estate order.

    Returns
    -------
    pandas.DataFrame
        One row per workload in scope (index ``workload``): ``team``, ``strategy``,
        ``person_days``,
        ``start_month``, ``duration_months``, ``end_month``, ``hypercare_months``,
        ``dual_running_months``, ``run_usd_per_month``, ``dual_running_usd``. The programme's
        length is ``end_month.max()``. An exit with no workloads in scope (data only, such as
        an archive bucket) gives an empty frame: no programme, no dual running.

    Examples
    --------
    >>> from exitcost.estate import Estate
    >>> estate = Estate.from_dict({
    ...     "name": "demo", "as_of": "2026-11-27",
    ...     "locations": [{"id": "aws:us-east-1", "kind": "cloud",
    ...                    "continent": "north_america", "jurisdiction": "US"}],
    ...     "teams": [{"id": "core", "usd_per_person_day": 800,
    ...                "capacity_person_days_per_month": 19}],
    ...     "workloads": [{"id": "web", "location": "aws:us-east-1", "team": "core",
    ...                    "kind": "web", "instances": 4, "strategy": "rehost",
    ...                    "compute_usd_per_month": 2000}]})
    >>> row = plan_schedule(estate, effort="mode").loc["web"]
    >>> float(row.person_days), round(float(row.duration_months), 3)    # 4 x 2.5 pd, 19 pd/month
    (10.0, 0.526)
    >>> round(float(row.dual_running_months), 3), round(float(row.dual_running_usd), 2)
    (1.216, 2432.63)
    """
    func = "plan_schedule"
    _check_choice(effort, "effort", ["mean", "mode", "low", "high"], func)
    _check_choice(order, "order", ["smallest_first", "estate"], func)
    defaults = load_effort_defaults() if defaults is None else defaults
    estate, inputs = scoped_inputs(
        estate,
        strategies,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
        func=func,
    )
    lo, mo, hi = inputs.person_days
    person_days = {"low": lo, "mode": mo, "high": hi, "mean": three_point_mean(lo, mo, hi)}[effort]
    care = np.array(
        [
            {"mode": r.mode, "low": r.low, "high": r.high, "mean": r.pert_mean()}[effort]
            for r in _hypercare_ranges(estate, defaults)
        ],
        dtype=np.float64,
    )
    priority = mo if order == "smallest_first" else None
    names, index, sched, dual, run = _programme(
        estate, inputs, defaults, person_days, care, priority, func
    )
    return pd.DataFrame(
        {
            "team": text_column([names[i] for i in index]),
            "strategy": text_column(inputs.strategies),
            "person_days": person_days,
            "start_month": sched["start_month"],
            "duration_months": sched["duration_months"],
            "end_month": sched["end_month"],
            "hypercare_months": np.where(dual["dual_running_months"] > 0, care, 0.0),
            "dual_running_months": dual["dual_running_months"],
            "run_usd_per_month": run,
            "dual_running_usd": dual["dual_running_usd"],
        },
        index=pd.Index(list(inputs.workloads), name="workload"),
    )


@once_per_call
def schedule_summary(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Programme summary per team and overall (for reports and ``exitcost demo``).

    Parameters
    ----------
    estate, strategies, **kwargs
        As for :func:`plan_schedule`.

    Returns
    -------
    pandas.DataFrame
        One row per team with a workload in scope, plus ``"all"`` (index ``team``):
        ``workloads``, ``person_days``, ``capacity_person_days_per_month`` (for ``"all"``: of
        the teams listed), ``programme_months`` (last end), ``dual_running_usd``.
    """
    moves = plan_schedule(estate, strategies, **kwargs)
    defaults = kwargs.get("defaults") or load_effort_defaults()
    names, caps, _ = _teams(estate, defaults, all_teams=True)
    capacity = dict(zip(names, caps, strict=True))
    involved = sorted(set(moves["team"]))
    grouped = moves.groupby("team", sort=True).agg(
        workloads=("person_days", "size"),
        person_days=("person_days", "sum"),
        programme_months=("end_month", "max"),
        dual_running_usd=("dual_running_usd", "sum"),
    )
    grouped.insert(2, "capacity_person_days_per_month", [capacity[t] for t in grouped.index])
    total = pd.DataFrame(
        {
            "workloads": [len(moves)],
            "person_days": [moves["person_days"].sum()],
            "capacity_person_days_per_month": [float(sum(capacity[t] for t in involved))],
            "programme_months": [moves["end_month"].max() if len(moves) else 0.0],
            "dual_running_usd": [moves["dual_running_usd"].sum()],
        },
        index=pd.Index(["all"], name="team"),
    )
    return pd.concat([grouped, total])


@once_per_call
def sample_programme(
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
) -> dict[str, FloatArray]:
    """Sampled exit programme: effort, labour, durations and dual running per scenario.

    Efforts and hypercare months are PERT draws of their ranges; the schedule and the costs are
    computed for every scenario at once. Parameters as for :func:`plan_schedule`; ``n`` scenarios
    drawn with the seeded ``rng``, workloads overrunning ``correlation``-wise (see
    :func:`exitcost.effort.sample_pert`).

    Returns
    -------
    dict of numpy.ndarray
        ``person_days``, ``labour_usd``, ``duration_months``, ``end_month``,
        ``dual_running_months``, ``dual_running_usd`` with shape (n, n_workloads in scope), and
        ``programme_months`` with shape (n,).

    Examples
    --------
    >>> import numpy as np
    >>> from exitcost.estate import Estate
    >>> estate = Estate.from_dict({
    ...     "name": "demo", "as_of": "2026-11-27",
    ...     "locations": [{"id": "aws:us-east-1", "kind": "cloud",
    ...                    "continent": "north_america", "jurisdiction": "US"}],
    ...     "workloads": [{"id": "web", "location": "aws:us-east-1", "instances": 4,
    ...                    "compute_usd_per_month": 2000}]})
    >>> out = sample_programme(estate, 500, np.random.default_rng(1))
    >>> out["person_days"].shape, out["programme_months"].shape
    ((500, 1), (500,))
    >>> bool((out["person_days"] >= 7.0).all() and (out["person_days"] <= 30.0).all())
    True
    """
    defaults = load_effort_defaults() if defaults is None else defaults
    estate, inputs = scoped_inputs(
        estate,
        strategies,
        provider=provider,
        locations=locations,
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
        func="sample_programme",
    )
    lo, mo, hi = inputs.person_days
    person_days = sample_pert(lo, mo, hi, n, rng, correlation=correlation)
    ranges = _hypercare_ranges(estate, defaults)
    care = sample_pert(
        [r.low for r in ranges], [r.mode for r in ranges], [r.high for r in ranges], n, rng
    ).reshape(person_days.shape)
    _, _, sched, dual, _ = _programme(
        estate, inputs, defaults, person_days, care, mo, "sample_programme"
    )
    return {
        "person_days": person_days,
        "labour_usd": person_days * inputs.usd_per_person_day,
        "duration_months": sched["duration_months"],
        "end_month": sched["end_month"],
        "programme_months": sched["programme_months"],
        **dual,
    }
