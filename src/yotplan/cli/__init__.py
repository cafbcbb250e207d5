"""The command-line interface. Importing this registers every command on `app`."""

from yotplan.cli import check, edit, report, schema, views  # noqa: F401  (registers the commands)
from yotplan.cli.app import app, main

__all__ = ["app", "main"]
