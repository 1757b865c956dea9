#!/usr/bin/env bash
# Runs the monthly job on sample_data/ (called by `make demo`).
set -uo pipefail
HG=${1:-hgcredit}
OUT=${2:-demo_output}
mkdir -p "$OUT"
echo "== 登记表 =="
"$HG" registry | head -5
echo
echo "输出目录：$OUT"
