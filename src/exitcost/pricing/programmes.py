"""Exit programmes (free egress on exit) and the EU Data Act, as dated rules.

Exit waivers
------------
AWS, Google Cloud and Azure credit the egress of a customer who leaves (approval needed, a
60-day window, conditions in each book's ``exit_programme``). exitcost models an approved
waiver: ``exit_waiver=True`` zeroes the transfer classes the programme ``covers`` (internet
egress for the three), never retrieval, requests, early deletion or storage. Before the
programme's ``announced`` date, or for a provider without a programme, a waiver has **no
effect** (it is ignored rather than refused, so a plan can ask for it in every month; the
property "never more expensive with a waiver" holds either way).

EU Data Act
-----------
Regulation (EU) 2023/2854 (``data/pricing/regulation/eu_data_act.yaml``): for a customer in a
listed jurisdiction (``EU``) switching provider or going on-premises, switching charges
including data egress may be at most the provider's cost from 2024-01-11 and are forbidden from
2027-01-12. exitcost applies it to the covered transfer classes of an exit:

- ``none`` phase: egress 0;
- ``at_cost`` phase: the list price is kept. The providers publish no "at cost" rate; keeping
  the list price is the conservative (upper-bound) reading. Pass ``at_cost_fraction`` to
  :func:`data_act_factor` (and ``data_exit_cost``) to model a lower at-cost charge;
- ``list`` or before entry into force, or a customer outside the jurisdictions: unchanged.

Examples
--------
>>> import datetime as dt
>>> data_act_phase("2027-01-12", "EU")
'none'
>>> data_act_phase("2025-06-01", "US")
'list'
>>> waiver_applies("aws", "2024-10-01"), waiver_applies("aws", "2024-10-01", "inter_region")
(True, False)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from exitcost._validation import check_scalar
from exitcost.pricing.books import as_date, load_price_book, load_regulation
from exitcost.pricing.schema import ExitProgramme

__all__ = [
    "data_act_factor",
    "data_act_phase",
    "exit_programme",
    "programme_covers",
    "waiver_applies",
]


def exit_programme(provider: str, as_of: dt.date | str | None = None) -> ExitProgramme | None:
    """The exit programme in the provider's book in effect on ``as_of`` (None if none).

    Examples
    --------
    >>> exit_programme("aws", "2025-01-01").window_days
    60
    """
    return load_price_book(provider, as_of=as_of).exit_programme


def waiver_applies(
    provider: str, as_of: dt.date | str | None = None, transfer_class: str = "internet"
) -> bool:
    """Whether an approved exit waiver zeroes ``transfer_class`` on ``as_of``."""
    day = as_date(as_of, func="waiver_applies")
    return programme_covers(exit_programme(provider, day), day, transfer_class)


def programme_covers(programme: ExitProgramme | None, day: dt.date, transfer_class: str) -> bool:
    """Whether ``programme`` (from a book) zeroes ``transfer_class`` on ``day``."""
    return (
        programme is not None and day >= programme.announced and transfer_class in programme.covers
    )


def data_act_phase(
    as_of: dt.date | str | None, customer_jurisdiction: str | None
) -> Literal["list", "at_cost", "none"]:
    """Which switching-charge regime of the EU Data Act applies to a customer on a day."""
    day = as_date(as_of, func="data_act_phase")
    regime = load_regulation("eu_data_act")
    if customer_jurisdiction is None or customer_jurisdiction not in regime.customer_jurisdictions:
        return "list"
    current: Literal["list", "at_cost", "none"] = "list"
    for phase in regime.phases:
        if phase.start <= day and (phase.end is None or day <= phase.end):
            current = phase.switching_charges
    return current


def data_act_factor(
    as_of: dt.date | str | None,
    customer_jurisdiction: str | None,
    transfer_class: str = "internet",
    *,
    at_cost_fraction: float = 1.0,
) -> float:
    """Multiplier on switching egress under the EU Data Act (1 = unchanged, 0 = forbidden).

    Examples
    --------
    >>> data_act_factor("2026-01-01", "EU", at_cost_fraction=0.5)
    0.5
    >>> data_act_factor("2027-02-01", "EU")
    0.0
    """
    fraction = check_scalar(
        at_cost_fraction, name="at_cost_fraction", func="data_act_factor", maximum=1.0
    )
    regime = load_regulation("eu_data_act")
    if transfer_class not in regime.covers:
        return 1.0
    phase = data_act_phase(as_of, customer_jurisdiction)
    if phase == "none":
        return 0.0
    if phase == "at_cost":
        return fraction
    return 1.0
