"""Tests for exitcost.ingest.classify: the data-driven transfer classifier."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost._resources import data_dir
from exitcost.ingest import (
    FOCUS_COST_CATEGORIES,
    FOCUS_TRANSFER_CLASSES,
    FocusError,
    classify_rows,
    load_classifier,
    read_focus,
)
from tests.ingest.conftest import fixture_path, read_fixture, read_rows

# The reference set for the sample: rows whose ChargeDescription says "transfer" or names a
# "-Bytes" usage type, counted with the csv module, independently of the classifier's rules.
_TRANSFER_TEXT = re.compile(r"transfer|bytes", re.IGNORECASE)


def test_sample_transfer_rows_are_found_and_classed(sample_path: Path) -> None:
    header, rows = read_rows(sample_path)
    index = header.index("ChargeDescription")
    reference = np.array([bool(_TRANSFER_TEXT.search(r[index])) for r in rows])
    assert int(reference.sum()) == 555  # 549 "transfer" rows and 6 "-Bytes" rows
    classes = classify_rows(read_focus(sample_path))
    classed = int((classes["transfer_class"].astype(str).to_numpy()[reference] != "").sum())
    share = classed / 555
    # 555 of 555 (100 %) at the time of writing; the issue asks for at least 90 %.
    assert classed >= 500, f"{classed} of 555 transfer rows classed ({share:.1%})"
    assert share >= 0.9


def test_sample_transfer_rows_are_not_found_through_service_category(sample_path: Path) -> None:
    frame = read_focus(sample_path)
    classes = classify_rows(frame)
    moved = classes["transfer_class"].astype(str) != ""
    by_category = frame.loc[moved, "ServiceCategory"].astype(str).value_counts()
    # The sample's README: most AWS transfer rows carry ServiceCategory "Compute".
    assert by_category["Compute"] > by_category["Networking"]
    assert by_category["Compute"] >= 380


def test_sample_unclassed_transfer_candidates_are_counted(sample_path: Path) -> None:
    classes = classify_rows(read_focus(sample_path))
    unplaced = classes["transfer_candidate"] & (classes["transfer_class"].astype(str) == "")
    # Row 907, "USD0.0 per GB for  in Middle East (Bahrain)" (ELB, Networking, GB): no
    # direction in its text, so no rule places it.
    assert int(unplaced.sum()) == 1


@pytest.mark.parametrize(
    ("provider", "text", "expected"),
    [
        ("aws", "$0.09 per GB - first 10 TB / month data transfer out", "internet"),
        ("aws", "$0.085 per GB - next 40 TB / month data transfer out", "internet"),
        ("aws", "$0.000 per GB - data transfer in per month", "in"),
        ("aws", "$0.02 per GB - US West (Oregon) data transfer to EU (Ireland)", "inter_region"),
        ("aws", "$0.00 per GB - US West (Oregon) data transfer from EU (Paris)", "in"),
        ("aws", "$0.01 per GB - regional data transfer - in/out/between EC2 AZs", "cross_zone"),
        ("aws", "USD 0.02 per GB for EUN1-AWS-Out-Bytes in EU (Stockholm)", "inter_region"),
        ("aws", "USD 0.09 per GB for DataTransfer-Out-Bytes in EU (Stockholm)", "internet"),
        ("aws", "$0.045 per GB Data Processed by NAT Gateways", "not_transfer"),
        ("azure", "Bandwidth Inter-Region - Intra Continent Data Transfer Out", "inter_region"),
        ("azure", "Rtn Preference: MGN - Standard Data Transfer Out", "internet"),
        ("azure", "Load Balancer - Standard Data Processed", "not_transfer"),
        ("gcp", "Network Internet Egress from EMEA to Americas", "internet"),
        ("gcp", "Network Inter Zone Data Transfer Out", "cross_zone"),
        ("oci", "Outbound Data Transfer Zone 1", "internet"),
        ("example-cloud", "Internet egress, first 10 TB", "internet"),
    ],
)
def test_rules_place_provider_wording(provider: str, text: str, expected: str) -> None:
    # Wording from the FOCUS sample (aws, azure, oci) and the providers' SKU names (gcp).
    assert load_classifier().match(provider, text)[0] == expected


def test_inter_region_rule_captures_the_other_region() -> None:
    text = "$0.02 per GB - EU (London) data transfer to EU (Ireland)"
    found = load_classifier().match("aws", text)
    assert found == ("inter_region", "to another region", "EU (Ireland)")


@pytest.mark.parametrize(
    ("name", "provider"),
    [("AWS", "aws"), ("Microsoft", "azure"), ("Google Cloud", "gcp"), ("Oracle", "oci")],
)
def test_provider_names_map_to_book_ids(name: str, provider: str) -> None:
    assert load_classifier().provider_id(name) == provider


def test_unknown_provider_names_become_slugs() -> None:
    assert load_classifier().provider_id("Snowflake Inc.") == "snowflake-inc"
    assert load_classifier().provider_id("42 Cloud") == "p-42-cloud"


def test_fixture_rows_get_classes_categories_and_volumes() -> None:
    classes = classify_rows(read_focus(fixture_path("1_3")))
    assert list(classes["transfer_class"].astype(str)) == [
        "",
        "internet",
        "cross_zone",
        "in",
        "internet",
        "",
    ]
    assert list(classes["cost_category"].astype(str)) == [
        "compute",
        "egress",
        "egress",
        "egress",
        "egress",
        "compute",
    ]
    # Quantities written in the fixture: 200 GB, 100 GB, 300 GB, 50 GiB.
    assert list(classes["volume_gb"]) == [0.0, 200.0, 100.0, 300.0, 50.0, 0.0]


def test_purchases_tax_and_storage_get_their_categories() -> None:
    classes = classify_rows(read_focus(fixture_path("1_1")))
    assert list(classes["cost_category"].astype(str)) == [
        "compute",
        "egress",
        "egress",
        "storage",
        "commitments",
        "compute",
        "other",
    ]
    assert classes["gb_months"].tolist() == [0.0, 0.0, 0.0, 100.0, 0.0, 0.0, 0.0]


@settings(max_examples=6)
@given(order=st.permutations(range(7)))
def test_classes_do_not_depend_on_row_order(order: list[int]) -> None:
    frame = read_fixture("1_0")
    whole = classify_rows(frame)
    shuffled = classify_rows(frame.iloc[order])
    for column in ("transfer_class", "cost_category", "provider"):
        assert list(shuffled[column].astype(str)) == list(whole[column].astype(str).iloc[order])
    np.testing.assert_array_equal(shuffled["volume_gb"], whole["volume_gb"].iloc[order])


def test_every_category_and_class_is_in_the_vocabulary(sample_path: Path) -> None:
    classes = classify_rows(read_focus(sample_path))
    assert set(classes["cost_category"].astype(str)) <= set(FOCUS_COST_CATEGORIES)
    assert set(classes["transfer_class"].astype(str)) <= {"", *FOCUS_TRANSFER_CLASSES}
    assert np.isfinite(classes["volume_gb"]).all()
    assert np.isfinite(classes["gb_months"]).all()


def _user_copy(tmp_path: Path, extra_rule: str) -> Path:
    bundled = sorted(data_dir("focus").glob("classifier-*.yaml"))[-1]
    path = tmp_path / "my-classifier.yaml"
    shutil.copy(bundled, path)
    text = path.read_text(encoding="utf-8")
    anchor = "      - {class: not_transfer, pattern: 'data processed by nat gateway'"
    path.write_text(text.replace(anchor, extra_rule + "\n" + anchor, 1), encoding="utf-8")
    return path


def test_a_user_rule_places_a_row_the_bundled_rules_leave_unclassed(tmp_path: Path) -> None:
    frame = pd.DataFrame(read_focus(fixture_path("1_0")))
    path = _user_copy(
        tmp_path,
        "      - {class: internet, pattern: 'promotional credits', label: user rule}",
    )
    mine = load_classifier(path)
    classes = classify_rows(frame, mine)
    assert classes["transfer_class"].astype(str).iloc[4] == "internet"
    assert classes["rule"].astype(str).iloc[4] == "user rule"


def test_a_bad_pattern_in_a_user_file_names_the_rule(tmp_path: Path) -> None:
    path = _user_copy(tmp_path, "      - {class: internet, pattern: '(unclosed', label: bad}")
    with pytest.raises(FocusError, match=r"providers\.aws\.rules\.0\.pattern.*regular expression"):
        load_classifier(path)


def test_an_unknown_class_in_a_user_file_is_refused(tmp_path: Path) -> None:
    path = _user_copy(tmp_path, "      - {class: teleport, pattern: 'x'}")
    with pytest.raises(FocusError, match=r"providers\.aws\.rules\.0\.class.*'teleport'"):
        load_classifier(path)


def test_classifier_files_refuse_unsafe_yaml_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(FocusError, match=r"evil\.yaml uses the tag"):
        load_classifier(path)
    with pytest.raises(FocusError, match=r"no such classifier file"):
        load_classifier(tmp_path / "absent.yaml")


def test_the_classifier_folder_is_packaged_in_the_wheel() -> None:
    import tomllib

    from tests.conftest import REPO_ROOT

    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["data/focus"] == "exitcost/_data/focus"
    assert (data_dir("focus") / Path(load_classifier().path).name).is_file()
