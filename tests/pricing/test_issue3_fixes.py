"""Issue #3, third user test: rate cards hidden by newer books, waivers that do not apply,
storage classes a book does not price, one test group each.

Reference facts from the bundled books: Azure 2026-10-31 and GCP 2026-10-31 carry exit
programmes (GCP's covers the premium network tier only); OCI 2026-09-20 has none and prices no
storage; GCP prices only ``standard`` storage in europe-west4; the AWS programme was announced
on 2024-03-05 (pricing-facts.md; data/pricing/*/ for the figures and their labels).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    ExitcostWarning,
    InvalidParameterError,
    PriceBookError,
    UnknownProviderError,
)
from exitcost.estate import sample_estate
from exitcost.pricing import (
    PriceBook,
    book_provenance,
    check_estate_locations,
    check_estate_storage,
    egress_cost,
    exit_bill,
    load_price_book,
    registered_price_books,
    use_price_books,
    waiver_applies,
    waiver_availability,
)
from exitcost.pricing import books as books_module

REPO = Path(__file__).resolve().parents[2]
AZURE_FILE = REPO / "data" / "pricing" / "azure" / "2026-10-31.yaml"
AWS_FILE = REPO / "data" / "pricing" / "aws" / "2024-09-25.yaml"
AZURE_BUNDLED = dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
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


# -------------------------------------------------- 1. a card hidden by a newer bundled book


def test_older_card_loses_to_newer_bundled_book_with_a_warning(tmp_path: Path) -> None:
    path = card_file(tmp_path, AZURE_FILE, "2026-06-01", "azure-deal.yaml")
    with use_price_books(path) as (card,):
        with pytest.warns(ExitcostWarning, match=r"on or after 2026-10-31") as caught:
            chosen = load_price_book("azure", as_of="2026-11-01")
        assert chosen is not card  # the rule stays: the newest book in effect wins
        assert chosen.effective_date == AZURE_BUNDLED
        message = str(caught[0].message)
        assert "azure-deal.yaml" in message
        assert "2026-06-01" in message
        assert caught[0].filename == __file__  # points at the caller's line
        # once per card: the cost functions call load_price_book in loops
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_price_book("azure", as_of="2026-12-01")
            egress_cost(1_000.0, source="azure:eastus", as_of="2026-11-01")
        # before the bundled book takes effect the card is used, silently
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert load_price_book("azure", as_of="2026-07-01") is card


def test_card_dated_on_or_after_the_bundled_book_wins_silently(tmp_path: Path) -> None:
    for day in ("2026-10-31", "2026-11-01"):
        path = card_file(tmp_path, AZURE_FILE, day, f"deal-{day}.yaml")
        with use_price_books(path) as (card,), warnings.catch_warnings():
            warnings.simplefilter("error")
            assert load_price_book("azure", as_of="2026-11-01") is card


def test_bill_provenance_names_a_registered_card(tmp_path: Path) -> None:
    est = NS(
        as_of=dt.date(2026, 11, 1),
        locations=[NS(id="azure:eastus", kind="cloud", billing_account="a", jurisdiction="US")],
        datasets=[NS(id="lake", location="azure:eastus", size_gb=5_000.0,
                     storage_class="standard", object_count=None, growth_rate_per_month=0.0)],
    )  # fmt: skip
    assert exit_bill(est).attrs["price_books"] == {"azure": "2026-10-31"}
    path = card_file(tmp_path, AZURE_FILE, "2026-11-01", "azure-deal.yaml")
    with use_price_books(path) as (card,):
        books = exit_bill(est).attrs["price_books"]
    assert books == {"azure": f"2026-11-01 (registered: {card.path})"}
    assert books["azure"].startswith("2026-11-01")  # the date stays first
    assert book_provenance(card) == "2026-11-01"  # no longer registered: plain date
    memory = dated(load_price_book("azure", "2026-11-01"), dt.date(2026, 11, 2))
    with use_price_books(memory):
        assert book_provenance(memory) == f"2026-11-02 (registered: {memory.display_name})"


@given(
    card_day=st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    as_of=st.dates(dt.date(2026, 10, 1), dt.date(2027, 1, 31)),
)
def test_newest_in_effect_wins_and_warns_only_when_a_card_is_hidden(
    card_day: dt.date, as_of: dt.date
) -> None:
    with books_module._WARNED_LOCK:
        books_module._WARNED.clear()
    bundled = load_price_book("azure", as_of=AZURE_BUNDLED)
    card = dated(bundled, card_day)
    hidden = card_day < AZURE_BUNDLED <= as_of
    if as_of < min(card_day, AZURE_BUNDLED):
        with use_price_books(card), pytest.raises(PriceBookError, match=r"No azure price book"):
            load_price_book("azure", as_of=as_of)
        return
    with use_price_books(card), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chosen = load_price_book("azure", as_of=as_of)
    in_effect = [d for d in (card_day, AZURE_BUNDLED) if d <= as_of]
    assert chosen.effective_date == max(in_effect)
    assert (chosen is card) == (
        card_day <= as_of and (card_day >= AZURE_BUNDLED or as_of < AZURE_BUNDLED)
    )
    hits = [w for w in caught if issubclass(w.category, ExitcostWarning)]
    assert len(hits) == (1 if hidden else 0)


# ------------------------------------------------------------ 2. waivers that do not apply


def test_provider_without_programme() -> None:
    # OCI 2026-09-20 has no exit_programme: egress stays at list price with the waiver asked
    found = waiver_availability("oci", "2026-11-01")
    assert found == (False, "the oci price book (2026-09-20) has no exit programme")
    assert waiver_applies("oci", "2026-11-01") is False
    src = "oci:eu-frankfurt-1"
    listed = egress_cost(50_000.0, source=src, as_of="2026-11-01")
    assert listed > 0
    assert egress_cost(50_000.0, source=src, as_of="2026-11-01", exit_waiver=True) == listed


def test_card_without_programme(tmp_path: Path) -> None:
    # the bundled Azure book has a programme; a card that leaves it out has none
    assert waiver_applies("azure", "2026-11-01")
    path = card_file(tmp_path, AZURE_FILE, "2026-11-01", "nowaiver.yaml", exit_programme=None)
    with use_price_books(path):
        found = waiver_availability("azure", "2026-11-01")
        assert not found.applies
        assert not waiver_applies("azure", "2026-11-01")
        assert "registered: " in found.reason
        assert "has no exit programme" in found.reason
        listed = egress_cost(20_000.0, source="azure:eastus", as_of="2026-11-01")
        waived = egress_cost(20_000.0, source="azure:eastus", as_of="2026-11-01", exit_waiver=True)
        assert waived == listed > 0


def test_move_before_the_announcement(tmp_path: Path) -> None:
    # an AWS card in effect from 2024-01-01: the programme dates from 2024-03-05 (its book)
    path = card_file(tmp_path, AWS_FILE, "2024-01-01", "early.yaml")
    with use_price_books(path):
        before = waiver_availability("aws", "2024-03-04")
        assert not before.applies
        assert not waiver_applies("aws", "2024-03-04")
        assert "announced on 2024-03-05, after 2024-03-04" in before.reason
        assert waiver_availability("aws", "2024-03-05").applies  # from the day itself
        listed = egress_cost(20_000.0, source="aws:us-east-1", as_of="2024-03-04")
        assert (
            egress_cost(20_000.0, source="aws:us-east-1", as_of="2024-03-04", exit_waiver=True)
            == listed
        )


def test_class_and_tier_not_covered() -> None:
    inter = waiver_availability("aws", "2025-01-01", "inter_region")
    assert not inter.applies
    assert "covers only 'internet' transfers" in inter.reason
    standard = waiver_availability("gcp", "2026-11-01", network_tier="standard")
    assert not standard.applies
    assert "network tier(s) 'premium', not 'standard'" in standard.reason
    premium = waiver_availability("gcp", "2026-11-01")
    assert premium.applies
    assert "60 days" in premium.reason


def test_waiver_availability_bad_input() -> None:
    with pytest.raises(UnknownProviderError, match=r"provider 'hetzner'"):
        waiver_availability("hetzner", "2026-11-01")
    with pytest.raises(InvalidParameterError, match=r"'transfer_class' parameter of waiver_av"):
        waiver_availability("aws", "2025-01-01", "egress")
    with pytest.raises(InvalidParameterError, match=r"'as_of' parameter of waiver_availability"):
        waiver_availability("aws", "yesterday")
    with pytest.raises(PriceBookError, match=r"No aws price book is in effect on 2020-01-01"):
        waiver_availability("aws", "2020-01-01")


@given(
    provider=st.sampled_from(["aws", "azure", "gcp", "oci", "backblaze", "wasabi"]),
    day=st.dates(dt.date(2026, 11, 1), dt.date(2028, 12, 31)),
    transfer_class=st.sampled_from(["internet", "inter_region", "interconnect"]),
    tier=st.sampled_from([None, "premium", "standard"]),
)
def test_availability_agrees_with_waiver_applies_and_egress(
    provider: str, day: dt.date, transfer_class: str, tier: str | None
) -> None:
    found = waiver_availability(provider, day, transfer_class, tier)
    assert found.applies == waiver_applies(provider, day, transfer_class, tier)
    assert found.reason.startswith(f"the {provider} ")
    if transfer_class == "internet" and tier is None and not found.applies:
        source = f"{provider}:{next(iter(load_price_book(provider, day).regions))}"
        listed = egress_cost(30_000.0, source=source, as_of=day)
        assert egress_cost(30_000.0, source=source, as_of=day, exit_waiver=True) == listed


# ------------------------------------------- 3. storage classes the book does not price


def storage_estate(*datasets: tuple[str, str, str]) -> Any:
    locations = {loc for _, loc, _ in datasets}
    return NS(
        as_of=dt.date(2026, 11, 1),
        locations=[NS(id=loc, kind="cloud", billing_account="a", jurisdiction="EU",
                      continent="europe") for loc in sorted(locations)],
        datasets=[NS(id=i, location=loc, size_gb=1_000.0, storage_class=k, object_count=None,
                     growth_rate_per_month=0.0) for i, loc, k in datasets],
    )  # fmt: skip


def test_check_estate_storage_paths_and_messages() -> None:
    est = storage_estate(
        ("fine", "gcp:europe-west4", "standard"),
        ("old", "azure:polandcentral", "archive"),
        ("lax", "aws:us-west-2-lax-1", "standard"),
        ("blob", "azure:westeurope", "cold"),
    )
    problems = check_estate_storage(est)
    assert [(p.path, p.value) for p in problems] == [
        ("datasets[1].storage_class", "archive"),
        ("datasets[2].storage_class", "standard"),
    ]
    assert "dataset 'old'" in problems[0].message
    assert "the azure price book (2026-10-31)" in problems[0].message
    assert "classes priced there: 'cold', 'infrequent', 'standard'" in problems[0].message
    assert "dataset 'lax'" in problems[1].message
    assert "classes priced there: none" in problems[1].message
    assert check_estate_storage(sample_estate()) == []


def test_check_estate_storage_leaves_bad_locations_to_the_location_check() -> None:
    est = storage_estate(("x", "aws:mars-1", "cold"), ("y", "foo:bar", "cold"))
    assert check_estate_storage(est) == []
    assert [p.path for p in check_estate_locations(est)] == ["locations[0].id", "locations[1].id"]
    with pytest.raises(InvalidParameterError, match=r"'as_of' parameter of check_estate_storage"):
        check_estate_storage(est, as_of="soon")


def test_exit_bill_names_the_dataset() -> None:
    est = storage_estate(
        ("fine", "gcp:europe-west4", "standard"), ("old", "azure:polandcentral", "archive")
    )
    with pytest.raises(
        PriceBookError,
        match=r"datasets\[1\]\.storage_class: dataset 'old' at 'azure:polandcentral' cannot "
        r"be priced: The azure price book \(2026-10-31\) has no 'archive' storage price",
    ):
        exit_bill(est)
    # the error text agrees with what check_estate_storage reports
    assert [p.path for p in check_estate_storage(est)] == ["datasets[1].storage_class"]


@given(
    region=st.sampled_from(["us-central1", "europe-west1", "europe-west4", "us-east1"]),
    storage_class=st.sampled_from(["standard", "infrequent", "cold", "archive", "deep_archive"]),
)
def test_check_agrees_with_the_bill(region: str, storage_class: str) -> None:
    est = storage_estate(("d", f"gcp:{region}", storage_class))
    problems = check_estate_storage(est)
    if problems:
        assert len(problems) == 1
        with pytest.raises(PriceBookError, match=rf"^{re.escape(problems[0].path)}: dataset 'd'"):
            exit_bill(est)
    else:
        assert exit_bill(est).loc[0, "size_gb"] == 1_000.0
