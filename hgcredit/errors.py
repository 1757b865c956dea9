"""One hierarchy of errors; each message names the file and says how to fix it.

The core raises these; the CLI turns them into one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path


class HgcreditError(ValueError):
    """Base of every error a clerk can act on."""

    def __init__(self, message: str, *, file: str | Path | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.message = message
        super().__init__(f"{self.file}：{message}" if self.file else message)


class RegistryError(HgcreditError):
    """The registry file is missing, malformed or inconsistent."""


class ReadError(HgcreditError):
    """A file could not be read at all (missing, unknown format, corrupt)."""


class EncodingError(ReadError):
    """A text file is in an encoding we could not decode."""


class HeaderError(HgcreditError):
    """No header row, or a required column is missing."""


class UnknownDepartmentError(HgcreditError):
    """A row names a department or domain the registry does not know."""


class OptionError(HgcreditError):
    """A command-line option value cannot be used."""


class OutputError(HgcreditError):
    """An output file could not be written."""
