"""``exitcost route``: the cheapest path, its tier arithmetic, the default path; bad arguments."""

from __future__ import annotations

import json

import pytest

from exitcost.cli import main

# AWS us-east-1 internet egress (data/pricing/aws/2024-09-25.yaml): the first 100 GB a month
# free, then 0.09 USD/GB to 10,240 GB, 0.085 to 51,200, 0.07 to 153,600, 0.05 beyond.
# 20 TB = 20,480 GB: 10,140 * 0.09 + 10,240 * 0.085 = 912.60 + 870.40 = 1,783.00 USD.
DIRECT_20TB_USD = 1_783.0
# 500 TB = 512,000 GB: 912.60 + 40,960 * 0.085 + 102,400 * 0.07 + 358,400 * 0.05 = 29,482.20.
INTERNET_500TB_USD = 29_482.2


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["route", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_table_output_within_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(
        capsys, "aws:us-east-1", "gcp:europe-west4", "--volume", "500TB", "--as-of", "2026-11-01"
    )
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "Cheapest way to move 500.0 TB (512,000 GB) a month from aws:us-east-1 to gcp:europe-west4:"
    )
    assert lines[1].startswith(f"${INTERNET_500TB_USD:,.0f}, priced with the books in effect on")
    assert "(aws 2024-09-25, gcp 2026-10-31)" in lines[1]
    assert "Tier arithmetic of one month" in lines
    assert (
        "  1    5    153,600  unbounded           358,400        0.0500          $17,920" in lines
    )
    assert max(len(line) for line in lines) <= 100


def test_json_names_the_cheaper_route_and_the_default_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(
        capsys, "aws:us-east-1", "colo:ams1", "--volume", "20 TB", "--format", "json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["volume_gb"] == 20_480.0
    assert data["direct_cost_usd"] == pytest.approx(DIRECT_20TB_USD)
    assert data["cost_usd"] < data["direct_cost_usd"]
    assert data["savings_usd"] == pytest.approx(data["direct_cost_usd"] - data["cost_usd"])
    assert [hop["transfer_class"] for hop in data["hops"]] == ["interconnect"]
    assert sum(t["usd_per_month"] for t in data["tiers"]) == pytest.approx(
        data["hops"][0]["variable_usd"]
    )


def test_csv_has_one_row_per_hop(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        capsys, "aws:us-east-1", "internet", "--volume", "20TB", "--format", "csv"
    )
    assert status == 0
    header, row = out.splitlines()
    assert header.split(",")[:3] == ["hop", "src", "dst"]
    assert row.split(",")[-1] == f"{DIRECT_20TB_USD}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--volume", "5XB"], "exitcost route: --volume: The 'volume' value must be a size"),
        (["--volume", "-5TB"], "exitcost route: --volume: The 'volume' value must be a finite, "),
        (["--volume=-5TB"], "exitcost route: --volume: The 'volume' value must be a finite, "),
        (["--volume", "-0.5 PiB"], "exitcost route: --volume: The 'volume' value must be a "),
        (["--volume", "5TB", "--months", "-1"], "exitcost route: --months must be > 0; got -1"),
        (["--volume", "5TB", "--months", "0"], "exitcost route: --months must be > 0; got 0"),
    ],
)
def test_a_bad_argument_is_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = _run(capsys, "aws:us-east-1", "colo:ams1", *argv)
    assert status == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_an_unknown_provider_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "foo:x", "colo:ams1", "--volume", "1TB")
    assert status == 2
    assert err.startswith("exitcost route: unknown provider 'foo' (valid: aws, azure,")


def test_an_unknown_region_is_an_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "aws:us-east-9", "colo:ams1", "--volume", "1TB")
    assert status == 1
    assert err.startswith("exitcost: error: Location 'aws:us-east-9'")
    assert err.count("\n") == 1


def test_volume_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "aws:us-east-1", "colo:ams1")
    assert status == 2
    assert "the following arguments are required: --volume" in err
