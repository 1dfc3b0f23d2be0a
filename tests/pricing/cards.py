"""Price books and estates for the pricing tests: rate cards, edited books, duck-typed estates."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest
import yaml

from exitcost.pricing import (
    PriceBook,
    registered_price_books,
)
from exitcost.pricing import books as books_module

REPO = Path(__file__).resolve().parents[2]
AZURE_FILE = REPO / "data" / "pricing" / "azure" / "2026-10-31.yaml"
AWS_FILE = REPO / "data" / "pricing" / "aws" / "2024-09-25.yaml"
AZURE_BUNDLED = dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    """Each test sees the once-per-card warning afresh and leaves no book registered."""
    with books_module._WARNED_LOCK:
        books_module._WARNED.clear()
    yield
    assert registered_price_books() == ()


def card_file(tmp_path: Path, source: Path, day: str, name: str, **changes: Any) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["effective_date"] = day
    data["display_name"] = f"{data['display_name']} (negotiated)"
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def dated(book: PriceBook, day: dt.date) -> PriceBook:
    """An in-memory card: the same prices under another effective date (no file)."""
    return PriceBook(book.model.model_copy(update={"effective_date": day}))


def aws_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(AWS_FILE.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def estate(
    datasets: list[tuple[str, str, float, str, float]],
    as_of: dt.date = dt.date(2025, 7, 1),
    regions: tuple[str, ...] = ("aws:us-east-1", "aws:eu-west-1"),
) -> Any:
    """A duck-typed estate: one AWS account; datasets (id, location, size, class, growth)."""
    return NS(
        as_of=as_of,
        locations=[
            NS(id=r, kind="cloud", billing_account="acme", jurisdiction="US") for r in regions
        ],
        datasets=[
            NS(id=i, location=w, size_gb=s, storage_class=k, object_count=None,
               growth_rate_per_month=g)
            for i, w, s, k, g in datasets
        ],
    )  # fmt: skip


@pytest.fixture(autouse=True)
def clean_registry() -> Any:
    yield
    assert registered_price_books() == ()
