"""An Excel workbook a finance team can audit: one sheet per table, numbers as numbers.

Sheets, in order: ``Summary`` (the headline and its range), one sheet per table of the
report's sections, one per input table, ``Assumptions`` and ``Price books``. Headers carry
their unit in brackets (``npv p50 [USD]``); cells hold numbers, not text; where a total is a
sum, the total row holds a ``SUM`` formula over the cells above it, so an auditor can trace it.
Money cells use a thousands format, fractions a percent format. The file is written
atomically (:func:`exitcost.report.content.atomic_write`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exitcost.report.content import (
    RESERVED_SHEETS,
    Report,
    Table,
    atomic_write,
    column_header,
    column_unit,
)

__all__ = [
    "SUMMARY_SHEET",
    "ASSUMPTIONS_SHEET",
    "PROVENANCE_SHEET",
    "build_workbook",
    "write_excel",
]

SUMMARY_SHEET, ASSUMPTIONS_SHEET, PROVENANCE_SHEET = RESERVED_SHEETS

_BOLD: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", start_color="F4F6F7", end_color="F4F6F7")
_FORMATS: Final = {"USD": "#,##0", "fraction": "0.0%", "GB": "#,##0.0"}


def _cell_value(value: Any) -> Any:
    """A value openpyxl stores as itself: numbers as numbers, NA as an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, int | str | dt.date):
        return value
    return str(value)


def _write_frame(sheet: Worksheet, frame: pd.DataFrame, *, first_row: int = 1) -> int:
    """Write a header row and the rows of ``frame``; return the last row written."""
    for j, column in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=first_row, column=j, value=column_header(str(column)))
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(j)].width = max(
            12, min(48, len(str(cell.value)) + 2)
        )
    row = first_row
    for row, record in enumerate(frame.itertuples(index=False), start=first_row + 1):
        for j, (column, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            cell = sheet.cell(row=row, column=j, value=_cell_value(value))
            number_format = _FORMATS.get(column_unit(str(column)))
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    return row


def _write_table(sheet: Worksheet, table: Table) -> None:
    frame = table.shown()
    sheet.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=12)
    last = _write_frame(sheet, frame, first_row=2)
    if frame.empty:
        sheet.cell(row=3, column=1, value="No rows: nothing to show.")
    elif table.total_columns:
        total_row = last + 1
        label = table.total_label_column() + 1
        sheet.cell(row=total_row, column=label, value="total").font = _BOLD
        for j, column in enumerate(frame.columns, start=1):
            if column not in table.total_columns:
                continue
            letter = get_column_letter(j)
            cell = sheet.cell(row=total_row, column=j, value=f"=SUM({letter}3:{letter}{last})")
            cell.font = _BOLD
            cell.number_format = _FORMATS.get(column_unit(str(column)), "General")
    if table.note:
        sheet.cell(row=sheet.max_row + 2, column=1, value=table.note)


def _write_summary(sheet: Worksheet, report: Report) -> None:
    h = report.headline
    rows: list[tuple[Any, ...]] = [
        (report.title,),
        (f"Made on {report.created.isoformat()} with exitcost",),
        (),
        ("decision", h.decision),
        ("measure", h.measure),
        (f"{h.low_name} [USD]", float(h.low_usd)),
        (f"{h.central_name} [USD]", float(h.central_usd)),
        (f"{h.high_name} [USD]", float(h.high_usd)),
        *(("note", line) for line in h.details),
    ]
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            if isinstance(value, float):
                cell.number_format = _FORMATS["USD"]
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90


def build_workbook(report: Report) -> Workbook:
    """The report as an openpyxl ``Workbook`` (not yet saved)."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = SUMMARY_SHEET
    _write_summary(summary, report)
    for table in report.tables():
        _write_table(book.create_sheet(table.name), table)
    _write_frame(book.create_sheet(ASSUMPTIONS_SHEET), report.assumptions)
    _write_frame(book.create_sheet(PROVENANCE_SHEET), report.provenance)
    return book


def write_excel(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``path`` as an ``.xlsx`` workbook, atomically."""
    book = build_workbook(report)
    return atomic_write(path, lambda tmp: book.save(tmp))
