#!/usr/bin/env bash
# Renders the README picture of the summary workbook: the first page (总览) of the sample
# month's summary, as LibreOffice prints it, to docs/summary.png.
#   bash docs/render_summary.sh [HGCREDIT_EXECUTABLE]
# Needs LibreOffice (soffice), poppler (pdftoppm, pdftotext) and python3. Chinese text
# needs CJK fonts (fonts-noto-cjk on Debian).
set -euo pipefail

HG=${1:-.venv/bin/hgcredit}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/sample_data"
OUT="$ROOT/docs/summary.png"

for tool in soffice pdftoppm pdftotext python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "缺少 $tool：请安装 LibreOffice（libreoffice-calc）和 poppler-utils" >&2
        exit 2
    fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LC_COLLATE=C

# The sample month as sample_data/demo.sh passes it: master ledger, returns (corrections
# last), rating lists, and the double-A lists.
FILES=("$DATA/台账/鹤岗市信用分级分类监管工作推进台账.xlsx")
for f in "$DATA"/returns/*; do [[ "$f" != *更正* ]] && FILES+=("$f"); done
for f in "$DATA"/returns/*更正*; do FILES+=("$f"); done
FILES+=("$DATA"/lists/*.xlsx)

rc=0
"$HG" summary "${FILES[@]}" --month 2022-11 --as-of 2022-11-25 \
    --tax "$DATA/entities/鹤岗市2022年度纳税信用级别名单.xlsx" \
    --public "$DATA/entities/鹤岗市2022年度公共信用评价结果.xlsx" \
    --previous "$DATA/entities/鹤岗市2021年度双A企业名单.xlsx" \
    -o "$TMP/summary.xlsx" >/dev/null || rc=$?
if [[ $rc -gt 1 ]]; then  # 1: the sample month has overdue units, as it should
    echo "hgcredit summary 失败（退出码 $rc）" >&2
    exit "$rc"
fi

# A profile of its own, so that a LibreOffice already running does not take the job.
soffice -env:UserInstallation="file://$TMP/profile" --headless --convert-to pdf \
    --outdir "$TMP" "$TMP/summary.xlsx" >/dev/null 2>&1
# Crop to what is printed on the page (its words, and a margin for the table's borders),
# leaving out the footer and the empty lower part.
DPI=110
CROP=$(pdftotext -f 1 -l 1 -bbox "$TMP/summary.pdf" - | python3 -c '
import re, sys
dpi = float(sys.argv[1])
text = sys.stdin.read()
height = float(re.search(r"<page width=\"[\d.]+\" height=\"([\d.]+)\"", text)[1])
boxes = [tuple(map(float, m)) for m in re.findall(
    r"xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\"", text)]
boxes = [b for b in boxes if b[3] < height * 0.9]  # not the footer
x0, y0 = min(b[0] for b in boxes) - 12, min(b[1] for b in boxes) - 12
x1, y1 = max(b[2] for b in boxes) + 12, max(b[3] for b in boxes) + 12
k = dpi / 72
print(*(round(v * k) for v in (max(x0, 0), max(y0, 0), x1 - x0, y1 - y0)))
' "$DPI")
read -r X Y W H <<<"$CROP"
pdftoppm -png -r "$DPI" -f 1 -l 1 -x "$X" -y "$Y" -W "$W" -H "$H" -singlefile \
    "$TMP/summary.pdf" "${OUT%.png}"
echo "已生成 $OUT"
