"""The documentation site: every page is in the navigation, and the generated price-book page
lists every bundled book with its date and sources. (CI builds the site with warnings as
errors: ``make docs``.)"""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import yaml

from exitcost.pricing import load_price_book, providers
from tests.conftest import REPO_ROOT


def _hook() -> ModuleType:
    path = REPO_ROOT / "docs" / "_hooks" / "price_books.py"
    spec = importlib.util.spec_from_file_location("price_books_hook", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_pages() -> list[str]:
    # mkdocs.yml is plain YAML apart from tags this test does not need.
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return [next(iter(item.values())) for item in config["nav"]]


def test_every_page_is_in_the_navigation() -> None:
    pages = {p.name for p in (REPO_ROOT / "docs").glob("*.md")}
    nav = set(_nav_pages())
    assert pages <= nav, sorted(pages - nav)
    assert nav - pages == {_hook().PAGE}  # the generated page


def test_the_price_book_page_covers_every_book_with_its_date() -> None:
    page = _hook().page_markdown()
    for provider in providers():
        book = load_price_book(provider)
        assert re.search(
            rf"^\| {provider} \| [a-z_]+ \| {book.effective_date.isoformat()} \| "
            rf"{len(book.regions)} \|",
            page,
            flags=re.MULTILINE,
        ), provider


def test_the_price_book_page_lists_every_source_with_its_label() -> None:
    page = _hook().page_markdown()
    rows = [line for line in page.splitlines() if re.match(r"^\| [a-z]+ \| \d{4}-", line)]
    expected = sum(len(load_price_book(p).sources) for p in providers())
    assert len(rows) == expected
    assert all(re.match(r"^\| [a-z]+ \| [\d-]+ \| (V|S\+|S|M|R|D) \| [\d-]+ \| ", r) for r in rows)
