"""A notice as PDF: its .docx converted by LibreOffice (``soffice --headless``), when it
is installed; otherwise one Chinese line saying what to install.

The conversion runs with its own fontconfig file (``fonts.conf`` beside this module), so
that on a machine without the office's fonts 仿宋 is still a serif face and 方正小标宋 a
heavy one; a private LibreOffice profile, so that it never waits for a LibreOffice the
clerk has open; and the PDF's creation dates and id are set from the notice's date, so
that the same notice gives the same file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from hgcredit.errors import HgcreditError

FONTS_CONF = Path(__file__).with_name("fonts.conf")
TIMEOUT = 180  # seconds; a first start of LibreOffice with a new profile takes a few
INSTALL_HINT = (
    "写出 PDF 需要 LibreOffice，本机没有找到 soffice；"
    "Debian/Ubuntu 上运行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk，"
    "Windows 上安装 LibreOffice；或者改写 .docx，用 Word 另存为 PDF"
)


class PdfError(HgcreditError):
    """No LibreOffice, or it could not convert the document."""


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, day: dt.date) -> bytes:
    """The PDF LibreOffice makes of these .docx bytes, with dates and id fixed to ``day``."""
    return stable_pdf(to_pdf(docx, ".docx"), day)


def to_pdf(data: bytes, suffix: str) -> bytes:
    """The PDF LibreOffice makes of a document (``.docx``, ``.xlsx`` …) given as bytes."""
    program = soffice()
    if program is None:
        raise PdfError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="hgcredit-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / f"notice{suffix}"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 在 {TIMEOUT} 秒内没有转换完成；请改写 .docx") from None
        except OSError as exc:
            raise PdfError(f"无法运行 LibreOffice（{exc}）；{INSTALL_HINT}") from None
        pdf = folder / "notice.pdf"
        if done.returncode != 0 or not pdf.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:200]
            raise PdfError(f"LibreOffice 没能转换出 PDF（{said or done.returncode}）；请改写 .docx")
        return pdf.read_bytes()


_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def stable_pdf(data: bytes, day: dt.date) -> bytes:
    """The PDF with its dates set to ``day`` and its id and checksum zeroed, each in place
    with the same length, so that the cross-reference offsets stay right.

    >>> stable_pdf(b"/CreationDate(D:20261202093011Z')/ID [ <0A1B><FF00> ]", dt.date(2022, 11, 21))
    b"/CreationDate(D:20221121000000Z')/ID [ <0000><0000> ]"
    >>> stable_pdf(b"/DocChecksum /504808BA", dt.date(2022, 11, 21))
    b'/DocChecksum /00000000'
    """
    stamp = f"{day:%Y%m%d}000000".encode()

    def ident(m: re.Match[bytes]) -> bytes:
        whole = m.group(0)
        for part in (m.group(1), m.group(2)):
            whole = whole.replace(part, b"0" * len(part), 1)
        return whole

    data = _DATE.sub(lambda m: m.group(1) + stamp, data)
    data = _CHECKSUM.sub(lambda m: m.group(1) + b"0" * len(m.group(2)), data)
    return _ID.sub(ident, data)
