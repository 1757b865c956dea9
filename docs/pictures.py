"""Make the README's pictures (`make pictures`): run hgcredit on sample_data/, turn the
document into PDF with LibreOffice (with hgcredit's font fallbacks, hgcredit/notices/
fonts.conf) and one page of it into PNG with pdftoppm.

Needs LibreOffice, CJK fonts and poppler (on Debian: apt-get install -y
--no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk
fonts-noto-cjk-extra poppler-utils). A new picture is one line in PICTURES.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hgcredit.notices.pdf import to_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
CORRECTIONS = sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name)
MONTH_FILES = [
    *sorted((DATA / "台账").iterdir()),
    *RETURNS,
    *CORRECTIONS,  # a correction comes after the original, so it wins
    *sorted((DATA / "lists").iterdir()),
]
ENTITIES = DATA / "entities"
DOUBLE_A = [
    "--tax", ENTITIES / "鹤岗市2022年度纳税信用级别名单.xlsx",
    "--public", ENTITIES / "鹤岗市2022年度公共信用评价结果.xlsx",
    "--previous", ENTITIES / "鹤岗市2021年度双A企业名单.xlsx",
]  # fmt: skip

# picture (in docs/), document hgcredit writes, its arguments ({out}: the document), page
PICTURES: list[tuple[str, str, list[object], int]] = [
    ("notice_overdue.png", "通报.docx",
     ["notice", "overdue", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-21",
      "-o", "{out}"], 1),
    ("notice_reminder.png", "催报提醒.docx",
     ["notice", "reminder", *MONTH_FILES, "--month", "2022-11", "--as-of", "2022-11-18",
      "-o", "{out}"], 1),
]  # fmt: skip
RESOLUTION = 80  # dots per inch: an A4 page 662 pixels wide


def main() -> int:
    hgcredit = shutil.which("hgcredit", path=str(Path(sys.executable).parent)) or "hgcredit"
    if shutil.which("pdftoppm") is None:
        print("需要 pdftoppm：apt-get install poppler-utils", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hgcredit-pictures-") as tmp:
        for picture, document, args, page in PICTURES:
            out = Path(tmp) / document
            command = [hgcredit, *(str(out) if a == "{out}" else str(a) for a in args)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode not in (0, 1) or not out.is_file():
                print(
                    f"{picture}：hgcredit 失败（{done.returncode}）：{done.stderr}", file=sys.stderr
                )
                return 2
            pdf = Path(tmp) / f"{out.stem}.pdf"
            pdf.write_bytes(to_pdf(out.read_bytes(), out.suffix))
            target = ROOT / "docs" / picture
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page),
                 "-singlefile", str(pdf), str(target.with_suffix(""))],
                check=True,
            )  # fmt: skip
            print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
