"""FOCUS billing exports in: the checked frame, the baseline, the transfer flows, an estate.

Examples
--------
>>> from exitcost.ingest import FOCUS_VERSIONS
>>> FOCUS_VERSIONS
('1.0', '1.1', '1.2', '1.3')
"""

from exitcost.ingest.baseline import FocusBaseline, focus_baseline
from exitcost.ingest.classify import (
    FOCUS_COST_CATEGORIES,
    FOCUS_TRANSFER_CLASSES,
    Classifier,
    classify_rows,
    load_classifier,
)
from exitcost.ingest.columns import FOCUS_VERSIONS, MANDATORY, detect_version
from exitcost.ingest.read import FocusError, focus_cost_notes, read_focus
from exitcost.ingest.reconcile import RECONCILE_COLUMNS, reconcile_focus
from exitcost.ingest.skeleton import Skeleton, estate_skeleton, write_skeleton

__all__ = [
    "FOCUS_COST_CATEGORIES",
    "FOCUS_TRANSFER_CLASSES",
    "FOCUS_VERSIONS",
    "MANDATORY",
    "RECONCILE_COLUMNS",
    "Classifier",
    "FocusBaseline",
    "FocusError",
    "Skeleton",
    "classify_rows",
    "detect_version",
    "estate_skeleton",
    "focus_baseline",
    "focus_cost_notes",
    "load_classifier",
    "read_focus",
    "reconcile_focus",
    "write_skeleton",
]
