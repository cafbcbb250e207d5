"""The command-line interface: parses options, calls the core, renders, and picks the exit code.

Importing this registers every command on `app`. May import any package of yotplan, but at
start-up only typer, the standard library, `yotplan.choices` and `yotplan.cli` itself: each
command imports what it needs when it runs.
"""

# The order of registration is the order of `yotplan --help`: views, checking, editing, reports.
from yotplan.cli import views, search, check, edit, impact, schema, report, spreadsheet, updates  # noqa: F401, I001  (registers the commands)
from yotplan.cli.app import app
from yotplan.cli.entry import main

__all__ = ["app", "main"]
