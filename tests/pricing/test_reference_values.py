"""Hand-checked reference values for every bundled non-AWS price book and the site templates.

Each expected value is worked in the comment from the published rates, citing the source the
book gives for them (the book's ``sources`` entry and the research notes,
pricing-facts.md / pricing-facts-2.md / onprem-facts.md). The tests call the public functions
of :mod:`exitcost.pricing` only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import ExtrapolationWarning, PriceBookError, PriceLimitError
from exitcost.estate import sample_estate
from exitcost.pricing import (
    data_exit_cost,
    egress_cost,
    exit_programme,
    load_price_book,
    providers,
    retrieval_cost,
    storage_cost,
    transfer_price,
)

AS_OF = "2026-11-01"  # the sample estate's as_of date
REPO = Path(__file__).resolve().parents[2]
BOOKS = ("azure", "gcp", "oci", "cloudflare", "backblaze", "wasabi", "onprem", "colo", "edge")
SITES = ("onprem", "colo", "edge")

# Site transit: Mbps at the 95th percentile produced by 1 GB in a 730-hour month, with the
# templates' peak-to-average ratio of 1.5 (R): 2**30 x 8 / (730 x 3,600) / 1e6 x 1.5.
MBPS_PER_GB = 2**30 * 8 / (730 * 3600) / 1e6 * 1.5


# ----------------------------------------------------------------------------- all books


@pytest.mark.parametrize("provider", BOOKS)
def test_book_is_bundled_and_dated_by_its_newest_source(provider: str) -> None:
    # Rule of the books: the effective date (and the file name) is the as-of date of the
    # newest source the book's figures come from.
    assert provider in providers()
    book = load_price_book(provider, as_of=AS_OF)
    newest = max(src.as_of for src in book.sources.values())
    assert book.effective_date == newest
    assert book.path is not None
    assert book.path.name == f"{newest.isoformat()}.yaml"
    assert book.currency == "USD"
    assert book.billing_gb_bytes == 2**30


@pytest.mark.parametrize("provider", BOOKS)
def test_book_file_is_plain_safe_yaml(provider: str) -> None:
    files = sorted((REPO / "data" / "pricing" / provider).glob("*.yaml"))
    assert files
    for file in files[:-1]:  # older books of the provider: plain safe YAML too
        assert yaml.safe_load(file.read_text(encoding="utf-8"))["provider"] == provider
    data = yaml.safe_load(files[-1].read_text(encoding="utf-8"))
    assert data["provider"] == provider
    # Every source names where it comes from (a URL or a document) and a confidence label.
    for src in data["sources"].values():
        assert src.get("url") or src.get("document")
        assert src["label"] in {"V", "S+", "S", "M", "R"}


def test_sample_estate_is_priced_on_its_date() -> None:
    # Every location of the bundled sample estate has an internet price and every Azure
    # dataset a storage price on the estate's own as_of date (2026-11-01).
    estate = sample_estate()
    assert estate.as_of.isoformat() == AS_OF
    for loc in estate.locations:
        price = transfer_price(loc.id, as_of=estate.as_of)
        assert price.transfer_class == "internet"
    for d in estate.datasets:
        if d.location.startswith("azure:"):
            assert (
                storage_cost(
                    1000.0, location=d.location, storage_class=d.storage_class, as_of=estate.as_of
                )
                > 0
            )


def test_books_are_not_in_effect_before_their_date() -> None:
    with pytest.raises(PriceBookError, match="No azure price book is in effect on 2020-01-01"):
        load_price_book("azure", as_of="2020-01-01")


# ----------------------------------------------------------------------------- Azure


def test_azure_westeurope_500tb_month() -> None:
    # Azure Zone 1 "Standard Data Transfer Out" (Microsoft network), tier edges from the Retail
    # API (S+, pricing-facts-2.md section 1a); first paid band 0.087 (V, Arius7 export):
    #      100 GB free
    #   10,235 x 0.087 =    890.445
    #   40,960 x 0.083 =  3,399.680
    #  102,400 x 0.07  =  7,168.000
    #  358,305 x 0.05  = 17,915.250
    #  512,000 GB          29,373.375 -> $29,373.38
    cost = egress_cost(512000.0, source="azure:westeurope", as_of=AS_OF)
    assert cost == pytest.approx(29373.375)
    assert round(cost, 2) == 29373.38


def test_azure_free_band_and_first_edge() -> None:
    # 0-100 GB is a $0 band (S+); GB 101 costs 0.087; 10,335 GB = 10,235 x 0.087 = 890.445;
    # GB 10,336 is the first at 0.083.
    out = egress_cost(
        np.array([100.0, 101.0, 10335.0, 10336.0]), source="azure:eastus", as_of=AS_OF
    )
    np.testing.assert_allclose(out, [0.0, 0.087, 890.445, 890.528])


def test_azure_zone2_and_zone3_stop_after_the_first_band() -> None:
    # Zone 2 (japaneast) 0.12 and Zone 3 (brazilsouth) 0.181 from 100 to 10,335 GB (V); later
    # bands were not found, so larger volumes raise unless extrapolated at the last rate:
    #   20,000 GB in japaneast = 10,235 x 0.12 + 9,665 x 0.12 = 19,900 x 0.12 = 2,388.00
    assert egress_cost(10335.0, source="azure:brazilsouth", as_of=AS_OF) == pytest.approx(
        10235 * 0.181
    )
    with pytest.raises(PriceLimitError, match="10,335 GB per month"):
        egress_cost(20000.0, source="azure:japaneast", as_of=AS_OF)
    with pytest.warns(ExtrapolationWarning):
        cost = egress_cost(
            20000.0, source="azure:japaneast", as_of=AS_OF, beyond_published="extrapolate"
        )
    assert cost == pytest.approx(2388.0)


def test_azure_routing_preference_internet() -> None:
    # Routing preference "Internet", US first band $0.04 (Microsoft blog 2025-09-05, V) after
    # the free 100 GB (S+): 1,000 GB -> 900 x 0.04 = 36.00.
    cost = egress_cost(1000.0, source="azure:eastus", network_tier="internet", as_of=AS_OF)
    assert cost == pytest.approx(36.0)


def test_azure_inter_region_and_expressroute() -> None:
    # Microsoft's vWAN worked examples (V): East US -> West US $0.02/GB, East US -> Europe
    # $0.05/GB; ExpressRoute metered outbound Zone 1 $0.025/GB. 1,000 GB each.
    assert egress_cost(
        1000.0, source="azure:eastus", destination="azure:westus", as_of=AS_OF
    ) == pytest.approx(20.0)
    assert egress_cost(
        1000.0, source="azure:eastus", destination="azure:westeurope", as_of=AS_OF
    ) == pytest.approx(50.0)
    price = transfer_price("azure:westeurope", "colo:ams1", via="interconnect", as_of=AS_OF)
    assert price.transfer_class == "interconnect"
    assert price.cost(1000.0) == pytest.approx(25.0)
    # Cross-zone inside a region is free (S).
    assert egress_cost(1000.0, source="azure:westeurope", destination="zone", as_of=AS_OF) == 0


def test_azure_blob_storage_and_archive_rehydration() -> None:
    # Arius7 Retail API export (V), westeurope LRS, EUR / 0.8601 EUR per USD:
    #   Hot     EUR 0.016858 -> $0.0196/GB-month: 1,000 GB = 19.60
    #   Archive EUR 0.001548 -> $0.0018/GB-month: 1,000 GB = 1.80
    #   Archive standard rehydration EUR 0.020642 -> $0.024/GB, read ops EUR 5.160624 per
    #   10,000 -> $6.00 per 10,000 = $0.60 per 1,000:  1,000 GB + 1,000 objects = 24.00 + 0.60
    #   High priority EUR 0.111814 -> $0.13/GB, EUR 55.906765 per 10,000 -> $6.50 per 1,000:
    #   1,000 GB + 1,000 objects = 130.00 + 6.50 = 136.50
    loc = "azure:westeurope"
    assert storage_cost(1000.0, location=loc, as_of=AS_OF) == pytest.approx(19.6)
    assert storage_cost(
        1000.0, location=loc, storage_class="archive", as_of=AS_OF
    ) == pytest.approx(1.8)
    assert retrieval_cost(
        1000.0, location=loc, storage_class="archive", objects=1000, as_of=AS_OF
    ) == pytest.approx(24.6)
    assert retrieval_cost(
        1000.0,
        location=loc,
        storage_class="archive",
        retrieval="expedited",
        objects=1000,
        as_of=AS_OF,
    ) == pytest.approx(136.5)


def test_azure_westus_hot_bands() -> None:
    # Infracost Azure storage golden (V, 2024-07-01), Blob Hot LRS West US:
    #  51,200 x 0.0208 + 460,800 x 0.01997 + 88,000 x 0.01914
    #  = 1,064.96 + 9,202.176 + 1,684.32 = 11,951.456 for 600,000 GB
    assert storage_cost(600000.0, location="azure:westus", as_of=AS_OF) == pytest.approx(11951.456)


def test_azure_cold_dataset_exit_breakdown() -> None:
    # 1,024 GB in Cold (westeurope), stored 30 of its 90 minimum days, sent to the internet:
    #   egress     (1,024 - 100) x 0.087                    =  80.388
    #   retrieval  1,024 x $0.03 (EUR 0.025803 / 0.8601)    =  30.72
    #   early del. 1,024 x $0.0045 = 4.608 a month, x 60 remaining days / 30.436875
    #              (mean Gregorian month)                   =   9.0837...
    out = data_exit_cost(
        1024.0, source="azure:westeurope", storage_class="cold", stored_days=30, as_of=AS_OF
    )
    assert out["egress"] == pytest.approx(80.388)
    assert out["retrieval"] == pytest.approx(30.72)
    assert out["early_deletion"] == pytest.approx(4.608 * 60 / (365.2425 / 12))
    assert out["total"] == pytest.approx(out.drop("total").sum())


def test_azure_compute_unit_prices() -> None:
    # SkyPilot catalog v6 (V): Standard_D8s_v5 eastus $0.384/h (8 vCPU, 32 GiB); the vCPU share
    # 0.651 (R, from Google's N2 SKUs) splits it, so 8 vCPU + 32 GiB gives back $0.384.
    # Standard_ND96isr_H100_v5 $98.32/h for 8 H100 = $12.29 per GPU-hour.
    units = load_price_book("azure", as_of=AS_OF).compute_unit_prices("eastus")
    assert units.usd_per_vcpu_hour is not None
    assert units.usd_per_gib_hour is not None
    assert 8 * units.usd_per_vcpu_hour + 32 * units.usd_per_gib_hour == pytest.approx(0.384)
    assert units.usd_per_gpu_hour["H100"] == pytest.approx(12.29)
    # 3-year reservation: GBP 26.37 vs 61.30 a month for a D2 v3 (cloudlevels.blog 2026, S).
    assert units.discount_fraction["3yr"] == pytest.approx(1 - 26.37 / 61.30, abs=1e-3)
    assert "1yr" not in units.discount_fraction


def test_azure_exit_programme() -> None:
    # MicrosoftDocs cancel-azure-subscription.md (V): announced 2024-03-13, support request,
    # 60-day window, internet egress only (retrieval and requests remain).
    programme = exit_programme("azure", as_of=AS_OF)
    assert programme is not None
    assert programme.announced == dt.date(2024, 3, 13)
    assert programme.window_days == 60
    assert programme.approval_required
    assert egress_cost(512000.0, source="azure:westeurope", as_of=AS_OF, exit_waiver=True) == 0
    out = data_exit_cost(
        1024.0, source="azure:westeurope", storage_class="cold", as_of=AS_OF, exit_waiver=True
    )
    assert out["egress"] == 0
    assert out["retrieval"] == pytest.approx(30.72)


# ----------------------------------------------------------------------------- Google Cloud


def test_gcp_premium_500tib_marginal() -> None:
    # Premium Tier, worldwide excl. Asia/Australia (Infracost GCS golden 2024-07-01, V), per GiB:
    #    1,024 x 0.12 =    122.88
    #    9,216 x 0.11 =  1,013.76
    #  501,760 x 0.08 = 40,140.80
    #  512,000 GiB      41,277.44
    # (SkyPilot's bracket rate on all GiB would give 512,000 x 0.08 = 40,960: not marginal.)
    assert egress_cost(512000.0, source="gcp:europe-west1", as_of=AS_OF) == pytest.approx(41277.44)


def test_gcp_always_free_from_north_america() -> None:
    # Cloud Storage Always Free: 100 GB a month from the US Always Free regions (S+), off the
    # first band: 41,277.44 - 100 x 0.12 = 41,265.44.
    assert egress_cost(512000.0, source="gcp:us-central1", as_of=AS_OF) == pytest.approx(41265.44)


def test_gcp_premium_destination_zones() -> None:
    # To China $0.23 and to Australia $0.19 per GiB for 0-1 TiB (V); nothing beyond was found.
    # The destination's zone comes from its own book (aws:ap-southeast-2 is in AU).
    assert egress_cost(
        1024.0, source="gcp:europe-west1", destination="aws:ap-southeast-2", as_of=AS_OF
    ) == pytest.approx(1024 * 0.19)
    book = load_price_book("gcp", as_of=AS_OF)
    china = book.transfer_price("europe-west1", "colo:shanghai", destination_jurisdiction="CN")
    assert china.cost(1024.0) == pytest.approx(1024 * 0.23)
    anywhere = transfer_price("gcp:europe-west1", as_of=AS_OF)
    assert anywhere.cost(1024.0) == pytest.approx(1024 * 0.12)
    with pytest.raises(PriceLimitError, match="1,024 GB per month"):
        egress_cost(
            2048.0, source="gcp:europe-west1", destination="aws:ap-southeast-2", as_of=AS_OF
        )


def test_gcp_standard_tier_and_contact_sales_limit() -> None:
    # Standard Tier NA/EU (first band S, later bands M), contact sales beyond 500 TiB (V):
    #   10,240 x 0.085 =    870.40
    #  143,360 x 0.065 =  9,318.40
    #  358,400 x 0.045 = 16,128.00   -> 26,316.80
    #  minus the 200 GB free a month (S) at 0.085 = 17.00 -> 26,299.80
    cost = egress_cost(512000.0, source="gcp:europe-west1", network_tier="standard", as_of=AS_OF)
    assert cost == pytest.approx(26299.8)
    with pytest.raises(PriceLimitError, match="512,000 GB per month"):
        egress_cost(512001.0, source="gcp:europe-west1", network_tier="standard", as_of=AS_OF)


def test_gcp_inter_region_by_continent() -> None:
    # skyplane gcp_pricing.py (S): NA 0.01, EU 0.02, Asia 0.05 within a continent; 0.08 across;
    # 0.15 to or from Oceania. 1,000 GiB each.
    cases = {
        ("us-central1", "us-east1"): 10.0,
        ("europe-west1", "europe-west4"): 20.0,
        ("asia-northeast1", "asia-southeast1"): 50.0,
        ("us-central1", "europe-west1"): 80.0,
        ("europe-west1", "australia-southeast1"): 150.0,
        ("australia-southeast1", "asia-northeast1"): 150.0,
    }
    for (src, dst), expected in cases.items():
        cost = egress_cost(1000.0, source=f"gcp:{src}", destination=f"gcp:{dst}", as_of=AS_OF)
        assert cost == pytest.approx(expected), (src, dst)
    # Inter-zone in one region $0.01/GiB at the source (S).
    assert egress_cost(
        1000.0, source="gcp:us-central1", destination="zone", as_of=AS_OF
    ) == pytest.approx(10.0)


def test_gcp_interconnect_example() -> None:
    # Google's Cloud Interconnect example (V): 20 TiB from a US region at $0.02/GiB = 409.60;
    # a 10 Gbps Dedicated circuit at $2.328/h x 730 h = $1,699.44 a month.
    price = transfer_price(
        "gcp:us-central1", "onprem:fra1", via="interconnect", port_gbps=10, as_of=AS_OF
    )
    assert price.cost(20480.0) == pytest.approx(409.6)
    assert price.fixed_usd_per_month == pytest.approx(1699.44)


def test_gcp_storage_classes() -> None:
    # api-evangelist transcription of cloud.google.com/storage/pricing (S), us-central1, per
    # GiB-hour x 730: Standard 0.000027397 -> 0.02, Nearline 0.01, Coldline 0.004,
    # Archive 0.0012; Always Free 5 GB-months of Standard (S+):
    #   Standard 1,000 GB = (1,000 - 5) x 0.02 = 19.90; Nearline 10.00; Coldline 4.00;
    #   Archive 1.20.
    loc = "gcp:us-central1"
    got = [
        storage_cost(1000.0, location=loc, storage_class=c, as_of=AS_OF)
        for c in ("standard", "infrequent", "cold", "archive")
    ]
    np.testing.assert_allclose(got, [19.9, 10.0, 4.0, 1.2])
    # Retrieval: Nearline $0.01, Coldline $0.02 (V), Archive $0.05 per GiB (S).
    got = [
        retrieval_cost(1000.0, location=loc, storage_class=c, as_of=AS_OF)
        for c in ("infrequent", "cold", "archive")
    ]
    np.testing.assert_allclose(got, [10.0, 20.0, 50.0])
    # Archive minimum duration 365 days (V): 1,000 GB stored 65 days -> 300 remaining days of
    # 1.20 a month = 1.20 x 300 / 30.436875.
    out = data_exit_cost(1000.0, source=loc, storage_class="archive", stored_days=65, as_of=AS_OF)
    assert out["early_deletion"] == pytest.approx(1.2 * 300 / (365.2425 / 12))


def test_gcp_compute_unit_prices_match_the_n2_skus() -> None:
    # n2-standard-8 $0.38848/h (V, Infracost golden backed out of a 20 % sustained-use discount)
    # split with the N2 SKUs (S+): 0.031611 per vCPU-hour, 0.004237 per GiB-hour;
    # 3-year a3 H100 commitment 1 - 4.86 / 11.06 = 0.561 (S).
    units = load_price_book("gcp", as_of=AS_OF).compute_unit_prices("us-central1")
    assert units.usd_per_vcpu_hour == pytest.approx(0.031611, abs=1e-6)
    assert units.usd_per_gib_hour == pytest.approx(0.004237, abs=1e-6)
    gpu = load_price_book("gcp", as_of=AS_OF).compute_unit_prices("asia-southeast1")
    assert gpu.usd_per_gpu_hour["H100"] == pytest.approx(11.06)
    assert gpu.gpu_discount_fraction[("H100", "3yr")] == pytest.approx(1 - 4.86 / 11.06, abs=1e-3)


def test_gcp_exit_programme() -> None:
    # cloud.google.com/exit-cloud (V): announced 2024-01-11, approval, 60 days, Premium Tier.
    programme = exit_programme("gcp", as_of=AS_OF)
    assert programme is not None
    assert programme.announced == dt.date(2024, 1, 11)
    assert programme.window_days == 60
    assert "internet" in programme.covers
    assert egress_cost(512000.0, source="gcp:europe-west1", exit_waiver=True, as_of=AS_OF) == 0


# ----------------------------------------------------------------------------- OCI


def test_oci_ten_tb_free_then_flat_rates() -> None:
    # OCI (S): first 10 TB a month free per tenancy (read as 10,240 GB, R), then per GB
    # 0.0085 NA/EU/UK, 0.025 APAC/Japan/SA, 0.05 Middle East/Africa:
    #   eu-frankfurt-1 50 TB: (51,200 - 10,240) x 0.0085 = 348.16
    #   ap-tokyo-1     50 TB: 40,960 x 0.025 = 1,024.00
    #   me-dubai-1     50 TB: 40,960 x 0.05  = 2,048.00
    out = egress_cost(np.array([10240.0, 51200.0]), source="oci:eu-frankfurt-1", as_of=AS_OF)
    np.testing.assert_allclose(out, [0.0, 348.16])
    assert egress_cost(51200.0, source="oci:ap-tokyo-1", as_of=AS_OF) == pytest.approx(1024.0)
    assert egress_cost(51200.0, source="oci:me-dubai-1", as_of=AS_OF) == pytest.approx(2048.0)


def test_oci_gpu_unit_price_and_object_storage() -> None:
    # BM.GPU.H100.8 at $10.00 per GPU-hour (Oct 2023, S). Object Storage Standard from Oracle's
    # price-list API (2026-09-09, S+): first 10 GB free, then $0.0255 per GB-month, so
    # 1,000 GB cost (1,000 - 10) x 0.0255 = $25.245. Archive restores have no price (the book
    # lists them as unpublished), so asking for one is an error naming the gap.
    units = load_price_book("oci", as_of=AS_OF).compute_unit_prices("eu-frankfurt-1")
    assert units.usd_per_gpu_hour["H100"] == pytest.approx(10.0)
    assert storage_cost(1000.0, location="oci:eu-frankfurt-1", as_of=AS_OF) == pytest.approx(25.245)
    with pytest.raises(PriceBookError, match=r"no retrieval price for 'archive'.*unpublished"):
        retrieval_cost(1000.0, location="oci:eu-frankfurt-1", storage_class="archive", as_of=AS_OF)


# ----------------------------------------------------------------------------- Cloudflare R2


def test_r2_free_egress_priced_storage_and_operations() -> None:
    # Cloudflare R2 pricing docs (V): egress free for every class; Standard $0.015/GB-month with
    # 10 GB-month free; Infrequent Access $0.01/GB-month, $0.01/GB retrieval, Class B $0.90 per
    # million (= $0.0009 per 1,000):
    #   Standard 1,000 GB = (1,000 - 10) x 0.015 = 14.85
    #   IA 1,000 GB = 10.00; reading it back with 1,000,000 GETs = 10.00 + 0.90 = 10.90
    assert egress_cost(1e6, source="cloudflare:weur", as_of=AS_OF) == 0
    assert storage_cost(1000.0, location="cloudflare:weur", as_of=AS_OF) == pytest.approx(14.85)
    assert storage_cost(
        1000.0, location="cloudflare:eu", storage_class="infrequent", as_of=AS_OF
    ) == pytest.approx(10.0)
    assert retrieval_cost(
        1000.0, location="cloudflare:eu", storage_class="infrequent", objects=1_000_000, as_of=AS_OF
    ) == pytest.approx(10.9)
    # A 1,000,000-object exit from Standard costs only its Class B reads: $0.36 per million.
    out = data_exit_cost(5000.0, source="cloudflare:enam", objects=1_000_000, as_of=AS_OF)
    assert out["egress"] == 0
    assert out["requests"] == pytest.approx(0.36)


def test_r2_infrequent_access_minimum_duration() -> None:
    # Infrequent Access has a 30-day minimum storage duration (V): 1,000 GB deleted after 10
    # days pays 20 more days of $10.00 a month = 10 x 20 / 30.436875.
    out = data_exit_cost(
        1000.0, source="cloudflare:eu", storage_class="infrequent", stored_days=10, as_of=AS_OF
    )
    assert out["early_deletion"] == pytest.approx(10.0 * 20 / (365.2425 / 12))


# ----------------------------------------------------------------------------- Backblaze B2


def test_b2_beyond_the_free_allowance() -> None:
    # Backblaze B2 (S, leanopstech April 2026): download $0.01/GB beyond 1 GB/day (30 GB a
    # month, R): 1,000 GB -> 970 x 0.01 = 9.70. Storage $0.006/GB-month, first 10 GB free:
    # 1,000 GB -> 990 x 0.006 = 5.94.
    assert egress_cost(1000.0, source="backblaze:us-west", as_of=AS_OF) == pytest.approx(9.7)
    assert storage_cost(1000.0, location="backblaze:eu-central", as_of=AS_OF) == pytest.approx(5.94)


def test_b2_free_egress_up_to_three_times_storage() -> None:
    # "Free egress up to 3x average monthly storage" (S, cloudslinker): a whole-dataset exit in
    # one month is within 30 GB + 3 x 1,000 GB, so it is free; 10,000 GB of downloads a month
    # against 1,000 GB stored pays for 10,000 - 3,030 = 6,970 GB = 69.70.
    out = data_exit_cost(1000.0, source="backblaze:eu-central", as_of=AS_OF)
    assert out["total"] == 0
    book = load_price_book("backblaze", as_of=AS_OF)
    price = book.internet_price("eu-central", stored_gb=1000.0)
    assert price.cost(10000.0) == pytest.approx(69.7)


# ----------------------------------------------------------------------------- Wasabi


def test_wasabi_minimum_charge() -> None:
    # Wasabi $7.99 per TB-month from 2026-07-01 (S, weak), TB = 1,024 GB (V): $0.00780273/GB.
    # 1 TB minimum charge (V): 500 GB is billed as 1,024 GB = 7.99; nothing stored costs 0.
    out = storage_cost(np.array([0.0, 500.0, 2048.0]), location="wasabi:eu-central-1", as_of=AS_OF)
    np.testing.assert_allclose(out, [0.0, 1024 * 0.00780273, 2048 * 0.00780273])
    assert round(float(out[1]), 2) == 7.99


def test_wasabi_ninety_day_minimum_retention_and_free_egress() -> None:
    # 90-day minimum storage duration (V): 500 GB (billed as the 1 TB minimum, 7.99 a month)
    # deleted after 30 days pays the remaining 60 days: 7.98999552 x 60 / 30.436875 = 15.75.
    # Egress and API requests are free (V).
    out = data_exit_cost(
        500.0, source="wasabi:eu-central-1", objects=10_000, stored_days=30, as_of=AS_OF
    )
    assert out["egress"] == 0
    assert out["requests"] == 0
    assert out["early_deletion"] == pytest.approx(1024 * 0.00780273 * 60 / (365.2425 / 12))
    assert round(out["total"], 2) == 15.75


# ----------------------------------------------------------------------------- site templates


def test_colo_transit_at_the_95th_percentile() -> None:
    # Colocation template: 1,000 Mbps committed at $0.25/Mbps-month (M), overage at the same
    # rate (R), 95th percentile = 1.5 x the month's mean rate (R):
    #   1 GB in 730 h = 2**30 x 8 / 2,628,000 s / 1e6 = 0.0032686 Mbps mean, x 1.5 = 0.0049029
    #   512,000 GB -> 2,510.30 Mbps at p95; commitment $250.00 a month (fixed) plus
    #   (2,510.30 - 1,000) x 0.25 = $377.58 overage.
    price = transfer_price("colo:ams1", as_of=AS_OF)
    assert price.transfer_class == "internet"
    assert price.fixed_usd_per_month == pytest.approx(250.0)
    p95_mbps = 512000 * MBPS_PER_GB
    assert p95_mbps == pytest.approx(2510.30, abs=0.01)
    assert price.cost(512000.0) == pytest.approx((p95_mbps - 1000) * 0.25)
    assert round(price.cost(512000.0) + price.fixed_usd_per_month, 2) == 627.58
    # Below the commitment only the fixed fee is due.
    assert price.cost(100000.0) == 0


def test_every_sample_site_is_priced_by_its_template() -> None:
    # onprem:fra1 (1 Gbps commit, $250), colo:ams1 ($250), edge:store-001..004 (100 Mbps, $25).
    expected = {"onprem:fra1": 250.0, "colo:ams1": 250.0}
    expected.update({f"edge:store-00{i}": 25.0 for i in range(1, 5)})
    for site, fee in expected.items():
        assert transfer_price(site, as_of=AS_OF).fixed_usd_per_month == pytest.approx(fee)
    # Edge: 50,000 GB -> 245.15 Mbps at p95; (245.15 - 100) x 0.25 = 36.29.
    edge = transfer_price("edge:store-003", as_of=AS_OF)
    assert edge.cost(50000.0) == pytest.approx((50000 * MBPS_PER_GB - 100) * 0.25)


def test_colo_cross_connect_fee() -> None:
    # A fibre cross-connect is a flat monthly fee with no per-GB charge (Equinix docs, V);
    # about $100 a month in Amsterdam / Frankfurt (S): $0.136986/h x 730 h = $100.00.
    price = transfer_price(
        "colo:ams1", "aws:eu-west-1", via="interconnect", port_gbps=10, as_of=AS_OF
    )
    assert price.transfer_class == "interconnect"
    assert price.cost(1e6) == 0
    assert price.fixed_usd_per_month == pytest.approx(100.0, abs=0.01)


# ----------------------------------------------------------------------------- invariants


@given(st.floats(min_value=0.0, max_value=512000.0, allow_nan=False))
def test_azure_zone1_between_last_and_first_paid_rates(volume_gb: float) -> None:
    # Marginal tiers: the cost of v GB lies between 0.05 x (v - 100) and 0.087 x (v - 100).
    cost = egress_cost(volume_gb, source="azure:northeurope", as_of=AS_OF)
    paid = max(volume_gb - 100.0, 0.0)
    assert 0.05 * paid - 1e-9 <= cost <= 0.087 * paid + 1e-9


@given(
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
)
def test_gcp_premium_is_monotone_and_subadditive_within_a_month(a: float, b: float) -> None:
    # Falling marginal rates: more GB never cost less, and one month of a + b GB costs no more
    # than two separate months of a and b GB.
    low, high = sorted((a, b))
    f = egress_cost(np.array([low, high, a + b, a, b]), source="gcp:europe-west4", as_of=AS_OF)
    assert f[0] <= f[1] + 1e-9
    assert f[2] <= f[3] + f[4] + 1e-6


@given(st.floats(min_value=0.0, max_value=5e6, allow_nan=False))
def test_site_transit_is_commitment_plus_overage(volume_gb: float) -> None:
    # Variable cost = max(p95 Mbps - commitment, 0) x overage rate, for every site template.
    for site, commit in (("onprem:fra1", 1000.0), ("colo:ams1", 1000.0), ("edge:x", 100.0)):
        cost = transfer_price(site, as_of=AS_OF).cost(volume_gb)
        expected = max(volume_gb * MBPS_PER_GB - commit, 0.0) * 0.25
        assert cost == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(st.floats(min_value=0.0, max_value=1e7, allow_nan=False))
def test_wasabi_storage_is_the_minimum_or_the_volume(size_gb: float) -> None:
    cost = storage_cost(size_gb, location="wasabi:us-east-1", as_of=AS_OF)
    expected = 0.0 if size_gb == 0 else max(size_gb, 1024.0) * 0.00780273
    assert cost == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(st.floats(min_value=0.0, max_value=1e6, allow_nan=False))
def test_free_egress_providers_stay_free(volume_gb: float) -> None:
    for source in ("cloudflare:apac", "wasabi:ap-southeast-2"):
        assert egress_cost(volume_gb, source=source, as_of=AS_OF) == 0


def test_gcp_exit_waiver_covers_premium_tier_only() -> None:
    # cloud.google.com/exit-cloud: "Premium Tier network traffic only" (V). 1,000 GiB from
    # europe-west1 on the Standard tier stays at list price: (1,000 - 200 free) x 0.085.
    kw = {"source": "gcp:europe-west1", "as_of": "2026-11-01"}
    standard = egress_cost(1_000.0, network_tier="standard", exit_waiver=True, **kw)
    assert standard == pytest.approx(800 * 0.085)
    assert egress_cost(1_000.0, network_tier="premium", exit_waiver=True, **kw) == 0.0
