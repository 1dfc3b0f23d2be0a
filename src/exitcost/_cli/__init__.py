"""The ``exitcost`` sub-commands beyond ``demo`` and ``validate``, one module each.

Each module defines ``add_parser(commands)``: it registers its sub-parser on ``commands`` (the
object ``argparse.ArgumentParser.add_subparsers`` returns) and sets ``run`` to a function of the
parsed arguments that returns the exit status. ``exitcost.cli`` imports the modules named in
:data:`COMMAND_MODULES` when it builds its parser.
"""

from __future__ import annotations

__all__ = ["COMMAND_MODULES"]

COMMAND_MODULES: tuple[str, ...] = ("analyze", "route", "ingest", "prices")
"""Module names under ``exitcost._cli``, in the order their commands are listed in ``--help``."""
