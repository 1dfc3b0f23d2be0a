"""The ``exitcost`` sub-commands beyond ``demo`` and ``validate``, one module each.

Each module defines ``add_parser(commands)``: it registers its sub-parser on ``commands`` (the
object ``argparse.ArgumentParser.add_subparsers`` returns) and sets ``run`` to a function of the
parsed arguments that returns the exit status. ``exitcost.cli`` imports the modules named in
:data:`COMMAND_MODULES` when it builds its parser.
"""

from __future__ import annotations

import textwrap

from exitcost._text import TEXT_WIDTH

__all__ = ["COMMAND_MODULES", "TEXT_WIDTH", "wrap_line"]

COMMAND_MODULES: tuple[str, ...] = ("analyze", "route", "ingest", "prices")
"""Module names under ``exitcost._cli``, in the order their commands are listed in ``--help``."""


def wrap_line(line: str, width: int = TEXT_WIDTH) -> str:
    """``line`` wrapped to ``width`` columns, continued lines indented by two spaces.

    Examples
    --------
    >>> print(wrap_line("a " * 6, width=6))
    a a a
      a a
      a
    """
    if len(line) <= width:
        return line
    return textwrap.fill(line, width=width, subsequent_indent="  ", break_on_hyphens=False)
