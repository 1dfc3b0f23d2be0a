"""Tests for exitcost.estate.model: validation, error paths, lookups and update."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import EstateError, ExitcostError, UnknownLocationError
from exitcost.estate import Estate, Location, ServiceUse
from exitcost.uncertainty import Pert, point
from tests.estate.conftest import MINIMAL
from tests.estate.strategies import estate_dicts


def _problem(exc: pytest.ExceptionInfo[EstateError], path: str) -> Any:
    found = [p for p in exc.value.problems if p.path == path]
    assert found, f"no problem at {path!r}: {exc.value}"
    return found[0]


def test_minimal_estate_validates(minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    assert estate.dataset("lake").size_gb == 2 * 1024**2  # "2 PB" in billing GB, units.py rule
    assert estate.workload("web").services[0] == ServiceUse(service="aws.lambda", units=1.0)
    assert estate.workload("web").writes[0].gb_per_month == Pert(low=1, mode=2, high=4)
    assert estate.location("onprem:fra1").kind == "onprem"
    assert estate.providers == ("aws", "onprem")


def _build(data: dict[str, Any], how: str) -> Estate:
    if how == "init":
        return Estate(**data)
    if how == "model_validate":
        return Estate.model_validate(data)
    if how == "from_dict":
        return Estate.from_dict(data)
    return Estate.model_validate_json(json.dumps(data))


@pytest.mark.parametrize("how", ["init", "model_validate", "from_dict", "json"])
def test_every_way_of_building_raises_estate_error(minimal: dict[str, Any], how: str) -> None:
    minimal["datasets"][0]["size_gb"] = -5
    with pytest.raises(EstateError, match=r"datasets\[0\]\.size_gb: must be >= 0 \(got -5\)"):
        _build(minimal, how)


def test_missing_field(minimal: dict[str, Any]) -> None:
    del minimal["datasets"][1]["size_gb"]
    with pytest.raises(EstateError, match=r"datasets\[1\]\.size_gb: required field is missing"):
        Estate.from_dict(minimal)


def test_unknown_location_lists_valid_ids(minimal: dict[str, Any]) -> None:
    minimal["workloads"][1]["location"] = "aws:mars-1"
    with pytest.raises(
        EstateError,
        match=(
            r"workloads\[1\]\.location: unknown location; valid: 'aws:eu-west-1'"
            r".*\(got 'aws:mars-1'\)"
        ),
    ) as exc:
        Estate.from_dict(minimal)
    assert _problem(exc, "workloads[1].location").value == "aws:mars-1"


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("datasets", 0, "size_gb"), -1, r"datasets\[0\]\.size_gb: must be >= 0 \(got -1\)"),
        (("datasets", 0, "size_gb"), "-3 TB", r"datasets\[0\]\.size_gb: .*non-negative"),
        (("datasets", 0, "size_gb"), math.nan, r"datasets\[0\]\.size_gb: must be a finite"),
        (("datasets", 0, "size_gb"), math.inf, r"datasets\[0\]\.size_gb: must be a finite"),
        (("datasets", 0, "size_gb"), "nan", r"datasets\[0\]\.size_gb: must be a finite"),
        (
            ("workloads", 0, "reads", 0, "gb_per_month"),
            "pert(-5, 1, 2)",
            r"workloads\[0\]\.reads\[0\]\.gb_per_month: must not go below 0.*-5",
        ),
        (
            ("workloads", 0, "compute_usd_per_month"),
            {"dist": "normal", "mu": 5, "sd": 1},
            r"compute_usd_per_month: must not go below 0.*'low' bound",
        ),
        (
            ("datasets", 0, "growth_rate_per_month"),
            -1.5,
            r"datasets\[0\]\.growth_rate_per_month: must be >= -1 \(got -1.5\)",
        ),
        (("teams", 0, "usd_per_person_day"), math.inf, r"teams\[0\]\.usd_per_person_day: .*finite"),
        (("contracts", 0, "usd_per_month"), math.nan, r"contracts\[0\]\.usd_per_month: .*finite"),
        (("datasets", 0, "size_gb"), True, r"datasets\[0\]\.size_gb: must be .*not a boolean"),
        (("datasets", 0, "size_gb"), [1, 2], r"datasets\[0\]\.size_gb: must be a size in GB"),
        (("datasets", 0, "object_count"), "many", r"datasets\[0\]\.object_count: must be a valid"),
        (("datasets", 0, "object_count"), True, r"object_count: must be a number, not a boolean"),
        (("teams", 0, "capacity_person_days_per_month"), "x", r"teams\[0\]\.capacity_person"),
        (("locations",), "aws:us-east-1", r"locations: must be a valid tuple"),
        (("datasets", 0, "storage_class"), "hot", r"storage_class: must be 'standard', "),
        (("locations", 0, "continent"), "atlantis", r"locations\[0\]\.continent: must be"),
        (("contracts", 0, "start"), "someday", r"contracts\[0\]\.start: must be a valid date"),
        (
            ("datasets", 0, "size_gb"),
            {"dist": "pert", "low": 5, "mode": 1, "high": 2},
            r"datasets\[0\]\.size_gb: invalid pert distribution.*low <= mode <= high",
        ),
        (
            ("datasets", 0, "size_gb"),
            {"low": 1, "high": 2},
            r"datasets\[0\]\.size_gb: a distribution mapping needs 'dist'",
        ),
        (
            ("workloads", 0, "services", 0),
            "AWS Lambda",
            r"workloads\[0\]\.services\[0\]\.service: must be a lower-case service id",
        ),
        (
            ("locations", 0, "id"),
            "us-east-1",
            r"locations\[0\]\.id: must be a location id 'provider:region'",
        ),
        (("locations", 0, "jurisdiction"), "eu", r"jurisdiction: must be an upper-case"),
        (("datasets", 0, "id"), "has space", r"datasets\[0\]\.id: must be an id of letters"),
        (("schema_version",), 2, r"schema_version: must be 1 \(got 2\)"),
        (("currency",), "EUR", r"currency: must be 'USD' \(got 'EUR'\)"),
    ],
)
def test_bad_values_name_path_and_value(
    minimal: dict[str, Any], path: tuple[Any, ...], value: Any, match: str
) -> None:
    node: Any = minimal
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(EstateError, match=match):
        Estate.from_dict(minimal)


def test_unknown_key_lists_valid_fields(minimal: dict[str, Any]) -> None:
    minimal["datasets"][0]["colour"] = "blue"
    minimal["colour"] = "red"
    with pytest.raises(
        EstateError, match=r"datasets\[0\]\.colour: unknown field 'colour'; valid fields: .*'id'"
    ) as exc:
        Estate.from_dict(minimal)
    assert _problem(exc, "colour").value == "red"
    assert "'as_of'" in _problem(exc, "colour").message


def test_duplicate_id(minimal: dict[str, Any]) -> None:
    minimal["datasets"][1]["id"] = "lake"
    minimal["locations"].append(dict(minimal["locations"][0]))
    with pytest.raises(
        EstateError,
        match=r"datasets\[1\]\.id: duplicate dataset id; first used by datasets\[0\] \(got 'lake",
    ) as exc:
        Estate.from_dict(minimal)
    assert _problem(exc, "locations[3].id").value == "aws:us-east-1"


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (
            ("workloads", 0, "reads", 0, "dataset"),
            "nope",
            r"workloads\[0\]\.reads\[0\]\.dataset: unknown dataset; valid: 'eu-db', 'lake' "
            r"\(got 'nope'\)",
        ),
        (
            ("workloads", 1, "team"),
            "ghosts",
            r"workloads\[1\]\.team: unknown team; valid: 'core' \(got 'ghosts'\)",
        ),
        (
            ("datasets", 0, "owner"),
            "ghosts",
            r"datasets\[0\]\.owner: unknown team; valid: 'core' \(got 'ghosts'\)",
        ),
        (
            ("contracts", 0, "location"),
            "aws:mars-1",
            r"contracts\[0\]\.location: unknown location; valid: .*\(got 'aws:mars-1'\)",
        ),
        (
            ("contracts", 0, "location"),
            "onprem:fra1",
            r"contracts\[0\]\.location: belongs to provider 'onprem', not .* 'aws'",
        ),
        (
            ("contracts", 0, "end"),
            "2024-12-31",
            r"contracts\[0\]\.end: must be after start \(2025-01-01\).*\(got '2024-12-31'\)",
        ),
        (("contracts", 0, "end"), "2025-01-01", r"contracts\[0\]\.end: must be after start"),
        (
            ("datasets", 1, "location"),
            "aws:us-east-1",
            r"datasets\[1\]\.location: is in jurisdiction 'US', but the dataset must stay in 'EU'",
        ),
        (
            ("locations", 0, "kind"),
            "edge",
            r"locations\[0\]\.kind: must be 'cloud' for location 'aws:us-east-1'",
        ),
        (
            ("locations", 2, "kind"),
            "cloud",
            r"locations\[2\]\.kind: must be 'onprem' for location 'onprem:fra1'",
        ),
        (
            ("workloads", 0, "compute"),
            [{"resource": "vcpu", "quantity": 4, "gpu_model": "H100"}],
            r"workloads\[0\]\.compute\[0\]\.gpu_model: is only valid with resource 'gpu'",
        ),
    ],
)
def test_cross_field_problems(
    minimal: dict[str, Any], path: tuple[Any, ...], value: Any, match: str
) -> None:
    node: Any = minimal
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(EstateError, match=match):
        Estate.from_dict(minimal)


def test_field_and_cross_field_problems_reported_together(minimal: dict[str, Any]) -> None:
    minimal["datasets"][0]["size_gb"] = -1
    minimal["workloads"][0]["reads"][0]["dataset"] = "nope"
    with pytest.raises(EstateError, match=r"2 problems in estate") as exc:
        Estate.from_dict(minimal)
    paths = {p.path for p in exc.value.problems}
    assert paths == {"datasets[0].size_gb", "workloads[0].reads[0].dataset"}


def test_estate_error_is_value_error_and_exitcost_error(minimal: dict[str, Any]) -> None:
    minimal["name"] = ""
    with pytest.raises(ValueError, match=r"name: .*at least 1 character") as exc:
        Estate.from_dict(minimal)
    assert isinstance(exc.value, ExitcostError)


def test_parts_raise_estate_error_too() -> None:
    with pytest.raises(EstateError, match=r"continent: required field is missing"):
        Location(id="aws:mars-1", jurisdiction="US")  # type: ignore[call-arg]


def test_models_are_frozen(minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    with pytest.raises(Exception, match=r"frozen"):
        estate.name = "other"  # type: ignore[misc]


def test_lookups_raise_with_valid_ids(minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    with pytest.raises(UnknownLocationError, match=r"location 'gcp:x' is not in estate 'mini'"):
        estate.location("gcp:x")
    with pytest.raises(EstateError, match=r"dataset 'x' is not in estate 'mini'; valid: 'eu-db'"):
        estate.dataset("x")
    with pytest.raises(EstateError, match=r"workload 'x' .*valid: 'etl', 'web'"):
        estate.workload("x")
    with pytest.raises(EstateError, match=r"team 'x' .*valid: 'core'"):
        estate.team("x")
    with pytest.raises(EstateError, match=r"contract 'x' .*valid: 'edp'"):
        estate.contract("x")
    assert estate.contract("edp").kind == "minimum_spend"
    assert estate.team("core").usd_per_person_day == 800


def test_location_properties() -> None:
    loc = Location(id="edge:store-042", continent="europe", jurisdiction="EU", account="stores")
    assert (loc.provider, loc.region, loc.kind, loc.billing_account) == (
        "edge",
        "store-042",
        "edge",
        "stores",
    )
    empty = Location(id="aws:us-east-1", continent="north_america", jurisdiction="US", capacity={})
    assert empty.capacity is None


def test_update_returns_validated_copy(minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    changed = estate.update({"name": "renamed", "workloads[web].reads[0].gb_per_month": 7})
    assert changed.name == "renamed"
    assert changed.workload("web").reads[0].gb_per_month == 7.0
    assert estate.name == "mini"
    with pytest.raises(EstateError, match=r"datasets\[0\]\.size_gb: must be >= 0"):
        estate.update({"datasets[0].size_gb": -1})
    with pytest.raises(EstateError, match=r"datasets\[nope\]\.size_gb: has no item 'nope'"):
        estate.update({"datasets[nope].size_gb": 1})
    with pytest.raises(EstateError, match=r"bogus\.x: has no field 'bogus'"):
        estate.update({"bogus.x": 1})


@given(estate_dicts())
def test_generated_estates_validate_and_references_resolve(data: dict[str, Any]) -> None:
    estate = Estate.from_dict(data)
    ids = {d.id for d in estate.datasets}
    for _workload, direction, flow in estate.iter_flows():
        assert direction in ("read", "write")
        assert flow.dataset in ids
    for ds in estate.datasets:
        assert point(ds.size_gb) >= 0
        assert estate.location(ds.location).id == ds.location


@given(estate_dicts(), st.data())
def test_any_dangling_dataset_reference_is_reported(data: dict[str, Any], draw: Any) -> None:
    if not data["workloads"]:
        return
    workload = draw.draw(st.sampled_from(data["workloads"]))
    if not workload["reads"]:
        workload["reads"] = [{"dataset": "x", "gb_per_month": 1}]
    workload["reads"][0]["dataset"] = "no-such-dataset"
    i = data["workloads"].index(workload)
    with pytest.raises(EstateError, match=re.escape(f"workloads[{i}].reads[0].dataset")):
        Estate.from_dict(data)


def test_team_capacity_must_be_positive(minimal: dict[str, Any]) -> None:
    data = {
        **minimal,
        "teams": [{"id": "t", "usd_per_person_day": 800, "capacity_person_days_per_month": 0}],
    }
    with pytest.raises(EstateError, match=r"teams\[0\]\.capacity_person_days_per_month: .*0"):
        Estate.from_dict(data)


# Each invalid case of issue #2 ("missing field, unknown location, negative size, NaN/inf, wrong
# type, duplicate id, dangling reference, unknown key"): (change, path, value shown, message).
INVALID_CASES: dict[str, tuple[Any, str, str, str]] = {
    "missing field": (
        ("datasets", 0, "location", None),
        "datasets[0].location",
        "None",
        "required",
    ),
    "unknown location": (
        ("workloads", 1, "location", "aws:mars-1"),
        "workloads[1].location",
        "'aws:mars-1'",
        "unknown location; valid: 'aws:eu-west-1'",
    ),
    "negative size": (("datasets", 1, "size_gb", -2), "datasets[1].size_gb", "-2", ">= 0"),
    "nan": (("datasets", 1, "size_gb", math.nan), "datasets[1].size_gb", "nan", "finite"),
    "inf": (
        ("workloads", 0, "internet_egress_gb_per_month", math.inf),
        "workloads[0].internet_egress_gb_per_month",
        "inf",
        "finite",
    ),
    "wrong type": (("teams", 0, "usd_per_person_day", "lots"), "teams[0]", "'lots'", "number"),
    "duplicate id": (("workloads", 1, "id", "web"), "workloads[1].id", "'web'", "duplicate"),
    "dangling reference": (
        ("workloads", 0, "reads", 0, "dataset", "gone"),
        "workloads[0].reads[0].dataset",
        "'gone'",
        "unknown dataset; valid:",
    ),
    "unknown key": (("teams", 0, "colour", "red"), "teams[0].colour", "'red'", "unknown field"),
}


def _apply(data: dict[str, Any], change: tuple[Any, ...]) -> dict[str, Any]:
    *path, key, value = change
    node: Any = data
    for part in path:
        node = node[part]
    if value is None:
        del node[key]
    else:
        node[key] = value
    return data


def _from_file(data: dict[str, Any], suffix: str) -> Estate:
    import tempfile
    from pathlib import Path

    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"estate{suffix}"
        # JSON files carry NaN and Infinity as the non-standard literals Python writes.
        text = yaml.safe_dump(data) if suffix == ".yaml" else json.dumps(data)
        path.write_text(text, encoding="utf-8")
        return Estate.from_file(path)


BUILDERS: dict[str, Any] = {
    "Estate(...)": lambda data: Estate(**data),
    "model_validate": Estate.model_validate,
    "from_dict": Estate.from_dict,
    "from_yaml": lambda data: _from_file(data, ".yaml"),
    "from_json": lambda data: _from_file(data, ".json"),
    "update": lambda data: Estate.from_dict(MINIMAL).update(
        {key: data[key] for key in ("locations", "datasets", "workloads", "contracts", "teams")}
    ),
}


@pytest.mark.parametrize("builder", list(BUILDERS))
@pytest.mark.parametrize("case", list(INVALID_CASES))
def test_every_invalid_case_through_every_constructor(
    minimal: dict[str, Any], case: str, builder: str
) -> None:
    change, path, shown, message = INVALID_CASES[case]
    with pytest.raises(EstateError) as info:
        BUILDERS[builder](_apply(minimal, change))
    found = [str(p) for p in info.value.problems if p.path.startswith(path)]
    assert found, f"{case} via {builder}: no problem at {path}: {info.value}"
    assert any(message in text and f"(got {shown})" in text for text in found), found


def test_huge_numbers_are_estate_errors(minimal: dict[str, Any]) -> None:
    # An int beyond the float range (YAML and JSON integers have no limit) used to escape as a
    # raw OverflowError; a count beyond int64 broke the Int64 column of to_frames.
    minimal["datasets"][0]["size_gb"] = 10**400
    minimal["datasets"][1]["object_count"] = 2**63
    with pytest.raises(EstateError) as info:
        Estate.from_dict(minimal)
    problems = {p.path: p.message for p in info.value.problems}
    assert problems["datasets[0].size_gb"] == "must be a finite number"
    assert problems["datasets[1].object_count"] == "must be <= 9223372036854775807"


@pytest.mark.parametrize("value", ["-0", -0.0, "-0 TB"])
def test_negative_zero_is_zero(minimal: dict[str, Any], value: Any) -> None:
    minimal["datasets"][0]["size_gb"] = value
    minimal["datasets"][0]["growth_rate_per_month"] = -0.0
    dataset = Estate.from_dict(minimal).dataset("lake")
    assert math.copysign(1.0, dataset.size_gb) == 1.0  # type: ignore[arg-type]
    assert math.copysign(1.0, dataset.growth_rate_per_month) == 1.0  # type: ignore[arg-type]


def test_malformed_ids_are_not_offered_as_valid_choices(minimal: dict[str, Any]) -> None:
    minimal["locations"][0]["id"] = "AWS us-east-1"
    with pytest.raises(EstateError) as info:
        Estate.from_dict(minimal)
    problem = _problem(info, "datasets[0].location")
    assert "'AWS us-east-1'" not in problem.message
    assert _problem(info, "locations[0].id").value == "AWS us-east-1"


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ([("name", "x")], r"<root>: update needs a mapping of field paths"),
        ({1: "x"}, r"1: is not a field path"),
        ({"datasets[lake]]size_gb": 3}, r"datasets\[lake\]\]size_gb: is not a field path"),
        ({"datasets[].size_gb": 3}, r"is not a field path"),
        ({".name": "x"}, r"\.name: is not a field path"),
        ({"datasets..size_gb": 3}, r"is not a field path"),
    ],
)
def test_update_rejects_what_is_not_a_path(
    minimal: dict[str, Any], changes: Any, match: str
) -> None:
    with pytest.raises(EstateError, match=match):
        Estate.from_dict(minimal).update(changes)


def test_update_finds_ids_made_of_digits(minimal: dict[str, Any]) -> None:
    minimal["teams"].append(
        {"id": "7", "usd_per_person_day": 1, "capacity_person_days_per_month": 1}
    )
    estate = Estate.from_dict(minimal)
    assert estate.update({"teams[7].usd_per_person_day": 2}).team("7").usd_per_person_day == 2
    assert estate.update({"teams[1].usd_per_person_day": 3}).team("7").usd_per_person_day == 3
    assert estate.update({"teams[-1].usd_per_person_day": 4}).team("7").usd_per_person_day == 4


@given(estate_dicts(), st.data())
def test_update_with_a_dump_value_is_identity(data: dict[str, Any], draw: Any) -> None:
    estate = Estate.from_dict(data)
    dumped = estate.to_dict()
    keys = [k for k in dumped if not isinstance(dumped[k], list) or dumped[k]]
    key = draw.draw(st.sampled_from(keys))
    assert estate.update({key: dumped[key]}) == estate


@pytest.mark.parametrize("growth", [3, 1.5, "pert(0.01, 0.5, 2)"])
def test_growth_rate_above_100_percent_a_month_looks_like_a_percentage(
    minimal: dict[str, Any], growth: object
) -> None:
    # 3 typed for 3 %/month would grow a dataset 4x a month: 5e39 USD of storage in 5 years.
    data = {**minimal}
    data["datasets"] = [{**minimal["datasets"][0], "growth_rate_per_month": growth}]
    with pytest.raises(EstateError, match=r"datasets\[0\]\.growth_rate_per_month: .*0\.03 is 3 %"):
        Estate.from_dict(data)


def _sample_with(change: Any) -> dict[str, Any]:
    from exitcost.estate import sample_estate

    data = sample_estate().to_dict()
    change(data)
    return data


@pytest.mark.parametrize(
    ("field", "text", "wording"),
    [
        ("growth_rate_per_month", "2%", "is a percentage: write 0.02 (a fraction) (got '2%')"),
        ("growth_rate_per_month", "2.5 %", "write 0.025 (a fraction)"),
        ("size_gb", "$14,000", "write 14000 (a plain number of USD"),
    ],
)
def test_a_percentage_or_money_text_is_answered_with_the_number_to_write(
    field: str, text: str, wording: str
) -> None:
    data = _sample_with(lambda d: d["datasets"][0].__setitem__(field, text))
    with pytest.raises(EstateError, match=re.escape(wording)):
        Estate.from_dict(data)


def test_money_text_in_a_usd_field_is_answered_with_the_plain_number() -> None:
    data = _sample_with(lambda d: d["workloads"][0].__setitem__("compute_usd_per_month", "$14,000"))
    with pytest.raises(EstateError) as exc:
        Estate.from_dict(data)
    (problem,) = exc.value.problems
    assert problem.message.startswith("write 14000 ")
    assert str(problem).count("$14,000") == 1  # each value once


def test_a_location_id_in_capitals_is_told_it_is_capital_letters() -> None:
    data = _sample_with(lambda d: d["locations"][0].__setitem__("id", "AWS:EU-WEST-1"))
    with pytest.raises(EstateError) as exc:
        Estate.from_dict(data)
    first = exc.value.problems[0]
    assert first.message == "location ids are lower case: write 'aws:eu-west-1'"


@pytest.mark.parametrize(
    ("change", "wording"),
    [
        (
            lambda d: d["datasets"][0].__setitem__("storage_class", "standrd"),
            "must be 'standard', 'infrequent', 'cold', 'archive' or 'deep_archive'; "
            "did you mean 'standard'?",
        ),
        (
            lambda d: d["datasets"][0].__setitem__("size_gbb", 1),
            "unknown field 'size_gbb'; did you mean 'size_gb'? Valid fields: 'description'",
        ),
        (
            lambda d: d["datasets"][0].__setitem__("location", "aws:us-east-2"),
            "unknown location; did you mean 'aws:us-west-2' or 'aws:us-east-1'? Valid:",
        ),
        (
            lambda d: d["workloads"][0].__setitem__("team", "comerce"),
            "unknown team; did you mean 'commerce'? Valid:",
        ),
    ],
)
def test_a_near_miss_of_an_id_gets_did_you_mean(change: Any, wording: str) -> None:
    data = _sample_with(change)
    with pytest.raises(EstateError) as exc:
        Estate.from_dict(data)
    assert any(p.message.startswith(wording) for p in exc.value.problems), exc.value.problems
    assert all(repr(p.value) not in p.message for p in exc.value.problems)  # each value once
