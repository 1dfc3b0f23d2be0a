"""The pricing policy: strict by default, extrapolation and borrowing only when asked, reported."""

from __future__ import annotations

import datetime as dt
import warnings
from types import SimpleNamespace as NS
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.cli import demo_text
from exitcost.errors import (
    ExtrapolationWarning,
    InvalidParameterError,
    PriceBookError,
    PriceLimitError,
)
from exitcost.estate import Estate, sample_estate
from exitcost.graph import baseline_cost
from exitcost.pricing import exit_bill, load_price_book, storage_cost
from exitcost.pricing.policy import (
    STRICT,
    Adjustment,
    PricingPolicy,
    StalePriceBookWarning,
    adjustment_note,
    adjustments_frame,
    as_policy,
    current_policy,
    pricing_policy,
    recording,
    stale_books,
    warn_stale_books,
)
from exitcost.pricing.schema import lowest_label

# Azure regions whose internet egress stops at the first paid band (10,335 GB a month):
# Zone 2 and 3, the regions zoned by reasoning, and polandcentral (its own first band only).
TRUNCATED_AZURE = (
    "japaneast", "australiaeast", "centralindia", "southeastasia", "japanwest", "koreacentral",
    "koreasouth", "southindia", "westindia", "eastasia", "australiacentral",
    "australiasoutheast", "qatarcentral", "indonesiacentral", "malaysiawest", "newzealandnorth",
    "brazilsouth", "southafricanorth", "uaenorth", "polandcentral",
)  # fmt: skip


def test_policy_rejects_unknown_switches() -> None:
    with pytest.raises(InvalidParameterError, match="'fallback' parameter of PricingPolicy"):
        PricingPolicy(fallback="anywhere")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="'beyond_published' parameter of exit_bill"):
        as_policy(beyond_published="guess", func="exit_bill")
    with pytest.raises(InvalidParameterError, match="must be a PricingPolicy"):
        as_policy("nearest", func="baseline_cost")  # type: ignore[arg-type]


def test_policy_context_is_the_default_and_switches_win() -> None:
    assert current_policy() == STRICT
    with pricing_policy(fallback="nearest"):
        assert as_policy() == PricingPolicy(fallback="nearest")
        assert as_policy(beyond_published="extrapolate").fallback == "nearest"
        with pricing_policy(STRICT):
            assert current_policy().strict
    assert current_policy() == STRICT


@given(
    st.sampled_from(["error", "extrapolate", None]),
    st.sampled_from(["nearest", None]),
    st.sampled_from(["error", "extrapolate"]),
    st.sampled_from(["nearest", None]),
)
@settings(max_examples=30)
def test_as_policy_switch_overrides_the_object_field(
    beyond: str | None, fallback: str | None, base_beyond: str, base_fallback: str | None
) -> None:
    base = PricingPolicy(base_beyond, base_fallback)  # type: ignore[arg-type]
    chosen = as_policy(base, beyond_published=beyond, fallback=fallback)
    assert chosen.beyond_published == (base_beyond if beyond is None else beyond)
    assert chosen.fallback == (base_fallback if fallback is None else fallback)


def test_recording_collects_each_adjustment_once() -> None:
    note = Adjustment("borrowed", "aws:x", "storage:cold", "aws 2024-09-25", "from aws:y")
    with recording() as notes:
        from exitcost.pricing.policy import record

        record(note)
        record(note)
    assert notes == [note]
    frame = adjustments_frame(notes)
    assert frame.loc[0, "label"] == "R"
    assert "aws:x" in adjustment_note(notes)


def test_stale_books_are_those_more_than_twelve_months_old() -> None:
    book = NS(provider="aws", effective_date=dt.date(2024, 9, 25))
    assert stale_books([book], dt.date(2025, 9, 25)) == []
    assert stale_books([book], dt.date(2025, 10, 1)) == [book]
    with pytest.warns(StalePriceBookWarning, match=r"aws price book .* dated 2024-09-25") as got:
        warn_stale_books([book, book], dt.date(2026, 11, 1))
    assert len(got) == 1  # once per book


def test_an_exit_case_shows_the_stale_book_once_under_the_default_filter() -> None:
    from exitcost.case import exit_case

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        exit_case(sample_estate(), "azure")
    stale = [w for w in caught if issubclass(w.category, StalePriceBookWarning)]
    assert len(stale) == 1


def test_analyses_of_the_sample_estate_warn_that_the_aws_book_is_stale() -> None:
    # The sample estate is dated 2026-11-01; the AWS book 2024-09-25 (issue #10).
    estate = sample_estate()
    for analysis in (exit_bill, baseline_cost):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            analysis(estate)
        stale = [w for w in caught if issubclass(w.category, StalePriceBookWarning)]
        assert len(stale) == 1
        assert "aws price book" in str(stale[0].message)
        assert "2024-09-25" in str(stale[0].message)


def _estate(*extra: dict[str, Any], workloads: tuple[dict[str, Any], ...] = ()) -> Estate:
    data = sample_estate().to_dict()
    locations = {loc["id"] for loc in data["locations"]}
    azure = load_price_book("azure", as_of="2026-11-01")
    gcp = load_price_book("gcp", as_of="2026-11-01")
    oci = load_price_book("oci", as_of="2026-11-01")
    for item in [*extra, *workloads]:
        lid = item["location"]
        if lid in locations:
            continue
        provider, region = lid.split(":")
        meta = {"azure": azure, "gcp": gcp, "oci": oci}[provider].regions[region]
        data["locations"].append(
            {
                "id": lid,
                "kind": "cloud",
                "continent": meta.continent,
                "jurisdiction": meta.jurisdiction,
            }
        )
        locations.add(lid)
    data["datasets"] += list(extra)
    data["workloads"] += list(workloads)
    return Estate.from_dict(data)


def _extended_estate() -> Estate:
    """The sample estate plus GCS, OCI and truncated Azure places that the checks flag."""
    team = sample_estate().workloads[0].team
    reader = {"kind": "batch", "team": team, "compute_usd_per_month": 500}
    return _estate(
        {"id": "gcs-bucket", "location": "gcp:europe-west1", "size_gb": 20_000},
        {"id": "oci-dataset", "location": "oci:eu-frankfurt-1", "size_gb": 5_000},
        workloads=(
            {"id": "gcs-reader", "location": "gcp:europe-west1", **reader,
             "reads": [{"dataset": "gcs-bucket", "gb_per_month": 1_500}]},
            {"id": "oci-reader", "location": "oci:eu-frankfurt-1", **reader,
             "reads": [{"dataset": "oci-dataset", "gb_per_month": 500}]},
            *(
                {"id": f"web-{r}", "location": f"azure:{r}", "kind": "web", "team": team,
                 "compute_usd_per_month": 1_000, "internet_egress_gb_per_month": 50 * 1024}
                for r in TRUNCATED_AZURE
            ),
        ),
    )  # fmt: skip


def test_extended_sample_estate_runs_the_demo_with_the_switches() -> None:
    # The bucket in gcp:europe-west1 and the dataset in oci:eu-frankfurt-1 are now priced; the
    # 50 TB a month leaving each truncated Azure region is beyond Azure's published bands, so
    # the strict default names the switch, and the demo runs with it, saying what it did.
    estate = _extended_estate()
    with pytest.raises(PriceLimitError, match="beyond_published='extrapolate'"):
        baseline_cost(estate)
    with pricing_policy(beyond_published="extrapolate"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)  # reported in the text instead
        text = demo_text(estate)
    assert "gcp:europe-west1" in text
    assert "oci:eu-frankfurt-1" in text
    assert "Figures not read from the books as asked (label R):" in text
    assert "internet_egress beyond 10,335 GB/month" in text
    for region in TRUNCATED_AZURE:
        assert f"azure:{region}" in text
    assert max(len(line) for line in text.split("Figures not read")[1].splitlines()[:8]) <= 100


def test_baseline_reports_extrapolated_egress_with_label_r() -> None:
    team = sample_estate().workloads[0].team
    estate = _estate(
        workloads=(
            {"id": "web-jp", "location": "azure:japaneast", "kind": "web", "team": team,
             "compute_usd_per_month": 1_000, "internet_egress_gb_per_month": 20_335},
        )
    )  # fmt: skip
    with pytest.warns(ExtrapolationWarning, match="10,335 GB"):
        frame = baseline_cost(estate, beyond_published="extrapolate")
    (note,) = frame.attrs["adjustments"]
    assert note["kind"] == "extrapolated"
    assert note["location"] == "azure:japaneast"
    assert frame.attrs["labels"][("azure:japaneast", "egress", "internet")] == "R"
    row = frame[(frame["location"] == "azure:japaneast") & (frame["category"] == "egress")]
    # Arius7 Retail API export: Zone 2 first paid band 0.12 (100-10,335 GB), extrapolated:
    # 20,235 paid GB x 0.12 = $2,428.20
    assert float(row["usd_per_month"].iloc[0]) == pytest.approx(20_235 * 0.12)


def test_exit_bill_borrows_only_when_asked_and_says_so() -> None:
    estate = _estate({"id": "pl-archive", "location": "azure:polandcentral", "size_gb": 1_000,
                      "storage_class": "archive"})  # fmt: skip
    with pytest.raises(PriceBookError, match=r"pl-archive.*fallback='nearest'"):
        exit_bill(estate)
    bill = exit_bill(estate, fallback="nearest")
    borrowed = [a for a in bill.attrs["adjustments"] if a["kind"] == "borrowed"]
    assert borrowed == [
        {
            "kind": "borrowed",
            "location": "azure:polandcentral",
            "item": "storage:archive",
            "book": "azure 2026-10-31",
            "detail": "borrowed from azure:northeurope",
            "label": "R",
        }
    ]
    # the least confident label behind the row: polandcentral's egress (M) ranks below R
    assert bill.attrs["labels"]["pl-archive"] == lowest_label(["M", "R"]) == "M"
    assert bill.attrs["pricing_policy"] == {"beyond_published": "error", "fallback": "nearest"}
    row = bill.set_index("dataset").loc["pl-archive"]
    # northeurope's Archive standard-priority rehydration, from the same Retail API export
    sc = load_price_book("azure", as_of="2026-11-01").storage_class("northeurope", "archive")
    standard = {o.speed: o for o in sc.retrieval}["standard"]
    assert row["retrieval_usd"] == pytest.approx(1_000 * standard.usd_per_gb)


def test_policy_object_equals_the_switches() -> None:
    estate = _estate({"id": "pl-archive", "location": "azure:polandcentral", "size_gb": 1_000,
                      "storage_class": "archive"})  # fmt: skip
    by_switch = exit_bill(estate, fallback="nearest")
    by_object = exit_bill(estate, policy=PricingPolicy(fallback="nearest"))
    with pricing_policy(fallback="nearest"):
        by_context = exit_bill(estate)
    assert by_switch.equals(by_object)
    assert by_switch.equals(by_context)


def test_strict_storage_error_names_the_price_and_the_switch() -> None:
    with pytest.raises(
        PriceBookError,
        match=r"no 'archive' storage price in region 'polandcentral'.*no Archive meter.*"
        r"fallback='nearest'",
    ):
        storage_cost(
            1.0, location="azure:polandcentral", storage_class="archive", as_of="2026-11-01"
        )


def test_borrowed_internet_egress_in_the_baseline_and_the_exit_bill() -> None:
    # gcp:asia-northeast1's Premium egress is unpublished in the 2026-12-01 book; the nearest
    # priced region on the continent is asia-southeast1 (billing catalog copy 2026-07-30:
    # 0.12 / 0.11 per GiB to 1 and 10 TiB). 5,000 GiB: 1,024 x 0.12 + 3,976 x 0.11 = $560.24.
    data = sample_estate().to_dict()
    data["as_of"] = "2026-12-02"
    team = data["workloads"][0]["team"]
    data["locations"].append(
        {"id": "gcp:asia-northeast1", "kind": "cloud", "continent": "asia", "jurisdiction": "JP"}
    )
    data["datasets"].append({"id": "tokyo", "location": "gcp:asia-northeast1", "size_gb": 5000})
    data["workloads"].append(
        {"id": "tokyo-web", "location": "gcp:asia-northeast1", "kind": "web", "team": team,
         "compute_usd_per_month": 100, "internet_egress_gb_per_month": 2000}
    )  # fmt: skip
    estate = Estate.from_dict(data)
    with pytest.raises(PriceBookError, match=r"asia-northeast1.*fallback='nearest'"):
        exit_bill(estate)
    bill = exit_bill(estate, fallback="nearest")
    assert bill.set_index("dataset").loc["tokyo", "egress_usd"] == pytest.approx(560.24)
    assert bill.attrs["labels"]["tokyo"] == "R"
    (note,) = bill.attrs["adjustments"]
    assert note["detail"] == "borrowed from gcp:asia-southeast1"
    frame = baseline_cost(estate, fallback="nearest")
    assert frame.attrs["labels"][("gcp:asia-northeast1", "egress", "internet")] == "R"
    assert frame.attrs["adjustments"] == [note]
