"""A self-contained HTML report: one file, no script, no request to any other address.

The page opens with the headline decision and its range, then each section with its figures
(embedded as PNG data URLs) and tables, then every assumption and the price books the figures
come from, with their dates and labels. The file is written atomically
(:func:`exitcost.report.content.atomic_write`).

Examples
--------
>>> import pandas as pd
>>> from exitcost.report.content import Headline, Report
>>> report = Report(
...     title="Example",
...     headline=Headline("Stay", "Savings NPV", -10.0, -5.0, 1.0),
...     sections=(),
...     assumptions=pd.DataFrame(columns=["name", "value", "unit", "source"]),
...     provenance=pd.DataFrame(columns=["provider", "effective_date", "label", "source"]),
... )
>>> page = render_html(report)
>>> page.startswith("<!DOCTYPE html>") and "Savings NPV" in page
True
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from exitcost.report.content import Report, Table, atomic_write, column_header, column_unit
from exitcost.units import format_usd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["figure_data_url", "format_cell", "render_html", "write_html"]

_STYLE: Final = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2rem auto; max-width: 60rem; color: #17202a; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #d5d8dc; }
.meta { color: #566573; font-size: 0.9rem; }
.headline { background: #eaf2f8; border-left: 6px solid #1b4f72; padding: 0.8rem 1.2rem;
            margin: 1.2rem 0; }
.headline .decision { font-size: 1.35rem; font-weight: 600; margin: 0; }
.headline .range { font-size: 1.1rem; margin: 0.4rem 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.85rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #d5d8dc; padding: 0.25rem 0.6rem; }
th { background: #f4f6f7; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #17202a; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
.note { color: #566573; font-size: 0.85rem; }
.empty { font-style: italic; color: #566573; }
"""


_DRAWN: weakref.WeakKeyDictionary[Figure, tuple[int, str]] = weakref.WeakKeyDictionary()


def figure_data_url(figure: Figure, *, dpi: int = 100) -> str:
    """A figure as a ``data:image/png;base64,...`` URL (drawn with the Agg renderer).

    A figure is drawn once per resolution: writing the same report again reuses the PNG.
    """
    drawn = _DRAWN.get(figure)
    if drawn is not None and drawn[0] == dpi:
        return drawn[1]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    _DRAWN[figure] = (dpi, url)
    return url


def format_cell(value: Any, column: str) -> str:
    """A cell as text: money with separators and a dollar sign, fractions in percent.

    Examples
    --------
    >>> format_cell(1234567.891, "npv_usd"), format_cell(0.256, "share"), format_cell(None, "x")
    ('$1,234,568', '25.6%', '-')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "-"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        unit = column_unit(column)
        number = float(value)
        if unit == "USD":
            return format_usd(number, 0)
        if unit == "fraction":
            return f"{number:.1%}"
        if number.is_integer():
            return f"{int(number):,d}"
        return f"{number:,.4g}" if abs(number) < 1000 else f"{number:,.0f}"
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _table_html(table: Table) -> str:
    frame = table.shown()
    esc = html.escape
    caption = f"<caption>{esc(table.title)}</caption>"
    if frame.empty:
        return (
            f"<table>{caption}</table><p class='empty'>No rows: "
            f"{esc(table.title[0].lower() + table.title[1:])} has nothing to show.</p>"
        )
    head = "".join(f"<th>{esc(column_header(str(c)))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            css = " class='num'" if _is_number(value) else ""
            cells.append(f"<td{css}>{esc(format_cell(value, str(column)))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if table.total_columns:
        label = table.total_label_column()
        cells = []
        for i, column in enumerate(frame.columns):
            if column in table.total_columns:
                total = float(frame[column].sum())
                cells.append(f"<td class='num'>{esc(format_cell(total, str(column)))}</td>")
            else:
                cells.append("<td>total</td>" if i == label else "<td></td>")
        if label == len(frame.columns):
            cells.append("<td>total</td>")
        rows.append("<tr class='total'>" + "".join(cells) + "</tr>")
    note = f"<p class='note'>{esc(table.note)}</p>" if table.note else ""
    return (
        f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + note
    )


def _plain_table(title: str, frame: pd.DataFrame, name: str) -> str:
    return _table_html(Table(name=name, title=title, frame=frame))


def render_html(report: Report) -> str:
    """The whole report as one HTML page (a string)."""
    esc = html.escape
    h = report.headline
    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{esc(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f"<p class='meta'>Made on {report.created.isoformat()} with exitcost. Money in USD; "
        "months count from the as-of month.</p>",
        "<section class='headline' id='headline'>",
        f"<p class='decision'>{esc(h.decision)}</p>",
        f"<p class='range'>{esc(h.measure)}: <strong>{esc(format_usd(h.central_usd, 0))}"
        f"</strong> {esc(h.central_name)}, from {esc(format_usd(h.low_usd, 0))} "
        f"({esc(h.low_name)}) to {esc(format_usd(h.high_usd, 0))} ({esc(h.high_name)})</p>",
        *(f"<p>{esc(line)}</p>" for line in h.details),
        "</section>",
    ]
    for number, section in enumerate(report.sections, start=1):
        parts.append(f"<section id='section-{number}'><h2>{esc(section.title)}</h2>")
        if section.text:
            parts.extend(f"<p>{esc(p)}</p>" for p in section.text.split("\n\n"))
        for figure in section.figures:
            title = figure.axes[0].get_title(loc="left") if figure.axes else section.title
            parts.append(
                f"<figure><img alt='{esc(title, quote=True)}' src='{figure_data_url(figure)}'>"
                f"<figcaption class='note'>{esc(title)}</figcaption></figure>"
            )
        parts.extend(_table_html(t) for t in section.tables)
        parts.append("</section>")
    parts.append("<section id='inputs'><h2>Inputs</h2>")
    if report.inputs:
        parts.extend(_table_html(t) for t in report.inputs)
    else:
        parts.append("<p class='empty'>No input tables were given.</p>")
    parts.append("</section><section id='assumptions'><h2>Assumptions</h2>")
    parts.append(_plain_table("Every assumption the figures rest on", report.assumptions, "a"))
    parts.append("</section><section id='provenance'><h2>Price books</h2>")
    parts.append(
        _plain_table(
            "The price books used, with their effective dates and confidence labels "
            "(V primary source read, S secondary, M unverified, R reasoning)",
            report.provenance,
            "p",
        )
    )
    parts.append("</section></body></html>")
    return "\n".join(parts) + "\n"


def write_html(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``path`` as one self-contained HTML file, atomically."""
    page = render_html(report)

    def write(tmp: Path) -> None:
        tmp.write_text(page, encoding="utf-8")

    return atomic_write(path, write)
