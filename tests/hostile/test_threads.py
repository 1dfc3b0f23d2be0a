"""Concurrent use of the price-book registry: threads and asyncio tasks each see their own cards.

``use_price_books`` keeps its books in a context variable, so a block is seen only by the code
running inside it; ``register_price_book`` stays the explicit process-wide way.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from exitcost.graph import CostGraph
from exitcost.pricing import (
    egress_cost,
    load_price_book,
    register_price_book,
    registered_price_books,
    registry_generation,
    unregister_price_book,
    use_price_books,
)
from tests.hostile.conftest import write_card

CARD_DAY = "2026-11-30"  # after every bundled AWS book, so that a card is the book in effect
AS_OF = "2026-12-01"
VOLUME_GB = 50_000.0
THREADS = 8


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight rate cards, prices x1 to x8."""
    folder = tmp_path_factory.mktemp("cards")
    return [
        write_card(folder, f"card{k}.yaml", float(k), effective_date=CARD_DAY)
        for k in range(1, THREADS + 1)
    ]


def _price_under(card: Path) -> float:
    with use_price_books(card):
        return float(egress_cost(VOLUME_GB, source="aws:us-east-1", as_of=AS_OF))


def test_eight_threads_each_see_only_their_own_card(cards: list[Path]) -> None:
    expected = [_price_under(card) for card in cards]  # single-threaded
    assert len(set(expected)) == THREADS  # the cards really differ
    plain = float(egress_cost(VOLUME_GB, source="aws:us-east-1", as_of=AS_OF))
    barrier = threading.Barrier(THREADS)

    def run(card: Path) -> list[float]:
        barrier.wait()  # all blocks overlap
        return [_price_under(card) for _ in range(5)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(run, cards))
    for want, got in zip(expected, results, strict=True):
        assert got == [want] * 5
    assert registered_price_books() == ()
    assert float(egress_cost(VOLUME_GB, source="aws:us-east-1", as_of=AS_OF)) == plain


def test_cost_graphs_built_in_concurrent_blocks_use_their_own_cards(cards: list[Path]) -> None:
    """The graph caches its transfer options by registry generation: no card leaks across."""

    def route_cost(card: Path) -> float:
        with use_price_books(card):
            graph = CostGraph.from_price_books(["aws"], as_of=AS_OF)
            return float(graph.route("aws:us-east-1", "internet", VOLUME_GB).cost_usd)

    expected = [route_cost(card) for card in cards[:4]]
    assert len(set(expected)) == 4
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(route_cost, cards[:4] * 2)) == expected * 2


def test_overlapping_blocks_in_two_threads_leave_nothing_registered(cards: list[Path]) -> None:
    entered = threading.Event()
    release = threading.Event()

    def hold(card: Path) -> None:
        with use_price_books(card):
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=hold, args=(cards[4],))
    worker.start()
    entered.wait(5)
    with use_price_books(cards[0]):
        release.set()  # the other block ends while this one is open
        worker.join(5)
        assert [b.display_name for b in registered_price_books()] == ["Amazon Web Services x1.0"]
    assert registered_price_books() == ()


def test_asyncio_tasks_each_see_their_own_card(cards: list[Path]) -> None:
    async def priced(card: Path) -> float:
        with use_price_books(card):
            await asyncio.sleep(0)  # let the other tasks enter their blocks
            return float(egress_cost(VOLUME_GB, source="aws:us-east-1", as_of=AS_OF))

    async def main() -> list[float]:
        return await asyncio.gather(*(priced(card) for card in cards))

    assert asyncio.run(main()) == [_price_under(card) for card in cards]


def test_nested_blocks_restore_the_outer_card(cards: list[Path]) -> None:
    with use_price_books(cards[1]) as (outer,):
        with use_price_books(cards[2]) as (inner,):
            assert load_price_book("aws", as_of=AS_OF) is inner
        assert load_price_book("aws", as_of=AS_OF) is outer


def test_registered_process_wide_is_seen_by_other_threads(cards: list[Path]) -> None:
    book = register_price_book(cards[2])
    try:
        with ThreadPoolExecutor(1) as pool:
            seen = pool.submit(load_price_book, "aws", AS_OF).result()
        assert seen is book
    finally:
        unregister_price_book(book)


def test_generation_differs_between_concurrent_blocks(cards: list[Path]) -> None:
    """Caches keyed on the generation never serve one block's prices to another."""
    seen: list[int] = []
    barrier = threading.Barrier(2)

    def generation(card: Path) -> None:
        with use_price_books(card):
            barrier.wait()
            seen.append(registry_generation())
            barrier.wait()

    threads = [threading.Thread(target=generation, args=(c,)) for c in cards[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert len(set(seen)) == 2
    assert registry_generation() not in seen
