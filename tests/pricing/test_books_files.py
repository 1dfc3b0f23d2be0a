"""Price-book files with errors: every problem named once with its field, and no Python tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitcost.errors import PriceBookError
from exitcost.pricing.books import read_price_book
from tests.pricing.cards import AWS_FILE, aws_data, clean_registry, write

_clean_registry = clean_registry  # every test leaves no book registered


def test_extra_field_lists_valid_fields(tmp_path: Path) -> None:
    data = aws_data()
    data["regions"]["us-east-1"]["foo"] = 1
    data["bogus"] = 2
    data["internet_egress"][0]["tiers"][0]["colour"] = "red"
    with pytest.raises(PriceBookError) as info:
        read_price_book(write(tmp_path, data))
    text = str(info.value)
    assert "Extra inputs" not in text
    assert "regions.us-east-1.foo: unknown field 'foo'; valid fields: 'continent'" in text
    assert "bogus: unknown field 'bogus'; valid fields: 'billing_gb_bytes'" in text
    assert "tiers[0].colour: unknown field 'colour'; valid fields: 'label', 'max_gb'" in text


def test_negative_only_tier_has_one_message(tmp_path: Path) -> None:
    data = aws_data()
    data["internet_egress"][0]["tiers"] = [{"min_gb": 0, "max_gb": None, "usd_per_gb": -0.09}]
    with pytest.raises(PriceBookError, match=r"usd_per_gb: must be >= 0") as info:
        read_price_book(write(tmp_path, data))
    assert "Tuple should have" not in str(info.value)
    assert str(info.value).startswith("1 problem in")


def test_impossible_date_names_its_field(tmp_path: Path) -> None:
    text = AWS_FILE.read_text(encoding="utf-8").replace(
        "effective_date: 2024-09-25", "effective_date: 2026-02-30"
    )
    assert "2026-02-30" in text
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"effective_date: .*(got '2026-02-30')"):
        read_price_book(path)
    # an explicit !!timestamp tag stays text too, so the same field path is named
    path.write_text(text.replace("2026-02-30", "!!timestamp 2026-02-30"), encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"effective_date: .*(got '2026-02-30')"):
        read_price_book(path)


def test_python_tags_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("provider: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"python/object/apply.*only plain data"):
        read_price_book(path)
