"""Hostile dates: far futures, impossible days, month arithmetic at the calendar's edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exitcost.errors import EstateError, InvalidParameterError
from exitcost.estate import Estate
from exitcost.units import DATE_MAX, DATE_MIN, add_months, parse_date

LOCATION = {
    "id": "aws:us-east-1",
    "kind": "cloud",
    "continent": "north_america",
    "jurisdiction": "US",
}


def _estate(**fields: Any) -> Estate:
    return Estate.from_dict({"name": "x", "as_of": "2026-11-01", "locations": [LOCATION], **fields})


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1989-12-31", "2201-01-01"])
def test_an_estate_dated_outside_the_plausible_range_is_refused(as_of: str) -> None:
    with pytest.raises(EstateError, match=r"as_of: must be a date between 1990-01-01 and 2200"):
        _estate(as_of=as_of)


def test_a_contract_ending_in_9999_is_refused_with_its_path() -> None:
    contract = {
        "id": "c",
        "kind": "savings_plan",
        "provider": "aws",
        "usd_per_month": 100.0,
        "start": "2026-01-01",
        "end": "9999-12-31",
    }
    with pytest.raises(EstateError, match=r"contracts\[0\]\.end: must be a date between"):
        _estate(contracts=[contract])


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "2024-13",
        "24-09-25",
        "",
        "x" * 100_000,
        pd.NaT,
        np.datetime64("NaT"),
        np.datetime64("9999-12-31"),
        np.datetime64(10**17, "D"),  # beyond Python's calendar
        1_700_000_000,
        True,
        [2024, 9, 25],
    ],
)
def test_what_is_not_a_plausible_date_is_refused(value: Any) -> None:
    with pytest.raises(InvalidParameterError, match=r"'when' parameter of f must be a date"):
        parse_date(value, name="when", func="f")


def test_month_arithmetic_at_the_edges_of_the_calendar() -> None:
    assert add_months(dt.date(9999, 11, 30), 1) == dt.date(9999, 12, 30)
    assert add_months(dt.date(1, 2, 28), -1) == dt.date(1, 1, 28)
    with pytest.raises(InvalidParameterError, match=r"after 9999-12-31"):
        add_months(dt.date(9999, 12, 31), 1)
    with pytest.raises(InvalidParameterError, match=r"before 0001-01-01"):
        add_months(dt.date(1, 1, 1), -1)
    with pytest.raises(InvalidParameterError, match=r"after 9999-12-31"):
        add_months(DATE_MAX, 10**30)  # Python integers: no OverflowError on the way
    with pytest.raises(InvalidParameterError, match=r"whole number"):
        add_months(DATE_MIN, 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"whole number"):
        add_months(DATE_MIN, float("nan"))  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"whole number"):
        add_months(DATE_MIN, float("inf"))  # type: ignore[arg-type]
