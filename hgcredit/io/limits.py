"""How much one input file may make the readers do: the limits, in one place.

A workbook is a zip (xlsx, xlsm, ods) or an OLE container (xls) whose few kilobytes can
declare gigabytes of cells. Before python-calamine reads one, :mod:`hgcredit.io.guard`
checks it against these limits and refuses it, naming the file and the limit, when it would
go beyond them; the other files of the run are still read.

========================  ======================  ==============================================
limit                     default                 environment variable to change it
========================  ======================  ==============================================
size of an input file     1024 MB                 ``HGCREDIT_MAX_FILE_MB``
unzipped size (total)     1024 MB                 ``HGCREDIT_MAX_UNZIPPED_MB``
compression ratio         200 (members > 16 MB)   ``HGCREDIT_MAX_RATIO``
cells of one sheet        10,000,000              ``HGCREDIT_MAX_CELLS``
========================  ======================  ==============================================

*Cells of one sheet* is rows × columns counted from A1 to the last cell holding a value:
what the reader must hold in memory (about 50 bytes a cell). Ten million cells is a list
of a million rows by ten columns, and about 0.5 GB. Empty rows between far-apart cells of
an xlsx sheet (one stray cell at ``S1048576``) are not counted (:mod:`hgcredit.io.sparse`).

>>> current().cells
10000000
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hgcredit.errors import OptionError

MB = 1024 * 1024
# A member smaller than this is not judged by its ratio (a styles part compresses 50x).
RATIO_FLOOR = 16 * MB
# A zip with more members than this is no workbook a clerk made.
MAX_MEMBERS = 10_000
# Excel's own sheet size: a cell beyond it is no Excel file's.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
# Excel's own cell size: ratings reads no further into one ledger text (a review note says so).
EXCEL_CELL_CHARS = 32_767

DEFAULTS = {"file_mb": 1024, "unzipped_mb": 1024, "ratio": 200, "cells": 10_000_000}
VARIABLES = {
    "file_mb": "HGCREDIT_MAX_FILE_MB",
    "unzipped_mb": "HGCREDIT_MAX_UNZIPPED_MB",
    "ratio": "HGCREDIT_MAX_RATIO",
    "cells": "HGCREDIT_MAX_CELLS",
}


@dataclass(frozen=True)
class Limits:
    file_mb: int
    unzipped_mb: int
    ratio: int
    cells: int

    @property
    def file_bytes(self) -> int:
        return self.file_mb * MB

    @property
    def unzipped_bytes(self) -> int:
        return self.unzipped_mb * MB


def current() -> Limits:
    """The limits in force: the defaults, each replaced by its environment variable when set
    (read at every call, so a caller may change them while running)."""
    values = dict(DEFAULTS)
    for key, variable in VARIABLES.items():
        raw = os.environ.get(variable, "").strip().replace(",", "").replace("_", "")
        if not raw:
            continue
        if not raw.isdigit() or int(raw) <= 0:
            raise OptionError(
                f"环境变量 {variable} 的值“{os.environ[variable]}”不是正整数；"
                f"请改为正整数（默认 {DEFAULTS[key]}）或删除这个变量"
            )
        values[key] = int(raw)
    return Limits(**values)


def how_to_raise(key: str) -> str:
    """The Chinese clause telling how to raise one limit (``key`` as in :data:`DEFAULTS`)."""
    return f"如确需读取，可设置环境变量 {VARIABLES[key]} 提高上限（见 README“限制与安全”）"


def megabytes(size: int) -> str:
    """A size in bytes as megabytes for messages (a decimal below 10 MB, where rounding
    could make a size over a limit look equal to it).

    >>> megabytes(1536 * 1024 * 1024), megabytes(1100 * 1024), megabytes(0)
    ('1536 MB', '1.1 MB', '0 MB')
    """
    if size >= 10 * MB or size == 0:
        return f"{round(size / MB)} MB"
    return f"{max(size / MB, 0.1):.1f} MB"


def cells(count: int) -> str:
    """A cell count for messages: ``19,922,944 格``."""
    return f"{count:,} 格"
