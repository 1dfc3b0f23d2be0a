"""Borrowing a price from the nearest priced region, only when asked (``fallback="nearest"``).

"Nearest" is geographic in the books' own terms (the books hold no coordinates): a region of
the same provider on the same continent, preferring one in the same jurisdiction, then one in
the same pricing zone, then the one whose id shares the longest prefix with the region's
(``us-west-2`` for the Local Zone ``us-west-2-lax-1``, ``europe-west4`` for ``europe-west1``),
then the first in the book's order. A borrowed figure is labelled ``R``
and noted with :func:`exitcost.pricing.policy.record`.

Examples
--------
>>> from exitcost.pricing.books import load_price_book
>>> book = load_price_book("aws", as_of="2025-01-01")
>>> nearest_region(book, "us-west-2-lax-1", ["us-east-1", "us-west-2", "eu-west-1"])
'us-west-2'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from exitcost.errors import PriceBookError
from exitcost.pricing.books import PriceBook, TransferPrice
from exitcost.pricing.policy import Adjustment, Fallback, record
from exitcost.pricing.schema import StorageClass

__all__ = [
    "nearest_region",
    "resolve_exit_class",
    "resolve_retrieval_region",
    "resolve_storage",
    "resolve_transfer",
]


def nearest_region(book: PriceBook, region: str, candidates: Iterable[str]) -> str | None:
    """The candidate region nearest to ``region`` on its continent, or None.

    Parameters
    ----------
    book : PriceBook
        The provider's book (regions' continent, jurisdiction and pricing zone).
    region : str
        The region lacking a price.
    candidates : iterable of str
        Regions of the book that have the price.

    Returns
    -------
    str or None
        Same continent required; then same jurisdiction, then same pricing zone, then the
        longest shared id prefix, then book order. None when no candidate is on the region's
        continent.
    """
    home = book.region(region)
    order = {r: i for i, r in enumerate(book.regions)}
    pool = [
        r
        for r in candidates
        if r != region and r in book.regions and book.regions[r].continent == home.continent
    ]
    if not pool or home.continent is None:
        return None

    def shared(r: str) -> int:
        return next(
            (i for i, (a, b) in enumerate(zip(r, region, strict=False)) if a != b),
            min(len(r), len(region)),
        )

    def rank(r: str) -> tuple[bool, bool, int, int]:
        meta = book.regions[r]
        return (
            meta.jurisdiction != home.jurisdiction,
            home.zone is None or meta.zone != home.zone,
            -shared(r),
            order[r],
        )

    return min(pool, key=rank)


def _borrow(
    book: PriceBook,
    region: str,
    item: str,
    has_price: Callable[[str], bool],
    error: PriceBookError,
) -> str:
    near = nearest_region(book, region, (r for r in book.regions if has_price(r)))
    if near is None:
        raise PriceBookError(
            f"{error} No region of the {book.provider} book on the same continent has this "
            "price either, so fallback='nearest' cannot answer."
        ) from error
    record(
        Adjustment(
            "borrowed",
            f"{book.provider}:{region}",
            item,
            f"{book.provider} {book.effective_date.isoformat()}",
            f"borrowed from {book.provider}:{near}",
        )
    )
    return near


def resolve_storage(
    book: PriceBook, region: str, storage_class: str, fallback: Fallback
) -> tuple[str, StorageClass]:
    """The region whose price is used and its storage-class block (borrowed when allowed).

    Raises
    ------
    PriceBookError
        The class is not priced in the region and ``fallback`` is None, or no region on the
        same continent prices it.
    """
    try:
        return region, book.storage_class(region, storage_class)
    except PriceBookError as exc:
        if fallback != "nearest":
            raise
        near = _borrow(
            book,
            region,
            f"storage:{storage_class}",
            lambda r: book.prices_storage(r, storage_class),
            exc,
        )
        return near, book.storage_class(near, storage_class)


def resolve_retrieval_region(
    book: PriceBook, region: str, storage_class: str, fallback: Fallback
) -> str:
    """The region whose retrieval prices of a class are used (borrowed when allowed).

    Raises
    ------
    PriceBookError
        The book lists the class's retrieval prices in the region as unpublished and
        ``fallback`` is None or cannot find them on the same continent.
    """
    gap = book.unpublished("retrieval", region, storage_class)
    if gap is None:
        return region
    error = PriceBookError(
        f"The {book.provider} price book ({book.effective_date}) has no retrieval price for "
        f"{storage_class!r} in region {region!r}: it lists it as unpublished: "
        f"{gap.reason.strip()} Pass fallback='nearest' to borrow the nearest priced region's "
        "price on the same continent (label R)."
    )
    if fallback != "nearest":
        raise error
    return _borrow(
        book,
        region,
        f"retrieval:{storage_class}",
        lambda r: (
            book.prices_storage(r, storage_class)
            and book.unpublished("retrieval", r, storage_class) is None
        ),
        error,
    )


def resolve_exit_class(
    book: PriceBook, region: str, storage_class: str, fallback: Fallback
) -> tuple[str, StorageClass]:
    """The storage-class block whose storage and retrieval prices price reading data out.

    :func:`resolve_storage`, then :func:`resolve_retrieval_region` on the region it chose.
    """
    there, _ = resolve_storage(book, region, storage_class, fallback)
    there = resolve_retrieval_region(book, there, storage_class, fallback)
    return there, book.storage_class(there, storage_class)


def resolve_transfer(
    book: PriceBook,
    region: str,
    fetch: Callable[[str], TransferPrice],
    fallback: Fallback,
) -> TransferPrice:
    """``fetch(region)``, or with ``fallback="nearest"`` the nearest region's internet price.

    Only a missing internet egress price is borrowed (a region the book lists as unpublished
    or that has no rule for the network tier); other errors propagate.
    """
    try:
        return fetch(region)
    except PriceBookError as exc:
        if fallback != "nearest" or "internet egress" not in str(exc):
            raise

        def has_price(r: str) -> bool:
            try:
                fetch(r)
            except PriceBookError:
                return False
            return True

        near = _borrow(book, region, "internet_egress", has_price, exc)
        price = fetch(near)
        return TransferPrice(
            price.schedule,
            price.transfer_class,
            price.fixed_usd_per_month,
            price.source,
            "R",
            f"{price.reference} (borrowed for {region})",
        )
