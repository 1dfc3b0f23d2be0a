"""``exitcost route SRC DST --volume 500TB``: the cheapest way to move data between two places.

The graph holds every region of the providers of ``SRC`` and ``DST`` (so a route may cross
the provider's backbone to a cheaper exit), the internet, and ``SRC`` or ``DST`` when it is a
site (``colo:ams1``, ``onprem:fra1``, ``edge:store-1``), priced from the books in effect on
``--as-of``. It prints the route's hops, the tier arithmetic of one month, the default path
(public egress) for comparison and the volumes at which the two cost the same.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, Final

from exitcost._cli._output import FORMATS, fail, format_frame, frame_records, json_text
from exitcost.errors import ExitcostError
from exitcost.units import format_size, format_usd, parse_size_gb

__all__ = ["add_parser", "run"]

_SITE_KINDS = ("onprem", "colo", "edge")
# A value that starts with "-" and a digit is a (negative) quantity, not an option, whatever
# follows the digits: "--volume -5TB" reaches the size check and its error, as "--volume=-5TB"
# does (argparse before Python 3.13 takes only "-5" or "-0.5" for a value, "-5TB" for an option).
_NEGATIVE_QUANTITY: Final = re.compile(r"^-\.?\d")


def add_parser(commands: Any) -> None:
    """Register ``route`` on ``commands`` (an ``argparse`` sub-parsers object)."""
    parser = commands.add_parser(
        "route",
        help="the cheapest way to move a monthly volume from one location to another",
        description=(
            "The cheapest way to move VOLUME a month from SRC to DST, hop by hop, with the tier "
            "arithmetic and the public-egress path for comparison. Locations are "
            "provider:region ids (aws:us-east-1, gcp:europe-west4), sites (colo:ams1, "
            "onprem:fra1, edge:store-1) or 'internet'."
        ),
    )
    parser.add_argument("src", metavar="SRC", help="where the data is, e.g. aws:us-east-1")
    parser.add_argument("dst", metavar="DST", help="where it goes, e.g. gcp:europe-west4")
    parser.add_argument(
        "--volume",
        required=True,
        metavar="SIZE",
        help="volume moved each month, with its unit: 500TB, 2 PiB, 750 GB (1 TB = 1,024 GB)",
    )
    parser.add_argument(
        "--months", type=float, default=1.0, metavar="N", help="months it recurs (default 1)"
    )
    parser.add_argument(
        "--as-of", metavar="DATE", help="price books in effect on DATE (default today)"
    )
    parser.add_argument(
        "--beyond-published",
        choices=("exclude", "extrapolate", "error"),
        default="exclude",
        help="options priced beyond their last published tier: unavailable (default), at the "
        "last rate, or an error",
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser._negative_number_matcher = _NEGATIVE_QUANTITY
    parser.set_defaults(run=run)


def _provider(location: str) -> str:
    return location.split(":", 1)[0]


def run(args: argparse.Namespace) -> int:
    """Print the route; return the exit status."""
    from exitcost.graph import INTERNET, CostGraph
    from exitcost.pricing.books import as_date, load_price_book, providers

    try:
        volume_gb = parse_size_gb(args.volume, name="volume")
    except ExitcostError as exc:
        return fail("route", f"--volume: {exc}")
    if not args.months > 0:
        return fail("route", f"--months must be > 0; got {args.months:g}")
    day = as_date(args.as_of, name="as_of", func="exitcost route")
    ends = (args.src, args.dst)
    known = set(providers())
    clouds = [
        p
        for p in dict.fromkeys(_provider(x) for x in ends)
        if p not in _SITE_KINDS and p != INTERNET
    ]
    unknown = [p for p in clouds if p not in known]
    if unknown:
        valid = ", ".join(sorted(p for p in known if p not in _SITE_KINDS))
        return fail("route", f"unknown provider {unknown[0]!r} (valid: {valid}; or a site)")
    sites = [x for x in ends if _provider(x) in _SITE_KINDS]
    graph = CostGraph.from_price_books(clouds, as_of=day, extra_locations=sites)
    route = graph.route(
        args.src, args.dst, volume_gb, args.months, beyond_published=args.beyond_published
    )
    books = ", ".join(
        f"{p} {load_price_book(p, as_of=day).effective_date.isoformat()}"
        for p in dict.fromkeys(_provider(x) for x in route.path)
        if p in known
    )
    hops = route.to_frame()
    tiers = route.tiers_frame()
    direct = route.direct
    if args.format == "csv":
        print(hops.to_csv(index=False), end="")
        return 0
    if args.format == "json":
        print(
            json_text(
                {
                    "src": route.src,
                    "dst": route.dst,
                    "volume_gb": route.volume_gb,
                    "months": route.months,
                    "as_of": day.isoformat(),
                    "price_books": books,
                    "cost_usd": route.cost_usd,
                    "direct_cost_usd": None if direct is None else direct.cost_usd,
                    "savings_usd": route.savings_usd,
                    "break_even_gb": list(route.break_even_gb),
                    "hops": frame_records(hops),
                    "tiers": frame_records(tiers),
                }
            ),
            end="",
        )
        return 0
    months = f" for {args.months:g} months" if args.months != 1 else ""
    lines = [
        f"Cheapest way to move {format_size(volume_gb)} ({volume_gb:,.0f} GB) a month from "
        f"{route.src} to {route.dst}{months}:",
        f"{format_usd(route.cost_usd, 0)}, priced with the books in effect on {day.isoformat()}"
        f" ({books or 'none'}).",
        "",
        "Hops",
        format_frame(
            hops.drop(columns=["volume_gb", "months"]),
            empty="none: source and destination are the same place",
        ),
        "",
        "Tier arithmetic of one month",
        format_frame(tiers.drop(columns=["src", "dst"]), empty="no tiered charges"),
        "",
    ]
    if direct is None:
        lines.append("No default path (public egress) to compare with at this volume.")
    elif list(direct.options) == list(route.options):
        lines.append("This is the default path: nothing cheaper to buy at this volume.")
    else:
        path = " -> ".join(direct.path)
        lines.append(
            f"Default path {path}: {format_usd(direct.cost_usd, 0)}; this route saves "
            f"{format_usd(route.savings_usd, 0)}."
        )
        if route.break_even_gb:
            volumes = ", ".join(f"{v:,.0f} GB" for v in route.break_even_gb)
            lines.append(f"The two cost the same at {volumes} a month.")
    print("\n".join(lines))
    return 0
