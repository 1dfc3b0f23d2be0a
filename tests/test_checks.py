"""Tests for exitcost.checks: an estate against the price books and the service catalog."""

from __future__ import annotations

from exitcost import check_estate, sample_estate


def test_sample_estate_is_clean() -> None:
    assert check_estate(sample_estate()) == []


def test_unknown_service_suggests_close_ids() -> None:
    data = sample_estate().to_dict()
    data["workloads"][0]["services"][0] = "aws.elasticach"  # typo of aws.elasticache
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == "workloads[0].services[0].service"
    assert problem.value == "aws.elasticach"
    assert "did you mean 'aws.elasticache'" in problem.message


def test_contract_provider_near_miss_only() -> None:
    data = sample_estate().to_dict()
    data["contracts"][0]["provider"] = "azur"  # near miss of azure
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == "contracts[0].provider"
    assert "'azure' does" in problem.message
    # A provider unlike any of the estate's (a software vendor) is not a problem.
    assert any(c.provider == "erpvendor" for c in sample_estate().contracts)


def test_locations_are_checked_too() -> None:
    data = sample_estate().to_dict()
    data["locations"][0]["jurisdiction"] = "UK"  # aws:us-east-1 is in the US
    estate = type(sample_estate()).from_dict(data)
    paths = [p.path for p in check_estate(estate)]
    assert paths == ["locations[0].jurisdiction"]


def test_storage_class_not_priced_at_the_location() -> None:
    # The bundled Azure book lists Archive in polandcentral as unpublished; an 'archive'
    # dataset there would make the exit bill fail, so validation reports it with its path.
    data = sample_estate().to_dict()
    data["locations"].append(
        {"id": "azure:polandcentral", "kind": "cloud", "continent": "europe", "jurisdiction": "EU"}
    )
    data["datasets"].append(
        {
            "id": "cold-copy",
            "location": "azure:polandcentral",
            "size_gb": 100,
            "storage_class": "archive",
        }
    )
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == f"datasets[{len(data['datasets']) - 1}].storage_class"
    assert problem.value == "archive"
