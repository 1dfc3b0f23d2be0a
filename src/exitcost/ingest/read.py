"""Reading FOCUS billing exports (CSV, compressed CSV, Parquet) into one checked DataFrame.

Only the columns exitcost uses are read (:data:`~exitcost.ingest.columns.READ_COLUMNS`); text
columns become categoricals, dates are parsed once per distinct value, and CSV files are read in
chunks, so an export of millions of rows fits in memory. Every check names the file, the column
and an example row. Rows with a negative or missing cost are kept (credits, refunds,
corrections); :func:`focus_cost_notes` lists them.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({
...     "BilledCost": [10.0, -2.5], "EffectiveCost": [10.0, -2.5], "ListCost": [12.0, 0.0],
...     "ContractedCost": [10.0, 0.0], "PricingQuantity": [5.0, 0.0],
...     "BillingAccountId": "1", "BillingAccountName": "acme", "BillingCurrency": "USD",
...     "BillingPeriodStart": "2026-01-01", "BillingPeriodEnd": "2026-02-01",
...     "ChargePeriodStart": "2026-01-03", "ChargePeriodEnd": "2026-01-04",
...     "ChargeCategory": ["Usage", "Credit"], "ChargeClass": None,
...     "ChargeDescription": ["$2 per GB - data transfer out", "credit"],
...     "InvoiceIssuerName": "AWS", "PricingUnit": ["GB", "Units"], "ProviderName": "AWS",
...     "PublisherName": "AWS", "ServiceCategory": "Networking", "ServiceName": "Amazon EC2",
... })
>>> frame = read_focus(rows)
>>> frame.attrs["focus_version"], frame.attrs["billing_currency"]
('1.0', 'USD')
>>> float(frame["BilledCost"].sum())
7.5
>>> focus_cost_notes(frame)[["issue", "ChargeCategory", "rows", "billed_cost"]]
                issue ChargeCategory  rows  billed_cost
0     negative billed           Credit     1         -2.5
1  negative effective           Credit     1         -2.5
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from exitcost.errors import ExitcostError, format_choices, short_repr
from exitcost.ingest.columns import (
    CHARGE_CATEGORIES,
    DATE_COLUMNS,
    FOCUS_VERSIONS,
    ID_COLUMNS,
    MANDATORY,
    NUMBER_COLUMNS,
    READ_COLUMNS,
    TEXT_COLUMNS,
    detect_version,
)

__all__ = ["FOCUS_SUFFIXES", "FocusError", "focus_cost_notes", "read_focus"]

FOCUS_SUFFIXES: tuple[str, ...] = (
    ".csv",
    ".csv.gz",
    ".csv.bz2",
    ".csv.xz",
    ".csv.zip",
    ".csv.zst",
    ".parquet",
    ".pq",
)
"""File name endings read from a folder: CSV (plain or compressed) and Parquet."""

ROW_COLUMN = "x_SourceRow"
"""Added column: the row's 1-based position among the data rows of its file (line - 1)."""
FILE_COLUMN = "x_SourceFile"
"""Added column: the file the row came from (``<DataFrame>`` for a frame)."""

_CHUNK_ROWS = 200_000


class FocusError(ExitcostError, ValueError):
    """A FOCUS export cannot be read: the message names the file, the column and a row."""


def _where(source: str, row: int | None) -> str:
    return source if row is None else f"{source}, row {row}"


def _fail(source: str, column: str, row: int | None, value: Any, constraint: str) -> FocusError:
    return FocusError(
        f"{_where(source, row)}: column {column!r} must be {constraint}. "
        f"Got {short_repr(value)} instead."
    )


def _files(path_or_paths: Any) -> list[Path]:
    if isinstance(path_or_paths, str | Path):
        paths = [Path(path_or_paths)]
    else:
        paths = [Path(p) for p in path_or_paths]
        if not paths:
            raise FocusError("read_focus was given an empty list of files; pass at least one.")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(FOCUS_SUFFIXES)
            )
            if not found:
                raise FocusError(
                    f"{path}: the folder holds no FOCUS export; file names must end in "
                    f"{format_choices(FOCUS_SUFFIXES)}."
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise FocusError(f"{path}: no such file or folder.")
    return files


def _is_parquet(path: Path) -> bool:
    return path.name.lower().endswith((".parquet", ".pq"))


def _parquet_file(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is in the dev extra
        raise FocusError(
            f"{path}: reading Parquet needs pyarrow; install it with pip install 'exitcost[focus]'."
        ) from None
    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise FocusError(f"{path}: not a readable Parquet file ({exc}).") from None


def _header(path: Path) -> list[str]:
    if _is_parquet(path):
        return [str(c) for c in _parquet_file(path).schema_arrow.names]
    try:
        header = pd.read_csv(path, nrows=0)
    except pd.errors.EmptyDataError:
        raise FocusError(
            f"{path}: the file is empty; a FOCUS export starts with a header row of column "
            f"names such as {format_choices(MANDATORY['1.0'][:4])}."
        ) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise FocusError(f"{path}: cannot read the file as CSV ({exc}).") from None
    return [str(c) for c in header.columns]


def _check_header(columns: list[str], source: str, version: str | None) -> str:
    if version is not None and version not in FOCUS_VERSIONS:
        raise FocusError(
            f"The 'version' parameter of read_focus must be one of "
            f"{format_choices(FOCUS_VERSIONS)} or None. Got {version!r} instead."
        )
    found = version or detect_version(columns)
    missing = [c for c in MANDATORY[found] if c not in columns]
    if missing:
        raise FocusError(
            f"{source}: not a FOCUS {found} export: mandatory column"
            f"{'s' if len(missing) > 1 else ''} {format_choices(missing)} missing "
            f"(header row: {format_choices(columns, limit=8)})."
        )
    return found


def _raw_chunks(path: Path, columns: list[str], chunk_rows: int) -> Iterator[pd.DataFrame]:
    wanted = [c for c in columns if c in READ_COLUMNS]
    if _is_parquet(path):
        parquet = _parquet_file(path)
        for batch in parquet.iter_batches(batch_size=chunk_rows, columns=wanted):
            yield batch.to_pandas()
        return
    # Identifiers stay text (an account id may start with 0). Other text columns are left to
    # the parser's inference and made categorical afterwards: asking the C parser for
    # "category" or "str" directly is two to three times slower (measured, pandas 3.1).
    dtype = {c: "str" for c in wanted if c in ID_COLUMNS}
    try:
        reader = pd.read_csv(
            path, usecols=wanted, dtype=dtype, chunksize=chunk_rows, low_memory=False
        )
        with reader:
            yield from reader
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FocusError(f"{path}: cannot read the file as CSV ({exc}).") from None


_STR = pd.Index([], dtype="str").dtype


def _as_category(values: pd.Series) -> pd.Series:
    """``values`` as a categorical whose categories are the default string dtype, so that
    chunks and files combine (union_categoricals needs one categories dtype)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    categories = values.cat.categories
    if categories.dtype != _STR:
        values = pd.Series(
            pd.Categorical.from_codes(
                values.cat.codes.to_numpy(),
                categories=pd.Index([str(c) for c in categories], dtype="str"),
            ),
            index=values.index,
        )
    return values


def _numbers(values: pd.Series, column: str, source: str, rows: np.ndarray) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        raise _fail(source, column, int(rows[0]), values.iloc[0], "a decimal number")
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("float64")
    text = values.astype("object")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = np.flatnonzero(text.notna().to_numpy() & numbers.isna().to_numpy())
    if bad.size:
        raise _fail(source, column, int(rows[bad[0]]), text.iloc[bad[0]], "a decimal number")
    return numbers.astype("float64")


def _dates(values: pd.Series, column: str, source: str, rows: np.ndarray) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        parsed = values
    else:
        # Parse each distinct text once: exports repeat a few hundred timestamps per month.
        codes_values = _as_category(values)
        categories = codes_values.cat.categories
        stamps = pd.to_datetime(
            pd.Series(categories.astype(str)), format="ISO8601", utc=True, errors="coerce"
        ).dt.tz_localize(None)
        if stamps.isna().any():
            bad = int(np.flatnonzero(stamps.isna().to_numpy())[0])
            first = int(np.flatnonzero(codes_values.cat.codes.to_numpy() == bad)[0])
            raise _fail(source, column, int(rows[first]), categories[bad], "an ISO 8601 date")
        codes = codes_values.cat.codes.to_numpy()
        table = stamps.to_numpy(dtype="datetime64[ns]")
        out = np.where(codes >= 0, table[np.maximum(codes, 0)], np.datetime64("NaT", "ns"))
        parsed = pd.Series(out, index=values.index)
    missing = np.flatnonzero(parsed.isna().to_numpy())
    if missing.size:
        raise _fail(source, column, int(rows[missing[0]]), None, "a date on every row")
    result: pd.Series = parsed.astype("datetime64[ns]")
    return result


def _normalise(chunk: pd.DataFrame, source: str, first_row: int) -> dict[str, Any]:
    """One chunk's columns, checked and typed: numpy arrays and categoricals by name."""
    rows = np.arange(first_row + 1, first_row + len(chunk) + 1, dtype=np.int64)
    out: dict[str, Any] = {}
    for column in chunk.columns:
        values = chunk[column]
        if column in NUMBER_COLUMNS:
            out[column] = _numbers(values, column, source, rows).to_numpy()
        elif column in DATE_COLUMNS:
            out[column] = _dates(values, column, source, rows).to_numpy()
        elif column in TEXT_COLUMNS:
            out[column] = _as_category(values).array
    if "ProviderName" not in out and "ServiceProviderName" in out:
        out["ProviderName"] = out["ServiceProviderName"]
    out[ROW_COLUMN] = rows
    out[FILE_COLUMN] = pd.Categorical.from_codes(
        np.zeros(len(chunk), dtype=np.int8), categories=pd.Index([source], dtype="str")
    )
    return out


def _empty_like(template: Any, n: int) -> Any:
    if isinstance(template, pd.Categorical):
        return pd.Categorical.from_codes(
            np.full(n, -1, dtype=np.int8), categories=pd.Index([], dtype="str")
        )
    return np.full(n, np.nan)


def _concat(chunks: list[dict[str, Any]]) -> pd.DataFrame:
    """One frame from the chunks, column by column, each chunk's column released once used:
    the peak is the frame plus one column, not twice the frame."""
    columns: list[str] = []
    for chunk in chunks:
        columns.extend(c for c in chunk if c not in columns)
    sizes = [len(chunk[ROW_COLUMN]) for chunk in chunks]
    data: dict[str, Any] = {}
    for column in columns:
        template = next(chunk[column] for chunk in chunks if column in chunk)
        parts = [
            chunk.pop(column) if column in chunk else _empty_like(template, size)
            for chunk, size in zip(chunks, sizes, strict=True)
        ]
        if len(parts) == 1:
            data[column] = parts[0]
        elif isinstance(template, pd.Categorical):
            data[column] = union_categoricals(parts)
        else:
            data[column] = np.concatenate(parts)
        del parts
    return pd.DataFrame(data, copy=False)


def _example(frame: pd.DataFrame, mask: np.ndarray) -> tuple[str, int]:
    first = int(np.flatnonzero(mask)[0])
    return str(frame[FILE_COLUMN].iloc[first]), int(frame[ROW_COLUMN].iloc[first])


def _check_rows(frame: pd.DataFrame) -> str:
    currency = frame["BillingCurrency"]
    codes = currency.cat.codes.to_numpy()
    if (codes < 0).any():
        source, row = _example(frame, codes < 0)
        raise _fail(source, "BillingCurrency", row, None, "an ISO 4217 currency code on every row")
    used = np.unique(codes)
    if used.size > 1:
        examples = []
        for code in used:
            source, row = _example(frame, codes == code)
            examples.append(f"{currency.cat.categories[code]!r} ({source}, row {row})")
        raise FocusError(
            f"column 'BillingCurrency' must hold one currency: exitcost adds up costs and "
            f"cannot convert between currencies. Found {len(examples)}: "
            f"{', '.join(examples)}. Read each currency's rows separately."
        )
    charge = frame["ChargeCategory"]
    allowed = np.array([c in CHARGE_CATEGORIES for c in charge.cat.categories] + [False])
    bad = ~allowed[charge.cat.codes.to_numpy()]
    if bad.any():
        source, row = _example(frame, bad)
        value = charge.iloc[int(np.flatnonzero(bad)[0])]
        raise _fail(
            source, "ChargeCategory", row, value, f"one of {format_choices(CHARGE_CATEGORIES)}"
        )
    for start, end, strict in (
        ("BillingPeriodStart", "BillingPeriodEnd", True),
        ("ChargePeriodStart", "ChargePeriodEnd", False),
    ):
        begins, ends = frame[start].to_numpy(), frame[end].to_numpy()
        wrong = ends <= begins if strict else ends < begins
        if wrong.any():
            source, row = _example(frame, wrong)
            first = int(np.flatnonzero(wrong)[0])
            raise _fail(
                source,
                end,
                row,
                str(frame[end].iloc[first]),
                f"{'after' if strict else 'on or after'} {start} ({frame[start].iloc[first]})",
            )
    return str(currency.cat.categories[used[0]])


def read_focus(
    path_or_frame: str | Path | Sequence[str | Path] | pd.DataFrame,
    *,
    version: str | None = None,
    chunk_rows: int = _CHUNK_ROWS,
) -> pd.DataFrame:
    """Read FOCUS 1.0 to 1.3 billing data and check it.

    Parameters
    ----------
    path_or_frame : path, folder, list of paths, or DataFrame
        A CSV file (plain or compressed: ``.csv.gz``, ``.csv.zip``, ...), a Parquet file
        (needs ``pyarrow``: ``pip install 'exitcost[focus]'``), a folder of them (providers
        split exports by month), a list of such files, or a DataFrame with FOCUS columns.
    version : {"1.0", "1.1", "1.2", "1.3"}, optional
        The FOCUS version to check against; by default each file's version is detected from
        its header (:func:`exitcost.ingest.columns.detect_version`).
    chunk_rows : int, default 200,000
        Rows read at a time from a file; lower it to use less memory.

    Returns
    -------
    pandas.DataFrame
        One row per billing row, FOCUS column names: costs and quantities as float64 (in the
        billing currency), dates as UTC datetimes, text as categoricals; 1.3 exports also get
        ``ProviderName`` from ``ServiceProviderName``. ``x_SourceFile`` and ``x_SourceRow``
        (the 1-based data row in its file) point back to the export. ``attrs`` holds
        ``focus_version`` (the newest version read), ``focus_versions`` (per file),
        ``billing_currency`` and ``sources``.

    Raises
    ------
    FocusError
        A file is missing or empty or not CSV/Parquet; a mandatory column of the version is
        missing; a cost or quantity is not a number; a date is impossible or missing; the
        billing currency is missing or not one currency; ChargeCategory holds an unknown
        value; a period ends before it starts; there are no rows. The message names the file,
        the column and an example row.
    """
    if chunk_rows < 1:
        raise FocusError(
            f"The 'chunk_rows' parameter of read_focus must be a positive integer. "
            f"Got {chunk_rows!r} instead."
        )
    chunks: list[dict[str, Any]] = []
    versions: dict[str, str] = {}
    if isinstance(path_or_frame, pd.DataFrame):
        source = "<DataFrame>"
        columns = [str(c) for c in path_or_frame.columns]
        versions[source] = _check_header(columns, source, version)
        wanted = [c for c in columns if c in READ_COLUMNS]
        chunks.append(_normalise(path_or_frame[wanted].reset_index(drop=True), source, 0))
    else:
        for path in _files(path_or_frame):
            source = str(path)
            columns = _header(path)
            versions[source] = _check_header(columns, source, version)
            done = 0
            for raw in _raw_chunks(path, columns, chunk_rows):
                chunks.append(_normalise(raw.reset_index(drop=True), source, done))
                done += len(raw)
    frame = _concat(chunks)
    del chunks
    if frame.empty:
        raise FocusError(
            f"{format_choices(versions)}: the export has a header but no billing rows."
        )
    currency = _check_rows(frame)
    frame.attrs = {
        "focus_version": max(versions.values(), key=FOCUS_VERSIONS.index),
        "focus_versions": versions,
        "billing_currency": currency,
        "sources": tuple(versions),
    }
    return frame


_NOTE_COLUMNS = ["issue", "ChargeCategory", "ChargeClass", "rows", "billed_cost", "example"]


def focus_cost_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`read_focus` frame with a negative or missing cost, grouped.

    Such rows are kept by :func:`read_focus` (credits, refunds, corrections, purchases amortised
    elsewhere); this table says how many there are, per charge category and class, what they
    add up to and where the first one is.

    Returns
    -------
    pandas.DataFrame
        Columns ``issue`` (``negative billed``, ``missing billed``, ``negative effective``,
        ``missing effective``), ``ChargeCategory``, ``ChargeClass`` (empty for regular
        charges), ``rows``, ``billed_cost`` (sum of BilledCost, billing currency) and
        ``example`` (file and row of the first such row). Empty when every cost is present and
        non-negative.
    """
    parts = []
    for column, label in (("BilledCost", "billed"), ("EffectiveCost", "effective")):
        if column not in frame.columns:
            continue
        values = frame[column].to_numpy(dtype="float64")
        for issue, mask in (
            (f"negative {label}", values < 0),
            (f"missing {label}", np.isnan(values)),
        ):
            if not mask.any():
                continue
            picked = frame.loc[mask]
            keys = pd.DataFrame(
                {
                    "ChargeCategory": picked["ChargeCategory"].astype("str").to_numpy(),
                    "ChargeClass": (
                        picked["ChargeClass"].astype("str").fillna("").to_numpy()
                        if "ChargeClass" in picked.columns
                        else ""
                    ),
                    "billed_cost": picked["BilledCost"].to_numpy(dtype="float64"),
                    "example": (
                        picked[FILE_COLUMN].astype("str")
                        + ", row "
                        + picked[ROW_COLUMN].astype("str")
                    ).to_numpy(),
                }
            )
            grouped = keys.groupby(["ChargeCategory", "ChargeClass"], sort=True).agg(
                rows=("billed_cost", "size"),
                billed_cost=("billed_cost", "sum"),
                example=("example", "first"),
            )
            parts.append(grouped.reset_index().assign(issue=issue))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _NOTE_COLUMNS})
    return pd.concat(parts, ignore_index=True)[_NOTE_COLUMNS]
