"""Plots of exitcost results: one function per figure, each taking a result frame.

Every function takes the frame that the engine's result returns (see the contract in
``docs/internals.md``, "The engine and its result") and returns a
:class:`matplotlib.figure.Figure`. Nothing here computes a figure the API does not return: the
functions only draw. They build figures without :mod:`matplotlib.pyplot`, so no global figure
state is touched and any backend (Agg in tests and reports, inline in notebooks) can show them.

Every figure follows one house style (:data:`HOUSE_STYLE`), and every axis says its unit: money
in USD with compact tick labels (``$1.2M``), months as offsets from the model's as-of month,
probabilities in percent.

Examples
--------
>>> import pandas as pd
>>> bill = pd.DataFrame({"category": ["egress", "labour"], "usd": [120_000.0, 80_000.0]})
>>> fig = waterfall(bill)
>>> fig.axes[0].get_ylabel()
'Exit cost [USD]'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from exitcost.errors import InvalidParameterError, format_choices

if TYPE_CHECKING:
    from exitcost.graph import CostGraph, Route

__all__ = [
    "HOUSE_STYLE",
    "PALETTE",
    "cash_flow_chart",
    "fan_chart",
    "graph_map",
    "lock_in_chart",
    "probability_chart",
    "tornado_chart",
    "usd_label",
    "waterfall",
]

PALETTE: Final[tuple[str, ...]] = (
    "#1b4f72",  # deep blue: the reference plan (usually stay)
    "#d35400",  # orange
    "#138d75",  # green
    "#7d3c98",  # purple
    "#b7950b",  # ochre
    "#566573",  # slate
    "#c0392b",  # red
)
"""Plan colours, in plan order; the first is the reference plan's."""

HOUSE_STYLE: Final[Mapping[str, Any]] = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d5d8dc",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "svg.fonttype": "none",
}
"""Matplotlib settings every exitcost figure is drawn with."""

_INCREASE: Final = "#c0392b"
_TOTAL: Final = "#1b4f72"
_LOW: Final = "#2e86c1"
_HIGH: Final = "#e67e22"

_TRANSFER_COLOURS: Final[Mapping[str, str]] = {
    "internet": "#c0392b",
    "inter_region": "#2e86c1",
    "cross_zone": "#85929e",
    "intra_region": "#aab7b8",
    "interconnect": "#138d75",
}

# Where each continent sits on the map: (longitude, latitude) of its centre, in degrees.
_CONTINENT_XY: Final[Mapping[str, tuple[float, float]]] = {
    "north_america": (-100.0, 42.0),
    "south_america": (-60.0, -18.0),
    "europe": (12.0, 50.0),
    "africa": (20.0, 2.0),
    "middle_east": (48.0, 26.0),
    "asia": (108.0, 32.0),
    "oceania": (140.0, -28.0),
}


def usd_label(amount_usd: float) -> str:
    """A compact money label for axis ticks: ``$950``, ``$12k``, ``$1.2M``, ``$3.4B``.

    Examples
    --------
    >>> [usd_label(v) for v in (950, 12_345, 1_234_567, -2_500_000, 3.4e9)]
    ['$950', '$12k', '$1.2M', '-$2.5M', '$3.4B']
    """
    sign = "-" if amount_usd < 0 else ""
    value = abs(float(amount_usd))
    for size, suffix, decimals in ((1e9, "B", 1), (1e6, "M", 1), (1e3, "k", 0)):
        if value >= size:
            return f"{sign}${value / size:,.{decimals}f}{suffix}"
    return f"{sign}${value:,.0f}"


_USD_TICKS: Final = FuncFormatter(lambda value, _pos: usd_label(value))


@contextmanager
def _house_style() -> Iterator[None]:
    with rc_context(dict(HOUSE_STYLE)):  # type: ignore[arg-type]
        yield


def _figure(title: str, *, figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    fig = Figure(figsize=figsize or HOUSE_STYLE["figure.figsize"], layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    return fig, ax


def _require(frame: pd.DataFrame, columns: Sequence[str], func: str, name: str) -> None:
    """Check that ``frame`` is a DataFrame with ``columns``; name what is missing."""
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a pandas DataFrame. "
            f"Got {type(frame).__name__} instead."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must have the columns {list(columns)!r}; "
            f"{missing!r} are missing. Got columns {list(frame.columns)!r} instead."
        )


def _months_axis(ax: Axes, frame: pd.DataFrame) -> None:
    """Label the x axis in months, naming the as-of month when the frame has dates."""
    label = "Month [months from the as-of month]"
    if "date" in frame.columns and len(frame):
        first = pd.Timestamp(frame["date"].iloc[int(np.argmin(frame["month"].to_numpy()))])
        label = f"Month [months from {first:%Y-%m}]"
    ax.set_xlabel(label)


def _money_over_months(ax: Axes, frame: pd.DataFrame, ylabel: str) -> None:
    """Finish an axes of money (y) over months (x): labels with units, ticks, legend."""
    _months_axis(ax, frame)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_USD_TICKS)
    ax.legend(loc="upper left")


def _band_and_median(ax: Axes, rows: pd.DataFrame, prefix: str, colour: str, label: str) -> None:
    """Shade ``<prefix>5_usd`` to ``<prefix>95_usd`` over ``month``; draw ``<prefix>50_usd``."""
    month = rows["month"].to_numpy(dtype=np.float64)
    ax.fill_between(
        month,
        rows[f"{prefix}5_usd"].to_numpy(dtype=np.float64),
        rows[f"{prefix}95_usd"].to_numpy(dtype=np.float64),
        color=colour,
        alpha=0.2,
        linewidth=0,
        label=f"{label}P5-P95",
    )
    ax.plot(
        month,
        rows[f"{prefix}50_usd"].to_numpy(dtype=np.float64),
        color=colour,
        linewidth=2.0,
        label=f"{label}median",
    )


def _plan_colours(plans: Sequence[Any]) -> dict[Any, str]:
    return {plan: PALETTE[i % len(PALETTE)] for i, plan in enumerate(plans)}


def _plans(frame: pd.DataFrame) -> list[Any]:
    """Plans in the order they first appear (the contract keeps the engine's plan order)."""
    return list(dict.fromkeys(frame["plan"].tolist()))


# ----------------------------------------------------------------------------- waterfall


def waterfall(bill: pd.DataFrame, *, title: str = "Exit bill by category") -> Figure:
    """The one-off exit bill as a waterfall: each category stacked on the last, then the total.

    Parameters
    ----------
    bill : pandas.DataFrame
        ``Simulation.exit_bill(plan)``: columns ``category`` and ``usd`` (positive costs), one
        row per category, in the order to draw. [USD]
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per category floating on the running total (``bottom`` the sum of the rows
        before it) and a last ``total`` bar from zero.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = waterfall(pd.DataFrame({"category": ["egress"], "usd": [10.0]}))
    >>> [float(p.get_height()) for p in fig.axes[0].patches]
    [10.0, 10.0]
    """
    _require(bill, ("category", "usd"), "waterfall", "bill")
    usd = bill["usd"].to_numpy(dtype=np.float64)
    labels = [str(c) for c in bill["category"]]
    bottoms = np.concatenate(([0.0], np.cumsum(usd)[:-1]))
    total = float(usd.sum())
    with _house_style():
        fig, ax = _figure(title)
        x = np.arange(len(usd) + 1)
        ax.bar(x[:-1], usd, bottom=bottoms, color=_INCREASE, width=0.6, label="category")
        ax.bar(x[-1:], [total], color=_TOTAL, width=0.6, label="total")
        for xi, top, value in zip(x, [*(bottoms + usd), total], [*usd, total], strict=True):
            ax.annotate(
                usd_label(value),
                (xi, top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_xticks(x, [*labels, "total"], rotation=30, ha="right")
        ax.set_xlabel("Cost category")
        ax.set_ylabel("Exit cost [USD]")
        ax.yaxis.set_major_formatter(_USD_TICKS)
        ax.grid(axis="x", visible=False)
    return fig


# ----------------------------------------------------------------------------- cash flow


def cash_flow_chart(
    flows: pd.DataFrame,
    *,
    break_even_months: Mapping[Any, Any] | pd.Series | None = None,
    title: str = "Cumulative cost of each plan",
) -> Figure:
    """Cumulative cost of each plan over the months, with each plan's break-even month marked.

    Parameters
    ----------
    flows : pandas.DataFrame
        ``Simulation.monthly_costs()``: columns ``plan``, ``month`` and ``cumulative_cost_usd``
        (``date`` is used for the axis label when present). [USD]
    break_even_months : mapping or Series, optional
        Plan -> the month it breaks even against the first plan (the summary's
        ``break_even_month_p50``); a missing or NA value draws no marker.
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One line per plan (``label`` the plan name) and a vertical dashed line at each plan's
        break-even month (``label`` ``"<plan> breaks even"``).
    """
    _require(flows, ("plan", "month", "cumulative_cost_usd"), "cash_flow_chart", "flows")
    plans = _plans(flows)
    colours = _plan_colours(plans)
    marks = {} if break_even_months is None else dict(break_even_months.items())
    with _house_style():
        fig, ax = _figure(title)
        for plan in plans:
            rows = flows[flows["plan"] == plan].sort_values("month")
            ax.plot(
                rows["month"].to_numpy(dtype=np.float64),
                rows["cumulative_cost_usd"].to_numpy(dtype=np.float64),
                color=colours[plan],
                label=str(plan),
                linewidth=2.0,
            )
            month = marks.get(plan)
            if month is not None and not pd.isna(month):
                ax.axvline(
                    float(month),
                    color=colours[plan],
                    linestyle="--",
                    linewidth=1.0,
                    label=f"{plan} breaks even",
                )
        _money_over_months(ax, flows, "Cumulative cost [USD]")
    return fig


# ----------------------------------------------------------------------------- fan chart


def fan_chart(
    fan: pd.DataFrame, *, title: str = "Cumulative cost: P5-P95 band and median"
) -> Figure:
    """The Monte Carlo fan: each plan's P5-P95 band and its median over the months.

    Parameters
    ----------
    fan : pandas.DataFrame
        ``Simulation.fan()``: columns ``plan``, ``month``, ``p5_usd``, ``p50_usd`` and
        ``p95_usd`` (``date`` for the axis label when present). [USD]
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        Per plan, a shaded band between P5 and P95 (a ``PolyCollection`` labelled
        ``"<plan> P5-P95"``) and the P50 line (labelled ``"<plan> median"``).
    """
    _require(fan, ("plan", "month", "p5_usd", "p50_usd", "p95_usd"), "fan_chart", "fan")
    plans = _plans(fan)
    colours = _plan_colours(plans)
    with _house_style():
        fig, ax = _figure(title)
        for plan in plans:
            rows = fan[fan["plan"] == plan].sort_values("month")
            _band_and_median(ax, rows, "p", colours[plan], f"{plan} ")
        _money_over_months(ax, fan, "Cost [USD]")
    return fig


# ----------------------------------------------------------------------------- tornado


def tornado_chart(
    tornado: pd.DataFrame,
    *,
    base_usd: float | None = None,
    title: str = "What drives the savings (NPV)",
) -> Figure:
    """The tornado of the drivers: the savings NPV at each input's low and high value.

    Parameters
    ----------
    tornado : pandas.DataFrame
        ``Simulation.tornado()``: columns ``input``, ``low``, ``high``, ``npv_low_usd`` and
        ``npv_high_usd``, sorted by swing, largest first (drawn at the top). [USD]
    base_usd : float, optional
        The savings NPV with every input at its expected value; the bars start from it (a
        vertical line marks it). Without it each bar spans from the low-input NPV to the
        high-input NPV.
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        Per input two horizontal bars: the low-input bar (``label`` ``"input low"``) and the
        high-input bar (``"input high"``), ending at ``npv_low_usd`` and ``npv_high_usd``.
    """
    columns = ("input", "low", "high", "npv_low_usd", "npv_high_usd")
    _require(tornado, columns, "tornado_chart", "tornado")
    low = tornado["npv_low_usd"].to_numpy(dtype=np.float64)
    high = tornado["npv_high_usd"].to_numpy(dtype=np.float64)
    y = np.arange(len(tornado))[::-1].astype(np.float64)  # largest swing at the top
    base = (low + high) / 2.0 if base_usd is None else np.full(len(low), float(base_usd))
    labels = [
        f"{name}\n({_short(lo)} to {_short(hi)})"
        for name, lo, hi in zip(tornado["input"], tornado["low"], tornado["high"], strict=True)
    ]
    with _house_style():
        fig, ax = _figure(title, figsize=(8.0, 1.2 + 0.55 * max(len(tornado), 1)))
        ax.barh(y, low - base, left=base, height=0.6, color=_LOW, label="input low")
        ax.barh(y, high - base, left=base, height=0.6, color=_HIGH, label="input high")
        if base_usd is not None:
            ax.axvline(float(base_usd), color="#17202a", linewidth=1.0)
        ax.set_yticks(y, labels)
        ax.set_xlabel("Savings NPV [USD]")
        ax.set_ylabel("Input (low to high value)")
        ax.xaxis.set_major_formatter(_USD_TICKS)
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right")
    return fig


def _short(value: Any) -> str:
    if isinstance(value, float | int | np.floating | np.integer) and not isinstance(value, bool):
        return f"{float(value):,.4g}"
    return str(value)


# ----------------------------------------------------------------------------- lock-in clock


def lock_in_chart(
    clock: pd.DataFrame, *, title: str = "Lock-in clock: exit cost by month of leaving"
) -> Figure:
    """The lock-in clock: what leaving costs as a function of the month one leaves.

    Parameters
    ----------
    clock : pandas.DataFrame
        ``Simulation.lock_in_clock(months)``: columns ``month``, ``exit_cost_p5_usd``,
        ``exit_cost_p50_usd``, ``exit_cost_p95_usd`` and ``exit_cost_expected_usd``. [USD]
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        The P5-P95 band, the median line (``"median"``) and the expected line (``"expected"``).
    """
    columns = (
        "month",
        "exit_cost_p5_usd",
        "exit_cost_p50_usd",
        "exit_cost_p95_usd",
        "exit_cost_expected_usd",
    )
    _require(clock, columns, "lock_in_chart", "clock")
    rows = clock.sort_values("month")
    month = rows["month"].to_numpy(dtype=np.float64)
    with _house_style():
        fig, ax = _figure(title)
        _band_and_median(ax, rows, "exit_cost_p", PALETTE[1], "")
        ax.plot(
            month,
            rows["exit_cost_expected_usd"].to_numpy(dtype=np.float64),
            color=PALETTE[0],
            linewidth=1.2,
            linestyle="--",
            label="expected",
        )
        _money_over_months(ax, rows, "Exit cost [USD]")
        ax.set_xlabel(ax.get_xlabel().replace("Month", "Month of leaving", 1))
    return fig


# ----------------------------------------------------------------------------- probability


def probability_chart(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The probability that each plan beats the first (reference) plan.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``Simulation.summary()``: indexed by ``plan`` (the first row the reference plan), with
        the column ``p_beats_first`` (a fraction in [0, 1]).
    title : str, optional
        Axes title; default "Probability of beating <first plan>".

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per plan after the first, its width the probability in percent.
    """
    _require(summary, ("p_beats_first",), "probability_chart", "summary")
    if len(summary) < 2:
        raise InvalidParameterError(
            "The 'summary' parameter of probability_chart must have at least two plans (the "
            f"first is the reference). Got {len(summary)} instead."
        )
    reference = summary.index[0]
    others = summary.iloc[1:]
    percent = others["p_beats_first"].to_numpy(dtype=np.float64) * 100.0
    y = np.arange(len(others))[::-1].astype(np.float64)
    colours = list(_plan_colours(list(summary.index)).values())[1:]
    with _house_style():
        fig, ax = _figure(
            title or f"Probability of beating {reference}",
            figsize=(8.0, 1.4 + 0.5 * len(others)),
        )
        ax.barh(y, percent, height=0.6, color=colours)
        for yi, value in zip(y, percent, strict=True):
            ax.annotate(
                f"{value:.0f}%",
                (value, yi),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
        ax.set_xlim(0.0, 100.0)
        ax.set_yticks(y, [str(p) for p in others.index])
        ax.set_xlabel(f"Scenarios in which the plan costs less than {reference} [%]")
        ax.set_ylabel("Plan")
        ax.xaxis.set_major_formatter(PercentFormatter(100.0))
        ax.grid(axis="y", visible=False)
    return fig


# ----------------------------------------------------------------------------- cost graph


def _node_positions(graph: CostGraph) -> dict[str, tuple[float, float]]:
    """Longitude-latitude-like positions: each continent's sites on a small ring round it."""
    view = graph.graph
    positions: dict[str, tuple[float, float]] = {}
    by_continent: dict[str, list[str]] = {}
    for node, attrs in view.nodes(data=True):
        if attrs.get("kind") == "internet":
            positions[node] = (0.0, -55.0)
            continue
        by_continent.setdefault(str(attrs.get("continent") or "unknown"), []).append(node)
    for k, (continent, nodes) in enumerate(sorted(by_continent.items())):
        cx, cy = _CONTINENT_XY.get(continent, (-150.0 + 30.0 * k, -50.0))
        radius = 0.0 if len(nodes) == 1 else 8.0 + 2.5 * len(nodes)
        angles = np.linspace(0.0, 2.0 * np.pi, len(nodes), endpoint=False)
        for node, angle in zip(sorted(nodes), angles, strict=True):
            positions[node] = (cx + radius * np.cos(angle), cy + 0.6 * radius * np.sin(angle))
    return positions


def graph_map(
    graph: CostGraph,
    *,
    route: Route | None = None,
    title: str = "Locations and priced transfer paths",
) -> Figure:
    """The cost graph as a map: locations placed by continent, transfer options as lines.

    Parameters
    ----------
    graph : CostGraph
        The graph (:meth:`exitcost.graph.CostGraph.from_estate` or ``from_price_books``).
        Locations sit round their continent's centre (longitude, latitude in degrees); the
        ``internet`` node sits below the map.
    route : Route, optional
        A route to highlight (:meth:`CostGraph.route`): its hops are drawn thick and labelled
        with their cost.
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One line per connected pair of locations (``gid`` ``"src->dst"``), coloured by the
        transfer class of its cheapest first-tier option; one marker per location, labelled
        with its id.
    """
    view = graph.graph
    positions = _node_positions(graph)
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for src, dst, attrs in view.edges(data=True):
        tiers = attrs.get("tiers") or [(0.0, None, 0.0)]
        first_usd_per_gb = float(tiers[0][2])
        key = (src, dst)
        if key not in pairs or first_usd_per_gb < pairs[key][0]:
            pairs[key] = (first_usd_per_gb, str(attrs.get("transfer_class", "")))
    hops = {} if route is None else {(h.src, h.dst): h.cost_usd for h in route.hops}
    with _house_style():
        fig, ax = _figure(title, figsize=(10.0, 5.5))
        for (src, dst), (_rate, transfer_class) in pairs.items():
            (x0, y0), (x1, y1) = positions[src], positions[dst]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=_TRANSFER_COLOURS.get(transfer_class, "#85929e"),
                linewidth=0.6,
                alpha=0.5,
                gid=f"{src}->{dst}",
                zorder=1,
            )
        for (src, dst), cost_usd in hops.items():
            (x0, y0), (x1, y1) = positions[src], positions[dst]
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={"arrowstyle": "-|>", "color": "#17202a", "linewidth": 2.5},
                zorder=3,
            )
            ax.annotate(
                usd_label(cost_usd),
                ((x0 + x1) / 2, (y0 + y1) / 2),
                fontsize=9,
                fontweight="bold",
                ha="center",
                zorder=4,
            )
        xs = [positions[n][0] for n in view.nodes]
        ys = [positions[n][1] for n in view.nodes]
        ax.scatter(xs, ys, s=40, color="#17202a", zorder=2)
        for node in view.nodes:
            ax.annotate(
                str(node),
                positions[node],
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                zorder=4,
            )
        for transfer_class, colour in _TRANSFER_COLOURS.items():
            ax.plot([], [], color=colour, label=transfer_class.replace("_", " "))
        ax.legend(loc="lower left", title="cheapest option")
        ax.set_xlim(-180.0, 180.0)
        ax.set_ylim(-65.0, 80.0)
        ax.set_xlabel("Longitude of the continent [degrees]")
        ax.set_ylabel("Latitude of the continent [degrees]")
    return fig


PLOTS: Final[Mapping[str, str]] = {
    "waterfall": "waterfall",
    "cash_flow": "cash_flow_chart",
    "fan": "fan_chart",
    "tornado": "tornado_chart",
    "lock_in": "lock_in_chart",
    "probability": "probability_chart",
    "graph": "graph_map",
}
"""Plot kinds (as ``Simulation.plot(kind)`` names them) -> the function drawing each."""


def plot_function(kind: str) -> Any:
    """The plot function for ``kind`` (a key of :data:`PLOTS`).

    Examples
    --------
    >>> plot_function("fan").__name__
    'fan_chart'
    """
    if kind not in PLOTS:
        raise InvalidParameterError(
            f"The 'kind' parameter of plot_function must be one of {format_choices(PLOTS)}. "
            f"Got {kind!r} instead."
        )
    return globals()[PLOTS[kind]]
