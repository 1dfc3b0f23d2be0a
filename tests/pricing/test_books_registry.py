"""A registered rate card against the bundled books: which one is in effect, and the warnings.

Reference facts: Azure 2026-10-31 is the newest bundled Azure book (data/pricing/azure/).
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    ExitcostWarning,
    PriceBookError,
)
from exitcost.pricing import (
    book_provenance,
    egress_cost,
    exit_bill,
    load_price_book,
    use_price_books,
)
from exitcost.pricing import books as books_module
from tests.pricing.cards import AZURE_BUNDLED, AZURE_FILE, card_file, dated, fresh_state

_fresh_state = fresh_state  # every test: warnings afresh, no book left registered


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
