"""The effort side of the exit bill: labour, dual running and stranded commitments.

:func:`exit_bill_lines` gives the three lines ``exitcost demo`` adds to the exit bill, each as
a low / expected / high range in USD with the basis it was computed on. The cost categories are
those of :data:`exitcost.categories.COST_CATEGORIES`.

Commitments are stranded when the exit takes effect, by default at the end of the expected
programme (the workloads run at the provider, and use its commitments, until they have moved;
counting those months as stranded as well would charge them twice). The ``basis`` column says
which month was used.

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
...                    "compute_usd_per_month": 2000}],
...     "contracts": [{"id": "sp", "kind": "savings_plan", "provider": "aws",
...                    "usd_per_month": 500, "start": "2026-01-01", "end": "2027-12-31"}]})
>>> bill = exit_bill_lines(estate)
>>> bill[["low_usd", "expected_usd", "high_usd"]].round(2)
              low_usd  expected_usd  high_usd
category
labour        5600.00      10266.67  24000.00
dual_running  1656.84       2730.88   4997.89
commitments   6500.00       6500.00   6500.00
>>> print(bill.loc["commitments", "basis"])        # 13 months (Dec 2026 - Dec 2027) x $500
commitments stranded by the whole estate, taking effect at month 1 after the start of the as_of
month, the end of the expected programme (0.7 months, rounded up); as_of 2026-11-27; minimum
spend net of other commitments with the provider
>>> float(exit_bill_lines(estate, exit_month="2026-11-01").loc["commitments", "expected_usd"])
7000.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from exitcost.effort._warnings import once_per_call
from exitcost.effort.catalog import Catalog, EffortDefaults, load_effort_defaults
from exitcost.effort.contracts import stranded_commitments
from exitcost.effort.model import estimate_effort
from exitcost.effort.schedule import plan_schedule
from exitcost.errors import InvalidParameterError

if TYPE_CHECKING:
    from exitcost.estate import Estate

__all__ = ["exit_bill_lines", "programme_end_month"]


def _programme_end_offset(moves: pd.DataFrame) -> tuple[int, float]:
    """Month offset at which the expected programme ends (ceil of its length) and the length."""
    months = float(moves["end_month"].max()) if len(moves) else 0.0
    return int(np.ceil(months - 1e-9)) if months > 0 else 0, months


@once_per_call
def programme_end_month(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> int:
    """Whole months after the start of the estate's ``as_of`` month when the exit ends.

    The expected programme's length (PERT-mean effort under team capacity, see
    :func:`exitcost.effort.plan_schedule`), rounded up: the default month at which an exit takes
    effect for stranded commitments, and before which the data moves.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> programme_end_month(sample_estate(), provider="azure") >= 1
    True
    """
    plan = plan_schedule(
        estate,
        strategies,
        effort="mean",
        catalog=catalog,
        defaults=defaults,
        on_unknown=on_unknown,
        provider=provider,
        locations=locations,
    )
    return _programme_end_offset(plan)[0]


def _exit_label(exit_month: Any) -> str:
    if isinstance(exit_month, int | np.integer) and not isinstance(exit_month, bool):
        return f"month {int(exit_month)} after the start of the as_of month"
    return f"{exit_month!s}"


@once_per_call
def exit_bill_lines(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    exit_month: Any = None,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    remaining_spend_usd_per_month: Mapping[str, float] | None = None,
    minimum_spend_offset: bool = True,
    catalog: Catalog | None = None,
    defaults: EffortDefaults | None = None,
    on_unknown: Literal["default", "raise"] = "default",
) -> pd.DataFrame:
    """Labour, dual-running and stranded-commitment lines of an estate's exit bill.

    Parameters
    ----------
    estate : Estate
        The estate.
    strategies, catalog, defaults, on_unknown
        As for :func:`exitcost.effort.estimate_effort`.
    provider, locations : str or sequence of str, optional
        Scope of the exit (``provider="aws"``): labour and dual running of the workloads at those
        locations, commitments that exit strands (see :func:`exitcost.effort.exit_scope`).
        ``None`` (both) is the whole estate.
    exit_month : date, str or int, optional
        When the exit takes effect, for stranded commitments: a date (or ISO string) or whole
        months >= 0 after the start of the estate's ``as_of`` month. Default: the end of the
        expected programme for the scope, ``ceil`` of the schedule's programme months (PERT-mean
        effort, see :func:`exitcost.effort.plan_schedule`): until then the workloads still run
        at the provider and use their commitments. The ``basis`` says which month was used.
    remaining_spend_usd_per_month, minimum_spend_offset
        As for :func:`exitcost.effort.stranded_commitments`.

    Returns
    -------
    pandas.DataFrame
        Index ``category`` (``labour``, ``dual_running``, ``commitments``); columns
        ``low_usd``, ``expected_usd``, ``high_usd`` and ``basis``. Low and high put every move
        at the low or high end of its range at once (fully correlated), so they bound the
        programme; :func:`exitcost.effort.sample_programme` gives its distribution. Expected
        values use PERT means. Commitments are one figure, at the exit month above (a shorter
        programme strands more, a longer one less: see
        :func:`exitcost.effort.stranded_by_exit_month`). An exit of data only (no workloads in
        scope) has no labour or dual running and takes effect at month 0.
    """
    defaults = load_effort_defaults() if defaults is None else defaults
    common: dict[str, Any] = {
        "catalog": catalog,
        "defaults": defaults,
        "on_unknown": on_unknown,
        "provider": provider,
        "locations": locations,
    }
    effort = estimate_effort(estate, strategies, **common)
    plans = {
        point: plan_schedule(estate, strategies, effort=point, **common)
        for point in ("low", "mean", "high")
    }
    with np.errstate(over="ignore", invalid="ignore"):
        dual = {point: float(plan["dual_running_usd"].sum()) for point, plan in plans.items()}
        labour = [float(effort[f"labour_{p}_usd"].sum()) for p in ("low", "mean", "high")]
    for line, values, field in (
        ("labour", labour, "teams' usd_per_person_day and workload sizes"),
        ("dual_running", list(dual.values()), "workloads' compute_usd_per_month"),
    ):
        if not np.isfinite(values).all():
            raise InvalidParameterError(
                f"The {line!r} line of exit_bill_lines must add up within float64 range; check "
                f"the {field}. Got a total of {max(values)!r} USD instead."
            )
    if exit_month is None:
        exit_month, months = _programme_end_offset(plans["mean"])
        when = (
            f"{_exit_label(exit_month)}, the end of the expected programme "
            f"({months:.1f} months, rounded up)"
        )
    else:
        when = f"{_exit_label(exit_month)} (given)"
    stranded = (
        float(
            stranded_commitments(
                estate,
                exit_month,
                provider=provider,
                locations=locations,
                remaining_spend_usd_per_month=remaining_spend_usd_per_month,
                minimum_spend_offset=minimum_spend_offset,
                defaults=defaults,
            )["stranded_usd"].sum()
        )
        if estate.contracts
        else 0.0
    )
    scope = (
        "the whole estate"
        if provider is None and locations is None
        else "an exit from "
        + ", ".join(
            [
                *([provider] if isinstance(provider, str) else (provider or [])),
                *([locations] if isinstance(locations, str) else (locations or [])),
            ]
        )
    )
    rows = {
        "labour": (
            *labour,
            f"person-days x team day rate for {scope}; 7 Rs base effort (per instance plus "
            "COCOMO II reuse model on adapted code) plus catalog service effort",
        ),
        "dual_running": (
            dual["low"],
            dual["mean"],
            dual["high"],
            "move duration under team capacity plus hypercare, x monthly run cost x "
            f"{defaults.dual_running.cost_factor:g}",
        ),
        "commitments": (
            stranded,
            stranded,
            stranded,
            f"commitments stranded by {scope}, taking effect at {when}; as_of {estate.as_of}; "
            + (
                "minimum spend net of other commitments with the provider"
                if minimum_spend_offset
                else "minimum spend owed in full (offset off)"
            ),
        ),
    }
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["low_usd", "expected_usd", "high_usd", "basis"]
    )
    frame.index.name = "category"
    return frame
