"""The workbook opens with openpyxl: expected sheets, units in headers, SUM totals, numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.report import simulation_report
from exitcost.report.content import (
    ASSUMPTION_COLUMNS,
    PROVENANCE_COLUMNS,
    Headline,
    Report,
    Section,
    Table,
)
from exitcost.report.excel import build_workbook, write_excel
from tests.report.conftest import (
    COLO_TOTAL_USD,
    EXIT_BILL_USD,
    STAY_TOTAL_USD,
    HandWorkedSimulation,
)


@pytest.fixture
def workbook(sim: HandWorkedSimulation, tmp_path: Path) -> openpyxl.Workbook:
    report = simulation_report(sim, title="Hand-worked", created=dt.date(2026, 12, 1))
    path = write_excel(report, tmp_path / "report.xlsx")
    return openpyxl.load_workbook(path)


def _rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple[object, ...]]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def _sum_formula_total(sheet: openpyxl.worksheet.worksheet.Worksheet, header: str) -> float:
    """Check the total row holds =SUM over the rows above it; return the sum of those cells."""
    headers = [c.value for c in sheet[2]]
    column = headers.index(header) + 1
    letter = openpyxl.utils.get_column_letter(column)
    total_row = sheet.max_row
    assert "total" in [c.value for c in sheet[total_row]]
    assert (
        sheet.cell(row=total_row, column=column).value == f"=SUM({letter}3:{letter}{total_row - 1})"
    )
    values = [sheet.cell(row=r, column=column).value for r in range(3, total_row)]
    assert all(isinstance(v, int | float) for v in values)  # numbers, not text
    return float(sum(values))  # type: ignore[arg-type]


def test_sheets_in_order(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == [
        "Summary",
        "Plans",
        "Monthly cost",
        "Exit bill",
        "Tornado",
        "Drivers",
        "Lock-in clock",
        "Assumptions",
        "Price books",
    ]


def test_summary_sheet_states_the_decision_and_its_range(workbook: openpyxl.Workbook) -> None:
    rows = dict(r[:2] for r in _rows(workbook["Summary"]) if len(r) > 1 and r[0])
    assert rows["decision"] == "Take plan 'colo': it beats 'stay' in 62% of scenarios."
    assert (rows["P5 [USD]"], rows["median [USD]"], rows["P95 [USD]"]) == (
        -8_000.0,
        7_000.0,
        15_000.0,
    )


def test_exit_bill_total_is_a_sum_equal_to_the_api_figure(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Exit bill"]
    assert [c.value for c in sheet[2]] == ["category", "amount [USD]"]
    assert _sum_formula_total(sheet, "amount [USD]") == sum(EXIT_BILL_USD.values())


def test_monthly_totals_are_sums_equal_to_each_plans_total(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Monthly cost"]
    assert _sum_formula_total(sheet, "stay [USD]") == STAY_TOTAL_USD
    assert _sum_formula_total(sheet, "colo [USD]") == COLO_TOTAL_USD


def test_numbers_are_numbers_and_missing_values_empty(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Plans"]
    headers = [c.value for c in sheet[2]]
    assert headers[:2] == ["plan", "npv p5 [USD]"]
    stay, colo = _rows(sheet)[2:4]
    assert colo[headers.index("npv p50 [USD]")] == 108_000.0
    assert colo[headers.index("p beats first [fraction]")] == 0.62
    assert stay[headers.index("break even month p50 [month]")] is None  # NA: not applicable to stay
    assert colo[headers.index("break even month p50 [month]")] == 10
    assert sheet.cell(row=4, column=headers.index("npv p50 [USD]") + 1).number_format == "#,##0"


def test_assumptions_and_price_books_have_their_own_sheets(
    workbook: openpyxl.Workbook, sim: HandWorkedSimulation
) -> None:
    assumptions = _rows(workbook["Assumptions"])
    assert assumptions[0] == ("name", "value", "unit", "source")
    assert assumptions[1:] == list(sim.assumptions.itertuples(index=False, name=None))
    books = _rows(workbook["Price books"])
    assert books[0] == ("provider", "effective date", "label", "source")
    assert books[1][:3] == ("aws", "2024-09-25", "V")


def test_an_empty_table_is_said_in_words(tmp_path: Path, sim: HandWorkedSimulation) -> None:
    class NoExitBill(HandWorkedSimulation):
        def exit_bill(self, plan: str) -> pd.DataFrame:
            return pd.DataFrame(columns=["category", "usd"])

    report = simulation_report(NoExitBill(), title="x")
    book = openpyxl.load_workbook(write_excel(report, tmp_path / "r.xlsx"))
    assert book["Exit bill"]["A3"].value == "No rows: nothing to show."


def test_exit_case_workbook_totals_equal_the_api(tmp_path: Path) -> None:
    from exitcost.case import exit_case
    from exitcost.estate import sample_estate
    from exitcost.report import case_report

    case = exit_case(sample_estate(), "azure", horizon_months=36)
    book = openpyxl.load_workbook(write_excel(case_report(case), tmp_path / "case.xlsx"))
    bill = book["Exit bill"]
    # the expected lines add up to the total; P5 and P95 lines do not, so they have no total
    for column in ("expected",):
        assert _sum_formula_total(bill, f"{column} [USD]") == pytest.approx(
            case.exit_bill.loc["total", f"{column}_usd"], rel=1e-12
        )
    monthly = book["Monthly cost"]
    assert _sum_formula_total(monthly, "leave [USD]") == pytest.approx(
        case.summary.loc["leave", "total_cost_usd"], rel=1e-12
    )
    assert _sum_formula_total(monthly, "stay [USD]") == pytest.approx(
        case.summary.loc["stay", "total_cost_usd"], rel=1e-12
    )


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e9, 1e9), st.integers(0, 10**6)), min_size=1, max_size=12))
def test_every_sum_formula_covers_exactly_the_rows_of_its_column(
    rows: list[tuple[float, int]],
) -> None:
    frame = pd.DataFrame(rows, columns=["cost_usd", "volume_gb"])
    table = Table("T", "t", frame, total_columns=("cost_usd", "volume_gb"))
    report = Report(
        title="t",
        headline=Headline("d", "m", 0.0, 0.0, 0.0),
        sections=(Section("s", tables=(table,)),),
        assumptions=pd.DataFrame(columns=list(ASSUMPTION_COLUMNS)),
        provenance=pd.DataFrame(columns=list(PROVENANCE_COLUMNS)),
    )
    sheet = build_workbook(report)["T"]
    last = 2 + len(rows)
    # Every column is summed, so the label goes one past the last.
    assert sheet.cell(row=last + 1, column=3).value == "total"
    for j, column in enumerate(frame.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        assert sheet.cell(row=last + 1, column=j).value == f"=SUM({letter}3:{letter}{last})"
        cells = [sheet.cell(row=r, column=j).value for r in range(3, last + 1)]
        assert cells == frame[column].tolist()
