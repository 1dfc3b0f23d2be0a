"""Negotiated price books: registered, selected by date, nested, restored, thread-safe, and
named in the bill's provenance.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, PriceBookError
from exitcost.pricing import (
    egress_cost,
    exit_bill,
    load_price_book,
    providers,
    register_price_book,
    registered_price_books,
    unregister_price_book,
    use_price_books,
)
from exitcost.pricing.bill import internet_egress_labels
from exitcost.pricing.books import book_dates, read_price_book
from exitcost.pricing.schema import LABEL_ORDER, lowest_label
from tests.pricing.cards import aws_data, clean_registry, estate, write

_clean_registry = clean_registry  # every test leaves no book registered


def negotiated(tmp_path: Path, *, day: str = "2024-09-25", name: str = "deal.yaml") -> Path:
    data = copy.deepcopy(aws_data())
    data["effective_date"] = day
    data["display_name"] = "Amazon Web Services (negotiated)"
    for rule in data["internet_egress"]:
        rule["tiers"][0]["usd_per_gb"] = round(rule["tiers"][0]["usd_per_gb"] * 0.7, 6)
    return write(tmp_path, data, name)


def test_negotiated_book_changes_costs_and_is_restored(tmp_path: Path) -> None:
    path = negotiated(tmp_path)
    small = estate([("lake", "aws:us-east-1", 5_000.0, "standard", 0.0)])
    list_bill = exit_bill(small)
    list_egress = egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01")
    assert list_egress == pytest.approx(4_900 * 0.09)
    with use_price_books(path) as (book,):
        assert load_price_book("aws", as_of="2025-07-01") is book
        assert egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01") == pytest.approx(
            4_900 * 0.063
        )
        deal = exit_bill(small)
        assert deal.loc[0, "egress_usd"] == pytest.approx(4_900 * 0.063)
        # the date first, then the card (issue #3, fix 1)
        assert deal.attrs["price_books"] == {"aws": f"2024-09-25 (registered: {book.path})"}
    assert registered_price_books() == ()
    assert egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01") == list_egress
    assert exit_bill(small).equals(list_bill)


def test_negotiated_book_selected_by_date(tmp_path: Path) -> None:
    later = read_price_book(negotiated(tmp_path, day="2025-06-01"))
    register_price_book(later)
    try:
        assert load_price_book("aws", as_of="2025-05-31").effective_date == dt.date(2024, 9, 25)
        assert load_price_book("aws", as_of="2025-06-01") is later
        assert dt.date(2025, 6, 1) in book_dates("aws")
        # registering the same provider and date again replaces the first one
        again = register_price_book(negotiated(tmp_path, day="2025-06-01", name="v2.yaml"))
        assert registered_price_books() == (again,)
    finally:
        assert unregister_price_book("aws") == (again,)
    with pytest.raises(InvalidParameterError, match="No registered price book matches 'aws'"):
        unregister_price_book("aws")
    with pytest.raises(InvalidParameterError, match="'book' parameter of register_price_book"):
        register_price_book(42)  # type: ignore[arg-type]


def test_registered_new_provider_and_nesting(tmp_path: Path) -> None:
    data = copy.deepcopy(aws_data())
    data["provider"] = "acme-cloud"
    acme = write(tmp_path, data, "acme.yaml")
    with use_price_books(acme):
        assert "acme-cloud" in providers()
        with use_price_books(negotiated(tmp_path)):
            assert len(registered_price_books()) == 2
        assert [b.provider for b in registered_price_books()] == ["acme-cloud"]
        assert egress_cost(100.0, source="acme-cloud:us-east-1", as_of="2025-01-01") == 0.0
    assert "acme-cloud" not in providers()


def test_context_restores_after_an_error(tmp_path: Path) -> None:
    with (
        pytest.raises(PriceBookError, match="does not exist"),
        use_price_books(tmp_path / "none.yaml"),
    ):
        pass  # pragma: no cover
    with pytest.raises(RuntimeError, match="boom"), use_price_books(negotiated(tmp_path)):
        raise RuntimeError("boom")


def test_registry_is_safe_across_threads(tmp_path: Path) -> None:
    book = read_price_book(negotiated(tmp_path))
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                register_price_book(book)
                registered_price_books()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert registered_price_books() == (book,)  # one per provider and date
    unregister_price_book(book)


def test_bill_provenance(tmp_path: Path) -> None:
    small = estate([("lake", "aws:eu-west-1", 5_000.0, "standard", 0.0),
                    ("big", "aws:us-east-1", 200_000.0, "standard", 0.0)])  # fmt: skip
    bill = exit_bill(small)
    assert bill.attrs["price_books"] == {"aws": "2024-09-25"}
    # the 100 GB account allowance is S; the >150 TB band is S
    assert bill.attrs["labels"] == {"lake": "S", "big": "S"}
    data = copy.deepcopy(aws_data())
    data["free_allowances"] = []
    with use_price_books(write(tmp_path, data)):
        labels = exit_bill(small).attrs["labels"]
    # only us-east-1's >150 TB band is secondary (us_east_1_over_150tb, S)
    assert labels == {"lake": "V", "big": "S"}
    waived = exit_bill(small, exit_waiver=True, as_of="2025-01-01").attrs["labels"]
    assert set(waived.values()) <= set(LABEL_ORDER)


def test_egress_labels_by_band() -> None:
    aws = load_price_book("aws", as_of="2025-01-01")
    assert internet_egress_labels(aws, "us-east-1", 0.0) == []
    assert internet_egress_labels(aws, "us-east-1", 20_000.0) == ["V", "V", "S"]
    assert lowest_label(internet_egress_labels(aws, "us-east-1", 200_000.0)) == "S"


@given(st.lists(st.sampled_from(LABEL_ORDER), min_size=1, max_size=6))
def test_lowest_label_is_one_of_them_and_not_above_any(labels: list[str]) -> None:
    low = lowest_label(labels)
    assert low in labels
    assert all(LABEL_ORDER.index(low) >= LABEL_ORDER.index(x) for x in labels)
