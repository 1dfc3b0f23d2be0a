"""COCOMO II reuse model: the adaptation adjustment multiplier of adapted code (a leaf kernel).

It depends on nothing but the package's base, so that both the effort model and the validation
of the effort defaults (:mod:`exitcost.effort.catalog`, which checks that defaults picked by
growing effort do grow) use it without importing each other.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from exitcost._validation import as_array, wrap_like

__all__ = ["adaptation_adjustment"]


def adaptation_adjustment(
    design_modified: Any,
    code_modified: Any,
    integration_modified: Any,
    *,
    assessment_assimilation: Any,
    software_understanding: Any,
    unfamiliarity: Any,
) -> Any:
    """COCOMO II reuse model: the adaptation adjustment multiplier (AAM) of adapted code.

    Equivalent new code = adapted code x AAM, with (fractions rather than the manual's percent)
    ``AAF = 0.4 DM + 0.3 CM + 0.3 IM`` and

    * ``AAM = AA + AAF (1 + 2 SU UNFM)`` where ``AAF <= 0.5``;
    * ``AAM = AA + AAF + SU UNFM`` where ``AAF > 0.5``.

    Parameters
    ----------
    design_modified : numeric
        DM, share of the design changed, in [0, 1].
    code_modified : numeric
        CM, share of the code changed, in [0, 1].
    integration_modified : numeric
        IM, integration and test effort as a share of that for new code, in [0, 1].
    assessment_assimilation : numeric
        AA, in [0, 0.08] (COCOMO's 0-8 %).
    software_understanding : numeric
        SU, in [0, 0.5] (0.1 very high understanding ... 0.5 very low; nominal 0.3).
    unfamiliarity : numeric
        UNFM, in [0, 1] (0 completely familiar ... 1 completely unfamiliar).

    Returns
    -------
    numeric
        AAM, >= 0 and non-decreasing in every argument; 0 when nothing is adapted and AA = 0.

    Examples
    --------
    >>> adaptation_adjustment([0.0, 1.0], [0.05, 1.0], [0.2, 1.0], assessment_assimilation=0.02,
    ...                       software_understanding=0.3, unfamiliarity=0.4)
    array([0.113, 1.14 ])
    >>> adaptation_adjustment(1.5, 0.0, 0.0, assessment_assimilation=0.0,
    ...                       software_understanding=0.3, unfamiliarity=0.4)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'design_modified' parameter of ...
    """
    func = "adaptation_adjustment"
    dm = as_array(design_modified, name="design_modified", func=func, maximum=1.0)
    cm = as_array(code_modified, name="code_modified", func=func, maximum=1.0)
    im = as_array(integration_modified, name="integration_modified", func=func, maximum=1.0)
    aa = as_array(assessment_assimilation, name="assessment_assimilation", func=func, maximum=0.08)
    su = as_array(software_understanding, name="software_understanding", func=func, maximum=0.5)
    unfm = as_array(unfamiliarity, name="unfamiliarity", func=func, maximum=1.0)
    aaf = 0.4 * dm + 0.3 * cm + 0.3 * im
    aam = np.where(aaf <= 0.5, aa + aaf * (1.0 + 2.0 * su * unfm), aa + aaf + su * unfm)
    template = next(
        (v for v in (design_modified, code_modified, integration_modified) if np.ndim(v) != 0),
        design_modified,
    )
    return wrap_like(template, np.asarray(aam, dtype=np.float64))
