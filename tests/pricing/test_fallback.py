"""The nearest priced region: same provider, same continent, only when asked, labelled R."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.errors import PriceBookError
from exitcost.pricing import egress_cost, load_price_book, retrieval_cost, storage_cost
from exitcost.pricing.fallback import nearest_region, resolve_storage
from exitcost.pricing.policy import BorrowedPriceWarning, recording

AS_OF = "2026-12-02"
BOOKS = {p: load_price_book(p, as_of=AS_OF) for p in ("aws", "azure", "gcp", "oci")}


def test_nearest_prefers_jurisdiction_then_zone_then_shared_id() -> None:
    aws = BOOKS["aws"]
    assert nearest_region(aws, "us-west-2-lax-1", ["us-east-1", "us-west-2", "eu-west-1"]) == (
        "us-west-2"
    )
    # no candidate on the continent: no answer
    assert nearest_region(aws, "sa-east-1", ["us-east-1", "eu-west-1"]) is None
    gcp = BOOKS["gcp"]
    assert nearest_region(gcp, "europe-west1", ["europe-west4", "us-central1"]) == "europe-west4"


@given(st.data())
@settings(max_examples=40)
def test_nearest_is_always_on_the_same_continent(data: st.DataObject) -> None:
    provider = data.draw(st.sampled_from(sorted(BOOKS)))
    book = BOOKS[provider]
    regions = sorted(book.regions)
    region = data.draw(st.sampled_from(regions))
    candidates = data.draw(st.lists(st.sampled_from(regions), max_size=10))
    near = nearest_region(book, region, candidates)
    same = [
        c
        for c in candidates
        if c != region and book.regions[c].continent == book.regions[region].continent
    ]
    if same:
        assert near in same
    else:
        assert near is None


def test_local_zone_storage_is_borrowed_from_its_parent_region() -> None:
    # S3 is not sold in the Los Angeles Local Zone (unpublished in the book): with the switch,
    # us-west-2's S3 Standard price (feed scrape 2024-09-25: 0.023) answers, with a warning.
    with pytest.raises(PriceBookError, match="fallback='nearest'"):
        storage_cost(1000.0, location="aws:us-west-2-lax-1", as_of="2025-01-01")
    with pytest.warns(BorrowedPriceWarning, match="borrowed from aws:us-west-2"):
        cost = storage_cost(
            1000.0, location="aws:us-west-2-lax-1", as_of="2025-01-01", fallback="nearest"
        )
    assert cost == pytest.approx(23.0)


def test_google_egress_from_a_gap_region_is_borrowed_in_asia() -> None:
    with recording() as notes:
        cost = egress_cost(1024.0, source="gcp:asia-northeast1", as_of=AS_OF, fallback="nearest")
    (note,) = notes
    assert note.item == "internet_egress"
    assert note.detail.startswith("borrowed from gcp:asia-")
    near = note.detail.split(":")[-1]
    assert BOOKS["gcp"].regions[near].continent == "asia"
    assert cost == pytest.approx(egress_cost(1024.0, source=f"gcp:{near}", as_of=AS_OF))


def test_oci_archive_restore_has_no_price_even_with_the_fallback() -> None:
    # OCI prices are the same in every region, and no region gives an Archive restore price.
    with pytest.raises(PriceBookError, match="cannot answer"):
        retrieval_cost(
            10.0, location="oci:eu-frankfurt-1", storage_class="archive", fallback="nearest"
        )


def test_resolve_storage_without_fallback_returns_the_region_itself() -> None:
    region, block = resolve_storage(BOOKS["azure"], "westeurope", "cold", None)
    assert region == "westeurope"
    assert block.storage_class == "cold"
