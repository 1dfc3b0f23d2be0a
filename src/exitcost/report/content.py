"""What a report holds, independent of its format: the headline, sections, tables, provenance.

The HTML writer (:mod:`exitcost.report.html`) and the Excel writer
(:mod:`exitcost.report.excel`) both take one :class:`Report`, so the two files always show the
same numbers. Builders (:mod:`exitcost.report.build`) fill a :class:`Report` from the API's
result frames; nothing here computes a figure.

Column names follow the library's convention (units in names, ``*_usd``, ``*_gb``,
``*_months``); :func:`column_header` turns them into headers with their unit in brackets.

Examples
--------
>>> column_header("npv_p50_usd")
'npv p50 [USD]'
>>> column_header("size_gb")
'size [GB]'
>>> column_header("compute_usd_per_month")
'compute [USD/month]'
>>> column_header("gb_per_month")
'volume [GB/month]'
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from exitcost.errors import InvalidParameterError
from exitcost.units import format_usd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ASSUMPTION_COLUMNS",
    "PROVENANCE_COLUMNS",
    "RESERVED_SHEETS",
    "Headline",
    "Report",
    "Section",
    "Table",
    "atomic_write",
    "column_header",
    "column_unit",
    "decision_headline",
    "month_words",
]

ASSUMPTION_COLUMNS: Final[tuple[str, ...]] = ("name", "value", "unit", "source")
"""Columns of :attr:`Report.assumptions` (as ``Simulation.assumptions`` has them)."""

RESERVED_SHEETS: Final[tuple[str, ...]] = ("Summary", "Assumptions", "Price books")
"""Worksheet names the workbook uses itself; no table may take them."""

PROVENANCE_COLUMNS: Final[tuple[str, ...]] = ("provider", "effective_date", "label", "source")
"""Columns of :attr:`Report.provenance` (as ``Simulation.provenance`` has them)."""

# Longest suffix first: the unit a column name ends with, and how the header shows it.
_SUFFIX_UNITS: Final[tuple[tuple[str, str], ...]] = (
    ("_usd_per_gb_month", "USD/GB-month"),
    ("_usd_per_month", "USD/month"),
    ("_gb_per_month", "GB/month"),
    ("_usd_per_gb", "USD/GB"),
    ("_per_month", "1/month"),
    ("_per_year", "1/year"),
    ("_usd", "USD"),
    ("_gb", "GB"),
    ("_months", "months"),
    ("_month", "month"),
)
# Names that are a unit and nothing else, or say their unit another way: header words and unit.
_WHOLE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "usd": ("amount", "USD"),
    "usd_per_gb": ("rate", "USD/GB"),
    "usd_per_month": ("cost", "USD/month"),
    "gb_per_month": ("volume", "GB/month"),
    "month": ("month", "month"),
    "months": ("months", "months"),
    "share": ("share", "fraction"),
    "p_beats_first": ("p beats first", "fraction"),
    "payback_month_p50": ("payback month p50", "month"),
    "break_even_month_p50": ("break even month p50", "month"),
}


def column_unit(name: str) -> str:
    """The unit a column name states (``""`` when it states none).

    Examples
    --------
    >>> column_unit("savings_npv_p5_usd"), column_unit("share"), column_unit("plan")
    ('USD', 'fraction', '')
    """
    if name in _WHOLE_NAMES:
        return _WHOLE_NAMES[name][1]
    for suffix, unit in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return ""


def column_header(name: str) -> str:
    """A column name as a header: words separated by spaces, its unit in brackets."""
    if name in _WHOLE_NAMES:
        words, unit = _WHOLE_NAMES[name]
        return f"{words} [{unit}]"
    for suffix, unit in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return f"{name[: -len(suffix)].replace('_', ' ')} [{unit}]"
    return name.replace("_", " ")


@dataclass(frozen=True)
class Table:
    """One table of a report: a frame, a title, and which columns add up to a total.

    Attributes
    ----------
    name : str
        Short name, unique in the report; the Excel sheet's name (at most 31 characters).
    title : str
        What the table shows, as a sentence.
    frame : pandas.DataFrame
        The data; its index is written as the first column when it is named.
    total_columns : tuple of str
        Columns whose total is the sum of their rows: the workbook adds a ``total`` row with a
        ``SUM`` formula under each, and the HTML a total row.
    note : str
        A line under the table (sources, conventions).
    """

    name: str
    title: str
    frame: pd.DataFrame
    total_columns: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if not 0 < len(self.name) <= 31 or any(c in self.name for c in "[]:*?/\\"):
            raise InvalidParameterError(
                "The 'name' parameter of Table must be 1 to 31 characters without any of "
                f"[]:*?/\\ (it names a worksheet). Got {self.name!r} instead."
            )
        missing = [c for c in self.total_columns if c not in self.frame.columns]
        if missing:
            raise InvalidParameterError(
                f"The 'total_columns' parameter of Table must name columns of the frame "
                f"{list(self.frame.columns)!r}. Got {missing!r} instead."
            )

    def total_label_column(self) -> int:
        """0-based column of the total row's "total" label: the first column that is not
        summed, or one past the last column when every column is."""
        shown = [str(c) for c in self.shown().columns]
        free = [i for i, c in enumerate(shown) if c not in self.total_columns]
        return free[0] if free else len(shown)

    def shown(self) -> pd.DataFrame:
        """The frame with a named index moved into the columns."""
        if self.frame.index.name is not None or isinstance(self.frame.index, pd.MultiIndex):
            return self.frame.reset_index()
        return self.frame.reset_index(drop=True)


@dataclass(frozen=True)
class Section:
    """A titled part of a report: a paragraph, figures and tables, in that order."""

    title: str
    text: str = ""
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Headline:
    """The decision, first thing a reader sees, with its range.

    Attributes
    ----------
    decision : str
        One sentence: what to do (``"Leave aws for the colocation site"``).
    measure : str
        What the range measures (``"Savings NPV against stay"``).
    low_usd, central_usd, high_usd : float
        The measure's low end, central value and high end. [USD]
    low_name, central_name, high_name : str
        What those are: ``"P5"``, ``"median"``, ``"P95"`` for a simulation; ``"low"``,
        ``"expected"``, ``"high"`` for a three-point estimate.
    details : tuple of str
        Further lines: probability of beating the reference, exit cost, break-even.
    """

    decision: str
    measure: str
    low_usd: float
    central_usd: float
    high_usd: float
    low_name: str = "P5"
    central_name: str = "median"
    high_name: str = "P95"
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything a report shows, for :func:`exitcost.report.write_report`.

    Attributes
    ----------
    title : str
        The report's title.
    headline : Headline
        The decision and its range.
    sections : tuple of Section
        In reading order.
    assumptions : pandas.DataFrame
        Columns :data:`ASSUMPTION_COLUMNS`: every assumption the figures rest on.
    provenance : pandas.DataFrame
        Columns :data:`PROVENANCE_COLUMNS`: the price books used, with dates and labels.
    inputs : tuple of Table
        The inputs (the estate's inventory, the plans), each on its own sheet.
    created : datetime.date
        The day the report was made.
    """

    title: str
    headline: Headline
    sections: tuple[Section, ...]
    assumptions: pd.DataFrame
    provenance: pd.DataFrame
    inputs: tuple[Table, ...] = ()
    created: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        for name, frame, columns in (
            ("assumptions", self.assumptions, ASSUMPTION_COLUMNS),
            ("provenance", self.provenance, PROVENANCE_COLUMNS),
        ):
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise InvalidParameterError(
                    f"The {name!r} parameter of Report must have the columns {list(columns)!r}; "
                    f"{missing!r} are missing. Got {list(frame.columns)!r} instead."
                )
        names = [t.name for t in self.tables()] + list(RESERVED_SHEETS)
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InvalidParameterError(
                "The tables of a Report must have unique names (each names a worksheet). "
                f"Got {repeated!r} more than once instead."
            )

    def tables(self) -> list[Table]:
        """Every table: the sections' in order, then the inputs."""
        return [t for s in self.sections for t in s.tables] + list(self.inputs)

    def figures(self) -> list[Figure]:
        """Every figure, in the sections' order."""
        return [f for s in self.sections for f in s.figures]


def month_words(value: Any) -> str:
    """A month offset in words; NA is "never within the horizon".

    Examples
    --------
    >>> month_words(10), month_words(None)
    ('month 10', 'never within the horizon')
    """
    return "never within the horizon" if pd.isna(value) else f"month {int(value)}"


def decision_headline(summary: pd.DataFrame) -> tuple[Headline, str]:
    """The decision a summary supports, and the plan it names.

    The best plan is the one after the first (reference) plan with the largest median savings
    NPV; when that median is positive the headline says to take it, otherwise to keep the
    reference plan. Either way the range is the best plan's P5 to P95 savings NPV.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``Simulation.summary()``: indexed by plan, with the ``savings_npv_*_usd``,
        ``exit_cost_p*_usd``, ``p_beats_first`` and ``break_even_month_p50`` columns.

    Returns
    -------
    (Headline, str)
        The headline and the best plan's name.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame(
    ...     {"savings_npv_p5_usd": [0.0, -1e5], "savings_npv_p50_usd": [0.0, 2e5],
    ...      "savings_npv_p95_usd": [0.0, 4e5], "exit_cost_p5_usd": [0.0, 1e5],
    ...      "exit_cost_p50_usd": [0.0, 2e5], "exit_cost_p95_usd": [0.0, 3e5],
    ...      "p_beats_first": [0.0, 0.8], "break_even_month_p50": [None, 20]},
    ...     index=pd.Index(["stay", "colo"], name="plan"))
    >>> headline, best = decision_headline(summary)
    >>> headline.decision
    "Take plan 'colo': it beats 'stay' in 80% of scenarios."
    """
    reference = str(summary.index[0])
    others = summary.iloc[1:]
    if others.empty:
        row = summary.iloc[0]
        headline = Headline(
            decision=f"Only one plan, {reference!r}: there is nothing to compare it with.",
            measure=f"NPV of the costs of {reference}",
            low_usd=float(row.get("npv_p5_usd", 0.0)),
            central_usd=float(row.get("npv_p50_usd", 0.0)),
            high_usd=float(row.get("npv_p95_usd", 0.0)),
        )
        return headline, reference
    best = str(others["savings_npv_p50_usd"].astype(float).idxmax())
    row = summary.iloc[list(summary.index.astype(str)).index(best)]
    chance = float(row["p_beats_first"])
    if float(row["savings_npv_p50_usd"]) > 0:
        decision = f"Take plan {best!r}: it beats {reference!r} in {chance:.0%} of scenarios."
    else:
        decision = (
            f"Keep {reference!r}: no plan beats it at the median; the best, {best!r}, beats it "
            f"in {chance:.0%} of scenarios."
        )
    details = (
        f"Exit cost of {best}: {format_usd(float(row['exit_cost_p50_usd']), 0)} median "
        f"({format_usd(float(row['exit_cost_p5_usd']), 0)} to "
        f"{format_usd(float(row['exit_cost_p95_usd']), 0)}, P5 to P95).",
        f"Break-even against {reference}: {month_words(row['break_even_month_p50'])} (median).",
    )
    headline = Headline(
        decision=decision,
        measure=f"Savings NPV of {best} against {reference}",
        low_usd=float(row["savings_npv_p5_usd"]),
        central_usd=float(row["savings_npv_p50_usd"]),
        high_usd=float(row["savings_npv_p95_usd"]),
        details=details,
    )
    return headline, best


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Write a file all at once: ``write`` fills a temporary file beside it, then it is renamed.

    A failure inside ``write`` (or an interrupted run) leaves the target as it was: either
    absent or the previous complete file, never half-written, and no temporary file behind.

    Parameters
    ----------
    path : path-like
        The file to write; its folder must exist.
    write : callable
        Called with the temporary file's path; writes the whole content there.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda p: p.write_text("done")).read_text()
    'done'
    """
    target = Path(path)
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    tmp = Path(tmp_name)
    atexit.register(tmp.unlink, missing_ok=True)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        atexit.unregister(tmp.unlink)
    return target


def frame_or_empty(frame: pd.DataFrame | None, columns: Sequence[str]) -> pd.DataFrame:
    """``frame``, or an empty frame with ``columns`` when it is None."""
    return pd.DataFrame(columns=list(columns)) if frame is None else frame
