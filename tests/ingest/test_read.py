"""Tests for exitcost.ingest.read: reading FOCUS exports, and the errors for broken ones."""

from __future__ import annotations

import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.errors import ExitcostError
from exitcost.ingest import FocusError, focus_cost_notes, read_focus
from tests.ingest.conftest import VERSIONS, decimal_sum, fixture_path, read_rows, write_rows

# (version detected, currency, rows, providers, BilledCost sum written in the fixture)
EXPECTED = {
    "1_0": ("1.0", "USD", 7, {"AWS", "Microsoft"}, Decimal("263.70")),
    "1_1": ("1.1", "USD", 7, {"Google Cloud", "AWS"}, Decimal("436.50")),
    "1_2": ("1.2", "EUR", 7, {"Microsoft", "Oracle"}, Decimal("52.05")),
    "1_3": ("1.3", "USD", 6, {"Amazon Web Services", "Google Cloud"}, Decimal("102.00")),
}


@pytest.mark.parametrize("version", VERSIONS)
def test_each_focus_version_fixture_reads_with_its_version_currency_and_total(
    version: str,
) -> None:
    frame = read_focus(fixture_path(version))
    detected, currency, rows, providers, total = EXPECTED[version]
    assert frame.attrs["focus_version"] == detected
    assert frame.attrs["billing_currency"] == currency
    assert len(frame) == rows
    assert set(frame["ProviderName"].astype(str)) == providers
    assert Decimal(str(round(frame["BilledCost"].sum(), 2))) == total
    assert total == decimal_sum(fixture_path(version), "BilledCost")


def test_columns_get_compact_types_and_point_back_to_the_file() -> None:
    frame = read_focus(fixture_path("1_0"))
    assert isinstance(frame["ChargeDescription"].dtype, pd.CategoricalDtype)
    assert frame["BilledCost"].dtype == np.float64
    assert frame["ChargePeriodStart"].dtype == "datetime64[ns]"
    assert frame["ChargePeriodStart"].iloc[0] == pd.Timestamp("2026-01-01")
    assert list(frame["x_SourceRow"]) == list(range(1, 8))
    assert set(frame["x_SourceFile"].astype(str)) == {str(fixture_path("1_0"))}
    assert "Tags" not in frame.columns  # not needed, not read


def test_focus_1_3_gets_provider_name_from_service_provider_name() -> None:
    frame = read_focus(fixture_path("1_3"))
    assert list(frame["ProviderName"].astype(str)) == list(frame["ServiceProviderName"].astype(str))


def test_sample_reads_and_its_billed_cost_total_matches_the_file_to_the_cent(
    sample_path: Path,
) -> None:
    frame = read_focus(sample_path)
    assert len(frame) == 1000  # the sample's README: 1,000 rows
    assert frame.attrs["focus_version"] == "1.0"
    exact = decimal_sum(sample_path, "BilledCost")  # 20.52022672899... USD
    assert round(Decimal(str(frame["BilledCost"].sum())), 2) == round(exact, 2)
    assert round(exact, 2) == Decimal("20.52")


def test_sample_negative_costs_are_kept_and_reported(sample_path: Path) -> None:
    header, rows = read_rows(sample_path)
    index = header.index("BilledCost")
    negative = sum(1 for r in rows if r[index] not in ("", "NULL") and Decimal(r[index]) < 0)
    frame = read_focus(sample_path)
    notes = focus_cost_notes(frame)
    billed = notes[notes["issue"] == "negative billed"]
    assert int(billed["rows"].sum()) == negative == 13  # 1 credit, 12 usage corrections
    assert set(billed["ChargeCategory"]) == {"Credit", "Usage"}
    assert (frame["BilledCost"] < 0).sum() == negative


def test_cost_notes_name_the_credit_row_of_the_fixture() -> None:
    notes = focus_cost_notes(read_focus(fixture_path("1_0")))
    row = notes[notes["issue"] == "negative billed"].iloc[0]
    assert (row["ChargeCategory"], row["rows"], row["billed_cost"]) == ("Credit", 1, -10.0)
    assert row["example"].endswith("focus_1_0.csv, row 5")


def test_missing_costs_are_kept_and_reported(tmp_path: Path) -> None:
    header, rows = read_rows(fixture_path("1_0"))
    rows[1][header.index("BilledCost")] = ""
    frame = read_focus(write_rows(tmp_path / "missing.csv", header, rows))
    assert len(frame) == 7
    notes = focus_cost_notes(frame)
    assert list(notes["issue"]) == ["negative billed", "missing billed", "negative effective"]
    assert notes.loc[1, "example"].endswith("missing.csv, row 2")


def test_cost_notes_are_empty_for_clean_costs() -> None:
    frame = read_focus(fixture_path("1_3")).iloc[:5]
    assert focus_cost_notes(frame).empty


def test_a_folder_and_a_list_of_files_read_as_one_export(tmp_path: Path) -> None:
    for version in ("1_0", "1_3"):
        shutil.copy(fixture_path(version), tmp_path / f"{version}.csv")
    folder = read_focus(tmp_path)
    listed = read_focus([tmp_path / "1_0.csv", tmp_path / "1_3.csv"])
    assert len(folder) == len(listed) == 13
    assert folder.attrs["focus_version"] == "1.3"
    assert sorted(folder.attrs["focus_versions"].values()) == ["1.0", "1.3"]
    assert folder["BilledCost"].sum() == pytest.approx(263.70 + 102.00)
    pd.testing.assert_frame_equal(folder, listed)


def test_compressed_csv_reads_like_the_plain_file(tmp_path: Path) -> None:
    packed = tmp_path / "export.csv.gz"
    with gzip.open(packed, "wb") as handle:
        handle.write(fixture_path("1_1").read_bytes())
    plain = read_focus(fixture_path("1_1"))
    compressed = read_focus(packed)
    pd.testing.assert_frame_equal(
        plain.drop(columns="x_SourceFile"), compressed.drop(columns="x_SourceFile")
    )


def test_parquet_reads_like_the_csv(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "export.parquet"
    pd.read_csv(fixture_path("1_3")).to_parquet(path)
    frame = read_focus(path)
    assert frame.attrs["focus_version"] == "1.3"
    assert frame["BilledCost"].sum() == pytest.approx(102.0)
    assert frame["ChargePeriodStart"].iloc[0] == pd.Timestamp("2026-04-01")


def test_a_dataframe_reads_like_the_file() -> None:
    from_file = read_focus(fixture_path("1_2"))
    from_frame = read_focus(pd.read_csv(fixture_path("1_2")))
    assert from_frame.attrs["focus_versions"] == {"<DataFrame>": "1.2"}
    np.testing.assert_allclose(from_frame["BilledCost"], from_file["BilledCost"])
    assert list(from_frame["ChargePeriodStart"]) == list(from_file["ChargePeriodStart"])


@settings(max_examples=5)
@given(chunk_rows=st.integers(min_value=1, max_value=8))
def test_chunked_reading_gives_the_same_frame(chunk_rows: int) -> None:
    whole = read_focus(fixture_path("1_1"))
    chunked = read_focus(fixture_path("1_1"), chunk_rows=chunk_rows)
    pd.testing.assert_frame_equal(whole, chunked, check_categorical=False)
    for column in ("ChargeDescription", "ProviderName"):
        assert list(whole[column].astype(str)) == list(chunked[column].astype(str))


def test_a_generated_export_of_many_rows_reads_in_chunks_with_the_exact_total(
    tmp_path: Path,
) -> None:
    header, rows = read_rows(fixture_path("1_0"))
    rng = np.random.default_rng(7)
    cents = rng.integers(-500, 50_000, size=3000)
    index = header.index("BilledCost")
    big = []
    for i, cent in enumerate(cents):
        row = list(rows[i % len(rows)])
        row[index] = f"{cent / 100:.2f}"
        big.append(row)
    path = write_rows(tmp_path / "big.csv", header, big)
    frame = read_focus(path, chunk_rows=700)
    assert len(frame) == 3000
    assert round(frame["BilledCost"].sum(), 2) == int(cents.sum()) / 100
    assert frame["x_SourceRow"].iloc[-1] == 3000


# Malformed exports: each error names the file, the column and an example row.


def _broken(tmp_path: Path, version: str, row: int, column: str, value: str) -> Path:
    header, rows = read_rows(fixture_path(version))
    rows[row - 1][header.index(column)] = value
    return write_rows(tmp_path / "broken.csv", header, rows)


def test_missing_mandatory_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    header, rows = read_rows(fixture_path("1_0"))
    keep = [i for i, c in enumerate(header) if c != "ChargeCategory"]
    path = write_rows(
        tmp_path / "nocat.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    )
    with pytest.raises(FocusError, match=r"nocat\.csv: not a FOCUS 1\.0 export.*'ChargeCategory'"):
        read_focus(path)


def test_mixed_currencies_name_each_currency_with_an_example_row() -> None:
    with pytest.raises(
        FocusError,
        match=r"(?s)(?=.*'EUR' \(.*focus_1_2\.csv, row 1\))(?=.*'USD' \(.*focus_1_0\.csv, row 1\))"
        r"column 'BillingCurrency' must hold one currency",
    ):
        read_focus([fixture_path("1_0"), fixture_path("1_2")])


def test_impossible_date_names_the_column_and_the_row(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_0", 3, "ChargePeriodStart", "2026-02-30T00:00:00Z")
    with pytest.raises(
        FocusError,
        match=r"broken\.csv, row 3: column 'ChargePeriodStart' must be an ISO 8601 date\. "
        r"Got '2026-02-30T00:00:00Z'",
    ):
        read_focus(path)


def test_text_cost_names_the_column_and_the_row(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_1", 4, "BilledCost", "twelve")
    with pytest.raises(
        FocusError,
        match=r"broken\.csv, row 4: column 'BilledCost' must be a decimal number\. Got 'twelve'",
    ):
        read_focus(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(FocusError, match=r"empty\.csv: the file is empty"):
        read_focus(path)


def test_header_without_rows_is_refused(tmp_path: Path) -> None:
    header, _ = read_rows(fixture_path("1_0"))
    path = write_rows(tmp_path / "header.csv", header, [])
    with pytest.raises(FocusError, match=r"header\.csv.*has a header but no billing rows"):
        read_focus(path)


def test_parquet_file_that_is_not_focus_names_the_missing_columns(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "sales.parquet"
    pd.DataFrame({"order": [1, 2], "amount": [3.0, 4.0]}).to_parquet(path)
    with pytest.raises(
        FocusError, match=r"sales\.parquet: not a FOCUS 1\.0 export: mandatory columns 'BilledCost'"
    ):
        read_focus(path)


def test_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "fake.parquet"
    path.write_text("BilledCost\n1\n")
    with pytest.raises(FocusError, match=r"fake\.parquet: not a readable Parquet file"):
        read_focus(path)


def test_unknown_charge_category_names_the_valid_ones(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_0", 2, "ChargeCategory", "Discount")
    with pytest.raises(
        FocusError, match=r"row 2: column 'ChargeCategory' must be one of 'Adjustment', 'Credit'"
    ):
        read_focus(path)


def test_period_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_0", 6, "ChargePeriodEnd", "2025-12-01T00:00:00Z")
    with pytest.raises(
        FocusError, match=r"row 6: column 'ChargePeriodEnd' must be on or after ChargePeriodStart"
    ):
        read_focus(path)


def test_missing_currency_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_3", 2, "BillingCurrency", "")
    with pytest.raises(FocusError, match=r"row 2: column 'BillingCurrency' must be an ISO 4217"):
        read_focus(path)


def test_version_argument_checks_that_version_s_columns() -> None:
    with pytest.raises(FocusError, match=r"not a FOCUS 1\.3 export.*'HostProviderName'"):
        read_focus(fixture_path("1_0"), version="1.3")
    assert read_focus(fixture_path("1_3"), version="1.3").attrs["focus_version"] == "1.3"


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"version": "2.0"}, r"'version' parameter of read_focus must be one of '1\.0'"),
        ({"chunk_rows": 0}, r"'chunk_rows' parameter of read_focus must be a positive integer"),
    ],
)
def test_bad_arguments_are_refused(argument: dict[str, object], message: str) -> None:
    with pytest.raises(FocusError, match=message):
        read_focus(fixture_path("1_0"), **argument)  # type: ignore[arg-type]


def test_missing_path_and_empty_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FocusError, match=r"nowhere\.csv: no such file or folder"):
        read_focus(tmp_path / "nowhere.csv")
    with pytest.raises(FocusError, match=r"the folder holds no FOCUS export"):
        read_focus(tmp_path)
    with pytest.raises(FocusError, match=r"empty list of files"):
        read_focus([])


def test_focus_error_is_an_exitcost_value_error() -> None:
    assert issubclass(FocusError, ExitcostError)
    assert issubclass(FocusError, ValueError)


def test_account_ids_keep_their_leading_zeros(tmp_path: Path) -> None:
    path = _broken(tmp_path, "1_0", 1, "BillingAccountId", "012345678901")
    frame = read_focus(path)
    assert frame["BillingAccountId"].astype(str).iloc[0] == "012345678901"
