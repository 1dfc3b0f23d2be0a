"""Reports of exitcost results: plots, a self-contained HTML page and an Excel workbook.

Needs the ``report`` extra (``pip install 'exitcost[report]'``: matplotlib and openpyxl);
``import exitcost`` never imports this package, and this package imports matplotlib and
openpyxl only when a plot, a builder or a writer is used.

* :mod:`exitcost.report.plots`: one function per figure, each taking a result frame;
* :mod:`exitcost.report.content`: :class:`Report`, what a report holds, format-free;
* :mod:`exitcost.report.build`: :func:`simulation_report` and :func:`case_report` fill one;
* :mod:`exitcost.report.html` and :mod:`exitcost.report.excel`: the two writers;
* :func:`write_report`: both files into a folder.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exitcost.report.content import Headline, Report, Section, Table

if TYPE_CHECKING:
    from exitcost.report.build import book_sources, case_report, simulation_report

_LAZY = {"book_sources": "build", "case_report": "build", "simulation_report": "build"}


def __getattr__(name: str) -> Any:
    """Import the builders (and so matplotlib) only when one is used."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"exitcost.report.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'exitcost.report' has no attribute {name!r}")


__all__ = [
    "Headline",
    "Report",
    "Section",
    "Table",
    "book_sources",
    "case_report",
    "simulation_report",
    "write_report",
]


def write_report(
    report: Report, out_dir: str | os.PathLike[str], *, stem: str = "report"
) -> dict[str, Path]:
    """Write ``report`` into ``out_dir`` as ``<stem>.html`` and ``<stem>.xlsx``.

    The folder is created if needed. Each file is written atomically: a failure leaves no
    half-written file (an earlier complete one stays as it was).

    Returns
    -------
    dict
        ``{"html": path, "xlsx": path}``.
    """
    from exitcost.report.excel import write_excel
    from exitcost.report.html import write_html

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "html": write_html(report, folder / f"{stem}.html"),
        "xlsx": write_excel(report, folder / f"{stem}.xlsx"),
    }
