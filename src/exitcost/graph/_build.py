"""Building a cost graph from the price books (private; see CostGraph.from_estate).

Edges added for every pair of locations the books can price:

- ``loc -> internet``: the source book's internet egress (free allowance folded into the first
  band); for a site, its template book's transit: the overage per GB above the volume the
  commitment carries (see ``data/pricing/README.md``). The fee for the committed Mbps is paid
  whether or not data moves, so it is not a cost of moving data and is left out, as
  :func:`exitcost.pricing.egress_cost` leaves it out: on a direct path to the internet the
  graph and ``egress_cost`` give one answer. Fees paid only when an option is used (an
  interconnect port, a cross-connect) count.
- ``internet -> loc``: free (no book prices ingress). For a site this attributes the whole
  transit commitment to the outbound direction; a commitment is billed on the busier
  direction, and outbound is the one an exit or a cloud read pays.
- ``loc -> other region of the same provider``: the book's inter-region price ("backbone");
  none where the book has no inter-region rule for the pair (traffic then goes via internet).
- ``loc -> location of another provider or a site``, only where the source book prices egress
  by destination zone and the destination falls in a zone: that zone's internet price.
- ``cloud region <-> colo (or onprem) site on the same continent``, where the region's book has
  a private interconnect rate and the site's template book prices the site side (a colocation's
  fibre cross-connect to the cloud on-ramp): one option per cloud port speed, per-GB rate out of
  the cloud (inbound free; the site book's per-GB rate, 0 for a cross-connect, out of the site)
  plus, as one fixed fee per month, the port's fee (its hourly price x the book's 730-hour
  month) and the site's cheapest cross-connect; the port's line rate over that month is the
  option's capacity in GB per month. The on-premises template prices no carrier circuit from
  an own data centre to a cloud on-ramp, so no interconnect joins a cloud to an ``onprem:``
  site unless you add one (``CostGraph.add_edge``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from exitcost._validation import warn_user
from exitcost.errors import DefaultAssumptionWarning, PriceBookError, UnknownProviderError
from exitcost.estate.model import SITE_KINDS, LocationIdParts, default_location_kind
from exitcost.graph._schedule import TransferOption
from exitcost.graph.costgraph import INTERNET, CostGraph
from exitcost.pricing.policy import Adjustment, PricingPolicy, current_policy, record, recording
from exitcost.units import HOURS_PER_MONTH

__all__ = ["LocationSpec", "build_graph", "option_from_price"]

_INTERCONNECT_SITES = ("onprem", "colo")


@dataclass(frozen=True)
class LocationSpec(LocationIdParts):
    """What the builder needs to know of a location."""

    id: str
    kind: str
    continent: str | None = None
    jurisdiction: str | None = None
    name: str | None = None
    account: str | None = None


def option_from_price(
    src: str,
    dst: str,
    price: Any,
    *,
    key: str,
    capacity_gb_per_month: float = math.inf,
    committed_fee: bool = False,
) -> TransferOption:
    """A :class:`TransferOption` from a pricing ``TransferPrice`` (schedule, class, fixed fee).

    ``committed_fee=True`` marks the price's fixed fee as a commitment paid whether or not data
    moves (a site's committed transit): it is left out, as :func:`exitcost.pricing.egress_cost`
    leaves it out, and named in the option's ``source``.
    """
    schedule = price.schedule
    fee = float(price.fixed_usd_per_month)
    source = f"{price.reference} [{price.label}]"
    if committed_fee and fee > 0:
        source += f"; committed fee {fee:g} USD/month not counted (paid whether or not data moves)"
    return TransferOption(
        src=src,
        dst=dst,
        key=key,
        transfer_class=price.transfer_class,
        schedule=schedule,
        fixed_usd_per_month=0.0 if committed_fee else fee,
        capacity_gb_per_month=capacity_gb_per_month,
        source=source,
    )


def _registry_generation() -> int:
    from exitcost.pricing.books import registry_generation

    return registry_generation()


def _book(provider: str, as_of: dt.date) -> Any:
    from exitcost.pricing.books import load_price_book

    return load_price_book(provider, as_of=as_of)


def _transfer(book: Any, region: str, destination: str, policy: PricingPolicy, **kw: Any) -> Any:
    """The book's transfer price, through the policy (``fallback="nearest"`` may borrow it)."""
    from exitcost.pricing.fallback import resolve_transfer

    def fetch(r: str) -> Any:
        return book.transfer_price(r, destination, **kw)

    return resolve_transfer(book, region, fetch, policy.fallback)


@lru_cache(maxsize=16)
def _options(
    specs: tuple[LocationSpec, ...], as_of: dt.date, generation: int, policy: PricingPolicy
) -> tuple[tuple[TransferOption, ...], tuple[Adjustment, ...]]:
    """The options of ``specs`` and the borrowed prices among them (recorded on every use)."""
    # ``generation`` (exitcost.pricing.registry_generation) is only part of the cache key: a
    # registered or unregistered price book must not be served from options built before it.
    # ``policy`` is part of it because a borrowed price exists only under fallback="nearest".
    with recording() as notes:
        options = _build_options(specs, as_of, policy)
    return options, tuple(notes)


def _build_options(
    specs: tuple[LocationSpec, ...], as_of: dt.date, policy: PricingPolicy
) -> tuple[TransferOption, ...]:
    books: dict[str, Any] = {}
    missing: set[str] = set()
    for spec in specs:
        if spec.provider in books or spec.provider in missing:
            continue
        try:
            books[spec.provider] = _book(spec.provider, as_of)
        except (UnknownProviderError, PriceBookError) as exc:
            if spec.kind == "cloud":
                raise
            missing.add(f"{spec.provider} ({exc})")
    if missing:
        warn_user(
            f"No site template price book for {'; '.join(sorted(missing))}; those sites get no "
            "transit to the internet and are joined only by edges you add (CostGraph.add_edge).",
            DefaultAssumptionWarning,
        )
    out: list[TransferOption] = []
    cross_connects: dict[str, Any] = {}  # site id -> its cross-connect, shared by every region
    for spec in specs:
        book = books.get(spec.provider)
        out.append(
            TransferOption.from_tiers(
                INTERNET,
                spec.id,
                0.0,
                key="ingress",
                transfer_class="internet",
                source="no ingress charge in the price books",
            )
        )
        if book is None:
            continue
        price = _transfer(book, spec.region, INTERNET, policy)
        out.append(option_from_price(spec.id, INTERNET, price, key="internet", committed_fee=True))
        if spec.kind != "cloud":
            continue
        zones = bool(book.model.destination_zones)
        zone_price: dict[str, Any] = {}  # one price per destination zone, shared by its locations
        for other in specs:
            if other.id == spec.id:
                continue
            if other.provider == spec.provider:
                try:
                    price = book.inter_region_price(spec.region, other.region)
                except PriceBookError:
                    continue  # the book prices no backbone here: traffic goes via the internet
                out.append(option_from_price(spec.id, other.id, price, key="backbone"))
            elif zones and (zone := book.destination_zone_of(other.continent, other.jurisdiction)):
                if zone not in zone_price:
                    zone_price[zone] = _transfer(
                        book,
                        spec.region,
                        other.id,
                        policy,
                        destination_continent=other.continent,
                        destination_jurisdiction=other.jurisdiction,
                    )
                price = zone_price[zone]
                out.append(option_from_price(spec.id, other.id, price, key="internet:zone"))
        out.extend(_interconnects(book, spec, specs, HOURS_PER_MONTH, books, cross_connects))
    return tuple(out)


def _cross_connect(book: Any, site: LocationSpec) -> Any:
    """The site side of a private interconnect: its template book's cheapest cross-connect.

    ``None`` where the site's book prices none (the on-premises template: the carrier circuit
    from an own data centre to a cloud on-ramp is not priced, so no interconnect is assumed).
    """
    ic = None if book is None else book.model.interconnect
    if ic is None or not ic.ports:
        return None
    try:
        prices = [
            book.transfer_price(site.region, INTERNET, via="interconnect", port_gbps=p.speed_gbps)
            for p in ic.ports
        ]
    except PriceBookError:
        return None
    return min(prices, key=lambda p: p.fixed_usd_per_month)


def _interconnects(
    book: Any,
    spec: LocationSpec,
    specs: Iterable[LocationSpec],
    hours_per_month: float,
    books: Mapping[str, Any],
    cross_connects: dict[str, Any],
) -> list[TransferOption]:
    ic = book.model.interconnect
    if ic is None or not ic.ports:
        return []
    offered = [r for r in ic.rates if spec.region in r.regions or "*" in r.regions]
    if not offered:
        return []
    out: list[TransferOption] = []
    for site in specs:
        if site.kind not in _INTERCONNECT_SITES:
            continue
        if site.continent is not None and site.continent != spec.continent:
            continue
        if site.id not in cross_connects:
            cross_connects[site.id] = _cross_connect(books.get(site.provider), site)
        xc = cross_connects[site.id]
        if xc is None:
            continue
        xc_fee = float(xc.fixed_usd_per_month)
        xc_ref = f"{xc.reference} [{xc.label}]"
        for port in ic.ports:
            price = book.transfer_price(
                spec.region, site.id, via="interconnect", port_gbps=port.speed_gbps
            )
            capacity = port.speed_gbps * 1e9 / 8 * hours_per_month * 3600 / book.billing_gb_bytes
            key = f"interconnect:{port.speed_gbps:g}g:{port.kind}"
            fee = float(price.fixed_usd_per_month) + xc_fee
            ref = f"{price.reference} [{price.label}]"
            inbound = f"{ref} (inbound free, same port) + cross-connect {xc_ref}"
            directions = (  # one port both ways: out at its price, in at the cross-connect's
                (spec.id, site.id, price.schedule, f"{ref} + cross-connect {xc_ref}"),
                (site.id, spec.id, xc.schedule, inbound),
            )
            out += [
                TransferOption(
                    src=src,
                    dst=dst,
                    key=key,
                    transfer_class="interconnect",
                    schedule=schedule,
                    fixed_usd_per_month=fee,
                    capacity_gb_per_month=capacity,
                    source=source,
                )
                for src, dst, schedule, source in directions
            ]
    return out


def build_graph(
    specs: Iterable[LocationSpec], as_of: dt.date, policy: PricingPolicy | None = None
) -> CostGraph:
    """A cost graph over ``specs`` priced from the books in effect on ``as_of``.

    Prices the books do not give are answered as ``policy`` says (default: the policy in
    force, :func:`exitcost.pricing.policy.current_policy`, strict unless a block says
    otherwise): strict raises :class:`~exitcost.errors.PriceBookError` naming the price and the
    switch; ``fallback="nearest"`` borrows the nearest priced region's (label ``R``).
    """
    chosen = current_policy() if policy is None else policy
    unique = tuple(dict.fromkeys(specs))
    graph = CostGraph()
    graph.as_of = as_of
    for spec in unique:
        graph.add_location(
            spec.id,
            kind=spec.kind,
            continent=spec.continent,
            jurisdiction=spec.jurisdiction,
            name=spec.name,
            account=spec.account,
        )
    options, adjustments = _options(unique, as_of, _registry_generation(), chosen)
    for adjustment in adjustments:
        record(adjustment)
    for option in options:
        graph.add_option(option)
    return graph


def spec_from_any(item: Any, as_of: dt.date) -> LocationSpec:
    """A :class:`LocationSpec` from an estate ``Location``, a mapping or a bare id."""
    from exitcost.pricing.books import split_location

    if isinstance(item, str):
        provider, region = split_location(item, name="extra_locations", func="from_estate")
        if provider in SITE_KINDS:
            return LocationSpec(item, provider)
        meta = _book(provider, as_of).region(region, name="extra_locations", func="from_estate")
        return LocationSpec(item, "cloud", meta.continent, meta.jurisdiction, meta.name)
    if isinstance(item, Mapping):
        data = dict(item)
        loc = str(data.pop("id"))
        kind = data.pop("kind", default_location_kind(loc))
        return LocationSpec(loc, kind, **data)
    return LocationSpec(
        item.id,
        item.kind,
        item.continent,
        item.jurisdiction,
        item.name or None,
        getattr(item, "billing_account", None),
    )
