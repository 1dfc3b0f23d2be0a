"""The ``exitcost`` command: formats results of the public API, computes nothing itself.

Commands
--------
``exitcost --version``
    Print the version.
``exitcost demo [FILE]``
    Print the exit analysis of the bundled sample estate, or of the estate in FILE: its
    inventory, what staying costs (the baseline run cost and the strongest data-gravity pulls),
    the one-time bill for moving its cloud data out with and without the providers' exit
    waivers, the whole exit bill of leaving each cloud provider, and stay-or-move economics.
``exitcost validate FILE [FILE ...]``
    Validate estate files (``.yaml``, ``.yml`` or ``.json``), and check that every cloud
    location is priced by a bundled book and agrees with it (continent, jurisdiction), every
    service is in the catalog, and no contract's provider is a near miss of the estate's. Exit
    status 0 when all are valid, 1 when any is invalid (its problems are printed, one per
    line, in the file's order; a problem repeated at several paths is printed once with the
    paths), 2 when a file is missing or the command line is wrong.

Examples
--------
>>> main(["validate", "no-such-file.yaml"])
2
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exitcost._cli import COMMAND_MODULES, TEXT_WIDTH, wrap_line
from exitcost._lazy import lazy_callable, lazy_module
from exitcost._version import __version__
from exitcost._yaml import file_kind
from exitcost.categories import COST_CATEGORIES
from exitcost.errors import EstateError, ExitcostError, ExitcostWarning, Problem, short_repr

if TYPE_CHECKING:
    import pandas as pd

    from exitcost.baseline import baseline_by_provider
    from exitcost.case import exit_case
    from exitcost.checks import analysis_gaps, check_estate
    from exitcost.engine import Plan, Simulation, sample_plans, simulate
    from exitcost.estate import by_provider, inventory, read_estate, sample_estate
    from exitcost.estate._problems import split_path
    from exitcost.estate.model import Estate
    from exitcost.graph import top_gravity_pulls
    from exitcost.pricing import exit_bill, exit_bill_by_provider, normalize_jurisdiction
    from exitcost.pricing.policy import adjustment_note, pricing_policy
    from exitcost.units import format_size, format_usd
else:  # `exitcost --version` and `--help` start without pandas, the books or the catalog
    pd = lazy_module("pandas")
    split_path = lazy_callable("exitcost.estate._problems", "split_path")
    format_size = lazy_callable("exitcost.units", "format_size")
    format_usd = lazy_callable("exitcost.units", "format_usd")
    exit_case = lazy_callable("exitcost.case", "exit_case")
    check_estate = lazy_callable("exitcost.checks", "check_estate")
    analysis_gaps = lazy_callable("exitcost.checks", "analysis_gaps")
    by_provider = lazy_callable("exitcost.estate.inventory", "by_provider")
    inventory = lazy_callable("exitcost.estate.inventory", "inventory")
    read_estate = lazy_callable("exitcost.estate.io", "read_estate")
    sample_estate = lazy_callable("exitcost.estate.sample", "sample_estate")
    baseline_by_provider = lazy_callable("exitcost.baseline", "baseline_by_provider")
    top_gravity_pulls = lazy_callable("exitcost.graph", "top_gravity_pulls")
    exit_bill = lazy_callable("exitcost.pricing", "exit_bill")
    exit_bill_by_provider = lazy_callable("exitcost.pricing", "exit_bill_by_provider")
    normalize_jurisdiction = lazy_callable("exitcost.pricing", "normalize_jurisdiction")
    adjustment_note = lazy_callable("exitcost.pricing.policy", "adjustment_note")
    pricing_policy = lazy_callable("exitcost.pricing.policy", "pricing_policy")
    sample_plans = lazy_callable("exitcost.engine", "sample_plans")
    simulate = lazy_callable("exitcost.engine", "simulate")

__all__ = [
    "DEMO_SECTIONS",
    "data_exit_sections",
    "demo_plans",
    "demo_simulation",
    "demo_text",
    "economics_sections",
    "exit_bill_sections",
    "estate_summary",
    "inventory_sections",
    "main",
    "problem_lines",
    "stay_sections",
]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


_LABELS = {
    "size_gb": "data held",
    "compute_usd_per_month": "compute $/mo",
    "read_gb_per_month": "read GB/mo",
    "written_gb_per_month": "written GB/mo",
    "cross_location_gb_per_month": "cross-site GB/mo",
    "internet_egress_gb_per_month": "internet out GB/mo",
}


def _format_table(frame: pd.DataFrame, empty: str = "nothing to show") -> str:
    """Format an inventory-like table: sizes with units, money and volumes with separators.

    An empty table is said in words (``empty``), never as ``Empty DataFrame``.
    """
    if frame.empty:
        return f"  ({empty})"
    shown = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        label = _LABELS.get(col, col)
        if col.endswith("size_gb"):
            shown[label] = [format_size(float(v)) for v in values]
        elif col.endswith(("_usd_per_month", "_usd")):
            shown[label] = [format_usd(float(v), 0) for v in values]
        elif col.endswith("_gb_per_month"):
            shown[label] = [f"{float(v):,.0f}" for v in values]
        elif col.endswith(("_month", "_months")) and pd.api.types.is_float_dtype(values):
            missing = "never" if col in ("payback_month", "break_even_month") else "-"
            shown[label] = [missing if pd.isna(v) else f"{float(v):,.1f}" for v in values]
        elif pd.api.types.is_integer_dtype(values):
            shown[label] = [f"{int(v):,d}" for v in values]
        else:
            shown[label] = values.astype(str)
    return shown.to_string(line_width=TEXT_WIDTH)


def estate_summary(estate: Estate) -> str:
    """One line: the estate's name and how many of each entity it has.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> estate_summary(sample_estate())
    "estate 'Northwind Retail (fictional)' as of 2026-11-01 (13 locations, 25 datasets, ..."
    """
    counts = ", ".join(
        f"{len(getattr(estate, key))} {key}"
        for key in ("locations", "datasets", "workloads", "contracts", "teams")
    )
    return f"estate {estate.name!r} as of {estate.as_of.isoformat()} ({counts})"


def inventory_sections(estate: Estate, *, customer_jurisdiction: str | None = None) -> list[str]:
    """The inventory of ``estate`` by location and by provider, as printable sections."""
    inv = inventory(estate)
    totals = inv[["size_gb", "compute_usd_per_month"]].sum()
    title = (
        f"Inventory of {estate_summary(estate)}\n"
        f"Data held {format_size(float(totals['size_gb']))}, compute "
        f"{format_usd(float(totals['compute_usd_per_month']), 0)}/month "
        "(expected values; flows counted at the dataset's location)"
    )
    columns = [c for c in inv.columns if c not in ("continent",)]
    return [
        title,
        "By location\n" + _format_table(inv[columns]),
        "By provider\n" + _format_table(by_provider(inv)),
    ]


def stay_sections(estate: Estate, *, customer_jurisdiction: str | None = None) -> list[str]:
    """What staying costs each month, and which workloads their data pulls elsewhere."""
    baseline = baseline_by_provider(estate)
    adjusted = adjustment_note(baseline.attrs.get("adjustments", []))
    baseline.columns = [f"{c.replace(':', ' ')}_usd" for c in baseline.columns]
    pulls = top_gravity_pulls(estate, n=5).set_index("workload")
    pulls = pulls[pulls["pull_usd_per_month"] > 0]
    return [
        "Stay: baseline run cost per month by provider and category, priced with the books in\n"
        f"effect on {estate.as_of.isoformat()} (USD/month; egress split by transfer class)\n"
        + _format_table(baseline)
        + (f"\n{adjusted}" if adjusted else ""),
        "Data gravity: workloads whose data flows would cost less elsewhere (USD/month)\n"
        + _format_table(pulls),
    ]


def data_exit_sections(estate: Estate, *, customer_jurisdiction: str | None = None) -> list[str]:
    """The bill for moving every cloud dataset out now, with and without exit waivers."""
    cj = customer_jurisdiction
    if not _cloud_providers(estate):
        return [
            "Exit bill for the data: the estate holds no cloud location, so no data leaves a cloud."
        ]
    bill = exit_bill(estate, customer_jurisdiction=cj)
    waived = exit_bill(estate, exit_waiver=True, customer_jurisdiction=cj)
    totals = exit_bill_by_provider(bill)
    totals_waived = exit_bill_by_provider(waived)
    by_provider = totals[["size_gb", "total_usd"]].rename(columns={"total_usd": "list_usd"})
    by_provider["with_waiver_usd"] = totals_waived["total_usd"]
    detail = bill.set_index("dataset").drop(columns=["provider"])
    detail["with_waiver_usd"] = waived.set_index("dataset")["total_usd"]
    books = ", ".join(f"{p} {d}" for p, d in sorted(bill.attrs.get("price_books", {}).items()))
    return [
        "Exit bill for the data if it all moved now: every cloud dataset at its size on "
        f"{estate.as_of.isoformat()},\nmoved out to the internet in one month, at list prices "
        "and under the providers' exit waivers\n(which cover egress only; retrieval and request "
        f"fees remain); price books: {books}\n"
        + _format_table(by_provider)
        + (f"\n{adjusted}" if (adjusted := adjustment_note(bill.attrs["adjustments"])) else ""),
        "By dataset\n" + _format_table(detail),
    ]


def _cloud_providers(estate: Estate) -> list[str]:
    return sorted({loc.provider for loc in estate.locations if loc.kind == "cloud"})


DEMO_SCENARIOS = 200
"""Futures the demo simulates per plan (enough for P5/P95 to settle to a few percent)."""

_last_demo: list[tuple[Estate, str | None, Simulation]] = []


def demo_plans(estate: Estate) -> list[Plan]:
    """The sample plans for the sample estate, else stay and leave each cloud for a new site."""
    from exitcost.engine import Plan  # imported here: `exitcost --version` starts without it

    # every cloud that holds workloads or data: leaving a bucket-only provider is a data exit
    used = {w.location.split(":", 1)[0] for w in estate.workloads} | {
        d.location.split(":", 1)[0] for d in estate.datasets
    }
    clouds = [p for p in _cloud_providers(estate) if p in used]
    if estate == sample_estate():
        plans = list(sample_plans())
        names = {p.name for p in plans}
        extra = [Plan.leave(p, to=f"colo:{p}-exit") for p in clouds if p != "aws"]
        return plans + [p for p in extra if p.name not in names]
    return [Plan.stay()] + [Plan.leave(p, to=f"colo:{p}-exit") for p in clouds]


def demo_simulation(estate: Estate, *, customer_jurisdiction: str | None = None) -> Simulation:
    """The simulation of :func:`demo_plans` (the last is kept; an equal estate reuses it)."""
    for seen, cj, sim in _last_demo:
        if cj == customer_jurisdiction and (seen is estate or seen == estate):
            return sim
    sim = simulate(
        estate,
        demo_plans(estate),
        n_scenarios=DEMO_SCENARIOS,
        horizon_months=60,
        customer_jurisdiction=customer_jurisdiction,
    )
    _last_demo[:] = [(estate, customer_jurisdiction, sim)]
    return sim


def _millions(value: float) -> str:
    return f"{value / 1e6:,.1f}"


def economics_sections(estate: Estate, *, customer_jurisdiction: str | None = None) -> list[str]:
    """The plans side by side over five years, with their ranges over the futures."""
    if not estate.workloads:
        return []
    sim = demo_simulation(estate, customer_jurisdiction=customer_jurisdiction)
    s = sim.summary()
    keys = [chr(ord("A") + i) for i in range(len(sim.plans))]
    legend = "\n".join(f"  {k}: {name}" for k, name in zip(keys, sim.plans, strict=True))

    def month(v: object) -> str:
        return "never" if pd.isna(v) else f"{int(v)}"  # type: ignore[call-overload]

    table = pd.DataFrame(
        {
            "NPV P5": [_millions(v) for v in s["npv_p5_usd"]],
            "P50": [_millions(v) for v in s["npv_p50_usd"]],
            "P95": [_millions(v) for v in s["npv_p95_usd"]],
            "saves P50": [_millions(v) for v in s["savings_npv_p50_usd"]],
            "P(beats A)": [f"{v:.0%}" for v in s["p_beats_first"]],
            "exit P5": [_millions(v) for v in s["exit_cost_p5_usd"]],
            "P50 ": [_millions(v) for v in s["exit_cost_p50_usd"]],
            "P95 ": [_millions(v) for v in s["exit_cost_p95_usd"]],
            "payback": ["-" if i == 0 else month(v) for i, v in enumerate(s["payback_month_p50"])],
            "data months": [f"{v:.1f}" for v in s["data_move_months"]],
        },
        index=pd.Index(keys, name="plan"),
    )
    rate = (1.0 + sim.rate_per_month) ** 12 - 1.0
    return [
        "Stay or leave, over five years: the plans side by side, over "
        f"{sim.n_scenarios} simulated futures\n(exitcost.simulate; $M; NPV of all costs at "
        f"{rate:.0%} a year; 'saves' is plan A's NPV minus the plan's;\nexit is the one-off "
        "cost of leaving; payback in months from the estate's "
        f"{estate.as_of:%Y-%m};\nP5/P50/P95 over the futures)\n" + legend + "\n" + table.to_string()
    ]


def exit_bill_sections(estate: Estate, *, customer_jurisdiction: str | None = None) -> list[str]:
    """The one-off bill of each plan that leaves, by category, in the expected future."""
    if not estate.workloads:
        return []
    sim = demo_simulation(estate, customer_jurisdiction=customer_jurisdiction)
    keys = [chr(ord("A") + i) for i in range(len(sim.plans))]
    bills = {}
    for key, name in zip(keys[1:], sim.plans[1:], strict=True):
        bill = sim.exit_bill(name).set_index("category")["usd"]
        bills[key] = bill
    if not bills:
        return []
    table = (
        pd.DataFrame(bills)
        .reindex([c for c in COST_CATEGORIES if c in pd.DataFrame(bills).index])
        .fillna(0.0)
    )
    table.loc["total"] = table.sum()
    shown = table.map(lambda v: format_usd(float(v), 0))
    shown.index.name = "category"
    providers = sorted({p.split(" ")[1] for p in sim.plans if p.startswith("leave ")})
    return [
        f"Exit bill for leaving {', '.join(providers)}: the one-off costs of each plan that "
        "leaves, by category,\nin the expected future (the data move in the same month's tiers "
        "as the recurring traffic, over\nthe months its bandwidth takes; plans as above)\n"
        + shown.to_string()
    ]


DEMO_SECTIONS: list[Callable[..., list[str]]] = [
    inventory_sections,
    stay_sections,
    data_exit_sections,
    economics_sections,
    exit_bill_sections,
]
"""Functions that each turn the demo estate into printable sections, in order."""


def demo_text(estate: Estate | None = None, *, customer_jurisdiction: str | None = None) -> str:
    """Everything ``exitcost demo`` prints, for ``estate`` (default: the sample estate).

    ``customer_jurisdiction`` (``"EU"``, a member state such as ``"DE"``, ...) applies the EU
    Data Act to the data moves. A part that cannot be answered for the estate (an exit bill
    for an estate without a cloud, a plan beyond the calendar) says so in one line, and the
    other parts are answered.
    """
    estate = sample_estate() if estate is None else estate
    if customer_jurisdiction is not None:  # the command's own argument: an error, not a note
        normalize_jurisdiction(customer_jurisdiction, func="exitcost demo")
    sections: list[str] = []
    for make in DEMO_SECTIONS:
        try:
            sections += make(estate, customer_jurisdiction=customer_jurisdiction)
        except ExitcostError as exc:  # one question unanswered; the others still are
            topic = make.__name__.removesuffix("_sections").replace("_", " ")
            sections.append(f"The {topic} cannot be answered for this estate: {_one_line(exc)}")
    lines = "\n\n".join(sections).splitlines()  # tables fit in 100 columns; wrap the prose
    return "\n".join(wrap_line(line) for line in lines) + "\n"


@functools.cache
def _root_order() -> dict[str, int]:
    """The estate's root fields in schema order (imported when first needed, not at start-up)."""
    from exitcost.estate.model import Estate

    return {name: i for i, name in enumerate(Estate.model_fields)}


def _document_order(problem: Problem) -> tuple[tuple[int, int], ...]:
    """Sort key: root fields in schema order, then items by index; other names keep their order."""
    root_order = _root_order()
    key = []
    for depth, part in enumerate(split_path(problem.path)):
        if isinstance(part, int):
            key.append((0, part))
        else:
            key.append((1, root_order.get(part, len(root_order)) if depth == 0 else 0))
    return tuple(key)


def problem_lines(
    problems: Iterable[Problem], indent: str = "  ", width: int = TEXT_WIDTH
) -> list[str]:
    """Problems as printable lines, in the file's order, a repeated problem once with its paths.

    Examples
    --------
    >>> lines = problem_lines([
    ...     Problem("workloads[1].location", "aws:x", "unknown location 'aws:x'"),
    ...     Problem("datasets[0].size_gb", -1, "must be >= 0"),
    ...     Problem("datasets[2].location", "aws:x", "unknown location 'aws:x'"),
    ... ])
    >>> for line in lines:
    ...     print(line)
      datasets[0].size_gb: must be >= 0 (got -1)
      unknown location 'aws:x' (got 'aws:x') at 2 paths:
          datasets[2].location, workloads[1].location
    """
    ordered = sorted(problems, key=_document_order)
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in ordered:
        groups.setdefault((problem.message, short_repr(problem.value)), []).append(problem)
    lines = []
    for (message, value), members in groups.items():
        if len(members) == 1:
            lines.append(f"{indent}{members[0]}")
            continue
        lines.append(f"{indent}{message} (got {value}) at {len(members)} paths:")
        paths = ", ".join(p.path or "<root>" for p in members)
        lines += textwrap.wrap(
            paths,
            width=width,
            initial_indent=indent * 3,
            subsequent_indent=indent * 3,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return lines


def _not_a_file(command: str, name: str) -> str:
    try:
        what = f"is {file_kind(os.stat(name).st_mode)}, not a regular file"
    except OSError:
        what = "no such file"
    return f"exitcost {command}: {name}: {what}"


def _cmd_demo(args: argparse.Namespace) -> int:
    estate = None
    if args.file is not None:
        if not Path(args.file).is_file():
            print(_not_a_file("demo", args.file), file=sys.stderr)
            return EXIT_USAGE
        estate = read_estate(args.file)
    with pricing_policy(beyond_published=args.beyond_published, fallback=args.fallback):
        print(demo_text(estate, customer_jurisdiction=args.customer_jurisdiction), end="")
        if args.out is not None:
            from exitcost._cli.analyze import run_demo_report

            return run_demo_report(args.out, args.file)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(_not_a_file("validate", name), file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        try:
            estate = read_estate(path)
        except EstateError as exc:
            n = len(exc.problems)
            print(f"{name}: invalid estate ({n} problem{'s' if n != 1 else ''})")
            for line in problem_lines(exc.problems):
                print(line)
            status = max(status, EXIT_INVALID)
            continue
        found = check_estate(estate)
        if found:
            n = len(found)
            print(
                f"{name}: valid estate, but {n} problem{'s' if n != 1 else ''} against the "
                "price books and the service catalog"
            )
            for line in problem_lines(found):
                print(line)
            status = max(status, EXIT_INVALID)
            continue
        print(f"{name}: valid {estate_summary(estate)}")
        gaps = analysis_gaps(estate)
        if gaps:
            n = len(gaps)
            print(
                f"  but {n} question{'s' if n != 1 else ''} the analyses cannot answer for it "
                "(exitcost demo answers the rest):"
            )
            for line in problem_lines(gaps, indent="    "):
                print(line)
    return status


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command's parser. With ``argv`` given, only the sub-command it names is imported (a
    command module may import pandas or the books): ``exitcost --version`` imports none, and
    ``--help`` or an unknown command imports them all, so that they are listed."""
    parser = argparse.ArgumentParser(
        prog="exitcost",
        description="What it costs to leave a cloud provider, to stay, or to split an estate.",
        epilog=(
            "examples:\n"
            "  exitcost demo                     the analysis of the bundled sample estate\n"
            "  exitcost demo my-estate.yaml      the same for your own estate file\n"
            "  exitcost validate my-estate.yaml  check an estate file, list its problems\n"
            "\n"
            "Estate files are YAML or JSON; in Python, help(exitcost.Estate) describes them and\n"
            "exitcost.sample_estate().to_yaml('estate.yaml') writes an example to start from.\n"
            "\n"
            "exit status: 0 success; 1 invalid input (problems printed, no traceback) or output\n"
            "closed early; 2 missing file or wrong command line."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"exitcost {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="the exit analysis of the bundled sample estate (or of an estate file)"
    )
    demo.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an estate file (.yaml or .json) instead of the sample",
    )
    demo.add_argument(
        "--customer-jurisdiction",
        metavar="CODE",
        help="the customer's jurisdiction ('EU', a member state such as 'DE', 'US', ...): "
        "applies the EU Data Act to the data moves",
    )
    demo.add_argument(
        "--out", metavar="DIR", help="also write the HTML report and Excel workbook into DIR"
    )
    demo.add_argument(
        "--beyond-published",
        choices=["error", "extrapolate"],
        help="volumes beyond a book's last published band: stop with an error (default) or "
        "price the excess at the last band's rate (reported in the output)",
    )
    demo.add_argument(
        "--fallback",
        choices=["nearest"],
        help="a price a region's book lacks: borrow the nearest priced region's on the same "
        "continent (label R, reported in the output)",
    )
    demo.set_defaults(run=_cmd_demo)
    validate = commands.add_parser(
        "validate",
        help="validate estate files (YAML or JSON); exit status 1 if any is invalid",
        description=(
            "Validate estate files and check their cloud locations against the bundled price "
            "books. Every problem is printed with its field path and value. Exit status 0 when "
            "all files are valid, 1 when any is invalid, 2 when a file is missing."
        ),
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help=".yaml, .yml or .json file")
    validate.set_defaults(run=_cmd_validate)
    for module in _command_modules(argv):
        importlib.import_module(f"exitcost._cli.{module}").add_parser(commands)
    return parser


def _command_modules(argv: Sequence[str] | None) -> tuple[str, ...]:
    if argv is None:
        return COMMAND_MODULES
    if list(argv) == ["--version"]:
        return ()
    named = next((a for a in argv if not a.startswith("-")), None)
    if named in ("demo", "validate"):
        return ()
    return (named,) if named in COMMAND_MODULES else COMMAND_MODULES


def _one_line_warnings() -> Callable[..., None]:
    """A ``warnings.showwarning`` printing each distinct warning once, as
    ``exitcost: warning: ...`` on one line of stderr (library code may repeat a warning from
    several code paths, or inside its own ``catch_warnings`` blocks)."""
    seen: set[str] = set()

    def show(message: Warning | str, *args: Any, **kwargs: Any) -> None:
        text = " ".join(str(message).split())
        if text not in seen:
            seen.add(text)
            print(f"exitcost: warning: {text}", file=sys.stderr)

    return show


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``exitcost`` command with ``argv`` (default: ``sys.argv[1:]``); return its status.

    Errors are printed as one line on stderr (exit status 1), never as tracebacks; so is
    output closed early by its reader (``exitcost demo | head``).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "run", None) is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        with warnings.catch_warnings():
            # A warning the library gives (a stale book, an extrapolated price) is printed
            # once, on one line of stderr, whichever code path repeats it.
            warnings.simplefilter("always", ExitcostWarning)
            warnings.showwarning = _one_line_warnings()
            status: int = args.run(args)
        sys.stdout.flush()
    except ExitcostError as exc:
        print(f"exitcost: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (``exitcost demo | head``): stop quietly. Point stdout at
        # /dev/null so that the interpreter's final flush does not complain again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # stdout without a file descriptor
            pass
        return EXIT_INVALID
    except (TypeError, ValueError, ArithmeticError, RecursionError, MemoryError, OSError) as exc:
        # Not an error exitcost raises on purpose (a defect, or the system refusing): still one
        # line, never a traceback.
        print(
            f"exitcost: error: {type(exc).__name__}: {_one_line(exc)} (this is a defect of "
            "exitcost if the input was valid; please report it with the input)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return status


def _one_line(exc: BaseException) -> str:
    """An error message on one line: its lines joined with '; ' (a list of problems stays whole)."""
    lines = [line.strip().removeprefix("- ") for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines).replace(":;", ":") or type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
