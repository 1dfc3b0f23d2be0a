"""The one-time exit bill of leaving a provider, every cost category in one table.

:func:`exit_cost_summary` puts together what the other modules price: moving the data out
(:func:`exitcost.pricing.exit_bill`: egress, retrieval, requests, early deletion) and the
non-egress half (:func:`exitcost.effort.exit_bill_lines`: re-platforming labour, dual running,
stranded commitments). It adds nothing of its own, so every line can be traced to the function
and the price book or catalog entry behind it.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> bill = exit_cost_summary(sample_estate(), "aws")
>>> list(bill.index)  # doctest: +NORMALIZE_WHITESPACE
['egress', 'retrieval', 'requests', 'early_deletion', 'labour', 'dual_running',
 'commitments', 'total']
>>> low, expected, high = (bill[c] for c in ("low_usd", "expected_usd", "high_usd"))
>>> bool((low <= expected).all() and (expected <= high).all())
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from exitcost.categories import COST_CATEGORIES
from exitcost.effort import exit_bill_lines, programme_end_month
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate import Estate
from exitcost.pricing import exit_bill
from exitcost.pricing.books import as_date
from exitcost.units import add_months, month_start, months_between

__all__ = ["SUMMARY_COLUMNS", "exit_cost_summary"]

SUMMARY_COLUMNS = ("low_usd", "expected_usd", "high_usd", "basis")
"""Columns of :func:`exit_cost_summary`."""

_DATA_CATEGORIES = ("egress", "retrieval", "requests", "early_deletion")


def _exit_offset(estate: Estate, exit_month: Any) -> int:
    """Whole months from the estate's ``as_of`` month to ``exit_month`` (an int or a date)."""
    if isinstance(exit_month, int) and not isinstance(exit_month, bool):
        return exit_month
    return months_between(estate.as_of, as_date(exit_month, name="exit_month"))


def exit_cost_summary(
    estate: Estate,
    provider: str | Sequence[str] | None = None,
    *,
    exit_waiver: bool = False,
    as_of: Any = None,
    months: int = 1,
    customer_jurisdiction: str | None = None,
    exit_month: Any = None,
    strategies: str | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The one-time bill for leaving ``provider``: data, labour, dual running, commitments.

    Parameters
    ----------
    estate : Estate
        The estate.
    provider : str or sequence of str, optional
        The provider(s) being left (``"aws"``). ``None`` prices leaving every cloud location
        of the estate at once.
    exit_waiver : bool, default False
        Apply the providers' free-egress-on-exit programmes (they cover egress only).
    as_of : date or ISO string, optional
        When the data move starts. Default: ``months`` months before the exit month, so the
        data leaves at the end of the programme, at its size then (datasets grow at their
        ``growth_rate_per_month``), priced with the books and the EU Data Act phase in force
        then (see :func:`exitcost.pricing.exit_bill`).
    months : int, default 1
        Spread the data move evenly over this many billing months. [months]
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
        ``provider`` names no cloud provider of the estate.
    """
    func = "exit_cost_summary"
    clouds = sorted({loc.provider for loc in estate.locations if loc.kind == "cloud"})
    chosen = None if provider is None else [provider] if isinstance(provider, str) else provider
    if chosen is not None:
        unknown = [p for p in chosen if p not in clouds]
        if unknown or not chosen:
            raise InvalidParameterError(
                f"The 'provider' parameter of {func} must name cloud providers of the estate "
                f"({format_choices(clouds)}). Got {provider!r} instead."
            )
    exit_at = _exit_offset(estate, exit_month) if exit_month is not None else None
    if exit_at is None:
        exit_at = programme_end_month(estate, strategies, provider=chosen)
    move_start = (
        add_months(month_start(estate.as_of), max(exit_at - months, 0))
        if as_of is None
        else as_date(as_of, func=func)
    )
    bill = exit_bill(
        estate,
        as_of=move_start,
        exit_waiver=exit_waiver,
        months=months,
        customer_jurisdiction=customer_jurisdiction,
    )
    if chosen is not None:
        bill = bill[bill["provider"].isin(chosen)]
    scope = "every cloud provider" if chosen is None else ", ".join(chosen)
    waiver = " under the exit waiver" if exit_waiver else " at list prices"
    basis = (
        f"{len(bill)} datasets of {scope} moved out over {months} month(s) from "
        f"{move_start:%Y-%m} (sizes grown to then){waiver}"
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
    timing: dict[str, Any] = {} if exit_month is None else {"exit_month": exit_month}
    lines = exit_bill_lines(estate, strategies, provider=chosen, **timing)

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
    return rows.astype(dict.fromkeys(money, float))
