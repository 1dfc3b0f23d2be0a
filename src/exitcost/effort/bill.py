"""The effort side of the exit bill: labour, dual running and stranded commitments.

:func:`exit_bill_lines` gives the three lines ``exitcost demo`` adds to the exit bill, each as
a low / expected / high range in USD with the basis it was computed on. The cost categories are
those of :data:`exitcost.categories.COST_CATEGORIES`.

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
commitments   7000.00       7000.00   7000.00
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from exitcost.effort.catalog import Catalog, EffortDefaults, load_effort_defaults
from exitcost.effort.contracts import stranded_commitments
from exitcost.effort.model import estimate_effort
from exitcost.effort.schedule import plan_schedule

if TYPE_CHECKING:
    from exitcost.estate import Estate

__all__ = ["exit_bill_lines"]


def exit_bill_lines(
    estate: Estate,
    strategies: str | Mapping[str, str] | None = None,
    *,
    exit_month: Any = 0,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
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
    exit_month : date or int
        When the exit takes effect, for stranded commitments: a date or whole months after the
        start of the estate's ``as_of`` month (default 0, the as_of month).

    Returns
    -------
    pandas.DataFrame
        Index ``category`` (``labour``, ``dual_running``, ``commitments``); columns
        ``low_usd``, ``expected_usd``, ``high_usd`` and ``basis``. Low and high put every move
        at the low or high end of its range at once (fully correlated), so they bound the
        programme; :func:`exitcost.effort.sample_programme` gives its distribution. Expected
        values use PERT means.
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
    dual = {
        point: float(
            plan_schedule(estate, strategies, effort=point, **common)["dual_running_usd"].sum()
        )
        for point in ("low", "mean", "high")
    }
    stranded = (
        float(
            stranded_commitments(
                estate, [exit_month], provider=provider, locations=locations, defaults=defaults
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
            float(effort["labour_low_usd"].sum()),
            float(effort["labour_mean_usd"].sum()),
            float(effort["labour_high_usd"].sum()),
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
            f"commitments stranded by {scope} at month {exit_month} after as_of ({estate.as_of})",
        ),
    }
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["low_usd", "expected_usd", "high_usd", "basis"]
    )
    frame.index.name = "category"
    return frame
