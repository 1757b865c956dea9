#!/usr/bin/env bash
# Runs the monthly job on sample_data/ (called by `make demo`):
#   bash sample_data/demo.sh HGCREDIT_EXECUTABLE OUTPUT_FOLDER
# A command this build does not have yet is skipped with a note. Exit code 1 of a command
# ("something to act on") does not stop the demo; 2 (unusable input) or 3 (internal error)
# makes the demo fail with a clear message.
set -uo pipefail

HG=${1:-hgcredit}
OUT=${2:-demo_output}
DATA=$(cd "$(dirname "$0")" && pwd)

# Sort globs by code point whatever the user's locale, so file order is the same everywhere.
if [[ -n "${LC_ALL:-}" ]]; then
    export LC_CTYPE="$LC_ALL"
    unset LC_ALL
fi
export LC_COLLATE=C

if ! command -v "$HG" >/dev/null 2>&1; then
    echo "演示失败：找不到 hgcredit 可执行文件“$HG”；请先运行 make install" >&2
    exit 2
fi
if ! mkdir -p "$OUT"; then
    echo "演示失败：无法创建输出文件夹“$OUT”" >&2
    exit 2
fi

MASTER="$DATA/台账/鹤岗市信用分级分类监管工作推进台账.xlsx"
MONTH=2022-11
LEDGER_OUT="$OUT/鹤岗市信用分级分类监管工作推进台账_2022年11月.xlsx"
CHECK_JSON="$OUT/check_2022-11.json"

# Returns in a stable order; a correction (…_更正…) comes after every original, so it wins.
RETURNS=()
for f in "$DATA"/returns/*; do
    [[ -f "$f" && "$f" != *更正* ]] && RETURNS+=("$f")
done
for f in "$DATA"/returns/*更正*; do
    [[ -f "$f" ]] && RETURNS+=("$f")
done
LISTS=()
for f in "$DATA"/lists/*.xlsx; do
    [[ -f "$f" ]] && LISTS+=("$f")
done

has_command() {
    "$HG" "$1" --help >/dev/null 2>&1
}

# Run one hgcredit command; 0 and 1 go on, anything else ends the demo.
run_step() {
    local label=$1
    shift
    "$@"
    local rc=$?
    case $rc in
        0) ;;
        1) echo "（$label：发现需要处理的事项，退出码 1；演示继续）" ;;
        2)
            echo "演示失败：$label 无法使用输入或选项（退出码 2），见上面的错误信息" >&2
            exit 2
            ;;
        3)
            echo "演示失败：$label 内部错误（退出码 3），请加 --debug 重跑并报告维护人员" >&2
            exit 3
            ;;
        *)
            echo "演示失败：$label 异常结束（退出码 $rc）" >&2
            exit "$rc"
            ;;
    esac
}

skip() {
    echo "（跳过：当前版本还没有 hgcredit $1 命令）"
}

echo "== 1. 导入：总台账 + ${#RETURNS[@]} 份 11 月报送 =="
if has_command import; then
    run_step "hgcredit import" "$HG" import "$MASTER" "${RETURNS[@]}" -o "$LEDGER_OUT"
else
    skip import
fi
echo

# Later steps read the imported ledger; without it, the master ledger and the returns.
if [[ -f "$LEDGER_OUT" ]]; then
    LEDGER=("$LEDGER_OUT")
else
    LEDGER=("$MASTER" "${RETURNS[@]}")
fi

echo "== 2. 检查 $MONTH 填报情况（截至 2022-11-25） =="
if has_command check; then
    run_step "hgcredit check" "$HG" check "${LEDGER[@]}" --month "$MONTH" --as-of 2022-11-25
    "$HG" check "${LEDGER[@]}" --month "$MONTH" --as-of 2022-11-25 --json >"$CHECK_JSON"
    rc=$?
    if ((rc > 1)); then
        rm -f "$CHECK_JSON"
        echo "演示失败：hgcredit check --json 退出码 $rc" >&2
        exit "$rc"
    fi
    echo "（JSON 结果已写入 $CHECK_JSON）"
else
    skip check
fi
echo

echo "== 3. 统计 $MONTH 各领域评级 =="
if has_command ratings; then
    run_step "hgcredit ratings" "$HG" ratings "${LEDGER[@]}" "${LISTS[@]}" --month "$MONTH"
else
    skip ratings
fi
echo

echo "== 4. 计算 2022 年双A企业 =="
if has_command double-a; then
    run_step "hgcredit double-a" "$HG" double-a \
        --tax "$DATA/entities/鹤岗市2022年度纳税信用级别名单.xlsx" \
        --public "$DATA/entities/鹤岗市2022年度公共信用评价结果.xlsx" \
        --previous "$DATA/entities/鹤岗市2021年度双A企业名单.xlsx" \
        -o "$OUT/双A企业_2022.xlsx" --detail "$OUT/双A企业_明细.csv"
else
    skip double-a
fi
echo

OUT_ABS=$(cd "$OUT" && pwd)
echo "输出文件在：$OUT_ABS"
found=0
while IFS= read -r f; do
    echo "  $f"
    found=1
done < <(find "$OUT_ABS" -maxdepth 1 -type f ! -name '.*' | sort)
if ((found == 0)); then
    echo "  （暂无输出文件）"
fi
