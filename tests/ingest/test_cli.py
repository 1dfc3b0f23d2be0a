"""Tests for ``exitcost ingest focus`` (exitcost._cli.ingest)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from exitcost import Estate
from exitcost.cli import main
from tests.ingest.conftest import fixture_path


def test_table_output_shows_baseline_reconciliation_and_writes_the_skeleton(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "estate.yaml"
    assert main(["ingest", "focus", str(fixture_path("1_0")), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("FOCUS 1.0 export: 1 file(s), 7 rows, billed in USD, 1 month(s)")
    assert "Transfer rows: 3 of 3 classed (100.0%); 0 unclassed" in text
    assert "negative billed: 1 Credit row(s), -10.00 USD (e.g. focus_1_0.csv, row 5)" in text
    assert "Spend by provider and category, USD per month (amortised)" in text
    assert "Reconciliation: the bill next to the library's baseline" in text
    assert f"Written to {out}" in text
    assert max(len(line) for line in text.splitlines() if str(out) not in line) <= 100
    assert Estate.from_yaml(out).workload("amazon-elastic-compute-cloud-us-east-1")


def test_csv_output_is_the_reconciliation_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "focus", str(fixture_path("1_3")), "--format", "csv"]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    internet = table[(table["provider"] == "aws") & (table["transfer_class"] == "internet")]
    assert internet["billed_usd_per_month"].tolist() == [18.0]  # focus_1_3.csv: 200 GB, 18.00


def test_json_output_names_the_export_and_its_transfer_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["ingest", "focus", str(fixture_path("1_2")), "--format", "json"]
    assert main([*args, "--usd-per-unit", "1.1"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["export"]["currency"] == "EUR"
    assert (document["export"]["transfer_rows"], document["export"]["classed_rows"]) == (3, 3)
    assert {"reconciliation", "spend", "unclassified", "guesses"} <= set(document)


def test_a_bill_in_another_currency_without_a_rate_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ingest", "focus", str(fixture_path("1_2"))]) == 1
    assert "--usd-per-unit" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest", "focus", "x.csv", "--format", "xml"], "invalid choice: 'xml'"),
        (["ingest", "focus", "x.csv", "--focus-version", "0.5"], "invalid choice: '0.5'"),
        (["ingest", "focus"], "the following arguments are required: FILE"),
        (["ingest"], "the following arguments are required: FORMAT"),
        (["ingest", "focus", "no-such-export.csv"], "no such file or folder: no-such-export"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_reconciliation_by_service(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["ingest", "focus", str(fixture_path("1_0")), "--format", "csv", "--by", "service"]
    assert main(argv) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert "Amazon Simple Storage Service" in set(table["service"])
