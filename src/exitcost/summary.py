"""Deprecated: the stand-alone kernels' exit costs of leaving a provider, in one table.

:func:`exit_cost_summary` puts together what the other modules price: moving the data out
(:func:`exitcost.pricing.exit_bill`: egress, retrieval, requests, early deletion) and the
non-egress half (:func:`exitcost.effort.exit_bill_lines`: re-platforming labour, dual running,
stranded commitments). It adds nothing of its own, so every line can be traced to the function
and the price book or catalog entry behind it.

Deprecated (removed in the next release): it is not the exit bill. The exit bill is the
engine's (:func:`exitcost.exit_case` and ``Simulation.exit_bill``), which follows the move
month by month: the data copied over its path's bandwidth in the source account's tiers
together with the recurring traffic, the waiver only for what moves inside its window,
commitments paid but unused before cut-over. This table keeps the kernels' simpler assumptions
(the data move as the only egress of the months given, commitments used until the exit month,
low and high with every move at one end of its range), so it reports less for the same exit;
its labour and dual running equal the engine's expected ones.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", FutureWarning)
...     bill = exit_cost_summary(sample_estate(), "aws")
>>> list(bill.index)  # doctest: +NORMALIZE_WHITESPACE
['egress', 'retrieval', 'requests', 'early_deletion', 'labour', 'dual_running',
 'commitments', 'total']
>>> low, expected, high = (bill[c] for c in ("low_usd", "expected_usd", "high_usd"))
>>> bool((low <= expected).all() and (expected <= high).all())
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from exitcost._validation import check_bool, check_whole, renamed_parameters, warn_user
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import (
    estimate_effort,
    exit_bill_lines,
    exit_date,
    programme_end_month,
    warnings_once,
)
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate import Estate

if TYPE_CHECKING:
    from exitcost.model import Model
from exitcost.pricing import data_act_applies, data_act_phase, exit_bill, waiver_availability
from exitcost.pricing.books import as_date
from exitcost.units import add_months, month_start, months_between

__all__ = ["SUMMARY_COLUMNS", "exit_cost_summary"]

SUMMARY_COLUMNS = ("low_usd", "expected_usd", "high_usd", "basis")
"""Columns of :func:`exit_cost_summary`."""

_DATA_CATEGORIES = ("egress", "retrieval", "requests", "early_deletion")


_PHASE_ORDER = ("list", "at_cost", "none")
_DATA_ACT_WORDS = {
    "list": "not yet in force (list prices)",
    "at_cost": "switching charges at most at cost",
    "none": "no switching charges",
}


def _waiver_terms(providers: Sequence[str], day: dt.date, requested: bool) -> str:
    """How the data lines treat exit waivers, provider by provider."""
    if not requested:
        return "at list prices"
    availability = {p: waiver_availability(p, day, "internet") for p in providers}
    missing = {p: a.reason for p, a in availability.items() if not a.applies}
    if not missing:
        return "under the exit waiver"
    covered = [p for p in providers if p not in missing]
    return (
        f"exit waiver requested: {'applies to ' + ', '.join(covered) + '; ' if covered else ''}"
        + "; ".join(f"not available for {p} ({reason})" for p, reason in missing.items())
        + ", so list prices"
    )


def _exit_offset(estate: Estate, exit_month: Any, func: str) -> int:
    """Whole months >= 0 from the estate's ``as_of`` month to ``exit_month`` (an int or a date)."""
    offset = -1
    if isinstance(exit_month, int | np.integer) and not isinstance(exit_month, bool):
        offset = int(exit_month)
    elif isinstance(exit_month, str | dt.date | pd.Timestamp | np.datetime64):
        # The same date spellings as the commitments ("2027-06", ISO dates, datetimes).
        try:
            offset = months_between(estate.as_of, exit_date(exit_month, estate.as_of, func))
        except InvalidParameterError:
            offset = -1
    if offset < 0:
        raise InvalidParameterError(
            f"The 'exit_month' parameter of {func} must be whole months >= 0 after the estate's "
            f"as_of month, or a date (ISO text) in or after {estate.as_of:%Y-%m}. "
            f"Got {exit_month!r} instead."
        )
    return offset


@warnings_once()
@renamed_parameters(months="spread_months")
def exit_cost_summary(
    estate: Estate | Model,
    provider: str | Sequence[str] | None = None,
    *,
    exit_waiver: bool = False,
    as_of: Any = None,
    spread_months: int = 1,
    customer_jurisdiction: str | None = None,
    exit_month: Any = None,
    strategies: str | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The one-time bill for leaving ``provider``: data, labour, dual running, commitments.

    Parameters
    ----------
    estate : Estate or Model
        The estate, or a compiled model of it.
    provider : str or sequence of str, optional
        The provider(s) being left (``"aws"``). ``None`` means every cloud provider of the
        estate at once; every line (data, labour, dual running, commitments) has that scope.
    exit_waiver : bool, default False
        Apply the providers' free-egress-on-exit programmes (they cover egress only).
    as_of : date or ISO string, optional
        When the data move starts. Default: ``spread_months`` months before the exit month, so the
        data leaves at the end of the programme, at its size then (datasets grow at their
        ``growth_rate_per_month``), priced with the books and the EU Data Act phase in force
        then (see :func:`exitcost.pricing.exit_bill`).
    spread_months : int, default 1
        Spread the data move evenly over this many billing months (``months`` is its old name,
        kept for one release with a FutureWarning). [months]
    customer_jurisdiction : str, optional
        ``"EU"`` applies the EU Data Act's switching-charge regime on ``as_of``.
    exit_month : date or int, optional
        When the exit takes effect: commitments stop being used then and the data has moved
        by then. A date or whole months after the estate's ``as_of`` month. Default: the end
        of the expected programme (:func:`exitcost.effort.programme_end_month`).
    strategies : str or mapping, optional
        Migration strategy for every workload, or per workload id (see
        :func:`exitcost.effort.estimate_effort`).

    Returns
    -------
    pandas.DataFrame
        Index: the cost categories (egress, retrieval, requests, early_deletion, labour,
        dual_running, commitments) and ``total``. Columns ``low_usd``, ``expected_usd``,
        ``high_usd`` (USD, one-time) and ``basis`` (where each line comes from). The data lines
        are priced from point sizes, so their three columns are equal; labour and dual running
        carry the effort ranges (low and high put every move at the same end of its range).

    Raises
    ------
    InvalidParameterError
        ``provider`` names no cloud provider of the estate; every workload in scope is
        retained (nothing leaves); ``exit_month`` before the estate's month; a data move
        (``as_of`` plus ``spread_months``) that ends after the exit month; a flag that is not a
        bool.
    """
    warn_user(
        "exit_cost_summary is deprecated and will be removed in the next release: it adds up "
        "the stand-alone kernels under simpler assumptions and reports less than the exit bill. "
        "Use exitcost.exit_case(estate, provider).exit_bill or Simulation.exit_bill(plan), the "
        "engine's one exit bill.",
        FutureWarning,
    )
    func = "exit_cost_summary"
    from exitcost.model import Model

    if isinstance(estate, Model):  # a compiled model carries the estate it was built from
        estate = estate.estate
    clouds = sorted({loc.provider for loc in estate.locations if loc.kind == "cloud"})
    chosen = clouds if provider is None else [provider] if isinstance(provider, str) else provider
    unknown = [p for p in chosen if p not in clouds]
    if unknown or not chosen:
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must name cloud providers of the estate "
            f"({format_choices(clouds)}). Got {provider!r} instead."
        )
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    data_act_applies(customer_jurisdiction, func=func)  # an unknown code names this function
    n_months = check_whole(spread_months, name="spread_months", func=func, minimum=1)
    effort = estimate_effort(estate, strategies, provider=chosen)
    retained = effort.index[effort["strategy"] == "retain"].tolist()
    if len(effort) and len(retained) == len(effort):
        raise InvalidParameterError(
            f"{func}: every workload of {', '.join(chosen)} is retained there "
            f"({format_choices(retained)}), so nothing leaves; choose another strategy for "
            "the workloads that move (the 'strategies' parameter or the estate's 'strategy')."
        )
    exit_at = (
        programme_end_month(estate, strategies, provider=chosen)
        if exit_month is None
        else _exit_offset(estate, exit_month, func)
    )
    move_start = (
        add_months(month_start(estate.as_of), max(exit_at - int(n_months), 0))
        if as_of is None
        else as_date(as_of, func=func)
    )
    moved_by = months_between(estate.as_of, move_start) + int(n_months)
    if as_of is not None and moved_by > max(exit_at, int(n_months)):
        raise InvalidParameterError(
            f"The data move of {func} (from {move_start:%Y-%m} over {int(n_months)} month(s)) "
            f"must end by the exit month ({exit_at} months after the estate's "
            f"{estate.as_of:%Y-%m}). Give an earlier 'as_of', fewer 'spread_months' or a later "
            "'exit_month'."
        )
    bill = exit_bill(
        estate,
        as_of=move_start,
        exit_waiver=waive,
        spread_months=int(n_months),
        customer_jurisdiction=customer_jurisdiction,
        provider=chosen,
    )
    terms = [_waiver_terms(chosen, move_start, waive)]
    if data_act_applies(customer_jurisdiction, func=func):
        phases = {
            data_act_phase(add_months(move_start, k), customer_jurisdiction)
            for k in range(int(n_months))
        }
        terms.append(
            f"EU Data Act for a customer in {customer_jurisdiction}: "
            + " then ".join(_DATA_ACT_WORDS[ph] for ph in _PHASE_ORDER if ph in phases)
        )
    basis = (
        f"{len(bill)} datasets of {', '.join(chosen)} moved out over {int(n_months)} month(s) "
        f"from {move_start:%Y-%m} (sizes grown to then), {', '.join(terms)}"
    )
    data_rows = {}
    for category in _DATA_CATEGORIES:
        amount = float(bill[f"{category}_usd"].sum())
        data_rows[category] = {
            "low_usd": amount,
            "expected_usd": amount,
            "high_usd": amount,
            "basis": basis,
        }
    timing: dict[str, Any] = {} if exit_month is None else {"exit_month": exit_at}
    lines = exit_bill_lines(estate, strategies, provider=chosen, **timing)
    if retained:
        lines.loc["commitments", "basis"] = str(lines.loc["commitments", "basis"]) + (
            f"; {len(retained)} workload(s) retained at the provider keep using its commitments, "
            "so this is an upper bound"
        )

    rows = pd.concat(
        [pd.DataFrame.from_dict(data_rows, orient="index"), lines[list(SUMMARY_COLUMNS)]]
    )
    order = [c for c in COST_CATEGORIES if c in rows.index]
    rows = rows.loc[order]
    money = list(SUMMARY_COLUMNS[:3])
    total = rows[money].sum()
    rows.loc["total", money] = total
    rows.loc["total", "basis"] = "sum of the lines above"
    rows.index.name = "category"
    result = rows.astype(dict.fromkeys(money, float))
    result.attrs = dict(bill.attrs)  # provenance of the data lines: books and labels
    return result
