"""Price books, the tier kernel and the cost functions (egress, storage, retrieval, exit).

- :mod:`~exitcost.pricing.schema`: the price-book file format (pydantic, frozen);
- :mod:`~exitcost.pricing.books`: loading by provider and ``as_of``, user files, lookups;
- :mod:`~exitcost.pricing.tiers`: the vectorised marginal tier kernel;
- :mod:`~exitcost.pricing.costs`: ``egress_cost``, ``storage_cost``, ``retrieval_cost``,
  ``data_exit_cost``;
- :mod:`~exitcost.pricing.programmes`: exit waivers and the EU Data Act;
- :mod:`~exitcost.pricing.bill`: the estate's one-time exit bill;
- :mod:`~exitcost.pricing.jurisdictions`: jurisdiction codes (EU member states count as EU);
- :mod:`~exitcost.pricing.locations`: an estate's locations and datasets' storage classes
  checked against the books;
- :mod:`~exitcost.pricing.policy`: the pricing policy (``beyond_published``, ``fallback``),
  the record of figures extrapolated or borrowed, stale-book warnings;
- :mod:`~exitcost.pricing.fallback`: the nearest priced region, only when asked;
- :mod:`~exitcost.pricing.coverage`: what the books price (``exitcost prices``, the coverage
  page);
- :mod:`~exitcost.pricing.importers`: books from the providers' price-list files, offline.

Negotiated rate cards: ``load_price_book(path=...)`` reads one; :func:`use_price_books` (a
context manager) or :func:`register_price_book` makes every cost function select it by
effective date, over the bundled book of the same provider and date (a newer bundled book
in effect still wins, with a warning).

Examples
--------
>>> from exitcost.pricing import egress_cost
>>> round(egress_cost(1124.0, source="aws:eu-west-1", as_of="2025-01-01"), 2)
92.16
"""

from __future__ import annotations

from exitcost.pricing.bill import BILL_COLUMNS, exit_bill, exit_bill_by_provider
from exitcost.pricing.books import (
    ComputeUnitPrices,
    PriceBook,
    TransferPrice,
    book_dates,
    book_provenance,
    load_price_book,
    load_regulation,
    providers,
    read_price_book,
    register_price_book,
    registered_price_books,
    registry_generation,
    split_location,
    unregister_price_book,
    use_price_books,
)
from exitcost.pricing.costs import (
    account_egress_cost,
    data_exit_cost,
    egress_cost,
    retrieval_cost,
    storage_cost,
    transfer_price,
)
from exitcost.pricing.coverage import coverage_frame, price_listing
from exitcost.pricing.importers import import_price_list
from exitcost.pricing.jurisdictions import load_jurisdictions, normalize_jurisdiction
from exitcost.pricing.locations import check_estate_locations, check_estate_storage
from exitcost.pricing.policy import (
    BorrowedPriceWarning,
    PricingPolicy,
    StalePriceBookWarning,
    pricing_policy,
)
from exitcost.pricing.programmes import (
    WaiverAvailability,
    data_act_applies,
    data_act_factor,
    data_act_phase,
    exit_programme,
    waiver_applies,
    waiver_availability,
)
from exitcost.pricing.schema import PriceBookModel
from exitcost.pricing.tiers import (
    TierSchedule,
    account_tiered_cost,
    tiered_cost,
)

__all__ = [
    "BILL_COLUMNS",
    "BorrowedPriceWarning",
    "PricingPolicy",
    "StalePriceBookWarning",
    "coverage_frame",
    "import_price_list",
    "price_listing",
    "pricing_policy",
    "ComputeUnitPrices",
    "PriceBook",
    "PriceBookModel",
    "TierSchedule",
    "TransferPrice",
    "WaiverAvailability",
    "account_egress_cost",
    "account_tiered_cost",
    "book_dates",
    "book_provenance",
    "check_estate_locations",
    "check_estate_storage",
    "data_act_applies",
    "data_act_factor",
    "data_act_phase",
    "data_exit_cost",
    "egress_cost",
    "exit_bill",
    "exit_bill_by_provider",
    "exit_programme",
    "load_jurisdictions",
    "load_price_book",
    "load_regulation",
    "normalize_jurisdiction",
    "providers",
    "read_price_book",
    "register_price_book",
    "registered_price_books",
    "registry_generation",
    "retrieval_cost",
    "split_location",
    "storage_cost",
    "tiered_cost",
    "transfer_price",
    "unregister_price_book",
    "use_price_books",
    "waiver_applies",
    "waiver_availability",
]
