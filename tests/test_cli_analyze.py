"""``exitcost analyze`` and ``exitcost demo --out``: output, reports and bad arguments."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from exitcost._cli.analyze import decision_text, load_plans, write_estate_report
from exitcost._resources import data_dir
from exitcost.cli import main
from exitcost.errors import InvalidParameterError
from exitcost.estate import sample_estate

pytest.importorskip("matplotlib")
from tests.report.conftest import HandWorkedSimulation

SAMPLE = str(data_dir("estates") / "sample.yaml")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_decision_text_leads_with_the_decision_within_100_columns() -> None:
    text = decision_text(HandWorkedSimulation())
    lines = text.splitlines()
    assert lines[0] == "Take plan 'colo': it beats 'stay' in 62% of scenarios."
    assert lines[1] == (
        "Savings NPV of colo against stay: $7,000 median (-$8,000 to $15,000, P5 to P95)"
    )
    # The stay baseline: 12 months of 10,000 USD (tests/report/conftest.py).
    assert lines[-1] == (
        "Stay baseline (stay): $120,000 over 12 months (expected), $10,000 in the first month"
    )
    assert "Exit bill of colo (one-off, expected)" in lines
    assert max(len(line) for line in lines) <= 100
    assert "Empty DataFrame" not in text


def test_decision_text_says_an_empty_exit_bill_in_words() -> None:
    class NoBill(HandWorkedSimulation):
        def exit_bill(self, plan: str):  # type: ignore[no-untyped-def]
            return super().exit_bill("stay")

    assert "  (no one-off exit costs)" in decision_text(NoBill()).splitlines()


def test_write_estate_report_writes_html_and_workbook(tmp_path: Path) -> None:
    import openpyxl

    paths = write_estate_report(sample_estate(), HandWorkedSimulation(), tmp_path)
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    book = openpyxl.load_workbook(paths["xlsx"])
    assert "Inventory" in book.sheetnames
    assert book["Inventory"]["A1"].value == "Inventory of Northwind Retail (fictional)"


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["analyze", "no-such.yaml"], 2, "exitcost analyze: no-such.yaml: no such file"),
        (["analyze", SAMPLE, "--horizon", "0"], 2, "exitcost analyze: --horizon must be >= 1"),
        (["analyze", SAMPLE, "--scenarios", "-5"], 2, "exitcost analyze: --scenarios must be"),
        (["analyze", SAMPLE, "--plans", "nope.yaml"], 2, "exitcost analyze: --plans nope.yaml"),
        (["analyze", SAMPLE, "--format", "xml"], 2, "usage: exitcost analyze"),
    ],
)
def test_a_bad_argument_is_refused_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str], status: int, message: str
) -> None:
    got, out, err = _run(capsys, *argv)
    assert got == status
    assert out == ""
    assert err.startswith(message)


def test_a_plans_file_must_hold_a_list(tmp_path: Path) -> None:
    plans = tmp_path / "plans.yaml"
    plans.write_text("plans: 3\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="must hold a non-empty list of plans"):
        load_plans(plans)
    plans.write_text("- stay\n", encoding="utf-8")
    with pytest.raises(InvalidParameterError, match=r"plans\[0\] of .* must be a mapping"):
        load_plans(plans)


def test_analyze_on_the_sample(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = _run(
        capsys, "analyze", SAMPLE, "--scenarios", "50", "--horizon", "36", "--out", str(tmp_path)
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(("Take plan", "Keep"))
    assert max(len(line) for line in lines) <= 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]


def test_analyze_json_is_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "analyze", SAMPLE, "--scenarios", "20", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert {"summary", "assumptions", "provenance"} <= set(data)
    assert all("npv_p50_usd" in row for row in data["summary"])


def test_demo_out_writes_the_report_of_the_sample(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = _run(capsys, "demo", "--out", str(tmp_path / "report"))
    assert status == 0
    assert out.startswith("Inventory of estate")
    assert "report.html" in err
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "report.html",
        "report.xlsx",
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_appears_only_after_a_second_and_a_half(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from exitcost._cli import analyze

    clock = iter([100.0, 100.5, 102.0, 103.0])  # start, then three updates
    monkeypatch.setattr(analyze.time, "monotonic", lambda: next(clock))
    terminal = _Terminal()
    monkeypatch.setattr(analyze.sys, "stderr", terminal)
    update = analyze._progress_bar()
    update(10, 40)  # 0.5 s in: nothing yet
    assert terminal.getvalue() == ""
    update(20, 40)  # 2 s in: half the bar
    assert terminal.getvalue() == "\rsimulating [" + "#" * 20 + "." * 20 + "] 20/40"
    update(40, 40)  # done: a full bar and a new line
    assert terminal.getvalue().endswith("[" + "#" * 40 + "] 40/40\n")


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from exitcost._cli import analyze

    monkeypatch.setattr(analyze.time, "monotonic", iter([0.0, 5.0]).__next__)
    pipe = io.StringIO()
    monkeypatch.setattr(analyze.sys, "stderr", pipe)
    analyze._progress_bar()(1, 2)
    assert pipe.getvalue() == ""


def test_demo_out_needs_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "demo", "--out")
    assert status == 2
    assert out == ""
    assert "argument --out: expected one argument" in err
