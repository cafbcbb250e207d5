"""The command-line interface. Importing this registers every command on `app`."""

# The order of registration is the order of `yotplan --help`: views, checking, editing, reports.
from yotplan.cli import views, check, edit, schema, report  # noqa: F401, I001  (registers the commands)
from yotplan.cli.app import app, main

__all__ = ["app", "main"]
