"""``exitcost analyze ESTATE``: the decision for an estate, with ranges.

Runs the engine (:func:`exitcost.simulate`) over the estate's plans (``--plans PLANS.yaml``, or
the sample plans) and prints the plans' headline numbers with their P5-P95 ranges, what drives
the answer, the exit bill of the best plan and the stay baseline; ``--out DIR`` also writes the
HTML report and the Excel workbook (:mod:`exitcost.report`). It formats the result's frames
(``docs/internals.md``, "The engine and its result") and computes nothing itself.

``exitcost demo --out DIR`` writes the same report for the sample estate through
:func:`write_estate_report`.

A plans file is YAML: a list (or a mapping with a ``plans`` list) of plans, each either
``{stay: true, name: ...}``, ``{leave: PROVIDER, to: LOCATION, start: MONTH, name: ...,
exit_waiver: BOOL, bandwidth_gbps: NUMBER}`` (``exitcost.Plan.leave``), or the fields of
``exitcost.Plan`` itself (``name``, ``moves``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from exitcost._cli import wrap_line
from exitcost._cli._output import FORMATS, fail, format_frame, frame_records, json_text
from exitcost.errors import InvalidParameterError
from exitcost.units import format_usd

__all__ = ["add_parser", "load_plans", "run", "write_estate_report"]

_PROGRESS_AFTER_S = 1.5
_SUMMARY_SHOWN = (
    "npv_p5_usd",
    "npv_p50_usd",
    "npv_p95_usd",
    "savings_npv_p50_usd",
    "exit_cost_p50_usd",
    "break_even_month_p50",
    "p_beats_first",
)


def add_parser(commands: Any) -> None:
    """Register ``analyze`` on ``commands`` (an ``argparse`` sub-parsers object)."""
    parser = commands.add_parser(
        "analyze",
        help="the decision for an estate: each plan's costs and savings with ranges",
        description=(
            "Simulate the plans for an estate and print the decision: each plan's NPV and "
            "savings against the first plan with P5-P95 ranges, what drives them, the exit "
            "bill of the best plan and the stay baseline. --out DIR writes an HTML report and "
            "an Excel workbook."
        ),
    )
    parser.add_argument("estate", metavar="ESTATE", help="estate file (.yaml, .yml or .json)")
    parser.add_argument(
        "--plans", metavar="PLANS.yaml", help="plans file (default: the sample plans)"
    )
    parser.add_argument(
        "--scenarios", type=int, default=1000, metavar="N", help="scenarios (default 1000)"
    )
    parser.add_argument(
        "--horizon", type=int, default=60, metavar="MONTHS", help="months (default 60)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed")
    parser.add_argument("--out", metavar="DIR", help="write report.html and report.xlsx here")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.set_defaults(run=run)


def load_plans(path: str | os.PathLike[str]) -> list[Any]:
    """Read a plans file (see the module's notes) into ``exitcost.Plan`` objects."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    items = data.get("plans") if isinstance(data, Mapping) else data
    if not isinstance(items, list) or not items:
        raise InvalidParameterError(
            f"The plans file {os.fspath(path)!r} must hold a non-empty list of plans (or a "
            f"mapping with a 'plans' list). Got {type(items).__name__} instead."
        )
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidParameterError(
                f"plans[{i}] of {os.fspath(path)!r} must be a mapping. Got {item!r} instead."
            )
    from exitcost.engine import Plan as plan_type

    plans = []
    for item in items:
        fields = dict(item)
        if fields.pop("stay", False):
            plans.append(plan_type.stay(**fields))
        elif "leave" in fields:
            plans.append(plan_type.leave(fields.pop("leave"), **fields))
        else:
            plans.append(plan_type(**fields))
    return plans


def _progress_bar() -> Callable[[int, int], None]:
    """A progress callback that draws a bar on stderr once a run passes 1.5 s (on a terminal)."""
    started = time.monotonic()
    shown = sys.stderr.isatty()

    def update(done: int, total: int) -> None:
        if not shown or time.monotonic() - started < _PROGRESS_AFTER_S or total <= 0:
            return
        width = 40
        filled = int(width * done / total)
        end = "\n" if done >= total else ""
        bar = "#" * filled + "." * (width - filled)
        print(f"\rsimulating [{bar}] {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return update


def _simulate(estate_path: str | None, args: argparse.Namespace) -> tuple[Any, Any]:
    """The estate (the sample when ``estate_path`` is None) and its simulation."""
    from exitcost import engine
    from exitcost.estate import read_estate, sample_estate

    estate = sample_estate() if estate_path is None else read_estate(estate_path)
    plans = load_plans(args.plans) if getattr(args, "plans", None) else engine.sample_plans()
    sim = engine.simulate(
        estate,
        plans,
        horizon_months=getattr(args, "horizon", 60),
        n_scenarios=getattr(args, "scenarios", 1000),
        seed=getattr(args, "seed", 0),
        progress=_progress_bar(),
    )
    return estate, sim


def write_estate_report(estate: Any, sim: Any, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write the report of ``sim`` for ``estate`` into ``out_dir``; return the paths."""
    from exitcost.estate import inventory
    from exitcost.report import Table, simulation_report, write_report

    inputs = (Table("Inventory", f"Inventory of {estate.name}", inventory(estate)),)
    report = simulation_report(sim, title=f"Exit analysis: {estate.name}", inputs=inputs)
    return write_report(report, out_dir)


def decision_text(sim: Any) -> str:
    """The decision and its supporting tables as text within 100 columns."""
    from exitcost.report.content import decision_headline

    summary: pd.DataFrame = sim.summary()
    headline, best = decision_headline(summary)
    reference = str(summary.index[0])
    flows: pd.DataFrame = sim.monthly_costs()
    stay = flows[flows["plan"] == reference]
    shown = summary[[c for c in _SUMMARY_SHOWN if c in summary.columns]]
    sections = [
        "\n".join(
            [
                wrap_line(line)
                for line in (
                    headline.decision,
                    f"{headline.measure}: {format_usd(headline.central_usd, 0)} "
                    f"{headline.central_name} ({format_usd(headline.low_usd, 0)} to "
                    f"{format_usd(headline.high_usd, 0)}, {headline.low_name} to "
                    f"{headline.high_name})",
                    *headline.details,
                )
            ]
        ),
        "Plans (NPV of costs and savings against the first plan)\n"
        + format_frame(shown, empty="no plans"),
        f"What drives the savings of {best}\n"
        + format_frame(sim.tornado(best).head(8), empty="no uncertain inputs"),
        f"Exit bill of {best} (one-off, expected)\n"
        + format_frame(sim.exit_bill(best), empty="no one-off exit costs"),
        f"Stay baseline ({reference}): {format_usd(float(stay['cost_usd'].sum()), 0)} over "
        f"{len(stay)} months (expected), {format_usd(float(stay['cost_usd'].head(1).sum()), 0)}"
        " in the first month",
    ]
    return "\n\n".join(sections) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the decision for the estate; return the exit status."""
    if not Path(args.estate).is_file():
        return fail("analyze", f"{args.estate}: no such file")
    if args.plans is not None and not Path(args.plans).is_file():
        return fail("analyze", f"--plans {args.plans}: no such file")
    if args.scenarios < 0:
        return fail("analyze", f"--scenarios must be >= 0; got {args.scenarios}")
    if args.horizon < 1:
        return fail("analyze", f"--horizon must be >= 1 month; got {args.horizon}")
    estate, sim = _simulate(args.estate, args)
    if args.format == "csv":
        print(sim.summary().to_csv(), end="")
    elif args.format == "json":
        payload = {
            "summary": frame_records(sim.summary()),
            "assumptions": frame_records(sim.assumptions),
            "provenance": frame_records(sim.provenance),
        }
        print(json_text(payload), end="")
    else:
        print(decision_text(sim), end="")
    if args.out is not None:
        paths = write_estate_report(estate, sim, args.out)
        print(f"wrote {paths['html']} and {paths['xlsx']}", file=sys.stderr)
    return 0


def run_demo_report(out_dir: str, estate_path: str | None) -> int:
    """``exitcost demo --out DIR``: the report of the sample (or of ``estate_path``)."""
    namespace = argparse.Namespace(plans=None, scenarios=1000, horizon=60, seed=0)
    estate, sim = _simulate(estate_path, namespace)
    paths = write_estate_report(estate, sim, out_dir)
    print(f"wrote {paths['html']} and {paths['xlsx']}", file=sys.stderr)
    return 0
