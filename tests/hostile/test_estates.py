"""Estates at the edges of what validates: the analyses answer, or say in one line what they cannot.

``exitcost demo`` on an estate that ``exitcost validate`` accepts never ends in a traceback:
each part of the analysis that cannot be answered for it says so in one line and the other
parts are answered. Errors reach the user as one line and a non-zero exit status.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exitcost.cli import main

LOCATIONS = {
    "aws": '  - {id: "aws:us-east-1", kind: cloud, continent: north_america, jurisdiction: US}\n',
    "azure": '  - {id: "azure:westeurope", kind: cloud, continent: europe, jurisdiction: EU}\n',
    "onprem": '  - {id: "onprem:fra1", continent: europe, jurisdiction: EU}\n',
}

ESTATES = {
    # a provider holding only a bucket: leaving it is a data exit
    "bucket only": (
        "locations:\n" + LOCATIONS["aws"] + LOCATIONS["azure"] + "datasets:\n"
        '  - {id: d, location: "aws:us-east-1", size_gb: 1000, storage_class: archive}\n'
        "workloads:\n"
        '  - {id: w, location: "azure:westeurope", instances: 2, strategy: rehost}\n',
        r"B: leave aws for colo:aws-exit .* retrieval \$10 ",
    ),
    # no cloud at all: no data leaves a cloud, and the rest is answered
    "no cloud": (
        "locations:\n" + LOCATIONS["onprem"] + "datasets:\n"
        '  - {id: d, location: "onprem:fra1", size_gb: 1000}\n',
        r"Exit bill for the data: the estate holds no cloud location",
    ),
    # every figure at its plausible limit: the engine prices the horizon it is given
    "at the limits": (
        "locations:\n" + LOCATIONS["aws"] + "datasets:\n"
        '  - {id: d, location: "aws:us-east-1", size_gb: 1073741824}\n'
        "workloads:\n"
        '  - {id: w, location: "aws:us-east-1", team: t, code_kloc: 50000, instances: 1000000,'
        " strategy: refactor, compute_usd_per_month: 1e12}\n"
        "teams:\n"
        "  - {id: t, usd_per_person_day: 100000, capacity_person_days_per_month: 0.5}\n",
        r"B: leave aws for colo:aws-exit .* dual_running \$58,000,000,000,000 ",
    ),
}


@pytest.mark.parametrize("name", ESTATES)
def test_a_valid_estate_is_analysed_or_told_what_cannot_be(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body, note = ESTATES[name]
    path = tmp_path / "estate.yaml"
    path.write_text(f"name: {name}\nas_of: 2026-11-01\n{body}", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["demo", str(path)]) == 0
    out, err = capsys.readouterr()
    assert all(line.startswith("exitcost: warning: ") for line in err.splitlines()), err
    assert "cannot be answered" not in out
    assert re.search(note, " ".join(out.split())), out  # wrapped lines read as one
    assert "Estate inventory" in out or "inventory" in out.lower()  # the rest is answered


def test_cli_errors_are_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: x\nas_of: 9999-12-31\nlocations:\n" + LOCATIONS["aws"] + "datasets:\n"
        '  - {id: d, location: "aws:us-east-1", size_gb: "1e400 TB"}\n',
        encoding="utf-8",
    )
    assert main(["demo", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("exitcost: error: 2 problems in estate")
    assert "as_of: must be a date between 1990-01-01 and 2200-12-31" in err
    assert "Traceback" not in err
