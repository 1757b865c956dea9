"""One hierarchy of errors; each message names the file and says how to fix it.

The core raises these; the CLI turns them into one line on stderr and exit code 2. Where a
command goes on past a bad input, the input is reported as a :class:`Problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    """A row names a department the registry does not know."""


class UnknownDomainError(HgcreditError):
    """The domain of a list, or of a row in it, is none the registry knows, or cannot be told."""


class InputErrors(HgcreditError):
    """Several inputs that are all needed could not be used; ``errors`` holds each one's."""

    def __init__(self, errors: Sequence[HgcreditError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class OptionError(HgcreditError):
    """A command-line option value cannot be used."""


class OutputError(HgcreditError):
    """An output file could not be written."""


@dataclass(frozen=True)
class Problem:
    """One input, or one place in it, that could not be used or needs a look.

    Every command reports problems in this one shape; ``message`` is Chinese and, for a
    place inside a file, already says where (``[Sheet1] 第12行：…``) so that the one line
    ``file：message`` is enough on a terminal. ``kind`` is a short tag for scripts:
    ``file`` (the whole input could not be used), ``row`` (one row was not used),
    ``month`` (the month asked for is not in the input), ``option``; a row of a double-A
    list (:class:`hgcredit.doublea.compute.ListProblem`, which adds the list's fields) is
    tagged with its problem (``invalid_code``, ``duplicate`` …) and its Chinese ``label``.

    >>> p = Problem("a.xlsx", "[Sheet1] 第3行：未知部门“市某局”", sheet="Sheet1", row=3, kind="row")
    >>> str(p)
    'a.xlsx：[Sheet1] 第3行：未知部门“市某局”'
    >>> p.to_json()["row"], Problem.of(ReadError("文件是空的", file="b.csv")).to_json()["file"]
    (3, 'b.csv')
    """

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    kind: str = "file"

    def __str__(self) -> str:
        return f"{self.file}：{self.message}" if self.file else self.message

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "kind": self.kind,
            "message": self.message,
        }

    @classmethod
    def of(cls, exc: HgcreditError, file: str | Path | None = None) -> Problem:
        """The problem an error describes (the whole file could not be used)."""
        return cls(exc.file or (str(file) if file is not None else ""), exc.message)
