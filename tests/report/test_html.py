"""The HTML report: headline first, every figure embedded, nothing fetched from elsewhere."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from exitcost.report import Report, Section, Table, write_report
from exitcost.report.html import format_cell, render_html


@pytest.fixture
def report(hand_worked_report: Report) -> Report:
    return hand_worked_report


@pytest.fixture
def page(hand_worked_page: str) -> str:
    return hand_worked_page


def test_the_headline_and_its_range_come_first(page: str) -> None:
    decision = page.index("Take plan &#x27;colo&#x27;: it beats &#x27;stay&#x27; in 62%")
    assert decision < page.index("<h2>")
    assert "<strong>$7,000</strong> median, from -$8,000 (P5) to $15,000 (P95)" in page


def test_every_figure_is_embedded_as_png_data(report: Report, page: str) -> None:
    images = re.findall(r"<img alt='[^']*' src='([^']*)'>", page)
    assert len(images) == len(report.figures()) == 6
    assert all(src.startswith("data:image/png;base64,") for src in images)


def test_nothing_is_loaded_from_elsewhere(page: str) -> None:
    assert "<script" not in page
    assert "<link" not in page
    for target in re.findall(r"(?:src|href)='([^']*)'", page):
        assert target.startswith("data:")


def test_tables_assumptions_and_price_books_are_shown(page: str) -> None:
    for heading in ("Assumptions", "Price books", "Exit bill of colo", "Lock-in clock"):
        assert f"<h2>{heading}</h2>" in page
    # The exit bill's total row: 30,000 + 40,000 + 5,000.
    assert "<tr class='total'><td>total</td><td class='num'>$75,000</td></tr>" in page
    assert "<td>2024-09-25</td><td>V</td>" in page
    assert "<th>amount [USD]</th>" in page


def test_an_empty_table_is_said_in_words(report: Report) -> None:
    empty = Table("Drivers", "Share of the variance by input", pd.DataFrame(columns=["share"]))
    page = render_html(replace(report, sections=(Section("Drivers", tables=(empty,)),)))
    assert "No rows: share of the variance by input has nothing to show." in page
    assert "Empty DataFrame" not in page


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (1234.5, "npv_usd", "$1,235"),
        (-50.0, "savings_usd", "-$50"),
        (0.62, "p_beats_first", "62.0%"),
        (pd.NA, "break_even_month_p50", "-"),
        (float("nan"), "x", "-"),
        (10, "month", "10"),
        (0.05, "low", "0.05"),
        (pd.Timestamp("2026-11-01"), "date", "2026-11-01"),
        (True, "flag", "yes"),
    ],
)
def test_cells_are_formatted_by_their_columns_unit(value: object, column: str, text: str) -> None:
    assert format_cell(value, column) == text


def test_write_report_writes_both_files(report: Report, page: str, tmp_path: Path) -> None:
    paths = write_report(report, tmp_path / "new" / "folder")
    assert sorted(p.name for p in (tmp_path / "new" / "folder").iterdir()) == [
        "report.html",
        "report.xlsx",
    ]
    assert paths["html"].read_text(encoding="utf-8") == page


def test_the_total_label_never_hides_a_total(report: Report) -> None:
    summed = Table("Sums", "All summed", pd.DataFrame({"a_usd": [1.0, 2.0]}), ("a_usd",))
    page = render_html(replace(report, sections=(Section("S", tables=(summed,)),)))
    assert "<tr class='total'><td class='num'>$3</td><td>total</td></tr>" in page
