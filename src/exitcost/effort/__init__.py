"""Re-platforming effort, API lock-in, dual running, stranded commitments and transfer time.

The larger parts of leaving a cloud provider are often not egress but people and time:
rewriting code bound to proprietary services, running old and new side by side, commitments
that strand money, and moving petabytes through a link of finite bandwidth. This package turns
an estate into person-days, dollars and months, each as a range, from dated and sourced data
(``data/catalog/``).

* :func:`load_catalog`, :func:`load_effort_defaults`: the service catalog and effort defaults.
* :func:`estimate_effort`, :func:`sample_effort`, :func:`estate_lock_in`: effort over the seven
  migration strategies (per instance, plus the COCOMO II reuse model on adapted code,
  :func:`adaptation_adjustment`), labour cost and lock-in.
* :func:`exit_scope`, :func:`scoped_estate`: what an exit from a provider or from some locations
  covers; every function below takes ``provider=`` and ``locations=`` (``None``: whole estate).
* :func:`plan_schedule`, :func:`schedule_summary`, :func:`sample_programme`: durations under team
  capacity and dual-running cost.
* :func:`stranded_commitments`, :func:`stranded_by_exit_month`, :func:`exit_windows`:
  commitments on exit (minimum spend net of the provider's other commitments,
  :func:`minimum_spend_shortfall_usd`); :func:`exit_date` reads an exit month as a date.
* :func:`transfer_days`, :func:`fits_window`, :func:`required_bandwidth_gbps`: transfer time.
* :func:`exit_bill_lines`: the labour, dual-running and commitment lines of the exit bill
  (commitments stranded at the end of the expected programme unless an exit month is given).
* :func:`programme_end_month`: when the expected exit programme ends (months after as_of).
* :class:`warnings_once`: one call of a public effort function emits each distinct warning
  once; wrap several calls (``with warnings_once(): ...``) to share their warnings.

Examples
--------
>>> import exitcost.effort as ef
>>> round(ef.transfer_days(100 * 1024, 10.0), 2)     # 100 TB over 10 Gbit/s at 80%
1.27
"""

from exitcost.effort._warnings import warnings_once
from exitcost.effort.bill import exit_bill_lines, programme_end_month
from exitcost.effort.catalog import (
    STRATEGIES,
    Catalog,
    EffortDefaults,
    ServiceEntry,
    load_catalog,
    load_effort_defaults,
)
from exitcost.effort.contracts import (
    exit_date,
    exit_windows,
    minimum_spend_shortfall_usd,
    remaining_commitment_months,
    stranded_by_exit_month,
    stranded_commitment_usd,
    stranded_commitments,
)
from exitcost.effort.model import (
    EffortInputs,
    LockInSummary,
    adaptation_adjustment,
    base_effort_person_days,
    effort_inputs,
    estate_lock_in,
    estimate_effort,
    pert_mean,
    sample_effort,
    sample_pert,
)
from exitcost.effort.schedule import (
    dual_running_cost,
    plan_schedule,
    sample_programme,
    schedule_moves,
    schedule_summary,
)
from exitcost.effort.scope import ExitScope, exit_scope, scoped_estate
from exitcost.effort.transfer import fits_window, required_bandwidth_gbps, transfer_days

__all__ = [
    # Data
    "STRATEGIES",
    "Catalog",
    "EffortDefaults",
    "ServiceEntry",
    "load_catalog",
    "load_effort_defaults",
    # Effort and lock-in
    "EffortInputs",
    "LockInSummary",
    "adaptation_adjustment",
    "base_effort_person_days",
    "effort_inputs",
    "estate_lock_in",
    "estimate_effort",
    "pert_mean",
    "sample_effort",
    "sample_pert",
    # Scope of an exit
    "ExitScope",
    "exit_scope",
    "scoped_estate",
    # Schedule and dual running
    "dual_running_cost",
    "plan_schedule",
    "sample_programme",
    "schedule_moves",
    "schedule_summary",
    # Commitments
    "exit_date",
    "exit_windows",
    "minimum_spend_shortfall_usd",
    "remaining_commitment_months",
    "stranded_by_exit_month",
    "stranded_commitment_usd",
    "stranded_commitments",
    # Transfer
    "fits_window",
    "required_bandwidth_gbps",
    "transfer_days",
    # Exit bill
    "exit_bill_lines",
    "programme_end_month",
    # Warnings
    "warnings_once",
]
