"""Defects a FinOps user test found in the pricing module (issue #3 follow-up), one test each.

Reference rates are those of the bundled AWS book 2024-09-25 (Infracost golden built from the
AWS Price List API, label V; the 100 GB free allowance and the >150 TB band are S): internet
egress 0.09 / 0.085 / 0.07 / 0.05 USD per GB with edges 10,240 / 51,200 / 153,600 GB;
Glacier Deep Archive retrieval standard 0.02 and bulk 0.0025 USD per GB (pricing-facts.md §5).
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, PriceBookError
from exitcost.estate import sample_estate
from exitcost.pricing import (
    account_egress_cost,
    check_estate_locations,
    data_act_phase,
    data_exit_cost,
    egress_cost,
    exit_bill,
    load_jurisdictions,
    load_price_book,
    normalize_jurisdiction,
    providers,
    register_price_book,
    registered_price_books,
    retrieval_cost,
    unregister_price_book,
    use_price_books,
    waiver_applies,
)
from exitcost.pricing.bill import internet_egress_labels, months_between
from exitcost.pricing.books import book_dates, read_price_book
from exitcost.pricing.schema import LABEL_ORDER, lowest_label
from exitcost.uncertainty import point

REPO = Path(__file__).resolve().parents[2]
AWS_FILE = REPO / "data" / "pricing" / "aws" / "2024-09-25.yaml"


def aws_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(AWS_FILE.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def estate(
    datasets: list[tuple[str, str, float, str, float]],
    as_of: dt.date = dt.date(2025, 7, 1),
    regions: tuple[str, ...] = ("aws:us-east-1", "aws:eu-west-1"),
) -> Any:
    """A duck-typed estate: one AWS account; datasets (id, location, size, class, growth)."""
    return NS(
        as_of=as_of,
        locations=[
            NS(id=r, kind="cloud", billing_account="acme", jurisdiction="US") for r in regions
        ],
        datasets=[
            NS(id=i, location=w, size_gb=s, storage_class=k, object_count=None,
               growth_rate_per_month=g)
            for i, w, s, k, g in datasets
        ],
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _clean_registry() -> Any:
    yield
    assert registered_price_books() == ()


# ------------------------------------------------------------------ 1. growth to the move


def test_exit_bill_grows_datasets_to_the_move() -> None:
    e = estate([("lake", "aws:us-east-1", 10_000.0, "standard", 0.02)])
    # 2025-07 -> 2025-10: three months of 2 % growth: 10,000 x 1.02**3 = 10,612.08 GB.
    size = 10_000.0 * 1.02**3
    bill = exit_bill(e, as_of="2025-10-15")
    assert bill.loc[0, "size_gb"] == pytest.approx(10_612.08)
    # (10,240 - 100) x 0.09 + (10,612.08 - 10,240) x 0.085 (100 GB free off the first band)
    assert bill.loc[0, "egress_usd"] == pytest.approx(10_140 * 0.09 + (size - 10_240) * 0.085)
    # At or before the estate's month: no growth.
    for day in ("2025-07-31", "2025-07-01", "2025-06-01"):
        with_day = exit_bill(e, as_of=day)
        assert with_day.loc[0, "size_gb"] == pytest.approx(10_000.0)
    assert exit_bill(e).loc[0, "size_gb"] == pytest.approx(10_000.0)


def test_months_between() -> None:
    assert months_between(dt.date(2025, 12, 31), dt.date(2026, 1, 1)) == 1
    assert months_between(dt.date(2026, 1, 1), dt.date(2025, 1, 1)) == 0


def test_sample_estate_grows_at_its_own_rates() -> None:
    est = sample_estate()
    later = exit_bill(est, as_of="2027-05-01")  # six months after the estate's 2026-11-01
    now = exit_bill(est)
    assert len(later) == len(now) > 0
    for row, before in zip(later.itertuples(), now.itertuples(), strict=True):
        d = est.dataset(str(row.dataset))
        assert before.size_gb == pytest.approx(point(d.size_gb))
        assert row.size_gb == pytest.approx(
            point(d.size_gb) * (1 + point(d.growth_rate_per_month)) ** 6
        )
    assert later["size_gb"].sum() > now["size_gb"].sum()  # the sample's datasets grow


# ------------------------------------------------------------ 2. jurisdictions and keywords


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


# ------------------------------------------------------------ 3. negotiated price books


def negotiated(tmp_path: Path, *, day: str = "2024-09-25", name: str = "deal.yaml") -> Path:
    data = copy.deepcopy(aws_data())
    data["effective_date"] = day
    data["display_name"] = "Amazon Web Services (negotiated)"
    for rule in data["internet_egress"]:
        rule["tiers"][0]["usd_per_gb"] = round(rule["tiers"][0]["usd_per_gb"] * 0.7, 6)
    return write(tmp_path, data, name)


def test_negotiated_book_changes_costs_and_is_restored(tmp_path: Path) -> None:
    path = negotiated(tmp_path)
    small = estate([("lake", "aws:us-east-1", 5_000.0, "standard", 0.0)])
    list_bill = exit_bill(small)
    list_egress = egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01")
    assert list_egress == pytest.approx(4_900 * 0.09)
    with use_price_books(path) as (book,):
        assert load_price_book("aws", as_of="2025-07-01") is book
        assert egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01") == pytest.approx(
            4_900 * 0.063
        )
        deal = exit_bill(small)
        assert deal.loc[0, "egress_usd"] == pytest.approx(4_900 * 0.063)
        # the date first, then the card (issue #3, fix 1)
        assert deal.attrs["price_books"] == {"aws": f"2024-09-25 (registered: {book.path})"}
    assert registered_price_books() == ()
    assert egress_cost(5_000.0, source="aws:us-east-1", as_of="2025-07-01") == list_egress
    assert exit_bill(small).equals(list_bill)


def test_negotiated_book_selected_by_date(tmp_path: Path) -> None:
    later = read_price_book(negotiated(tmp_path, day="2025-06-01"))
    register_price_book(later)
    try:
        assert load_price_book("aws", as_of="2025-05-31").effective_date == dt.date(2024, 9, 25)
        assert load_price_book("aws", as_of="2025-06-01") is later
        assert dt.date(2025, 6, 1) in book_dates("aws")
        # registering the same provider and date again replaces the first one
        again = register_price_book(negotiated(tmp_path, day="2025-06-01", name="v2.yaml"))
        assert registered_price_books() == (again,)
    finally:
        assert unregister_price_book("aws") == (again,)
    with pytest.raises(InvalidParameterError, match="No registered price book matches 'aws'"):
        unregister_price_book("aws")
    with pytest.raises(InvalidParameterError, match="'book' parameter of register_price_book"):
        register_price_book(42)  # type: ignore[arg-type]


def test_registered_new_provider_and_nesting(tmp_path: Path) -> None:
    data = copy.deepcopy(aws_data())
    data["provider"] = "acme-cloud"
    acme = write(tmp_path, data, "acme.yaml")
    with use_price_books(acme):
        assert "acme-cloud" in providers()
        with use_price_books(negotiated(tmp_path)):
            assert len(registered_price_books()) == 2
        assert [b.provider for b in registered_price_books()] == ["acme-cloud"]
        assert egress_cost(100.0, source="acme-cloud:us-east-1", as_of="2025-01-01") == 0.0
    assert "acme-cloud" not in providers()


def test_context_restores_after_an_error(tmp_path: Path) -> None:
    with (
        pytest.raises(PriceBookError, match="does not exist"),
        use_price_books(tmp_path / "none.yaml"),
    ):
        pass  # pragma: no cover
    with pytest.raises(RuntimeError, match="boom"), use_price_books(negotiated(tmp_path)):
        raise RuntimeError("boom")


def test_registry_is_safe_across_threads(tmp_path: Path) -> None:
    book = read_price_book(negotiated(tmp_path))
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                register_price_book(book)
                registered_price_books()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert registered_price_books() == (book,)  # one per provider and date
    unregister_price_book(book)


# --------------------------------------------------------------- 4. estate locations


def test_check_estate_locations_paths() -> None:
    def loc(id_: str, continent: str, jurisdiction: str, kind: str = "cloud") -> NS:
        return NS(id=id_, kind=kind, continent=continent, jurisdiction=jurisdiction)

    est = NS(
        as_of=dt.date(2026, 11, 1),
        locations=[
            loc("aws:mars-1", "europe", "EU"),
            loc("foo:bar", "europe", "EU"),
            loc("aws:us-east-1", "europe", "EU"),
            loc("aws:eu-central-1", "europe", "DE"),  # a member state agrees with EU
            loc("onprem:fra1", "europe", "DE", "onprem"),
            loc("hetzner:fsn1", "europe", "DE", "colo"),  # a site without a book: not checked
        ],
    )
    problems = check_estate_locations(est)
    assert [p.path for p in problems] == [
        "locations[0].id",
        "locations[1].id",
        "locations[2].continent",
        "locations[2].jurisdiction",
    ]
    assert "'mars-1' is not in the aws price book" in problems[0].message
    assert "valid: 'aws:af-south-1'" in problems[0].message  # lists valid ids
    assert "'foo' has no price book" in problems[1].message
    assert "'north_america'" in problems[2].message
    assert "'US'" in problems[3].message
    early = check_estate_locations(est, as_of="2020-01-01")
    assert "No aws price book is in effect on 2020-01-01" in early[0].message
    assert check_estate_locations(sample_estate()) == []


# --------------------------------------------------------------------- 5. provenance


def test_bill_provenance(tmp_path: Path) -> None:
    small = estate([("lake", "aws:eu-west-1", 5_000.0, "standard", 0.0),
                    ("big", "aws:us-east-1", 200_000.0, "standard", 0.0)])  # fmt: skip
    bill = exit_bill(small)
    assert bill.attrs["price_books"] == {"aws": "2024-09-25"}
    # the 100 GB account allowance is S; the >150 TB band is S
    assert bill.attrs["labels"] == {"lake": "S", "big": "S"}
    data = copy.deepcopy(aws_data())
    data["free_allowances"] = []
    with use_price_books(write(tmp_path, data)):
        labels = exit_bill(small).attrs["labels"]
    # only us-east-1's >150 TB band is secondary (us_east_1_over_150tb, S)
    assert labels == {"lake": "V", "big": "S"}
    waived = exit_bill(small, exit_waiver=True, as_of="2025-01-01").attrs["labels"]
    assert set(waived.values()) <= set(LABEL_ORDER)


def test_egress_labels_by_band() -> None:
    aws = load_price_book("aws", as_of="2025-01-01")
    assert internet_egress_labels(aws, "us-east-1", 0.0) == []
    assert internet_egress_labels(aws, "us-east-1", 20_000.0) == ["V", "V", "S"]
    assert lowest_label(internet_egress_labels(aws, "us-east-1", 200_000.0)) == "S"


@given(st.lists(st.sampled_from(LABEL_ORDER), min_size=1, max_size=6))
def test_lowest_label_is_one_of_them_and_not_above_any(labels: list[str]) -> None:
    low = lowest_label(labels)
    assert low in labels
    assert all(LABEL_ORDER.index(low) >= LABEL_ORDER.index(x) for x in labels)


# -------------------------------------------------------------------- 6. input kinds


def test_retrieval_series_align_by_label() -> None:
    size = pd.Series([1024.0, 0.0], index=["x", "y"])
    objects = pd.Series([0.0, 1000.0], index=["y", "x"])
    got = retrieval_cost(size, objects=objects, location="aws:us-east-1",
                         storage_class="deep_archive", as_of="2025-01-01")  # fmt: skip
    # x: 1,024 GB x 0.02 + 1,000 objects x (0.10 restore + 0.0004 GET) / 1,000
    assert list(got.index) == ["x", "y"]
    assert got["x"] == pytest.approx(1024 * 0.02 + 0.1004)
    assert got["y"] == 0.0
    with pytest.raises(InvalidParameterError, match=r"same .*index labels"):
        retrieval_cost(size, objects=pd.Series([1.0, 2.0], index=["x", "z"]),
                       location="aws:us-east-1", as_of="2025-01-01")  # fmt: skip


def test_account_egress_cost_returns_the_input_kind() -> None:
    sources = ["aws:us-east-1", "aws:eu-west-1"]
    row = pd.Series([60.0, 60.0], index=["use1", "euw1"])
    got = account_egress_cost(row, sources=sources, as_of="2025-01-01")
    assert isinstance(got, pd.Series)
    assert list(got.index) == ["use1", "euw1"]
    assert got.tolist() == pytest.approx([0.0, 1.8])  # 20 GB over the shared 100 GB x 0.09
    frame = pd.DataFrame([[60.0, 60.0], [0.0, 200.0]], columns=sources, index=["jan", "feb"])
    out = account_egress_cost(frame, sources=sources, as_of="2025-01-01")
    assert isinstance(out, pd.DataFrame)
    assert out.loc["feb"].tolist() == pytest.approx([0.0, 9.0])
    assert isinstance(account_egress_cost([[1.0, 1.0]], sources=sources, as_of="2025-01-01"),
                      np.ndarray)  # fmt: skip


def test_data_exit_cost_takes_one_size() -> None:
    with pytest.raises(InvalidParameterError, match=r"'size_gb'.*single number"):
        data_exit_cost([1.0, 2.0], source="aws:us-east-1", as_of="2025-01-01")


# ---------------------------------------------------------------- 7. book file errors


def test_extra_field_lists_valid_fields(tmp_path: Path) -> None:
    data = aws_data()
    data["regions"]["us-east-1"]["foo"] = 1
    data["bogus"] = 2
    data["internet_egress"][0]["tiers"][0]["colour"] = "red"
    with pytest.raises(PriceBookError) as info:
        read_price_book(write(tmp_path, data))
    text = str(info.value)
    assert "Extra inputs" not in text
    assert "regions.us-east-1.foo: unknown field 'foo'; valid fields: 'continent'" in text
    assert "bogus: unknown field 'bogus'; valid fields: 'billing_gb_bytes'" in text
    assert "tiers[0].colour: unknown field 'colour'; valid fields: 'label', 'max_gb'" in text


def test_negative_only_tier_has_one_message(tmp_path: Path) -> None:
    data = aws_data()
    data["internet_egress"][0]["tiers"] = [{"min_gb": 0, "max_gb": None, "usd_per_gb": -0.09}]
    with pytest.raises(PriceBookError, match=r"usd_per_gb: must be >= 0") as info:
        read_price_book(write(tmp_path, data))
    assert "Tuple should have" not in str(info.value)
    assert str(info.value).startswith("1 problem in")


def test_impossible_date_names_its_field(tmp_path: Path) -> None:
    text = AWS_FILE.read_text(encoding="utf-8").replace(
        "effective_date: 2024-09-25", "effective_date: 2026-02-30"
    )
    assert "2026-02-30" in text
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"effective_date: .*(got '2026-02-30')"):
        read_price_book(path)
    # an explicit !!timestamp tag stays text too, so the same field path is named
    path.write_text(text.replace("2026-02-30", "!!timestamp 2026-02-30"), encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"effective_date: .*(got '2026-02-30')"):
        read_price_book(path)


def test_python_tags_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("provider: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(PriceBookError, match=r"python/object/apply.*only plain data"):
        read_price_book(path)
