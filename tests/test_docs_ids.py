"""docs/ids.md, the generated list of service ids, storage classes and location ids, is current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_ids", DOCS / "generate_ids.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_ids_page_is_what_the_generator_prints() -> None:
    page = (DOCS / "ids.md").read_text(encoding="utf-8")
    assert page == _generator().ids_page(), "run: python docs/generate_ids.py"


def test_the_page_lists_a_service_a_storage_class_and_a_location_of_each_kind() -> None:
    page = _generator().ids_page()
    for expected in ("`aws.rds_postgres`", "`deep_archive`", "`aws:eu-west-1`", "`gcp:"):
        assert expected in page
