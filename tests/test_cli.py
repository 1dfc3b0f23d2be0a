"""Tests for the exitcost command (exitcost.cli)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from exitcost import __version__
from exitcost._resources import data_dir
from exitcost.cli import demo_text, main
from exitcost.estate import sample_estate

_SAMPLE_FILE = data_dir("estates") / "sample.yaml"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"exitcost {__version__}"


def test_demo_prints_inventory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Inventory of estate 'Northwind Retail (fictional)'")
    assert "By location" in out
    assert "By provider" in out
    assert "aws:us-east-1" in out
    assert " PB" in out  # sizes formatted with units
    assert "$" in out
    assert out == demo_text(sample_estate())


def test_demo_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for title in (
        "Stay: baseline run cost per month",
        "Data gravity:",
        "Exit bill for the data if it all moved now:",
        "Exit bill for leaving aws, azure:",
        "Stay or leave, over five years: the plans side by side",
    ):
        assert title in out
    for category in ("egress", "labour", "dual_running", "commitments"):
        assert f"\n{category} " in out


def test_demo_volumes_are_whole_gb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    # a wide table continues in blocks of columns: read the location's rows of every block
    rows = [x for x in capsys.readouterr().out.splitlines() if x.startswith("aws:us-east-1 ")]
    line = " ".join(rows) + " "
    assert "446,600 " in line  # read GB/month of the sample's us-east-1, no decimals
    assert "446,600.0" not in line


def test_demo_fits_in_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_demo_customer_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--customer-jurisdiction", "DE"]) == 0
    out = capsys.readouterr().out
    assert "Stay or leave, over five years" in out
    assert main(["demo", "--customer-jurisdiction", "Germany"]) == 1
    assert "'customer_jurisdiction' parameter" in capsys.readouterr().err


def test_demo_on_an_estate_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    sample_estate().update({"name": "Mine"}).to_yaml(path)
    assert main(["demo", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Inventory of estate 'Mine'")
    assert main(["demo", str(tmp_path / "missing.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.yaml"
    sample_estate().to_yaml(path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: valid estate 'Northwind Retail (fictional)'" in out
    assert "13 locations, 25 datasets, 36 workloads, 7 contracts, 5 teams" in out


def test_validate_invalid_file_prints_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_estate().to_dict()
    data["datasets"][0]["size_gb"] = -1
    data["workloads"][3]["reads"][0]["dataset"] = "gone"
    data["teams"][0]["colour"] = "red"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == f"{path}: invalid estate (3 problems)"
    assert "  datasets[0].size_gb: must be >= 0 (got -1)" in lines
    assert any(
        line.startswith("  workloads[3].reads[0].dataset: unknown dataset") for line in lines
    )
    assert any(line.startswith("  teams[0].colour: unknown field 'colour'") for line in lines)
    assert "Traceback" not in captured.out + captured.err


def test_validate_checks_locations_against_the_price_books(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_estate().to_dict()
    data["locations"][0]["continent"] = "europe"  # aws:us-east-1 is in North America
    path = tmp_path / "wrong-continent.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "problem against the price books" in out
    assert "locations[0].continent" in out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["workloads"][0]["services"].__setitem__(0, "aws.ec3"),
            "workloads[0].services[0].service: not in the service catalog",
        ),
        (
            lambda d: d["contracts"][0].__setitem__("provider", "awss"),
            "contracts[0].provider: no location of the estate has this provider, but 'aws'",
        ),
    ],
)
def test_validate_checks_services_and_contract_providers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, expected: str
) -> None:
    data = sample_estate().to_dict()
    change(data)
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert expected in capsys.readouterr().out


def test_validate_not_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: [unclosed")
    assert main(["validate", str(path)]) == 1
    assert "not valid YAML" in capsys.readouterr().out


def test_validate_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "does-not-exist.yaml"]) == 2
    assert "does-not-exist.yaml: no such file" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_entry_point_runs_as_a_program(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("exitcost")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "exitcost.cli"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nas_of: 2026-11-01\nlocations: [{id: nowhere}]\n")
    result = subprocess.run(
        [*command, "validate", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "locations[0].id: must be a location id" in result.stdout
    assert "Traceback" not in result.stderr
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert __version__ in version.stdout


def test_help_lists_commands_examples_and_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for text in ("demo", "validate", "exitcost validate my-estate.yaml", "exit status: 0"):
        assert text in out
    assert main(["validate", "--help"]) == 0
    assert "Exit status 0 when all files are valid, 1 when any is invalid" in " ".join(
        capsys.readouterr().out.split()
    )


def test_validate_groups_a_repeated_problem_in_file_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One mistyped location id makes every reference to it dangle; the list must stay readable.
    data = sample_estate().to_dict()
    # aws:us-west-2 holds 2 datasets, runs 3 workloads and has 1 contract: 6 references.
    data["locations"][1]["id"] = "AWS us-west-2"
    data["teams"][0]["usd_per_person_day"] = -3
    data["datasets"][5]["size_gb"] = "lots"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: invalid estate (9 problems)"
    assert lines[1].startswith("  locations[1].id: must be a location id")
    assert lines[2].startswith("  datasets[5].size_gb: must be a number")
    assert lines[3].startswith(
        "  unknown location; did you mean 'aws:us-east-1' or 'aws:eu-west-1'? "
        "Valid: 'aws:eu-central-1'"
    )
    assert lines[3].endswith("(got 'aws:us-west-2') at 6 paths:")
    assert "'AWS us-west-2'" not in lines[3]  # a malformed id is no valid choice
    assert lines[4].strip().startswith("datasets[10].location, datasets[11].location, workloads[")
    assert lines[-1] == "  teams[0].usd_per_person_day: must be > 0 (got -3)"
    assert lines[5].strip() == "workloads[16].location, contracts[3].location"
    assert len(lines) == 7


def test_validate_a_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a directory, not a regular file" in capsys.readouterr().err


def test_output_closed_early_is_no_traceback() -> None:
    # `exitcost ... | head` closes the pipe before everything is written.
    exe = Path(sys.executable).with_name("exitcost")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "exitcost.cli"]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes anything
    try:
        result = subprocess.run(
            [*command, "validate", str(_SAMPLE_FILE)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert result.returncode == 1
