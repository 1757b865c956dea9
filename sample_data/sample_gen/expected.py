"""The generated EXPECTED.md files: facts for checking the commands against the data."""

from __future__ import annotations

import json
from typing import Any

from sample_gen.entities import ENV_LEVELS, ENV_LIST_NAME
from sample_gen.november import MISSING_DEPARTMENTS
from sample_gen.returns import ReturnFile


def returns_expected(files: list[ReturnFile], env_odd_row: int) -> str:
    lines = [
        "# sample_data：11 月报送与名录的预期事实",
        "",
        "本文件由 `make_sample_data.py` 生成，请勿手改。供 `hgcredit import`/`check`/`ratings` 的"
        "实现者核对。",
        "",
        "## returns/：2022 年 11 月各部门报送",
        "",
        "| 文件 | 格式 | 部门（写法） | 领域（写法） | 11 月表头 | 总数 | 各级（合计） | 说明 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    returned = []
    for rf in files:
        for row in rf.rows:
            returned.append(row.department)
            nov = row.november
            levels = "、".join(f"{k} {n}" for k, n in nov.levels)
            summed = f"{levels}（{nov.level_sum}）" if nov.levels else "—"
            total = str(nov.total) if nov.total is not None else "—"
            note = nov.note or ("" if nov.total is None or nov.total == nov.level_sum else "不符")
            lines.append(
                f"| {rf.name} | {rf.kind} | {row.department}（{row.written_department}） | "
                f"{row.written_domain} | `{rf.month_header}` | {total} | {summed} | {note} |"
            )
    departments = list(dict.fromkeys(returned))
    lines += [
        "",
        f"- 报送的部门：{len(departments)} 个（共 22 个）：{'、'.join(departments)}。",
        f"- 未报送的部门：{len(MISSING_DEPARTMENTS)} 个：{'、'.join(MISSING_DEPARTMENTS)}。",
        "- 占位（不算已填报）：市民政局（“同上月”）。",
        "- 没有数字、不是“有数据支撑”的：市应急局。",
        "- 各级之和与所述总数不符：市文体广旅局（212 家，A190+B20+C1+D0=211）。",
        "- 冲突的重复报送：市商务局（`市商务局_11月.xlsx` 与 `市商务局_11月_更正.xlsx`，"
        "11 月内容不同；命令行上后给出的更正文件为准：7 家，A 级 5 家、B 级 2 家）。",
        "- 10 月列：`鹤岗市税务局_2022年11月台账.xlsx` 与 `市公安局_11月.xlsx` 带有 10 月列，"
        "内容与总台账完全相同（不应报冲突）。",
        "",
        "按 22 个部门 23 个领域算：11 月有实质内容的领域 17 个（18 个领域有报送，其中民政局为占位）；"
        "空着的领域 6 个（5 个未报送部门 + 民政局）。",
        "",
        "各文件的写法特点：",
        "",
        *(f"- `{rf.name}`：{rf.features}" for rf in files if rf.features),
        "",
        "## lists/：环境信用评价企业名录",
        "",
        f"`{ENV_LIST_NAME}`：标题行 1 行，表头在第 2 行，48 家企业："
        + "、".join(f"{label} {n} 家" for label, n in ENV_LEVELS)
        + "。",
        f"- “待定”不是环境信用等级，应按行报出：第 {env_odd_row} 行。",
        "- 其余 47 家与市生态环境局 11 月报送的数字一致（绿 34、蓝 10、黄 2、红 1，共 47）。",
        "",
    ]
    return "\n".join(lines)


def entities_expected(facts: dict[str, Any]) -> str:
    pub, tax, da, prev = facts["public"], facts["tax"], facts["double_a"], facts["previous"]
    nc = da["not_counted"]
    lines = [
        "# entities/：双A企业计算的预期事实",
        "",
        "本文件由 `make_sample_data.py` 生成，请勿手改；数字来自生成时“埋入”的内容，不是另算一遍。",
        "行号为 Excel 行号（含标题行与表头）。",
        "",
        f"## {pub['file']}",
        "",
        f"- 标题 {pub['title_rows']} 行，表头在第 {pub['header_row']} 行；数据 {pub['data_rows']} 行，"
        f"{pub['entities']} 个市场主体（另有 1 行完全重复、1 行冲突）。",
        "- 评价等级（每个主体一次）："
        + "、".join(f"{g} {n}" for g, n in pub["grades"].items())
        + "。",
        f"- 代码按 stdnum 原样校验有效（stdnum 自己会去空格、转大写）：{pub['codes_valid_by_stdnum_as_written']} 行；"
        f"去空格、转半角、转大写后有效：{pub['codes_valid_after_cleaning']} 行；"
        f"清理后仍无效：{pub['codes_invalid_after_cleaning']} 行。",
        f"- 可清理的写法：小写 {pub['lowercase_codes']} 行，全角 {pub['fullwidth_codes']} 行，"
        f"中间有空格 {pub['codes_with_spaces']} 行。",
        "- 校验位错误："
        + "；".join(f"第 {w['row']} 行 `{w['written']}`" for w in pub["wrong_check_character"])
        + "。",
        f"- 被 Excel 存成数字、末 3 位已丢失：第 {pub['stored_as_number']['row']} 行，"
        f"单元格是数值 {pub['stored_as_number']['written']}（Excel 显示 "
        f"{pub['stored_as_number']['excel_shows']}；原代码 `{pub['stored_as_number']['code']}`）。",
        f"- 完全重复的行：第 {'、'.join(map(str, pub['duplicate_row']['rows']))} 行"
        f"（`{pub['duplicate_row']['code']}`，应只算一次）。",
        f"- 冲突：`{pub['conflict']['code']}` 出现在第 "
        f"{'、'.join(map(str, pub['conflict']['rows']))} 行，等级分别为 A 和 B。",
        f"- 名称以 `=` 开头：第 {pub['formula_like_name']['row']} 行 "
        f"`{pub['formula_like_name']['name']}`（写出时必须保持为文字，不能变成公式）。",
        "",
        f"## {tax['file']}",
        "",
        f"- 标题 {tax['title_rows']} 行，表头在第 {tax['header_row']} 行；数据 {tax['data_rows']} 行，"
        f"{tax['taxpayers']} 户纳税人（另有 1 行完全重复）。",
        "- 纳税信用级别：" + "、".join(f"{g} {n}" for g, n in tax["grades"].items()) + "。",
        f"- 其中 {tax['also_in_public_list']} 户也在公共信用评价名单里，{tax['not_in_public_list']} 户不在。",
        f"- 旧的 15 位纳税人识别号（6 位区划 + 9 位组织机构代码 = 统一代码第 3–17 位）："
        f"{tax['legacy_15_char_ids']} 行。",
        f"- 18 位代码清理后有效 {tax['codes_valid_after_cleaning']} 行，无效 {tax['codes_invalid_18_char']} 行"
        f"（小写 {tax['lowercase_codes']}、全角 {tax['fullwidth_codes']}、有空格 {tax['codes_with_spaces']} 行可清理）。",
        "- 校验位错误："
        + "；".join(f"第 {w['row']} 行 `{w['written']}`" for w in tax["wrong_check_character"])
        + "。",
        f"- 完全重复的行：第 {'、'.join(map(str, tax['duplicate_row']['rows']))} 行。",
        "",
        "## 2022 年双A企业（两份名单都是 A 级的企业）",
        "",
        f"- 生成时埋入 {da['planted_candidates']} 家两边都是 A 的企业；其中能确定认定的 "
        f"**{da['expected']} 家**：",
        f"  - 其中 {da['via_legacy_tax_id']} 家在纳税名单里只有旧 15 位识别号，要按第 3–17 位对上；",
        f"  - {da['via_cleaned_public_code']} 家在公共信用名单里、{da['via_cleaned_tax_code']} 家在纳税名单里"
        "的代码要先清理（小写/全角/空格）才能对上。",
        "- 不应计入（应作为问题报出）：",
        f"  - 公共信用名单代码校验位错误 {len(nc['wrong_check_in_public'])} 家、"
        f"纳税名单代码校验位错误 {len(nc['wrong_check_in_tax'])} 家；",
        f"  - 代码被 Excel 存成数字 {len(nc['stored_as_number_in_public'])} 家；",
        f"  - 公共信用等级冲突（A 与 B）{len(nc['conflicting_public_grades'])} 家"
        "（若实现取较差等级也不计入；只有取较好等级的实现会多算这 1 家）。",
        "- 按区县（依统一代码第 3–8 位）："
        + "、".join(f"{c} {n}" for c, n in da["per_county"].items())
        + "。",
        f"- 名称以 `=` 开头的企业 `{da['formula_like_name_code']}` 在双A名单中。",
        "",
        f"## 与 {prev['file']} 相比",
        "",
        f"- 上年名单 {prev['rows']} 家；保留 {prev['retained']} 家，新增 {prev['added']} 家，"
        f"退出 {prev['removed']} 家（公共信用降为 B：{prev['removed_now_public_b']}，"
        f"纳税信用不再是 A：{prev['removed_now_tax_not_a']}，两份名单中都已没有："
        f"{prev['removed_not_in_lists']}）。",
        f"- 有 {len(prev['renamed_but_retained'])} 家上年名称与今年不同（已更名），按代码仍算保留。",
        "",
        "## 机器可读",
        "",
        "```json",
        json.dumps(facts, ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    return "\n".join(lines)
