"""``exitcost prices``: listing, coverage page, imports and usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitcost.cli import main
from exitcost.pricing import read_price_book

LISTS = Path(__file__).resolve().parents[1] / "pricing" / "price_lists"


def test_prices_lists_books_and_a_region(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prices", "--as-of", "2026-12-02"]) == 0
    assert "oci         2026-09-20   39 regions  standard, infrequent, archive" in (
        capsys.readouterr().out
    )
    assert main(["prices", "oci", "--region", "eu-frankfurt-1", "--as-of", "2026-12-02"]) == 0
    assert "Object Storage Archive" in capsys.readouterr().out


def test_prices_coverage_prints_the_generated_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prices", "--coverage"]) == 0
    out = capsys.readouterr().out
    page = Path(__file__).resolve().parents[2] / "docs" / "pricing-coverage.md"
    assert out == page.read_text(encoding="utf-8")


def test_prices_import_writes_a_valid_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gcp.yaml"
    code = main(
        ["prices", "import", "gcp", str(LISTS / "gcp_billing_catalog.json"), "--out", str(out)]
    )
    assert code == 0
    assert "in effect from 2026-07-30" in capsys.readouterr().out
    assert read_price_book(out).storage_class("europe-west1", "standard").label == "V"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["prices", "import", "aws"], "usage: exitcost prices import"),
        (["prices", "import", "aws", "missing.json", "--out", "x.yaml"], "no such file"),
        (["prices", "aws", "gcp"], "at most one PROVIDER"),
        (["prices", "--region", "us-east-1"], "--region needs a PROVIDER"),
        (["prices", "aws", "--coverage"], "--coverage takes no PROVIDER"),
    ],
)
def test_prices_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_prices_malformed_list_is_an_error_naming_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "oci.json"
    broken.write_text('{"lastUpdated": "2026-09-09", "items": [{"partNumber": "B91628"}]}')
    assert main(["prices", "import", "oci", str(broken), "--out", str(tmp_path / "o.yaml")]) == 1
    assert "record items[0] (partNumber B91628)" in capsys.readouterr().err
