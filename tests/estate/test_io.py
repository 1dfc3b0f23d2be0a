"""Tests for exitcost.estate.io: YAML and JSON files, round trips and file errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from exitcost.errors import EstateError
from exitcost.estate import Estate, read_estate
from tests.estate.strategies import estates

# tmp_path is shared between hypothesis examples; each example overwrites the same file.
_ROUND_TRIP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@_ROUND_TRIP
@given(estates())
def test_yaml_round_trip_is_lossless(tmp_path: Path, estate: Estate) -> None:
    path = tmp_path / "estate.yaml"
    estate.to_yaml(path)
    assert Estate.from_yaml(path) == estate


@_ROUND_TRIP
@given(estates())
def test_json_round_trip_is_lossless(tmp_path: Path, estate: Estate) -> None:
    path = tmp_path / "estate.json"
    text = estate.to_json(path)
    assert Estate.from_json(path) == estate
    assert Estate.model_validate_json(text) == estate


@given(estates())
def test_dict_round_trip_is_plain_and_lossless(estate: Estate) -> None:
    data = estate.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert Estate.from_dict(data) == estate


def test_to_yaml_without_path_returns_text(minimal: dict[str, Any]) -> None:
    text = Estate.from_dict(minimal).to_yaml()
    data = yaml.safe_load(text)
    assert data["as_of"] == "2026-11-01"
    assert data["workloads"][0]["writes"][0]["gb_per_month"] == {
        "low": 1.0,
        "mode": 2.0,
        "high": 4.0,
        "dist": "pert",
        "lamb": 4.0,
    }


def test_from_file_dispatches_on_extension(tmp_path: Path, minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    estate.to_yaml(tmp_path / "a.yml")
    estate.to_json(tmp_path / "a.json")
    assert read_estate(tmp_path / "a.yml") == estate
    assert Estate.from_file(tmp_path / "a.json") == estate
    (tmp_path / "a.toml").write_text("x = 1")
    with pytest.raises(EstateError, match=r"unknown file type '.toml'; valid: '.json', '.yaml'"):
        read_estate(tmp_path / "a.toml")


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(EstateError, match=r"estate .*nope\.yaml:\n.*file not found"):
        Estate.from_yaml(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name: [unclosed", r"not valid YAML"),
        ("- a\n- b\n", r"an estate must be a mapping of fields .*\(got \['a', 'b'\]\)"),
        ("just text", r"an estate must be a mapping"),
        ("name: a\nname: b\n", r"duplicate key 'name' at line 2"),
        ("!!python/object/apply:os.system ['echo hi']", r"python/object/apply.*only plain data"),
    ],
)
def test_bad_yaml_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(EstateError, match=match) as exc:
        Estate.from_yaml(path)
    assert "bad.yaml" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{not json", r"not valid JSON"),
        # NaN is read as a number so that the error names the field it is in (issue #2: NaN
        # "raises an exitcost error naming the path and value").
        (
            '{"name": "x", "as_of": "2026-11-01", "teams": [{"id": "t", "usd_per_person_day": '
            'Infinity, "capacity_person_days_per_month": NaN}]}',
            r"teams\[0\]\.usd_per_person_day: must be a finite number \(got inf\)\n"
            r".*teams\[0\]\.capacity_person_days_per_month: .*finite number \(got nan\)",
        ),
        ('{"name": "a", "name": "b", "as_of": "2026-11-01"}', r"duplicate key 'name'"),
        ("[1, 2]", r"an estate must be a mapping"),
    ],
)
def test_bad_json_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(EstateError, match=match):
        Estate.from_json(path)


def test_problems_in_a_file_name_the_file_and_path(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["workloads"][0]["reads"][0]["dataset"] = "gone"
    path = tmp_path / "estate.json"
    path.write_text(json.dumps(minimal))
    with pytest.raises(
        EstateError, match=r"in estate .*estate\.json:\n  - workloads\[0\]\.reads\[0\]\.dataset"
    ):
        Estate.from_json(path)


@pytest.mark.parametrize("day", ["2027-02-30", "2027-13-45"])
def test_impossible_date_names_the_field(tmp_path: Path, day: str) -> None:
    # PyYAML's timestamp constructor would raise a bare ValueError("day is out of range").
    path = tmp_path / "estate.yaml"
    path.write_text(f"schema_version: 1\nname: x\nas_of: {day}\n", encoding="utf-8")
    with pytest.raises(EstateError, match=rf"as_of: .*\(got '{day}'\)"):
        Estate.from_yaml(path)


def test_dates_in_yaml_still_load(tmp_path: Path, minimal: dict[str, Any]) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(yaml.safe_dump(minimal), encoding="utf-8")
    assert Estate.from_yaml(path).as_of.isoformat() == str(minimal["as_of"])


def test_aliased_yaml_reports_a_bounded_value(tmp_path: Path) -> None:
    # Anchors nested 9 wide and 7 deep expand to millions of leaves: refused while reading,
    # with a short message (built without expanding them).
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    body = "\n".join(f"  {line}" for line in lines)
    path = tmp_path / "bomb.yaml"
    path.write_text(f"schema_version: 1\nname: x\nas_of: 2026-11-01\nbomb:\n{body}\n", "utf-8")
    with pytest.raises(EstateError) as info:
        Estate.from_yaml(path)
    (problem,) = info.value.problems
    assert "expands aliases" in problem.message
    assert len(str(problem)) < 300


def test_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    # YAML merge keys: an explicit key overrides one merged in; it is no duplicate.
    path = tmp_path / "stores.yaml"
    path.write_text(
        "name: stores\nas_of: 2026-11-01\nlocations:\n"
        '  - &store {id: "edge:store-001", continent: europe, jurisdiction: EU, name: Store 1}\n'
        '  - {<<: *store, id: "edge:store-002", name: Store 2}\n',
        encoding="utf-8",
    )
    estate = Estate.from_yaml(path)
    assert [(loc.id, loc.name) for loc in estate.locations] == [
        ("edge:store-001", "Store 1"),
        ("edge:store-002", "Store 2"),
    ]
    path.write_text("name: a\nas_of: 2026-11-01\n? [a, b]\n: c\n", encoding="utf-8")
    with pytest.raises(EstateError, match=r"uses a list as a key .*keys are text or numbers"):
        Estate.from_yaml(path)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_byte_order_mark_is_accepted(
    tmp_path: Path, minimal: dict[str, Any], suffix: str
) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal).encode("utf-8"))
    assert Estate.from_file(path) == Estate.from_dict(minimal)


@pytest.mark.parametrize("text", ["a\x85b", "\x85", "line\u2028sep", "para\u2029", "x\r\ny"])
def test_yaml_keeps_characters_yaml_reads_as_line_breaks(
    tmp_path: Path, minimal: dict[str, Any], text: str
) -> None:
    # PyYAML writes NEL raw in single quotes and reads it back as a space.
    minimal["description"] = text
    minimal["locations"][0]["name"] = text
    estate = Estate.from_dict(minimal)
    path = tmp_path / "estate.yaml"
    estate.to_yaml(path)
    assert Estate.from_yaml(path) == estate


def _failing(exc: BaseException) -> Any:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise exc

    return fail


@pytest.mark.parametrize("step", ["fsync", "replace"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path,
    minimal: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    suffix: str,
) -> None:
    path = tmp_path / f"estate{suffix}"
    path.write_text("old content\n", encoding="utf-8")
    estate = Estate.from_dict(minimal)
    monkeypatch.setattr(os, step, _failing(OSError(28, "No space left on device")))
    write = estate.to_yaml if suffix == ".yaml" else estate.to_json
    with pytest.raises(EstateError, match=r"cannot write the file: No space left on device"):
        write(path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left


def test_write_errors_are_estate_errors(tmp_path: Path, minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    with pytest.raises(EstateError, match=r"nope/x\.yaml:\n.*cannot write the file"):
        estate.to_yaml(tmp_path / "nope" / "x.yaml")
    with pytest.raises(EstateError, match=r"cannot write the file: it is a directory"):
        estate.to_json(tmp_path)


def test_rewriting_keeps_mode_and_follows_links(tmp_path: Path, minimal: dict[str, Any]) -> None:
    estate = Estate.from_dict(minimal)
    target = tmp_path / "estate.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    estate.to_yaml(link)
    assert link.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert Estate.from_yaml(target) == estate
