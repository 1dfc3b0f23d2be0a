"""Layout of exitcost's printed text, shared by every layer that prints.

The command line (:mod:`exitcost._cli`), the pricing notes and listings and the estate's YAML
all wrap at :data:`TEXT_WIDTH` columns, so output from different layers lines up.
"""

from __future__ import annotations

from typing import Final

__all__ = ["TEXT_WIDTH"]

TEXT_WIDTH: Final = 100
"""Columns of exitcost's text output (the command line, notes, listings and YAML files)."""
