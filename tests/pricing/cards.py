"""Negotiated rate cards for the pricing tests: in-memory or written from a bundled book."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
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
