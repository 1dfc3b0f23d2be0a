"""``exitcost ingest focus FILE...``: a FOCUS export's baseline, reconciliation and skeleton.

The command formats what :mod:`exitcost.ingest` returns; it computes nothing itself.

Examples
--------
>>> from exitcost.cli import main
>>> main(["ingest", "focus", "no-such-export.csv"])
2
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from exitcost._cli import TEXT_WIDTH
from exitcost.ingest import (
    estate_skeleton,
    focus_cost_notes,
    read_focus,
    reconcile_focus,
    write_skeleton,
)
from exitcost.ingest.columns import FOCUS_VERSIONS

__all__ = ["add_parser", "focus_report", "run_focus"]

_EXIT_OK = 0
_EXIT_USAGE = 2
_SHOWN_UNCLASSED = 20
_WIDTH = TEXT_WIDTH
_SERVICE_WIDTH = 24


def add_parser(commands: Any) -> None:
    """Register ``exitcost ingest focus``."""
    ingest = commands.add_parser(
        "ingest",
        help="read billing exports (FOCUS 1.0-1.3): baseline, reconciliation, estate skeleton",
        description="Read billing data into exitcost. Formats: focus (FOCUS 1.0 to 1.3).",
    )
    formats = ingest.add_subparsers(dest="ingest_format", metavar="FORMAT", required=True)
    focus = formats.add_parser(
        "focus",
        help="a FOCUS export: CSV (plain or compressed), Parquet, or a folder of them",
        description=(
            "Read a FOCUS export, print its monthly baseline by provider and cost category, the "
            "transfer rows found and those no rule could class, and the reconciliation of the "
            "bill with the library's own baseline of the estate skeleton built from it; write "
            "the skeleton with --out. --format csv prints the reconciliation table only."
        ),
    )
    focus.add_argument("files", nargs="+", metavar="FILE", help="export file or folder")
    focus.add_argument("--out", metavar="ESTATE.yaml", help="write the estate skeleton here")
    focus.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    focus.add_argument(
        "--focus-version",
        choices=FOCUS_VERSIONS,
        help="check against this FOCUS version (default: detected from each file's header)",
    )
    focus.add_argument(
        "--cost",
        choices=("amortised", "billed"),
        default="amortised",
        help="spend basis: EffectiveCost (amortised, default) or BilledCost",
    )
    focus.add_argument(
        "--usd-per-unit",
        type=float,
        metavar="RATE",
        help="USD per unit of the billing currency (needed for a bill not in USD)",
    )
    focus.add_argument("--as-of", metavar="DATE", help="the estate's date (ISO)")
    focus.add_argument(
        "--by",
        choices=("provider", "service"),
        default="provider",
        help="reconcile per provider (default) or per provider and service",
    )
    focus.set_defaults(run=run_focus)


def focus_report(args: argparse.Namespace) -> dict[str, Any]:
    """Everything the command prints, from the public API: frames and counts."""
    frame = read_focus(args.files, version=args.focus_version)
    skeleton = estate_skeleton(
        frame, as_of=args.as_of, usd_per_unit=args.usd_per_unit, cost=args.cost
    )
    base = skeleton.baseline
    return {
        "frame": frame,
        "notes": focus_cost_notes(frame),
        "skeleton": skeleton,
        "by_category": base.by_category(args.cost),
        "reconciliation": reconcile_focus(skeleton, by=args.by),
    }


def _money(table: pd.DataFrame) -> str:
    return table.to_string(float_format=lambda v: f"{v:,.2f}")


def _table(report: dict[str, Any], out: str | None) -> str:
    frame, skeleton = report["frame"], report["skeleton"]
    base = skeleton.baseline
    estate = skeleton.estate
    lines = [
        f"FOCUS {frame.attrs['focus_version']} export: {len(frame.attrs['sources'])} file(s), "
        f"{len(frame):,} rows, billed in {base.currency}, {base.months} month(s) of usage",
        f"Transfer rows: {base.classed_rows:,} of {base.transfer_rows:,} classed "
        f"({base.classed_share:.1%}); {len(base.unclassified):,} unclassed",
    ]
    notes = report["notes"]
    if not notes.empty:
        lines.append("Rows kept with a negative or missing cost:")
        for row in notes.itertuples(index=False):
            lines.append(
                f"  {row.issue}: {row.rows:,} {row.ChargeCategory} row(s), "
                f"{row.billed_cost:,.2f} {base.currency} (e.g. {Path(row.example).name})"
            )
    lines += [
        "",
        f"Spend by provider and category, {base.currency} per month ({skeleton.cost[:-5]})",
        _money(report["by_category"].T),
        "",
        "Reconciliation: the bill next to the library's baseline of the skeleton, USD per month",
    ]
    recon = report["reconciliation"].rename(
        columns={
            "transfer_class": "class",
            "billed_usd_per_month": "billed",
            "modelled_usd_per_month": "modelled",
            "difference_usd_per_month": "difference",
            "book_date": "book",
        }
    )
    index = [c for c in ("provider", "service", "category", "class") if c in recon.columns]
    if "service" in recon.columns:
        recon["service"] = recon["service"].str.slice(0, _SERVICE_WIDTH)
    lines.append(_money(recon.drop(columns="note").set_index(index)))
    lines.append("Notes:")
    for (category, note), _ in recon.groupby(["category", "note"], sort=True):
        lines += textwrap.wrap(
            f"{category}: {note}", width=_WIDTH, initial_indent="  ", subsequent_indent="    "
        )
    for provider, messages in report["reconciliation"].attrs.get("book_gaps", {}).items():
        lines.append(
            f"  {provider}: {len(messages)} location(s) with parts the book does not price"
        )
    if not base.unclassified.empty:
        lines += ["", f"Unclassed transfer rows (first {_SHOWN_UNCLASSED}):"]
        for row in base.unclassified.head(_SHOWN_UNCLASSED).itertuples(index=False):
            text = f"{Path(str(row[0])).name}, row {row[1]}: {row.provider} {row.service}: "
            lines.append(("  " + text + str(row.description))[:_WIDTH])
    lines += [
        "",
        f"Estate skeleton: {len(estate.locations)} locations, {len(estate.datasets)} datasets, "
        f"{len(estate.workloads)} workloads, {len(estate.contracts)} contracts; "
        f"{len(skeleton.guesses)} guessed fields",
        "(the guessed fields are listed at the top of the file it is written to)",
        f"Written to {out}" if out else "Write it with --out estate.yaml.",
    ]
    return "\n".join(lines) + "\n"


def _json(report: dict[str, Any]) -> str:
    frame, skeleton = report["frame"], report["skeleton"]
    base = skeleton.baseline
    spend = base.spend.assign(month=base.spend["month"].dt.strftime("%Y-%m"))
    document = {
        "export": {
            "focus_version": frame.attrs["focus_version"],
            "sources": list(frame.attrs["sources"]),
            "rows": len(frame),
            "currency": base.currency,
            "months": base.months,
            "transfer_rows": base.transfer_rows,
            "classed_rows": base.classed_rows,
        },
        "cost_notes": report["notes"].to_dict(orient="records"),
        "spend": json.loads(spend.to_json(orient="records")),
        "unclassified": json.loads(base.unclassified.to_json(orient="records")),
        "reconciliation": json.loads(report["reconciliation"].to_json(orient="records")),
        "guesses": skeleton.guesses.to_dict(orient="records"),
    }
    return json.dumps(document, indent=2, default=str) + "\n"


def run_focus(args: argparse.Namespace) -> int:
    """Run ``exitcost ingest focus``; return the exit status."""
    for name in args.files:
        if not Path(name).exists():
            print(f"exitcost ingest focus: error: no such file or folder: {name}", file=sys.stderr)
            return _EXIT_USAGE
    report = focus_report(args)
    if args.out:
        write_skeleton(report["skeleton"], args.out)
    if args.format == "csv":
        sys.stdout.write(report["reconciliation"].to_csv(index=False))
    elif args.format == "json":
        sys.stdout.write(_json(report))
    else:
        sys.stdout.write(_table(report, args.out))
    return _EXIT_OK
