"""Tests of exitcost.effort.catalog: the bundled data files, the schema and the loaders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from exitcost._resources import data_dir
from exitcost.effort.catalog import STRATEGIES, load_catalog, load_effort_defaults
from exitcost.errors import CatalogError, UnknownServiceError

# The shared service vocabulary (services.md): the catalog must cover at least these.
_VOCABULARY = """
aws.ec2 aws.s3 aws.ebs aws.rds_postgres aws.rds_mysql aws.aurora aws.dynamodb aws.lambda aws.sqs
aws.sns aws.kinesis aws.msk aws.eks aws.ecs aws.fargate aws.redshift aws.athena aws.glue aws.emr
aws.sagemaker aws.bedrock aws.step_functions aws.api_gateway aws.cognito aws.cloudfront
aws.elasticache aws.opensearch aws.eventbridge azure.vm azure.blob azure.sql_database
azure.cosmosdb azure.functions azure.aks azure.service_bus azure.event_hubs azure.synapse
azure.machine_learning azure.openai azure.entra_id azure.data_factory gcp.compute_engine gcp.gcs
gcp.bigquery gcp.pubsub gcp.cloud_run gcp.gke gcp.spanner gcp.vertex_ai gcp.dataflow gcp.cloud_sql
"""
REQUIRED_SERVICES = _VOCABULARY.split()


def _bundled(kind: str) -> Path:
    return sorted(data_dir("catalog").glob(f"{kind}-*.yaml"))[-1]


def _write(tmp_path: Path, data: Any, name: str = "services-2026-11-27.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def raw_catalog() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_bundled("services").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def raw_defaults() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_bundled("strategies").read_text(encoding="utf-8"))
    return data


def test_catalog_covers_the_shared_service_vocabulary() -> None:
    catalog = load_catalog()
    missing = [s for s in REQUIRED_SERVICES if s not in catalog]
    assert missing == []
    assert catalog.as_of == dt.date(2026, 11, 27)
    assert catalog.source.endswith("services-2026-11-27.yaml")


def test_every_entry_follows_the_documented_derivation() -> None:
    # effort_class_derivation: mode = MTA points x 1 pd, low = 0.7 mode, high = 3 mode,
    # lock-in weight = points / 7 (MTA story points 0/1/3/5/7, Red Hat MTA guide App. A.1).
    catalog = load_catalog()
    for entry in (*catalog.services, catalog.unknown):
        cls = catalog.effort_classes[entry.effort_class]
        pd_unit = entry.person_days_per_unit
        assert pd_unit.mode == cls.person_days_mode == cls.points, entry.id
        assert pd_unit.low == pytest.approx(0.7 * pd_unit.mode, abs=0.01), entry.id
        assert pd_unit.high == pytest.approx(3.0 * pd_unit.mode, abs=0.01), entry.id
        assert entry.lock_in.weight == pytest.approx(cls.points / 7, abs=0.005), entry.id
        assert entry.reasoning.strip() or entry.sources, entry.id


def test_exit_strategy_follows_portability() -> None:
    # Catalog derivation (R): Information (VMs, disks) rehost; managed Kubernetes relocate
    # (effort-facts section 6: container-level move); services with a portable equivalent
    # (Trivial, Complex, Redesign) replatform; Rearchitecture and unknown services refactor.
    catalog = load_catalog()
    for sid in ("aws.ec2", "aws.ebs", "azure.vm"):
        assert catalog.entry(sid).exit_strategy == "rehost"
    for sid in ("aws.eks", "azure.aks", "gcp.gke"):
        assert catalog.entry(sid).exit_strategy == "relocate"
    for sid in ("aws.rds_postgres", "aws.msk", "aws.dynamodb", "aws.kinesis", "aws.sqs"):
        assert catalog.entry(sid).exit_strategy == "replatform"
    for sid in ("aws.step_functions", "aws.sagemaker", "gcp.vertex_ai"):
        assert catalog.entry(sid).exit_strategy == "refactor"
    assert catalog.unknown.exit_strategy == "refactor"
    k8s = {"aws.eks", "azure.aks", "gcp.gke"}
    for entry in catalog.services:
        cls = entry.effort_class
        expected = (
            "relocate"
            if entry.id in k8s
            else {"information": "rehost", "rearchitecture": "refactor"}.get(cls, "replatform")
        )
        assert entry.exit_strategy == expected, entry.id
        if expected in ("relocate", "replatform"):
            assert entry.portable, entry.id
    assert catalog.entry("aws.step_functions").lock_in.weight == 1.0


def test_replatform_needs_a_portable_equivalent(
    tmp_path: Path, raw_catalog: dict[str, Any]
) -> None:
    raw_catalog["services"][4].update(portable=[], exit_strategy="replatform")
    with pytest.raises(CatalogError, match=r"services\[4\]: exit_strategy 'replatform' needs a"):
        load_catalog(_write(tmp_path, raw_catalog))


def test_unknown_service_lists_close_matches() -> None:
    with pytest.raises(UnknownServiceError, match=r"close matches: .*'aws.dynamodb'"):
        load_catalog().entry("aws.dynamo")


def test_catalog_frame_has_one_row_per_service() -> None:
    frame = load_catalog().to_frame()
    assert frame.loc["aws.dynamodb", "driver"] == "table"
    assert len(frame) == len(load_catalog().ids)


def test_defaults_cover_all_seven_strategies() -> None:
    defaults = load_effort_defaults()
    assert set(defaults.strategies) == set(STRATEGIES)
    assert defaults.strategies["retain"].person_days_per_instance == 0.0
    assert defaults.strategies["rehost"].code_adaptation is None
    # COCOMO II.2000 nominal: A = 2.94 PM, E = 0.91 + 0.01 x 18.97; 19 pd/PM (152 h / 8 h).
    assert defaults.cocomo.a_person_months == pytest.approx(2.94)
    assert defaults.cocomo.exponent == pytest.approx(0.91 + 0.01 * 18.97)
    assert defaults.schedule.person_days_per_person_month == 19.0
    # Replatform adapts less code than refactor (DM, CM and IM all smaller or equal).
    small = defaults.strategies["replatform"].code_adaptation
    large = defaults.strategies["refactor"].code_adaptation
    assert small is not None
    assert large is not None
    assert small.design_modified <= large.design_modified
    assert small.code_modified < large.code_modified
    assert small.integration_modified < large.integration_modified
    assert defaults.schedule.max_person_days_per_month_per_move == pytest.approx(6 * 19)
    assert defaults.transfer.waiver_window_days.value == 60.0


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (
            lambda d: d["services"][0]["person_days_per_unit"].update(low=5.0, mode=1.0),
            r"services\[0\]\.person_days_per_unit: needs low <= mode <= high",
        ),
        (
            lambda d: d["services"][1]["person_days_per_unit"].update(low=-1.0),
            r"services\[1\]\.person_days_per_unit\.low: .*greater than or equal to 0",
        ),
        (
            lambda d: d["services"][2].update(reasoning="", sources=[]),
            r"services\[2\]: needs a source or a stated reasoning",
        ),
        (
            lambda d: d["services"][3]["lock_in"].update(weight=1.5),
            r"services\[3\]\.lock_in\.weight: .*less than or equal to 1 \(got 1\.5\)",
        ),
        (lambda d: d["services"].append(d["services"][0]), "duplicate service id 'aws.ec2'"),
        (
            lambda d: d["services"][0].update(effort_class="heroic"),
            "effort_class 'heroic' is not one of",
        ),
        (lambda d: d["services"][0].update(colour="red"), r"services\[0\]\.colour: Extra inputs"),
        (lambda d: d["services"][0].update(provider="gcp"), "does not match the id's provider"),
        (
            lambda d: d["services"][0].update(category="blockchain"),
            r"services\[0\]\.category: Input should be 'analytics', .*'workflow'",
        ),
    ],
)
def test_schema_errors_name_path_and_value(
    tmp_path: Path, raw_catalog: dict[str, Any], mutate: Any, match: str
) -> None:
    mutate(raw_catalog)
    with pytest.raises(CatalogError, match=match):
        load_catalog(_write(tmp_path, raw_catalog))


def test_defaults_schema_errors(tmp_path: Path, raw_defaults: dict[str, Any]) -> None:
    del raw_defaults["strategies"]["refactor"]
    with pytest.raises(CatalogError, match="strategies: missing 'refactor'"):
        load_effort_defaults(_write(tmp_path, raw_defaults, "strategies-2026-11-27.yaml"))


def test_defaults_reject_bad_range(tmp_path: Path, raw_defaults: dict[str, Any]) -> None:
    raw_defaults["range"]["high_factor"] = 0.5
    with pytest.raises(CatalogError, match=r"range\.high_factor: .*greater than or equal to 1"):
        load_effort_defaults(_write(tmp_path, raw_defaults, "strategies-2026-11-27.yaml"))


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"Catalog file .*missing\.yaml.* does not exist"):
        load_catalog(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("services: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="is not valid YAML"):
        load_catalog(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="must hold a mapping at the top level"):
        load_catalog(listy)
    code = tmp_path / "code.yaml"
    code.write_text("!!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="only plain data"):
        load_catalog(code)


def test_as_of_selects_a_dated_file() -> None:
    assert load_catalog(as_of=dt.date(2030, 1, 1)).as_of == dt.date(2026, 11, 27)
    with pytest.raises(CatalogError, match=r"No bundled services file .* as_of=2020-01-01"):
        load_catalog(as_of=dt.date(2020, 1, 1))
    with pytest.raises(CatalogError, match="No bundled strategies file"):
        load_effort_defaults(as_of=dt.date(2020, 1, 1))


def test_data_files_quote_the_reference_notes(shared_dir: Path) -> None:
    # The defaults carry figures from ../shared/reference/effort-facts.md; check that the figures
    # they cite are the ones the notes give.
    facts = (shared_dir / "reference" / "effort-facts.md").read_text(encoding="utf-8")
    for quoted in (
        "A = 2.94, B = 0.91",  # COCOMO II.2000 calibration (section 2)
        "152 person-hours",  # person-month (section 2)
        "five to six cross-functional roles",  # AWS PG (1.6)
        "approximately 2 servers",  # VirtaMove (1.7)
        "USD 50,000",  # Azure reservation refund cap (section 5)
        "Information 0, Trivial 1, Complex 3, Redesign 5, Rearchitecture 7",  # MTA (1.10)
        "$132,270",  # BLS software developers median (section 4)
    ):
        assert quoted in facts, quoted
    defaults = load_effort_defaults()
    assert "$132,270" in defaults.labour.reasoning
    assert defaults.labour.default_usd_per_person_day == pytest.approx(132_270 / 0.70 / 228, abs=2)


def test_catalog_membership_of_non_strings_is_false() -> None:
    # Before the fix an unhashable value raised a raw TypeError.
    catalog = load_catalog()
    assert ["aws.ec2"] not in catalog
    assert None not in catalog
    assert "aws.ec2" in catalog


def test_default_strategy_order_ranks_all_seven_by_demand() -> None:
    rule = load_effort_defaults().default_strategy
    # Data file, default_strategy (R, reasoning there): least to most demanding.
    assert rule.order == (
        "retain",
        "retire",
        "relocate",
        "rehost",
        "repurchase",
        "replatform",
        "refactor",
    )
    assert rule.plain_instances == "rehost"
    assert rule.most_demanding(["relocate", "rehost"]) == "rehost"
    assert rule.most_demanding(["refactor", "replatform", "rehost"]) == "refactor"


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (
            lambda d: d["default_strategy"].update(order=["rehost", "relocate", "refactor"]),
            r"order must list each of the seven strategies exactly once; missing 'replatform', "
            r"'repurchase', 'retain', 'retire'",
        ),
        (
            lambda d: d["default_strategy"]["order"].append("rehost"),
            r"exactly once; repeated 'rehost'",
        ),
        (
            # Relocate dearer per instance than rehost, which comes after it.
            lambda d: d["strategies"]["relocate"].update(person_days_per_instance=3.0),
            r"adding a service could lower a workload's effort: 'rehost' \(after 'relocate'\) has "
            r"the smaller person_days_per_instance: 2\.5 < 3",
        ),
        (
            lambda d: d["strategies"]["replatform"].update(service_effort_factor=2.0),
            r"'refactor' \(after 'replatform'\) has the smaller service_effort_factor: 1 < 2",
        ),
        (
            lambda d: d["strategies"]["rehost"].update(fixed_person_days=4.0),
            r"'relocate' \(after 'rehost', the without_services default\) has the smaller "
            r"fixed_person_days: 0 < 4",
        ),
        (lambda d: d.update(schema_version=2), r"schema_version: Input should be 3"),
    ],
)
def test_default_strategy_order_must_grow_effort(
    tmp_path: Path, raw_defaults: dict[str, Any], mutate: Any, match: str
) -> None:
    mutate(raw_defaults)
    with pytest.raises(CatalogError, match=match):
        load_effort_defaults(_write(tmp_path, raw_defaults, "strategies-2026-11-27.yaml"))
