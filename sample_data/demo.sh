#!/usr/bin/env bash
# Runs the month on sample_data/ (called by `make demo`):
#   bash sample_data/demo.sh HGCREDIT_EXECUTABLE OUTPUT_FOLDER
# Exactly `hgcredit month` over this folder as a clerk's folder for November 2022, as of
# 2022-11-25 (after the deadline: the circular). Exit code 1 of the month ("something to act
# on") is a demo that ran; 2 (unusable input) or 3 (internal error) fail with a clear message.
set -uo pipefail

HG=${1:-hgcredit}
OUT=${2:-demo_output}
DATA=$(dirname "$0")

if ! command -v "$HG" >/dev/null 2>&1; then
    echo "演示失败：找不到 hgcredit 可执行文件“$HG”；请先运行 make install" >&2
    exit 2
fi

echo "\$ hgcredit month $DATA --month 2022-11 --as-of 2022-11-25 -o $OUT"
"$HG" month "$DATA" --month 2022-11 --as-of 2022-11-25 -o "$OUT"
rc=$?
case $rc in
    0 | 1) ;;
    2)
        echo "演示失败：有输入文件无法使用（退出码 2），见上面的错误信息" >&2
        exit 2
        ;;
    3)
        echo "演示失败：内部错误（退出码 3），请加 --debug 重跑并报告维护人员" >&2
        exit 3
        ;;
    *)
        echo "演示失败：hgcredit month 异常结束（退出码 $rc）" >&2
        exit "$rc"
        ;;
esac
echo
echo "输出文件在：$(cd "$OUT/2022-11" && pwd)"
