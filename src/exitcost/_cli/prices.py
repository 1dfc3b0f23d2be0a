"""``exitcost prices``: what the price books hold, the coverage page, and price-list imports.

- ``exitcost prices`` lists the bundled books in effect (date, regions, classes sold);
- ``exitcost prices PROVIDER`` lists its regions and which storage classes each prices, with
  labels, and its unpublished prices; ``--region R`` shows one region's prices;
- ``exitcost prices --coverage`` prints the generated page ``docs/pricing-coverage.md``;
- ``exitcost prices import aws|azure|gcp|oci FILE --out BOOK.yaml`` turns a downloaded price
  list into a validated book (no network access).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from exitcost.pricing.coverage import coverage_markdown, price_listing
from exitcost.pricing.importers import IMPORT_KINDS, import_price_list

__all__ = ["add_parser", "run"]

EXIT_USAGE = 2


def add_parser(commands: Any) -> None:
    """Register ``prices`` on the sub-parsers object of the ``exitcost`` parser."""
    parser = commands.add_parser(
        "prices",
        help="what the price books hold (labels, dates, coverage); import a price list",
        description=(
            "List the price books: without arguments every bundled provider; with PROVIDER its "
            "regions and the storage classes each prices (confidence labels V, S+, S, M, R, or "
            "'unpublished'); with --region one region's prices. 'exitcost prices import "
            f"{{{','.join(IMPORT_KINDS)}}} FILE --out BOOK.yaml' converts a downloaded price "
            "list (AWS offer file, Azure Retail Prices, Google billing catalog, OCI price "
            "list) into a validated book, without network access."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "words",
        nargs="*",
        metavar="PROVIDER | import KIND FILE",
        help="a provider id, or 'import' followed by the provider and the price-list file",
    )
    parser.add_argument("--region", metavar="R", help="one region of PROVIDER")
    parser.add_argument(
        "--as-of", metavar="DATE", help="the books in effect on DATE (default today)"
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="print the coverage page (provider x region x class) as Markdown",
    )
    parser.add_argument("--out", metavar="BOOK", help="import: where to write the book (YAML)")
    parser.add_argument(
        "--effective-date",
        metavar="DATE",
        help="import: the book's effective date (default: the price list's own date)",
    )
    parser.set_defaults(run=run)


def _usage(message: str) -> int:
    print(f"exitcost prices: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run ``exitcost prices`` with parsed arguments; return the exit status."""
    words: list[str] = list(args.words)
    if args.coverage:
        if words or args.region:
            return _usage("--coverage takes no PROVIDER or --region")
        sys.stdout.write(coverage_markdown(args.as_of))
        return 0
    if words and words[0] == "import":
        if len(words) != 3 or not args.out:
            return _usage(
                f"usage: exitcost prices import {{{','.join(IMPORT_KINDS)}}} FILE --out BOOK.yaml"
            )
        try:
            book = import_price_list(
                words[1], words[2], out=args.out, effective_date=args.effective_date
            )
        except FileNotFoundError as exc:
            return _usage(f"no such file: {exc.filename}")
        print(
            f"wrote {args.out}: {book.provider} price book in effect from "
            f"{book.effective_date} ({len(book.regions)} regions, {len(book.model.storage)} "
            "storage blocks); use it with exitcost.pricing.use_price_books"
        )
        return 0
    if len(words) > 1:
        return _usage("give at most one PROVIDER")
    if args.region and not words:
        return _usage("--region needs a PROVIDER")
    print(price_listing(words[0] if words else None, region=args.region, as_of=args.as_of))
    return 0
