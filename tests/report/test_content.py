"""Report content: headers with units, table and report checks, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError
from exitcost.report.content import (
    ASSUMPTION_COLUMNS,
    PROVENANCE_COLUMNS,
    Headline,
    Report,
    Section,
    Table,
    atomic_write,
    column_header,
    column_unit,
)


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("npv_p50_usd", "npv p50 [USD]"),
        ("compute_usd_per_month", "compute [USD/month]"),
        ("read_gb_per_month", "read [GB/month]"),
        ("size_gb", "size [GB]"),
        ("storage_usd_per_gb_month", "storage [USD/GB-month]"),
        ("programme_months", "programme [months]"),
        ("break_even_month", "break even [month]"),
        ("discount_rate_per_year", "discount rate [1/year]"),
        ("usd", "amount [USD]"),
        ("share", "share [fraction]"),
        ("p_beats_first", "p beats first [fraction]"),
        ("category", "category"),
    ],
)
def test_headers_carry_the_unit_the_name_states(name: str, header: str) -> None:
    assert column_header(name) == header


@settings(max_examples=25)
@given(st.from_regex(r"[a-z]{1,8}(_[a-z]{1,8}){0,3}", fullmatch=True))
def test_a_name_with_a_usd_suffix_always_has_a_usd_header(stem: str) -> None:
    assert column_unit(f"{stem}_usd") == "USD"
    assert column_header(f"{stem}_usd").endswith("[USD]")


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _report(*tables: Table) -> Report:
    return Report(
        title="t",
        headline=Headline("d", "m", 1.0, 2.0, 3.0),
        sections=(Section("s", tables=tables),),
        assumptions=_empty(ASSUMPTION_COLUMNS),
        provenance=_empty(PROVENANCE_COLUMNS),
    )


class TestTable:
    @pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "sheet[1]"])
    def test_a_name_that_cannot_name_a_worksheet_is_refused(self, name: str) -> None:
        with pytest.raises(InvalidParameterError, match="names a worksheet"):
            Table(name, "title", pd.DataFrame({"a": [1]}))

    def test_total_columns_must_exist(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"Got \['b_usd'\] instead"):
            Table("t", "title", pd.DataFrame({"a_usd": [1.0]}), total_columns=("b_usd",))

    def test_a_named_index_becomes_the_first_column(self) -> None:
        frame = pd.DataFrame({"usd": [1.0]}, index=pd.Index(["egress"], name="category"))
        assert Table("t", "x", frame).shown().columns.tolist() == ["category", "usd"]


class TestReport:
    def test_table_names_are_unique(self) -> None:
        table = Table("Plans", "x", pd.DataFrame({"a": [1]}))
        with pytest.raises(InvalidParameterError, match=r"\['Plans'\] more than once"):
            _report(table, table)

    def test_a_table_cannot_take_a_sheet_the_workbook_uses(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"\['Summary'\] more than once"):
            _report(Table("Summary", "x", pd.DataFrame({"a": [1]})))

    def test_provenance_needs_dates_and_labels(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"\['effective_date', 'label'\]"):
            Report(
                title="t",
                headline=Headline("d", "m", 1.0, 2.0, 3.0),
                sections=(),
                assumptions=_empty(ASSUMPTION_COLUMNS),
                provenance=pd.DataFrame(columns=["provider", "source"]),
            )


class TestAtomicWrite:
    def test_writes_the_whole_file(self, tmp_path: Path) -> None:
        target = atomic_write(tmp_path / "a.txt", lambda p: p.write_text("all of it"))
        assert target.read_text() == "all of it"
        assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]

    def test_a_failure_leaves_no_file_and_no_temporary(self, tmp_path: Path) -> None:
        def half(path: Path) -> None:
            path.write_text("half of it")
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError, match="disk full"):
            atomic_write(tmp_path / "a.txt", half)
        assert list(tmp_path.iterdir()) == []

    def test_a_failure_keeps_the_previous_complete_file(self, tmp_path: Path) -> None:
        target = tmp_path / "a.txt"
        target.write_text("previous")

        def fail(path: Path) -> None:
            path.write_text("new but")
            raise OSError("interrupted")

        with pytest.raises(OSError, match="interrupted"):
            atomic_write(target, fail)
        assert target.read_text() == "previous"
        assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
