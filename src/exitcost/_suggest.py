"""Near misses for error messages: "did you mean ...?" for any id a user can misspell.

Examples
--------
>>> did_you_mean("standrd", ["standard", "infrequent", "cold"])
"did you mean 'standard'?"
>>> did_you_mean("zzz", ["standard"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_matches", "did_you_mean", "unknown"]

CUTOFF = 0.8
"""Least similarity (difflib ratio, 0..1) for a valid name to be offered as a near miss."""


def close_matches(value: object, choices: Iterable[object], n: int = 3) -> list[str]:
    """The valid names closest to ``value`` (most similar first), compared case-insensitively.

    Examples
    --------
    >>> close_matches("EU-West-1", ["eu-west-1", "us-east-1", "ap-south-1"], n=1)
    ['eu-west-1']
    """
    names = [str(c) for c in choices]
    lowered: dict[str, str] = {}
    for name in names:
        lowered.setdefault(name.lower(), name)
    word = str(value).lower()
    # difflib's ratio is 2 * matches / (len(a) + len(b)) and matches <= the shorter length, so
    # a name whose length is too far from the word's can never reach CUTOFF: skip it. This keeps
    # the search linear in the word's length (a 100,000-character value compares with nothing).
    possible = [
        name
        for name in lowered
        if 2 * min(len(name), len(word)) >= CUTOFF * (len(name) + len(word))
    ]
    found = difflib.get_close_matches(word, possible, n=n, cutoff=CUTOFF)
    return [lowered[f] for f in found]


def did_you_mean(value: object, choices: Iterable[object], n: int = 3) -> str:
    """``"did you mean 'x'?"`` (or ``'x' or 'y'``) for a near miss, else ``""``."""
    found = close_matches(value, choices, n=n)
    if not found:
        return ""
    quoted = [repr(f) for f in found]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"did you mean {listed}?"


def unknown(
    message: str, value: object, choices: Iterable[object], shown: str, label: str = "valid"
) -> str:
    """``message``, the near misses of ``value`` among ``choices``, then ``label: shown``.

    Examples
    --------
    >>> unknown("unknown field 'size_gbb'", "size_gbb", ["size_gb", "id"], "'id', 'size_gb'")
    "unknown field 'size_gbb'; did you mean 'size_gb'? Valid: 'id', 'size_gb'"
    >>> unknown("unknown field 'x'", "x", ["size_gb"], "'size_gb'")
    "unknown field 'x'; valid: 'size_gb'"
    """
    near = did_you_mean(value, choices)
    if near:
        return f"{message}; {near} {label[:1].upper()}{label[1:]}: {shown}"
    return f"{message}; {label}: {shown}"
