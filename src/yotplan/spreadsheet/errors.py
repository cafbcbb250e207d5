"""The failures of importing and exporting spreadsheets; each is one line for the user."""

from __future__ import annotations

from yotplan.errors import YotplanError


class SpreadsheetError(YotplanError):
    """A spreadsheet that cannot be read, or an import or export that stopped; nothing was written."""


class BadOption(SpreadsheetError):
    """An option value that is wrong (`--map`, `--source-id`): the command line reports it as a usage error."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


class ImportRefused(SpreadsheetError):
    """An import that wrote nothing: a target file exists, or no row could be placed.

    `details` are the `FILE:ROW: why` lines of the rows that could not be placed, if any.
    """

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details
