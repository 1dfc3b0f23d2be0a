"""Adversarial text against every parser of user text: each answers in linear time.

Each string is 100,000 characters built to make a backtracking pattern with nested or
adjacent quantifiers take quadratic or worse time. The two-second budget is a guard against
a hang (a quadratic parse of these strings takes minutes), not a benchmark.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import pytest

from exitcost.errors import ExitcostError
from exitcost.estate import Estate
from exitcost.graph import CostGraph
from exitcost.pricing import split_location
from exitcost.uncertainty import parse_distribution
from exitcost.units import parse_date, parse_size_gb

N = 100_000
BUDGET_S = 2.0

ADVERSARIAL: dict[str, str] = {
    "spaces before junk": "1" + " " * N + "x!",
    "digits before junk": "1" * N + "x!",
    "thousands commas": "1," * (N // 2) + "x",
    "underscores": "1_" * (N // 2) + "x",
    "tabs around a size": "\t" * (N // 2) + "1 TB" + "\t" * (N // 2) + "!",
    "long exponent": "1e" + "1" * N + " TB",
    "open call with spaces": "pert(" + " " * N + ")x",
    "many arguments": "pert(" + "1," * (N // 2) + ")",
    "nested calls": "pert(" * (N // 5),
    "keyword runs": "pert(" + "a=" * (N // 2) + "1)",
    "repeated error markers": "is invalid: Value error, " * (N // 25),
    "colons": "aws:" + ":" * N,
    "letters then a bad character": "a" * N + "!",
}


def _estate_with(field: str, text: str) -> Any:
    dataset = {"id": "d", "location": "aws:us-east-1", "size_gb": 1.0, field: text}
    return Estate.from_dict(
        {
            "name": "x",
            "as_of": "2026-11-01",
            "locations": [
                {
                    "id": "aws:us-east-1",
                    "kind": "cloud",
                    "continent": "north_america",
                    "jurisdiction": "US",
                }
            ],
            "datasets": [dataset],
        }
    )


PARSERS: dict[str, Callable[[str], Any]] = {
    "size text": parse_size_gb,
    "distribution text": parse_distribution,
    "date text": parse_date,
    "location id": split_location,
    "estate size_gb": lambda text: _estate_with("size_gb", text),
    "estate dataset id": lambda text: _estate_with("id", text),
    "estate location": lambda text: _estate_with("location", text),
    "estate growth": lambda text: _estate_with("growth_rate_per_month", text),
    "graph site id": lambda text: CostGraph().add_site(text, kind="colo"),
}


@pytest.mark.parametrize("parser", PARSERS)
def test_parsers_answer_adversarial_text_in_linear_time(parser: str) -> None:
    for name, text in ADVERSARIAL.items():
        start = time.perf_counter()
        with contextlib.suppress(ExitcostError):  # refused or accepted: only the time counts
            PARSERS[parser](text)
        elapsed = time.perf_counter() - start
        assert elapsed < BUDGET_S, f"{parser} took {elapsed:.1f} s on {name}"
