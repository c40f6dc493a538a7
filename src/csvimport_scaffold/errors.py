"""Errors a user can cause, each shown as one line without a traceback."""


class CsvImportError(Exception):
    """A failure the user can fix; `exit_code` 2 marks bad input (usage), 1 anything else."""

    exit_code = 1


class UsageError(CsvImportError):
    """Bad input: arguments, spec files, project layout. Nothing has been written."""

    exit_code = 2
