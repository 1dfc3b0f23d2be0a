"""The coverage table and the price listing: generated from the books, never hand-edited."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitcost.errors import UnknownLocationError
from exitcost.pricing.coverage import (
    COVERAGE_COLUMNS,
    COVERAGE_PROVIDERS,
    coverage_frame,
    coverage_markdown,
    price_listing,
)

REPO = Path(__file__).resolve().parents[2]


def test_committed_coverage_page_is_current() -> None:
    page = REPO / "docs" / "pricing-coverage.md"
    assert page.read_text(encoding="utf-8") == coverage_markdown(), (
        "docs/pricing-coverage.md is stale: run "
        "`exitcost prices --coverage > docs/pricing-coverage.md`"
    )


def test_coverage_frame_has_every_region_and_class() -> None:
    frame = coverage_frame(as_of="2026-12-02")
    assert tuple(frame.columns) == COVERAGE_COLUMNS
    assert set(frame["provider"]) == set(COVERAGE_PROVIDERS)
    assert set(frame["status"]) <= {"priced", "unpublished", "not sold"}
    # five classes per region; a priced row names the provider's class and a label
    assert (frame.groupby(["provider", "region"]).size() == 5).all()
    priced = frame[frame["status"] == "priced"]
    assert (priced["provider_class"] != "").all()
    assert priced["label"].isin(["V", "S+", "S", "M", "R"]).all()
    lax = frame[(frame["provider"] == "aws") & (frame["region"] == "us-west-2-lax-1")]
    assert set(lax["status"]) == {"unpublished"}


def test_price_listing_levels() -> None:
    everything = price_listing(as_of="2026-12-02")
    assert "gcp         2026-12-01" in everything
    provider = price_listing("azure", as_of="2026-12-02")
    assert "internet_egress beyond 10,335 GB/month: japaneast" in provider
    region = price_listing("aws", region="eu-central-1", as_of="2026-12-02")
    assert "S3 Glacier Flexible Retrieval    0.00405 USD/GB-month (S+)" in region
    for text in (everything, provider, region):
        assert max(len(line) for line in text.splitlines()) <= 100
    with pytest.raises(UnknownLocationError, match="'region' parameter of price_listing"):
        price_listing("aws", region="mars-1")
