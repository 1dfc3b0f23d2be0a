"""Output helpers shared by the sub-commands: tables within 100 columns, CSV, JSON, errors.

Tables are formatted from the API's frames by their column names (``*_usd`` as money,
``*_gb`` and ``*_gb_per_month`` as whole GB, fractions in percent) and wrapped to
:data:`WIDTH` columns; an empty table is said in words, never printed as
``Empty DataFrame``.

Examples
--------
>>> import pandas as pd
>>> print(format_frame(pd.DataFrame({"plan": ["stay"], "npv_usd": [1234.5]})))
plan npv [USD]
stay    $1,235
>>> print(format_frame(pd.DataFrame(columns=["plan"]), empty="no plans to show"))
  (no plans to show)
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any, Final

import numpy as np
import pandas as pd

from exitcost._cli import TEXT_WIDTH
from exitcost.report.content import column_header, column_unit
from exitcost.units import format_usd

__all__ = ["FORMATS", "WIDTH", "fail", "format_frame", "frame_records", "json_text"]

WIDTH: Final = TEXT_WIDTH
"""Text output stays within this many columns."""

FORMATS: Final[tuple[str, ...]] = ("table", "csv", "json")
"""Values of the ``--format`` option."""

EXIT_USAGE: Final = 2


def _cell(value: Any, column: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        unit = column_unit(column)
        if unit in ("USD", "USD/month"):
            return format_usd(number, 0)
        if unit == "USD/GB":
            return f"{number:.4f}"
        if unit in ("GB", "GB/month"):
            return "unbounded" if math.isinf(number) else f"{number:,.0f}"
        if unit == "fraction":
            return f"{number:.0%}"
        if number.is_integer():
            return f"{int(number):,d}"
        return f"{number:,.2f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m}"
    return str(value)


def format_frame(frame: pd.DataFrame, *, empty: str = "nothing to show", width: int = WIDTH) -> str:
    """A frame as text within ``width`` columns; ``empty`` in words when it has no rows.

    A named index is shown as the first column. Headers carry their unit in brackets.
    """
    if frame.empty:
        return f"  ({empty})"
    shown = frame.reset_index() if frame.index.name is not None else frame
    text = pd.DataFrame(
        {column_header(str(c)): [_cell(v, str(c)) for v in shown[c]] for c in shown.columns}
    )
    return text.to_string(index=False, line_width=width)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain JSON-ready dicts: NA as None, numpy scalars as Python numbers, dates ISO."""
    shown = frame.reset_index() if frame.index.name is not None else frame
    records: list[dict[str, Any]] = json.loads(
        shown.to_json(orient="records", date_format="iso", double_precision=15)
    )
    return records


def json_text(payload: Any) -> str:
    """``payload`` as indented JSON text (infinity as null)."""

    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(payload), indent=2) + "\n"


def fail(command: str, message: str, *, status: int = EXIT_USAGE) -> int:
    """Print ``exitcost COMMAND: message`` on one line of stderr; return ``status``."""
    print(f"exitcost {command}: {' '.join(message.split())}", file=sys.stderr)
    return status
