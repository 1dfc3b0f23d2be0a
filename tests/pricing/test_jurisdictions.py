"""Customer jurisdictions and keyword values: normalised, refused when unknown, agreed on.

Reference facts: the EU Data Act phases (pricing-facts.md) and data/pricing/regulation/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from exitcost.errors import InvalidParameterError
from exitcost.estate import sample_estate
from exitcost.pricing import (
    data_act_phase,
    data_exit_cost,
    egress_cost,
    exit_bill,
    load_jurisdictions,
    normalize_jurisdiction,
    waiver_applies,
)
from tests.pricing.cards import clean_registry, estate

_clean_registry = clean_registry  # every test leaves no book registered


@pytest.mark.parametrize("code", ["DE", "de", " fr ", "EU", "eu", "EL", "ie"])
def test_member_states_are_eu(code: str) -> None:
    assert data_act_phase("2027-02-01", code) == "none"
    assert data_act_phase("2026-02-01", code) == "at_cost"


@pytest.mark.parametrize("code", ["US", "CH", "uk", "NO", "gb"])
def test_other_known_jurisdictions_pay_list(code: str) -> None:
    assert data_act_phase("2027-02-01", code) == "list"


@pytest.mark.parametrize("code", ["Mars", "XX", "", "E U", 49])
def test_unknown_jurisdiction_is_refused(code: Any) -> None:
    with pytest.raises(InvalidParameterError, match=r"'customer_jurisdiction'.*'EU'.*'DE'"):
        data_act_phase("2027-02-01", code)
    with pytest.raises(InvalidParameterError, match="'customer_jurisdiction'"):
        exit_bill(sample_estate(), customer_jurisdiction=code)
    with pytest.raises(InvalidParameterError, match="'customer_jurisdiction'"):
        egress_cost(1.0, source="aws:us-east-1", as_of="2027-02-01", customer_jurisdiction=code)


def test_exit_bill_for_a_german_customer() -> None:
    est = sample_estate()
    de = exit_bill(est, as_of="2027-02-01", customer_jurisdiction="DE")
    eu = exit_bill(est, as_of="2027-02-01", customer_jurisdiction="eu")
    listed = exit_bill(est, as_of="2027-02-01")
    assert (de["egress_usd"] == 0).all()
    assert de.equals(eu)
    assert listed["egress_usd"].sum() > 0


def test_jurisdiction_data() -> None:
    j = load_jurisdictions()
    assert len(j.members["EU"]) == 27  # EU member states (dataprivacymanager.net list, S)
    assert "GB" not in j.members["EU"]
    assert {"NO", "NA", "UK", "EL"} <= j.codes  # YAML would read a bare NO as false
    assert normalize_jurisdiction("ch") == "CH"


def test_unknown_keyword_values_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match=r"'transfer_class'.*'internet'.*'teleport'"):
        waiver_applies("aws", "2027-01-01", "teleport")
    with pytest.raises(InvalidParameterError, match=r"'via'.*'interconnect'.*'vpn'"):
        egress_cost(10.0, source="aws:us-east-1", as_of="2025-01-01", via="vpn")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="'via'"):
        data_exit_cost(10.0, source="aws:us-east-1", as_of="2025-01-01", via="vpn")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"'retrieval'.*'bulk'.*'fast'"):
        exit_bill(sample_estate(), retrieval="fast")
    with pytest.raises(InvalidParameterError, match="'at_cost_fraction'"):
        exit_bill(sample_estate(), at_cost_fraction=1.5)


@pytest.mark.parametrize(
    ("day", "factor"), [("2024-12-01", 0.4), ("2026-06-01", 0.4), ("2027-02-01", 0.0)]
)
def test_three_functions_agree_for_an_eu_customer(day: str, factor: float) -> None:
    # EU Data Act: at cost from 2024-01-11 (here 40 % of list), no charges from 2027-01-12
    size = 60_000.0
    e = estate([("eu", "aws:eu-west-1", size, "standard", 0.0)], dt.date.fromisoformat(day))
    kwargs: dict[str, Any] = {"customer_jurisdiction": "de", "at_cost_fraction": 0.4}
    bill = exit_bill(e, **kwargs)
    single = data_exit_cost(size, source="aws:eu-west-1", as_of=day, **kwargs)
    plain = egress_cost(size, source="aws:eu-west-1", as_of=day, **kwargs)
    assert bill.loc[0, "egress_usd"] == pytest.approx(single["egress"])
    assert plain == pytest.approx(single["egress"])
    # (10,240 - 100) x 0.09 + 40,960 x 0.085 + 8,800 x 0.07, then the phase's factor
    listed = 10_140 * 0.09 + 40_960 * 0.085 + 8_800 * 0.07
    assert plain == pytest.approx(listed * factor)
    assert egress_cost(size, source="aws:eu-west-1", as_of=day) == pytest.approx(listed)


def test_exit_bill_retrieval_speed() -> None:
    est = sample_estate()
    standard = exit_bill(est).set_index("dataset")
    bulk = exit_bill(est, retrieval="bulk").set_index("dataset")
    size = standard.loc["logs-archive", "size_gb"]  # 1.9 PB of Glacier Deep Archive
    assert size > 1.9e6
    # standard 0.02 vs bulk 0.0025 USD/GB: about $35k on this dataset
    diff = standard.loc["logs-archive", "retrieval_usd"] - bulk.loc["logs-archive", "retrieval_usd"]
    assert diff == pytest.approx(size * (0.02 - 0.0025))
    assert 34_000 < diff < 36_000
    # S3 Standard has no bulk speed: it keeps its default (a free GET-based read)
    assert (
        bulk.loc["data-lake-raw", "retrieval_usd"] == standard.loc["data-lake-raw", "retrieval_usd"]
    )
    single = data_exit_cost(size, source="aws:us-east-1", storage_class="deep_archive",
                            retrieval="bulk", as_of=est.as_of)  # fmt: skip
    assert bulk.loc["logs-archive", "retrieval_usd"] == pytest.approx(single["retrieval"])
