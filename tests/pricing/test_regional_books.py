"""Every bundled region of the big clouds priced, and hand-worked values per provider and class.

Reference values are worked by hand from the figures of the shared reference collection
(prices-2026-12) that the books carry, each with its source named in a comment.
"""

from __future__ import annotations

import pytest

from exitcost.errors import PriceBookError, PriceLimitError
from exitcost.pricing import (
    data_exit_cost,
    egress_cost,
    load_price_book,
    retrieval_cost,
    storage_cost,
)
from exitcost.pricing.schema import STORAGE_CLASSES

BIG_CLOUDS = ("aws", "azure", "gcp", "oci")
AS_OF = "2026-12-02"  # every big cloud's newest bundled book is in effect


def test_every_bundled_region_and_class_is_priced_or_listed_unpublished() -> None:
    counts: dict[str, tuple[int, int, int]] = {}
    for provider in BIG_CLOUDS:
        book = load_price_book(provider, as_of=AS_OF)
        classes = book.storage_classes()
        assert classes, f"{provider} sells no storage class"
        priced = unpublished = 0
        missing = []
        for region in book.regions:
            for klass in classes:
                if book.prices_storage(region, klass):
                    priced += 1
                elif book.unpublished("storage", region, klass) is not None:
                    unpublished += 1
                else:
                    missing.append((region, klass))
        assert missing == [], f"{provider}: neither priced nor listed unpublished: {missing}"
        counts[provider] = (len(book.regions), priced, unpublished)
        # the list stays short, and every entry says what was searched and why
        assert unpublished <= 0.1 * (priced + unpublished)
        for gap in book.model.unpublished:
            assert gap.reason.strip()
            assert gap.searched
    for provider, (regions, priced, unpublished) in counts.items():
        gaps = load_price_book(provider, as_of=AS_OF).model.unpublished
        egress = sum(len(g.regions) for g in gaps if g.kind == "internet_egress")
        retrieval = sum(len(g.regions) for g in gaps if g.kind == "retrieval")
        print(
            f"{provider}: {regions} regions, {priced} region x class pairs priced, "
            f"{unpublished} unpublished; internet egress unpublished (or cut short) in {egress} "
            f"region(s), retrieval in {retrieval} entr(y/ies)"
        )
    assert counts["aws"][1] == 27 * 5  # 28 regions less the Los Angeles Local Zone
    assert counts["oci"] == (39, 39 * 3, 0)


def test_storage_classes_sold_follow_the_vocabulary() -> None:
    # Azure sells no class colder than Archive; OCI has no Glacier-Instant-like cold class.
    assert load_price_book("aws", as_of=AS_OF).storage_classes() == STORAGE_CLASSES
    assert load_price_book("azure", as_of=AS_OF).storage_classes() == (
        "standard",
        "infrequent",
        "cold",
        "archive",
    )
    assert load_price_book("oci", as_of=AS_OF).storage_classes() == (
        "standard",
        "infrequent",
        "archive",
    )


def test_glacier_flexible_retrieval_matches_aws_worked_example() -> None:
    # AWS re:Post 's3-manage-data-retrieval' (read 2026-10-31): 100 TB in 15,000,000 objects
    # restored from Glacier Flexible Retrieval at standard speed costs $1,024 for 102,400 GB at
    # $0.01 plus $750 in restore requests (15,000,000 / 1,000 x $0.05): $1,774. Reading the
    # restored objects adds one GET each at $0.0004 per 1,000 (feed scrape 2024-09-25): $6.
    book = load_price_book("aws", as_of="2025-01-01")
    sc = book.storage_class("us-east-1", "archive")
    standard = {o.speed: o for o in sc.retrieval}["standard"]
    objects = 15_000_000
    assert 102_400 * standard.usd_per_gb == pytest.approx(1_024.0)
    assert objects / 1000 * standard.usd_per_1000_requests == pytest.approx(750.0)
    total = retrieval_cost(
        102_400.0,
        location="aws:us-east-1",
        storage_class="archive",
        retrieval="standard",
        objects=objects,
        as_of="2025-01-01",
    )
    gets = objects / 1000 * sc.get_usd_per_1000_requests
    assert gets == pytest.approx(6.0)
    assert total - gets == pytest.approx(1_774.0)
    bill = data_exit_cost(
        102_400.0,
        source="aws:us-east-1",
        storage_class="archive",
        retrieval="standard",
        objects=objects,
        as_of="2025-01-01",
    )
    assert bill["retrieval"] == pytest.approx(1_024.0)
    assert bill["requests"] == pytest.approx(756.0)


@pytest.mark.parametrize(
    ("location", "klass", "expected_usd"),
    [
        # AWS feed scrape of 2024-09-25 (S+), eu-central-1 per GB-month: Standard 0.0245,
        # Standard-IA 0.0135, Glacier Instant 0.005, Glacier Flexible 0.00405 (the book had
        # 0.0045), Deep Archive 0.0018.
        ("aws:eu-central-1", "standard", 24.5),
        ("aws:eu-central-1", "infrequent", 13.5),
        ("aws:eu-central-1", "cold", 5.0),
        ("aws:eu-central-1", "archive", 4.05),
        ("aws:eu-central-1", "deep_archive", 1.8),
        # Azure Retail API export (Arius7, 2026-06-27), japaneast LRS first band: Hot 0.02,
        # Cool 0.011, Cold 0.0045, Archive 0.002.
        ("azure:japaneast", "standard", 20.0),
        ("azure:japaneast", "infrequent", 11.0),
        ("azure:japaneast", "cold", 4.5),
        ("azure:japaneast", "archive", 2.0),
        # Google billing catalog copy (2026-07-30), europe-west1 regional: Standard 0.02,
        # Nearline 0.01, Coldline 0.004, Archive 0.0012 per GiB-month.
        ("gcp:europe-west1", "standard", 20.0),
        ("gcp:europe-west1", "infrequent", 10.0),
        ("gcp:europe-west1", "cold", 4.0),
        ("gcp:europe-west1", "archive", 1.2),
        # Oracle price-list API quote (2026-09-09): first 10 GB free, then Standard 0.0255,
        # Infrequent Access 0.01, Archive 0.0026: 990 GB x rate.
        ("oci:eu-frankfurt-1", "standard", 25.245),
        ("oci:eu-frankfurt-1", "infrequent", 9.9),
        ("oci:eu-frankfurt-1", "archive", 2.574),
    ],
)
def test_storage_of_1000_gb_for_a_month(location: str, klass: str, expected_usd: float) -> None:
    cost = storage_cost(1000.0, location=location, storage_class=klass, as_of=AS_OF)
    assert cost == pytest.approx(expected_usd, abs=0.005)


@pytest.mark.parametrize(
    ("location", "klass", "speed", "expected_usd"),
    [
        # AWS feed scrape: eu-central-1 Deep Archive bulk $0.005/GB and standard $0.024/GB
        # (the book had 0.0025 and 0.02); Glacier Flexible bulk free (AWS S3 user guide).
        ("aws:eu-central-1", "deep_archive", "bulk", 5.0),
        ("aws:eu-central-1", "deep_archive", "standard", 24.0),
        ("aws:eu-central-1", "archive", "bulk", 0.0),
        # Arius7: japaneast Archive standard-priority rehydration $0.022/GB, Cool $0.01/GB.
        ("azure:japaneast", "archive", "standard", 22.0),
        ("azure:japaneast", "infrequent", None, 10.0),
        # Billing catalog: europe-west1 Archive retrieval $0.05/GiB.
        ("gcp:europe-west1", "archive", None, 50.0),
        # Oracle price-list API: Infrequent Access retrieval $0.01/GB.
        ("oci:eu-frankfurt-1", "infrequent", None, 10.0),
    ],
)
def test_retrieval_of_1000_gb(
    location: str, klass: str, speed: str | None, expected_usd: float
) -> None:
    cost = retrieval_cost(
        1000.0, location=location, storage_class=klass, retrieval=speed, as_of=AS_OF
    )
    assert cost == pytest.approx(expected_usd, abs=0.005)


def test_regional_archive_request_prices() -> None:
    # AWS feed scrape of 2024-09-25: eu-west-1 Glacier Flexible upload $0.033 and expedited
    # restore $11 per 1,000; Deep Archive upload $0.055 and standard restore $0.11 per 1,000,
    # bulk retrieval $0.003/GB; eu-central-1 Glacier Flexible standard restore $0.06 per 1,000.
    book = load_price_book("aws", as_of="2025-01-01")
    gfr = book.storage_class("eu-west-1", "archive")
    gda = book.storage_class("eu-west-1", "deep_archive")
    assert gfr.put_usd_per_1000_requests == pytest.approx(0.033)
    assert {o.speed: o for o in gfr.retrieval}["expedited"].usd_per_1000_requests == 11.0
    assert gda.put_usd_per_1000_requests == pytest.approx(0.055)
    da = {o.speed: o for o in gda.retrieval}
    assert da["standard"].usd_per_1000_requests == pytest.approx(0.11)
    assert da["bulk"].usd_per_gb == pytest.approx(0.003)
    frankfurt = book.storage_class("eu-central-1", "archive")
    restore = {o.speed: o for o in frankfurt.retrieval}["standard"]
    assert restore.usd_per_1000_requests == pytest.approx(0.06)


def test_azure_polandcentral_egress_is_0_080_and_stops_at_the_first_band() -> None:
    # Azure Retail API export (Arius7, 2026-06-27): polandcentral first paid band $0.080 (the
    # book assumed the Zone 1 $0.087). 1,100 GB: 100 free + 1,000 x 0.08 = $80.
    assert egress_cost(1100.0, source="azure:polandcentral", as_of=AS_OF) == pytest.approx(80.0)
    with pytest.raises(PriceLimitError, match="beyond_published='extrapolate'"):
        egress_cost(20_000.0, source="azure:polandcentral", as_of=AS_OF)
    # 19,900 paid GB at the last published rate
    with pytest.warns(UserWarning, match="last published"):
        extrapolated = egress_cost(
            20_000.0, source="azure:polandcentral", as_of=AS_OF, beyond_published="extrapolate"
        )
    assert extrapolated == pytest.approx(19_900 * 0.08)


def test_google_premium_egress_by_source_region_in_the_newer_book() -> None:
    # Billing catalog copy (2026-07-30): from europe-west1 to worldwide destinations
    # 0.12 / 0.11 / 0.085 per GiB (0-1, 1-10, 10+ TiB). 20 TiB: 1,024 x 0.12 + 9,216 x 0.11 +
    # 10,240 x 0.085 = 122.88 + 1,013.76 + 870.40 = $2,007.04. The older book (legacy
    # destination-only SKU, 0.08 above 10 TiB) stays for earlier dates: $1,955.84.
    volume = 20 * 1024.0
    new = egress_cost(volume, source="gcp:europe-west1", as_of=AS_OF)
    old = egress_cost(volume, source="gcp:europe-west1", as_of="2026-11-15")
    assert new == pytest.approx(2_007.04)
    assert old == pytest.approx(1_955.84)
    # From Sydney 0.19 / 0.18 / 0.15: 10 TiB = 194.56 + 1,658.88 = $1,853.44
    sydney = egress_cost(10 * 1024.0, source="gcp:australia-southeast1", as_of=AS_OF)
    assert sydney == pytest.approx(1_853.44)


def test_google_regions_with_a_faulty_catalog_copy_are_an_explicit_gap() -> None:
    with pytest.raises(PriceBookError, match=r"asia-northeast1.*unpublished.*fallback='nearest'"):
        egress_cost(100.0, source="gcp:asia-northeast1", as_of=AS_OF)


def test_google_premium_egress_to_china_and_australia_from_a_source() -> None:
    # Billing catalog copy (2026-07-30), from europe-west1: to China 0.23 / 0.22 / 0.20, to
    # Australia 0.19 / 0.18 / 0.15 per GiB. 2 TiB: 1,024 x 0.23 + 1,024 x 0.22 = $460.80 and
    # 1,024 x 0.19 + 1,024 x 0.18 = $378.88. The older book stopped at 1 TiB for both.
    book = load_price_book("gcp", as_of=AS_OF)
    to_china = book.internet_price("europe-west1", destination_zone="china")
    assert to_china.cost(2048.0) == pytest.approx(460.80)
    australia = book.internet_price("europe-west1", destination_zone="australia")
    assert australia.cost(2048.0) == pytest.approx(378.88)


def test_oci_dataset_exit_is_priced() -> None:
    # OCI: the first 10 TB (10,240 GB) of egress a month are free, then $0.0085/GB from Europe
    # (S); Standard storage reads are free. 20,000 GB: 9,760 x 0.0085 = $82.96.
    bill = data_exit_cost(20_000.0, source="oci:eu-frankfurt-1", as_of=AS_OF)
    assert bill["egress"] == pytest.approx(82.96)
    assert bill["retrieval"] == 0.0
    assert bill["total"] == pytest.approx(82.96)
