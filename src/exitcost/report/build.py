"""Fill a :class:`~exitcost.report.content.Report` from the API's results.

Two builders, both pure formatting over result frames:

* :func:`simulation_report` reads a simulation result through the frames of the engine's
  contract (``docs/internals.md``, "The engine and its result"): ``summary()``, ``fan()``,
  ``monthly_costs()``, ``exit_bill(plan)``, ``tornado(plan)``, ``drivers(plan)``,
  ``lock_in_clock(months)``, ``negotiation_discount()``, ``assumptions`` and ``provenance``.
* :func:`case_report` reads an :class:`exitcost.ExitCase` (stay with a provider or leave it for
  a colocation site): its streams, summary, exit bill and assumptions.

:func:`book_sources` lists the sources of price books, with dates and labels, for a report's
provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from exitcost.report import plots
from exitcost.report.content import (
    PROVENANCE_COLUMNS,
    Headline,
    Report,
    Section,
    Table,
    decision_headline,
    month_words,
)
from exitcost.units import format_usd

if TYPE_CHECKING:
    from exitcost.case import ExitCase

__all__ = [
    "SimulationLike",
    "book_sources",
    "case_frames",
    "case_report",
    "decision_headline",
    "simulation_report",
]

_SUMMARY_SHOWN = (
    "npv_p5_usd",
    "npv_p50_usd",
    "npv_p95_usd",
    "savings_npv_p5_usd",
    "savings_npv_p50_usd",
    "savings_npv_p95_usd",
    "exit_cost_p50_usd",
    "payback_month_p50",
    "break_even_month_p50",
    "p_beats_first",
)


class SimulationLike(Protocol):
    """What the report reads of a simulation result (the engine's ``Simulation``)."""

    @property
    def plans(self) -> tuple[str, ...]: ...

    @property
    def assumptions(self) -> pd.DataFrame: ...

    @property
    def provenance(self) -> pd.DataFrame: ...

    def summary(self) -> pd.DataFrame: ...

    def fan(self, cumulative: bool = True) -> pd.DataFrame: ...

    def monthly_costs(self) -> pd.DataFrame: ...

    def exit_bill(self, plan: str) -> pd.DataFrame: ...

    def tornado(self, plan: str | None = None) -> pd.DataFrame: ...

    def drivers(self, plan: str | None = None) -> pd.DataFrame: ...

    def lock_in_clock(self, months: Any) -> pd.DataFrame: ...

    def negotiation_discount(self) -> float: ...


def _by_month(flows: pd.DataFrame, value: str) -> pd.DataFrame:
    """Plans side by side: one row per month, one ``<plan>_usd`` column per plan."""
    plans = list(dict.fromkeys(flows["plan"].tolist()))
    keys = ["month", "date"] if "date" in flows.columns else ["month"]
    wide = flows.pivot_table(index=keys, columns="plan", values=value, sort=True)
    wide = wide[plans]
    wide.columns = [f"{p}_usd" for p in plans]
    return wide.reset_index()


def simulation_report(
    sim: SimulationLike,
    *,
    title: str,
    lock_in_months: Sequence[int] | None = None,
    inputs: Iterable[Table] = (),
    created: dt.date | None = None,
) -> Report:
    """The report of a simulation: the decision, costs over time, exit bill, drivers, lock-in.

    Parameters
    ----------
    sim : Simulation
        The engine's result; only the frames of its contract are read.
    title : str
        The report's title.
    lock_in_months : sequence of int, optional
        Months of leaving for the lock-in clock (``sim.lock_in_clock(lock_in_months)``);
        default every sixth month of the horizon the fan covers.
    inputs : iterable of Table
        Input tables (the estate's inventory, the plans) for their own sheets.
    created : datetime.date, optional
        The report's date (default today).

    Returns
    -------
    Report
    """
    summary = sim.summary()
    headline, best = decision_headline(summary)
    reference = str(summary.index[0])
    fan = sim.fan(cumulative=True)
    flows = sim.monthly_costs()
    bill = sim.exit_bill(best)
    tornado = sim.tornado(best)
    drivers = sim.drivers(best)
    if lock_in_months is None:
        horizon = int(fan["month"].max()) if len(fan) else 0
        lock_in_months = list(range(0, horizon + 1, 6))
    clock = sim.lock_in_clock(lock_in_months)
    discount = float(sim.negotiation_discount())
    shown = summary[[c for c in _SUMMARY_SHOWN if c in summary.columns]]
    sections = (
        Section(
            "The decision",
            f"Each plan against {reference}: the net present value of its costs and of its "
            f"savings over {reference} (P5, median, P95 of the scenarios), its exit cost, when "
            f"it pays back and breaks even, and how often it beats {reference}. Staying matches "
            f"the best plan's median NPV at a discount of {discount:.1%} off the current "
            "provider's prices: the room for negotiation.",
            figures=(plots.probability_chart(summary),) if len(summary) > 1 else (),
            tables=(Table("Plans", "The plans' headline numbers with ranges", shown),),
        ),
        Section(
            "Cost over time",
            "The cumulative cost of each plan: the band holds 90% of the scenarios, the line "
            "is their median; below, the expected future with each plan's break-even month.",
            figures=(
                plots.fan_chart(fan),
                plots.cash_flow_chart(flows, break_even_months=summary.get("break_even_month_p50")),
            ),
            tables=(
                Table(
                    "Monthly cost",
                    "Expected cost of each plan per month",
                    _by_month(flows, "cost_usd"),
                    total_columns=tuple(f"{p}_usd" for p in dict.fromkeys(flows["plan"])),
                ),
            ),
        ),
        Section(
            f"Exit bill of {best}",
            f"The one-off costs of {best} in the expected future, by cost category.",
            figures=(plots.waterfall(bill),) if len(bill) else (),
            tables=(Table("Exit bill", f"One-off exit costs of {best}", bill, ("usd",)),),
        ),
        Section(
            "What drives the answer",
            f"The savings NPV of {best} with each uncertain input at its low and high value, "
            "the others at their expected value; and each input's share of the variance.",
            figures=(plots.tornado_chart(tornado),) if len(tornado) else (),
            tables=(
                Table("Tornado", "Savings NPV at each input's low and high value", tornado),
                Table("Drivers", "Share of the savings NPV's variance by input", drivers),
            ),
        ),
        Section(
            "Lock-in clock",
            "What leaving costs if one leaves in a later month: data grows and commitments "
            "run, so the exit cost moves with time.",
            figures=(plots.lock_in_chart(clock),) if len(clock) else (),
            tables=(Table("Lock-in clock", "Exit cost by month of leaving", clock),),
        ),
    )
    return Report(
        title=title,
        headline=headline,
        sections=sections,
        assumptions=sim.assumptions,
        provenance=sim.provenance,
        inputs=tuple(inputs),
        created=created or dt.date.today(),
    )


# ----------------------------------------------------------------------------- exit case


def case_frames(case: ExitCase) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An exit case's streams and bill in the frames the plots take.

    Returns
    -------
    (monthly_costs, exit_bill)
        ``monthly_costs``: ``plan`` (``stay``, ``leave``), ``month``, ``cost_usd`` and
        ``cumulative_cost_usd``; ``exit_bill``: ``category`` and ``usd`` (the bill's expected
        values, one row per category with a cost, without the total).
    """
    parts = []
    for plan in ("stay", "leave"):
        cost = case.monthly_costs[f"{plan}_usd"].to_numpy(dtype=np.float64)
        parts.append(
            pd.DataFrame(
                {
                    "plan": plan,
                    "month": case.monthly_costs.index.to_numpy(),
                    "cost_usd": cost,
                    "cumulative_cost_usd": np.cumsum(cost),
                }
            )
        )
    flows = pd.concat(parts, ignore_index=True)
    expected = case.exit_bill["expected_usd"].drop(index="total", errors="ignore")
    expected = expected[expected > 0]
    bill = pd.DataFrame({"category": expected.index.astype(str), "usd": expected.to_numpy()})
    return flows, bill


def book_sources(providers: Iterable[str], as_of: Any = None) -> pd.DataFrame:
    """The sources of the price books in effect on ``as_of``, one row per source.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~exitcost.report.content.PROVENANCE_COLUMNS` (``provider``,
        ``effective_date``, ``label``, ``source``) and ``source_as_of``.

    Examples
    --------
    >>> frame = book_sources(["aws"], as_of="2026-11-01")
    >>> frame.loc[0, ["provider", "effective_date"]].tolist()
    ['aws', '2024-09-25']
    """
    from exitcost.pricing.books import load_price_book

    rows = []
    for provider in dict.fromkeys(providers):
        book = load_price_book(provider, as_of=as_of)
        for source in book.sources.values():
            where = source.url or source.document or ""
            rows.append(
                {
                    "provider": provider,
                    "effective_date": book.effective_date.isoformat(),
                    "label": source.label,
                    "source": f"{source.title} ({where})",
                    "source_as_of": source.as_of.isoformat(),
                }
            )
    return pd.DataFrame(rows, columns=[*PROVENANCE_COLUMNS, "source_as_of"])


def case_report(
    case: ExitCase,
    *,
    title: str | None = None,
    as_of: Any = None,
    inputs: Iterable[Table] = (),
    created: dt.date | None = None,
) -> Report:
    """The report of an exit case: stay with a provider or leave it for a colocation site.

    An exit case is one expected future, not a simulation: its headline range is the exit
    bill's low and high estimates, and its savings are a single figure.

    Parameters
    ----------
    case : ExitCase
        From :func:`exitcost.exit_case`.
    title : str, optional
        Default "Leave <provider> for <destination>, or stay".
    as_of : date, optional
        The day whose price books are listed in the provenance (the estate's ``as_of``).
    inputs : iterable of Table
        Input tables for their own sheets.
    created : datetime.date, optional
        The report's date (default today).
    """
    flows, bill = case_frames(case)
    summary = case.summary
    leave = summary.loc["leave"]
    savings = _number(summary, "leave", "savings_npv_usd")
    verb = "Leave" if savings > 0 else "Stay with"
    decision = (
        f"{verb} {case.provider}: leaving for {case.destination} "
        f"{'saves' if savings > 0 else 'costs'} {format_usd(abs(savings), 0)} in NPV over "
        f"{int(case.assumptions.get('months', len(case.monthly_costs)))} months."
    )
    low, central, high = (
        _number(case.exit_bill, "total", c) for c in ("low_usd", "expected_usd", "high_usd")
    )
    headline = Headline(
        decision=decision,
        measure=f"Exit bill of leaving {case.provider}",
        low_usd=low,
        central_usd=central,
        high_usd=high,
        low_name="low",
        central_name="expected",
        high_name="high",
        details=(
            f"Break-even: {month_words(leave['break_even_month'])}; discounted payback: "
            f"{month_words(leave['payback_month'])}.",
        ),
    )
    bill_table = case.exit_bill.drop(index="total").rename_axis("category")
    assumptions = pd.DataFrame(
        {
            "name": list(case.assumptions),
            # a switch stays a bool (shown "yes" / "no"), every other value a float
            "value": [v if isinstance(v, bool) else float(v) for v in case.assumptions.values()],
            "unit": [_assumption_unit(name) for name in case.assumptions],
            "source": "exitcost.exit_case",
        }
    )
    providers = sorted(case.exit_bill.attrs.get("price_books", {}) or [case.provider])
    sections = (
        Section(
            "Stay or leave",
            f"Every cost of staying with {case.provider} and of leaving it for "
            f"{case.destination}, month by month, in one expected future.",
            figures=(
                plots.cash_flow_chart(
                    flows, break_even_months={"leave": leave["break_even_month"]}
                ),
            ),
            tables=(Table("Stay or leave", "Stay and leave side by side", summary),),
        ),
        Section(
            "Exit bill",
            "The one-time costs of leaving, with the low and high estimates of each line "
            "(P5 and P95 over the futures: they do not add up, so only the expected column has "
            "a total).",
            figures=(plots.waterfall(bill),) if len(bill) else (),
            tables=(
                Table(
                    "Exit bill",
                    f"One-time costs of leaving {case.provider}",
                    bill_table,
                    total_columns=("expected_usd",),
                ),
            ),
        ),
        Section(
            "Monthly cost",
            "Each side's cost per month.",
            tables=(
                Table(
                    "Monthly cost",
                    "Cost per month of staying and of leaving",
                    case.monthly_costs.reset_index(),
                    total_columns=tuple(c for c in case.monthly_costs.columns),
                ),
            ),
        ),
    )
    return Report(
        title=title or f"Leave {case.provider} for {case.destination}, or stay",
        headline=headline,
        sections=sections,
        assumptions=assumptions,
        provenance=book_sources(providers, as_of=as_of),
        inputs=tuple(inputs),
        created=created or dt.date.today(),
    )


def _number(frame: pd.DataFrame, row: str, column: str) -> float:
    """One cell of ``frame`` as a float."""
    column_values: pd.Series = frame[column].astype(np.float64)
    return float(column_values.loc[row])


def _assumption_unit(name: str) -> str:
    from exitcost.report.content import column_unit

    if name.endswith("_per_year"):
        return "1/year"
    if name in ("growth", "exit_waiver") or name.startswith("data_move_fits"):
        return "flag"
    return column_unit(name)
