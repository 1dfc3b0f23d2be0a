"""Fixtures of the hostile-input tests: rate cards made from a bundled book; a clean registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from exitcost.pricing import registered_price_books

REPO = Path(__file__).resolve().parents[2]
AWS_FILE = REPO / "data" / "pricing" / "aws" / "2024-09-25.yaml"


def scaled(data: Any, factor: float) -> Any:
    """``data`` with every ``usd_per_gb`` price multiplied by ``factor``."""
    if isinstance(data, dict):
        return {
            k: v * factor if k == "usd_per_gb" and isinstance(v, float | int) else scaled(v, factor)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [scaled(v, factor) for v in data]
    return data


def write_card(folder: Path, name: str, factor: float, **changes: Any) -> Path:
    """A copy of the bundled AWS book with prices times ``factor`` (and fields replaced)."""
    data = scaled(yaml.safe_load(AWS_FILE.read_text(encoding="utf-8")), factor)
    data["display_name"] = f"{data['display_name']} x{factor}"
    data.update(changes)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _nothing_left_registered() -> Iterator[None]:
    yield
    assert registered_price_books() == ()


def set_first(path: Path, key: str, text: str) -> Path:
    """Rewrite the first ``key:`` line of a YAML file to ``key: text`` (a hostile value)."""
    content = path.read_text(encoding="utf-8")
    first = content.index(f"{key}:")
    end = content.index("\n", first)
    path.write_text(content[:first] + f"{key}: {text}" + content[end:], encoding="utf-8")
    return path
