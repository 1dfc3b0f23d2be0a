"""Exit programmes and waivers (exitcost.pricing.programmes): when a waiver applies and why not.

Reference facts from the bundled books: Azure 2026-10-31 and GCP 2026-10-31 carry exit
programmes (GCP's covers the premium network tier only); OCI 2026-09-20 has none; the AWS
programme was announced on 2024-03-05 (pricing-facts.md; data/pricing/*/ for the figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
    UnknownProviderError,
)
from exitcost.estate import sample_estate
from exitcost.pricing import (
    data_exit_cost,
    egress_cost,
    exit_bill,
    load_price_book,
    use_price_books,
    waiver_applies,
    waiver_availability,
)
from tests.pricing.cards import AWS_FILE, AZURE_FILE, card_file, fresh_state

_fresh_state = fresh_state  # every test: warnings afresh, no book left registered


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


_BAD_JURISDICTION: dict[str, Callable[[], object]] = {
    "exit_bill": lambda: exit_bill(sample_estate(), customer_jurisdiction="XX"),
    "egress_cost": lambda: egress_cost(100.0, source="aws:us-east-1", customer_jurisdiction="XX"),
    "data_exit_cost": lambda: data_exit_cost(
        100.0, source="aws:us-east-1", customer_jurisdiction="XX"
    ),
}


@pytest.mark.parametrize("func", sorted(_BAD_JURISDICTION))
def test_an_unknown_jurisdiction_is_refused_in_the_name_of_the_function_called(func: str) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        _BAD_JURISDICTION[func]()
    message = str(caught.value)
    assert message.startswith(f"The 'customer_jurisdiction' parameter of {func} must be")
    assert "data_act" not in message  # the Data Act helpers are not what the user called
