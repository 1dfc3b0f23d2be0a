"""Estates as pandas tables, one per entity, and back.

:func:`estate_to_frames` gives a dict of DataFrames:

========== =================================================================================
table      columns
========== =================================================================================
estate     one row: schema_version, name, description, as_of, currency
locations  id, kind, continent, jurisdiction, name, account, capacity_vcpus, capacity_memory_gib,
           capacity_gpus, capacity_storage_gb, capacity_power_kw, capacity_racks
datasets   id, location, size_gb, storage_class, growth_rate_per_month, object_count, residency,
           owner, description
workloads  id, location, kind, team, compute_usd_per_month, internet_egress_gb_per_month,
           internet_ingress_gb_per_month, code_kloc, instances, strategy, description
flows      workload, dataset, direction (read / write), gb_per_month
services   workload, service, units
compute    workload, resource, quantity, hours_per_month, gpu_model, commitment
contracts  id, kind, provider, location, usd_per_month, upfront_usd, discount_fraction, start,
           end, termination_fee_usd, cancellable
teams      id, usd_per_person_day, capacity_person_days_per_month
========== =================================================================================

List fields (``residency``) are ``";"``-joined text; a distribution cell is its compact text
(``"pert(0.01, 0.02, 0.05)"``, exact to the last digit); an empty cell (None, NaN, NA) means the
field is not given. :func:`estate_from_frames` reads the same tables back (``estate`` is required,
the others may be left out) and errors name the table and row: ``flows[row 12].dataset``, rows
counted from 0 in table order.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> frames = sample_estate().to_frames()
>>> sorted(frames)  # doctest: +NORMALIZE_WHITESPACE
['compute', 'contracts', 'datasets', 'estate', 'flows', 'locations', 'services', 'teams',
 'workloads']
>>> estate_from_frames(frames) == sample_estate()
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from exitcost.errors import EstateError, Problem, format_choices
from exitcost.estate._problems import remap_problems
from exitcost.estate.model import Capacity, Estate

__all__ = ["TABLE_COLUMNS", "estate_from_frames", "estate_to_frames", "format_quantity"]

_CAPACITY_FIELDS: tuple[str, ...] = tuple(Capacity.model_fields)

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "estate": ("schema_version", "name", "description", "as_of", "currency"),
    "locations": (
        "id",
        "kind",
        "continent",
        "jurisdiction",
        "name",
        "account",
        *(f"capacity_{name}" for name in _CAPACITY_FIELDS),
    ),
    "datasets": (
        "id",
        "location",
        "size_gb",
        "storage_class",
        "growth_rate_per_month",
        "object_count",
        "residency",
        "owner",
        "description",
    ),
    "workloads": (
        "id",
        "location",
        "kind",
        "team",
        "compute_usd_per_month",
        "internet_egress_gb_per_month",
        "internet_ingress_gb_per_month",
        "code_kloc",
        "instances",
        "strategy",
        "description",
    ),
    "flows": ("workload", "dataset", "direction", "gb_per_month"),
    "services": ("workload", "service", "units"),
    "compute": ("workload", "resource", "quantity", "hours_per_month", "gpu_model", "commitment"),
    "contracts": (
        "id",
        "kind",
        "provider",
        "location",
        "usd_per_month",
        "upfront_usd",
        "discount_fraction",
        "start",
        "end",
        "termination_fee_usd",
        "cancellable",
    ),
    "teams": ("id", "usd_per_person_day", "capacity_person_days_per_month"),
}
"""The tables :func:`estate_to_frames` writes and their columns, in order."""

_INT_COLUMNS = {("datasets", "object_count"), ("workloads", "instances")}
_DIRECTIONS = {"read": "reads", "write": "writes"}


def _num(x: float) -> str:
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def format_quantity(value: Any) -> Any:
    """A quantity as a table cell: the float itself, or a distribution's exact compact text.

    Examples
    --------
    >>> from exitcost.uncertainty import parse_distribution
    >>> format_quantity(2.5)
    2.5
    >>> format_quantity(parse_distribution("pert(0.0123456789, 0.02, 0.05)"))
    'pert(0.0123456789, 0.02, 0.05)'
    >>> format_quantity(parse_distribution("normal(1, 0.5, low=0)"))
    'normal(1, 0.5, low=0)'
    """
    if not isinstance(value, BaseModel):
        return value
    fields = value.model_dump()
    kind = fields.pop("dist")
    if kind in ("pert", "triangular"):
        args = [_num(fields["low"]), _num(fields["mode"]), _num(fields["high"])]
        if kind == "pert" and fields["lamb"] != 4.0:
            args.append(f"lamb={_num(fields['lamb'])}")
    elif kind == "uniform":
        args = [_num(fields["low"]), _num(fields["high"])]
    else:
        args = [_num(fields["mu"]), _num(fields["sd"])]
        args += [f"{k}={_num(fields[k])}" for k in ("low", "high") if fields[k] is not None]
    return f"{kind}({', '.join(args)})"


def _frame(rows: list[dict[str, Any]], table: str) -> pd.DataFrame:
    columns = list(TABLE_COLUMNS[table])
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if (table, col) in _INT_COLUMNS:
            frame[col] = frame[col].astype("Int64")
        elif rows and all(isinstance(r[col], float) for r in rows):
            frame[col] = frame[col].astype("float64")
        else:
            frame[col] = frame[col].astype(object)
    return frame


def estate_to_frames(estate: Estate) -> dict[str, pd.DataFrame]:
    """The estate as a dict of DataFrames, one per table (see the module docstring).

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> frames = estate_to_frames(sample_estate())
    >>> list(frames["flows"].columns)
    ['workload', 'dataset', 'direction', 'gb_per_month']
    """
    q = format_quantity
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    tables["estate"].append(
        {
            "schema_version": estate.schema_version,
            "name": estate.name,
            "description": estate.description,
            "as_of": estate.as_of,
            "currency": estate.currency,
        }
    )
    for loc in estate.locations:
        cap = loc.capacity
        tables["locations"].append(
            {
                "id": loc.id,
                "kind": loc.kind,
                "continent": loc.continent,
                "jurisdiction": loc.jurisdiction,
                "name": loc.name,
                "account": loc.account,
                **{
                    f"capacity_{name}": (getattr(cap, name) if cap is not None else None)
                    for name in _CAPACITY_FIELDS
                },
            }
        )
    for ds in estate.datasets:
        tables["datasets"].append(
            {
                "id": ds.id,
                "location": ds.location,
                "size_gb": q(ds.size_gb),
                "storage_class": ds.storage_class,
                "growth_rate_per_month": q(ds.growth_rate_per_month),
                "object_count": ds.object_count,
                "residency": ";".join(ds.residency),
                "owner": ds.owner,
                "description": ds.description,
            }
        )
    for wl in estate.workloads:
        tables["workloads"].append(
            {
                "id": wl.id,
                "location": wl.location,
                "kind": wl.kind,
                "team": wl.team,
                "compute_usd_per_month": q(wl.compute_usd_per_month),
                "internet_egress_gb_per_month": q(wl.internet_egress_gb_per_month),
                "internet_ingress_gb_per_month": q(wl.internet_ingress_gb_per_month),
                "code_kloc": q(wl.code_kloc),
                "instances": wl.instances,
                "strategy": wl.strategy,
                "description": wl.description,
            }
        )
        for direction, flows in (("read", wl.reads), ("write", wl.writes)):
            for flow in flows:
                tables["flows"].append(
                    {
                        "workload": wl.id,
                        "dataset": flow.dataset,
                        "direction": direction,
                        "gb_per_month": q(flow.gb_per_month),
                    }
                )
        for svc in wl.services:
            tables["services"].append(
                {"workload": wl.id, "service": svc.service, "units": svc.units}
            )
        for use in wl.compute:
            tables["compute"].append(
                {
                    "workload": wl.id,
                    "resource": use.resource,
                    "quantity": q(use.quantity),
                    "hours_per_month": use.hours_per_month,
                    "gpu_model": use.gpu_model,
                    "commitment": use.commitment,
                }
            )
    for c in estate.contracts:
        tables["contracts"].append(
            {
                "id": c.id,
                "kind": c.kind,
                "provider": c.provider,
                "location": c.location,
                "usd_per_month": c.usd_per_month,
                "upfront_usd": c.upfront_usd,
                "discount_fraction": c.discount_fraction,
                "start": c.start,
                "end": c.end,
                "termination_fee_usd": c.termination_fee_usd,
                "cancellable": c.cancellable,
            }
        )
    for t in estate.teams:
        tables["teams"].append(
            {
                "id": t.id,
                "usd_per_person_day": t.usd_per_person_day,
                "capacity_person_days_per_month": t.capacity_person_days_per_month,
            }
        )
    return {name: _frame(rows, name) for name, rows in tables.items()}


# ---------------------------------------------------------------------------------------------
# From frames
# ---------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A table cell as a plain Python value; empty cells (None, NaN, NA, NaT) become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _records(frame: Any, table: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if not isinstance(frame, pd.DataFrame):
        problems.append(Problem(table, type(frame).__name__, "must be a pandas DataFrame"))
        return []
    valid = TABLE_COLUMNS[table]
    for col in frame.columns:
        if col not in valid:
            problems.append(
                Problem(
                    f"{table}.{col}",
                    col,
                    f"unknown column in table {table!r}; valid: {format_choices(valid)}",
                )
            )
    columns = [c for c in frame.columns if c in valid]
    return [
        {col: _cell(value) for col, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _given(row: Mapping[str, Any], *skip: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and k not in skip}


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def estate_from_frames(
    frames: Mapping[str, pd.DataFrame] | None = None, /, **tables: pd.DataFrame
) -> Estate:
    """Build an :class:`Estate` from pandas tables (the dict :func:`estate_to_frames` returns,
    or the tables as keyword arguments).

    Raises
    ------
    EstateError
        Unknown tables or columns, rows of ``flows``, ``services`` or ``compute`` naming an
        unknown workload, and every problem of the estate itself, with paths such as
        ``flows[row 12].dataset``.

    Examples
    --------
    >>> import pandas as pd
    >>> estate = estate_from_frames(
    ...     estate=pd.DataFrame({"name": ["demo"], "as_of": ["2026-11-01"]}),
    ...     locations=pd.DataFrame({"id": ["onprem:fra1"], "continent": ["europe"],
    ...                             "jurisdiction": ["EU"]}),
    ...     datasets=pd.DataFrame({"id": ["d1"], "location": ["onprem:fra1"],
    ...                            "size_gb": ["pert(1, 2, -3)"]}),
    ... )
    Traceback (most recent call last):
    ...
    exitcost.errors.EstateError: 1 problem in estate tables:
      - datasets[row 0].size_gb: must be a number, ... is invalid: needs low <= mode <= high; ...
    """
    given: dict[str, Any] = {**(frames or {}), **tables}
    problems: list[Problem] = []
    for name in given:
        if name not in TABLE_COLUMNS:
            problems.append(
                Problem(name, name, f"unknown table; valid: {format_choices(TABLE_COLUMNS)}")
            )
    rows = {
        name: _records(given[name], name, problems) if name in given else []
        for name in TABLE_COLUMNS
    }
    mapping: dict[str, str] = {}
    data: dict[str, Any] = {}
    if "estate" not in given:
        problems.append(Problem("estate", None, "the one-row 'estate' table is required"))
    elif len(rows["estate"]) != 1:
        problems.append(
            Problem("estate", len(rows["estate"]), "the 'estate' table must have exactly one row")
        )
    else:
        data.update(_given(rows["estate"][0]))
        for col in TABLE_COLUMNS["estate"]:
            mapping[col] = f"estate[row 0].{col}"

    locations = []
    for i, row in enumerate(rows["locations"]):
        loc = _given(row, *(f"capacity_{n}" for n in _CAPACITY_FIELDS))
        capacity = {n: row.get(f"capacity_{n}") for n in _CAPACITY_FIELDS}
        if any(v is not None for v in capacity.values()):
            loc["capacity"] = _given(capacity)
        locations.append(loc)
        mapping[f"locations[{i}]"] = f"locations[row {i}]"
        for n in _CAPACITY_FIELDS:
            mapping[f"locations[{i}].capacity.{n}"] = f"locations[row {i}].capacity_{n}"
    data["locations"] = locations

    datasets = []
    for i, row in enumerate(rows["datasets"]):
        ds = _given(row)
        if "residency" in ds:
            ds["residency"] = _split_list(ds["residency"])
        datasets.append(ds)
        mapping[f"datasets[{i}]"] = f"datasets[row {i}]"
    data["datasets"] = datasets

    workloads = []
    position: dict[Any, int] = {}
    for i, row in enumerate(rows["workloads"]):
        wl = _given(row)
        workloads.append(wl)
        mapping[f"workloads[{i}]"] = f"workloads[row {i}]"
        if isinstance(wl.get("id"), str):
            position.setdefault(wl["id"], i)
    for table, field in (("flows", None), ("services", "services"), ("compute", "compute")):
        for r, row in enumerate(rows[table]):
            owner = row.get("workload")
            if owner not in position:
                shown = format_choices(position) if position else "none defined"
                problems.append(
                    Problem(
                        f"{table}[row {r}].workload",
                        owner,
                        f"unknown workload {owner!r}; valid: {shown}",
                    )
                )
                continue
            target = workloads[position[owner]]
            item = _given(row, "workload")
            key = field
            if table == "flows":
                direction = item.pop("direction", None)
                if direction not in _DIRECTIONS:
                    problems.append(
                        Problem(
                            f"flows[row {r}].direction",
                            direction,
                            f"must be one of {format_choices(_DIRECTIONS)}",
                        )
                    )
                    continue
                key = _DIRECTIONS[direction]
            assert key is not None
            items = target.setdefault(key, [])
            mapping[f"workloads[{position[owner]}].{key}[{len(items)}]"] = f"{table}[row {r}]"
            items.append(item)
    data["workloads"] = workloads

    data["contracts"] = [_given(row) for row in rows["contracts"]]
    data["teams"] = [_given(row) for row in rows["teams"]]
    for name in ("contracts", "teams"):
        for i in range(len(rows[name])):
            mapping[f"{name}[{i}]"] = f"{name}[row {i}]"

    try:
        estate = Estate.model_validate(data)
    except EstateError as exc:
        found = remap_problems(exc.problems, mapping)
        if "estate[row 0].name" not in mapping.values():
            # The 'estate' table itself is reported above; its fields would only repeat it.
            found = [p for p in found if p.path not in TABLE_COLUMNS["estate"]]
        problems += found
        raise EstateError(problems, source="tables") from None
    if problems:
        raise EstateError(problems, source="tables")
    return estate
