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


def test_plotting_and_excel_load_only_when_used() -> None:
    # exitcost, its command line and exitcost.report load neither; a builder loads matplotlib.
    assert _loaded_after(
        "import exitcost, exitcost.cli, exitcost.report\n"
        "assert not {m.split('.')[0] for m in sys.modules} & {'matplotlib', 'openpyxl'}\n"
        "from exitcost.report import simulation_report"
    ) == ["matplotlib"]
