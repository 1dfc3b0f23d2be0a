"""Fixtures for the FOCUS ingest tests: the small hand-written exports and helpers to break them.

The files in ``fixtures/`` were written for these tests, one per FOCUS version:

- ``focus_1_0.csv``: AWS and Microsoft, USD, 7 rows (a credit of -10.00), BilledCost sum 263.70.
- ``focus_1_1.csv``: Google Cloud and AWS, USD, 7 rows (a savings-plan purchase, tax),
  BilledCost sum 436.50; adds SkuMeter and ServiceSubcategory.
- ``focus_1_2.csv``: Microsoft and Oracle, EUR, 7 rows (a correction of -5.00), BilledCost sum
  52.05; adds BillingAccountType, InvoiceId, PricingCurrency.
- ``focus_1_3.csv``: AWS and Google Cloud, USD, 6 rows (a credit of -2.00), BilledCost sum 102.00;
  ServiceProviderName and HostProviderName instead of ProviderName and PublisherName.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from exitcost.ingest import read_focus

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VERSIONS = ("1_0", "1_1", "1_2", "1_3")


def fixture_path(version: str) -> Path:
    """The hand-written export of one FOCUS version (``"1_0"`` ... ``"1_3"``)."""
    return FIXTURES / f"focus_{version}.csv"


@cache
def _read_fixture(version: str) -> pd.DataFrame:
    return read_focus(fixture_path(version))


def read_fixture(version: str) -> pd.DataFrame:
    """A fresh copy of :func:`read_focus` of one fixture, read once per test session."""
    return _read_fixture(version).copy()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file, read with the csv module (independent of pandas)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write a CSV file with the csv module; returns ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def decimal_sum(path: Path, column: str) -> Decimal:
    """Exact decimal sum of one column of a CSV file, nulls (empty, NULL) skipped."""
    header, rows = read_rows(path)
    index = header.index(column)
    return sum(
        (Decimal(r[index]) for r in rows if r[index] not in ("", "NULL")),
        start=Decimal(0),
    )


@pytest.fixture
def sample_path(shared_dir: Path) -> Path:
    """The public FOCUS 1.0 sample (../shared/data/focus/focus_sample_1.0.csv)."""
    path = shared_dir / "data" / "focus" / "focus_sample_1.0.csv"
    if not path.is_file():
        pytest.skip("the FOCUS sample is not in ../shared")
    return path
