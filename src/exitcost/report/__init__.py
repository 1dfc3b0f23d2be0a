"""Reports of exitcost results: plots, a self-contained HTML page and an Excel workbook.

Needs the ``report`` extra (``pip install 'exitcost[report]'``: matplotlib and openpyxl);
``import exitcost`` never imports this package.

* :mod:`exitcost.report.plots`: one function per figure, each taking a result frame;
* :mod:`exitcost.report.content`: :class:`Report`, what a report holds, format-free;
* :mod:`exitcost.report.build`: :func:`simulation_report` and :func:`case_report` fill one;
* :mod:`exitcost.report.html` and :mod:`exitcost.report.excel`: the two writers;
* :func:`write_report`: both files into a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from exitcost.report.build import book_sources, case_report, simulation_report
from exitcost.report.content import Headline, Report, Section, Table

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
