"""The core import and the command line stay light: no matplotlib, no openpyxl until used."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(statement: str) -> list[str]:
    code = (
        f"import sys\n{statement}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'matplotlib', 'openpyxl'})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.split()


def test_import_exitcost_and_its_cli_load_no_plotting_or_excel() -> None:
    assert _loaded_after("import exitcost, exitcost.cli, exitcost.report") == []


def test_a_builder_loads_matplotlib_only_when_used() -> None:
    assert _loaded_after("from exitcost.report import simulation_report") == ["matplotlib"]
