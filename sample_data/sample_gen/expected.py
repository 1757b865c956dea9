"""The expected facts: built once as data, written as expected.json and rendered as EXPECTED.md.

:func:`returns_facts` gathers what was planted in the returns, the master ledger and the lists
(plus the entity facts) into one dict; ``expected.json`` is that dict, and both EXPECTED.md
files are rendered from it, so the two forms can never disagree.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sample_gen.common import LEDGER_NAME
from sample_gen.entities import (
    ENV_DOMAIN,
    ENV_LEVELS,
    ENV_LIST_NAME,
    ENV_NOT_A_LEVEL,
    ENV_TITLES,
)
from sample_gen.month import month_expected
from sample_gen.november import MISSING_DEPARTMENTS, November
from sample_gen.returns import ReturnFile
from sample_gen.seed import SeedLedger

MONTH = "2022-11"


def _clean(written: str) -> str:
    return re.sub(r"\s|<[^>]+>", "", written)


def _levels(nov: November) -> dict[str, int]:
    return dict(nov.levels)


def _seed_domains(seed: SeedLedger) -> list[tuple[int, str, str]]:
    """(serial, department, domain) of the ledger's 23 rows; merged cells inherit."""
    out: list[tuple[int, str, str]] = []
    for r in seed.rows:
        serial = int(r.serial) if r.serial else out[-1][0]
        department = _clean(r.department) if r.department else out[-1][1]
        out.append((serial, department, _clean(r.domain)))
    return out


def returns_facts(
    seed: SeedLedger, files: list[ReturnFile], env_odd_row: int, entities: dict[str, Any]
) -> dict[str, Any]:
    """Every fact a correct run on sample_data/ must show, as plain data."""
    october_header = seed.header[4]
    seed_october = {_clean(r.domain): r.october for r in seed.rows}
    returns = []
    kept: dict[str, tuple[str, November]] = {}  # domain -> (file, November) as merged
    filed_by: dict[str, list[str]] = {}  # domain -> files, in command-line order
    for rf in files:
        rows = []
        for row in rf.rows:
            nov = row.november
            rows.append(
                {
                    "department": row.department,
                    "written_department": row.written_department,
                    "domain": row.domain,
                    "written_domain": row.written_domain,
                    "total": nov.total,
                    "levels": _levels(nov),
                    "level_sum": nov.level_sum if nov.levels else None,
                    "note": nov.note,
                }
            )
            filed_by.setdefault(row.domain, []).append(rf.name)
            if row.domain not in kept or not nov.placeholder:
                kept[row.domain] = (rf.name, nov)
        with_october = [s for s in rf.sheets if october_header in s.header]
        for sheet in with_october:
            # An October column repeats the master ledger word for word (no conflict).
            col, dom = sheet.header.index(october_header), sheet.header.index("分级分类领域")
            for cells in sheet.rows:
                if cells[col] != seed_october[_clean(cells[dom])]:
                    raise ValueError(f"{rf.name}: October differs from the master ledger")
        returns.append(
            {
                "file": rf.name,
                "kind": rf.kind,
                "month_header": rf.month_header,
                "october_column": bool(with_october),
                "features": rf.features,
                "rows": rows,
            }
        )

    domains = []
    for serial, department, domain in _seed_domains(seed):
        file, nov = kept.get(domain, ("", November("")))
        status = "missing" if not file else "placeholder" if nov.placeholder else "filled"
        adds_up = None if nov.total is None or not nov.levels else nov.total == nov.level_sum
        domains.append(
            {
                "serial": serial,
                "department": department,
                "domain": domain,
                "status": status,
                "data_supported": status == "filled" and nov.figures,
                "files": filed_by.get(domain, []),
                "total": nov.total,
                "levels": _levels(nov),
                "level_sum": nov.level_sum if nov.levels else None,
                "adds_up": adds_up,
            }
        )
    all_departments = list(dict.fromkeys(d["department"] for d in domains))
    returned = list(dict.fromkeys(row["department"] for rf in returns for row in rf["rows"]))
    missing = [d for d in all_departments if d not in returned]
    if tuple(missing) != MISSING_DEPARTMENTS:
        raise ValueError(f"departments without a return changed: {missing}")

    conflicts = []
    for domain, names in filed_by.items():
        if len(names) > 1:
            texts = [r for rf in files if rf.name in names for r in rf.rows if r.domain == domain]
            if len({r.november.text for r in texts}) > 1:
                file, nov = kept[domain]
                conflicts.append(
                    {
                        "department": texts[0].department,
                        "domain": domain,
                        "month": MONTH,
                        "earlier_file": names[0],
                        "later_file": names[-1],
                        "kept_file": file,
                        "kept_total": nov.total,
                        "kept_levels": _levels(nov),
                    }
                )

    env_domain = next(d for d in domains if d["domain"] == ENV_DOMAIN)
    env_levels = {label: n for label, n in ENV_LEVELS if label != ENV_NOT_A_LEVEL}
    return_levels = env_domain["levels"]
    # The list agrees with the department's return: same levels (绿牌 ~ 绿), same numbers.
    if [(a[0], n) for a, n in env_levels.items()] != list(return_levels.items()):
        raise ValueError(f"environment list {env_levels} does not match {return_levels}")
    env_list = {
        "file": ENV_LIST_NAME,
        "department": env_domain["department"],
        "domain": env_domain["domain"],
        "title_rows": len(ENV_TITLES),
        "header_row": len(ENV_TITLES) + 1,
        "entities": sum(n for _, n in ENV_LEVELS),
        "levels": dict(ENV_LEVELS),
        "not_a_level": [{"row": env_odd_row, "value": ENV_NOT_A_LEVEL}],
        "agrees_with_return": {"levels": return_levels, "total": sum(env_levels.values())},
    }

    filled = [d for d in domains if d["status"] == "filled"]
    return {
        "master_ledger": f"台账/{LEDGER_NAME}",
        "returns": returns,
        "departments": {
            "count": len(all_departments),
            "returned": returned,
            "missing": missing,
        },
        "domains": domains,
        "summary": {
            "domains": len(domains),
            "filled": len(filled),
            "returned": sum(1 for d in domains if d["status"] != "missing"),
            "placeholder": sum(1 for d in domains if d["status"] == "placeholder"),
            "missing": sum(1 for d in domains if d["status"] == "missing"),
            "empty": sum(1 for d in domains if d["status"] != "filled"),
            "data_supported": sum(1 for d in domains if d["data_supported"]),
        },
        "placeholders": [
            {
                "department": d["department"],
                "domain": d["domain"],
                "text": kept[d["domain"]][1].text,
            }
            for d in domains
            if d["status"] == "placeholder"
        ],
        "without_figures": [
            {"department": d["department"], "domain": d["domain"]}
            for d in filled
            if not d["data_supported"]
        ],
        "not_adding_up": [
            {
                "department": d["department"],
                "domain": d["domain"],
                "total": d["total"],
                "levels": d["levels"],
                "level_sum": d["level_sum"],
            }
            for d in domains
            if d["adds_up"] is False
        ],
        "conflicts": conflicts,
        "october_same_as_master": [r["file"] for r in returns if r["october_column"]],
        "environment_list": env_list,
        "entities": entities,
    }


def expected_json(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, indent=1) + "\n"


def _levels_text(levels: dict[str, int], sep: str = "、") -> str:
    return sep.join(f"{k} {n}" for k, n in levels.items())


def returns_expected(facts: dict[str, Any]) -> str:
    """sample_data/EXPECTED.md, rendered from :func:`returns_facts`."""
    lines = [
        "# sample_data：11 月报送与名录的预期事实",
        "",
        "本文件由 `make_sample_data.py` 生成，请勿手改。供 `hgcredit import`/`check`/`ratings` 的"
        "实现者核对；最后一节是把整个文件夹交给 `hgcredit month` 时应得到的结果。",
        "",
        "## returns/：2022 年 11 月各部门报送",
        "",
        "| 文件 | 格式 | 部门（写法） | 领域（写法） | 11 月表头 | 总数 | 各级（合计） | 说明 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rf in facts["returns"]:
        for row in rf["rows"]:
            levels = _levels_text(row["levels"])
            summed = f"{levels}（{row['level_sum']}）" if row["levels"] else "—"
            total = str(row["total"]) if row["total"] is not None else "—"
            adds_up = row["total"] is None or row["total"] == row["level_sum"]
            note = row["note"] or ("" if adds_up else "不符")
            lines.append(
                f"| {rf['file']} | {rf['kind']} | {row['department']}（{row['written_department']}） | "
                f"{row['written_domain']} | `{rf['month_header']}` | {total} | {summed} | {note} |"
            )
    deps, summary = facts["departments"], facts["summary"]
    (placeholder,) = facts["placeholders"]
    short = placeholder["department"].removeprefix("市")
    mismatches = "、".join(
        f"{m['department']}（{m['total']} 家，"
        f"{'+'.join(f'{k}{n}' for k, n in m['levels'].items())}={m['level_sum']}）"
        for m in facts["not_adding_up"]
    )
    conflicts = "、".join(
        f"{c['department']}（`{c['earlier_file']}` 与 `{c['later_file']}`，11 月内容不同；"
        f"命令行上后给出的更正文件为准：{c['kept_total']} 家，"
        + "、".join(f"{k} 级 {n} 家" for k, n in c["kept_levels"].items())
        + "）"
        for c in facts["conflicts"]
    )
    october = " 与 ".join(f"`{name}`" for name in facts["october_same_as_master"])
    env = facts["environment_list"]
    agreed = env["agrees_with_return"]
    lines += [
        "",
        f"- 报送的部门：{len(deps['returned'])} 个（共 {deps['count']} 个）：{'、'.join(deps['returned'])}。",
        f"- 未报送的部门：{len(deps['missing'])} 个：{'、'.join(deps['missing'])}。",
        f"- 占位（不算已填报）：{placeholder['department']}（“{placeholder['text']}”）。",
        "- 没有数字、不是“有数据支撑”的："
        + "、".join(d["department"] for d in facts["without_figures"])
        + "。",
        f"- 各级之和与所述总数不符：{mismatches}。",
        f"- 冲突的重复报送：{conflicts}。",
        f"- 10 月列：{october} 带有 10 月列，内容与总台账完全相同（不应报冲突）。",
        "",
        f"按 {deps['count']} 个部门 {summary['domains']} 个领域算：11 月有实质内容的领域 "
        f"{summary['filled']} 个（{summary['returned']} 个领域有报送，其中{short}为占位）；"
        f"空着的领域 {summary['empty']} 个（{len(deps['missing'])} 个未报送部门 + {short}）。",
        "",
        "各文件的写法特点：",
        "",
        *(f"- `{rf['file']}`：{rf['features']}" for rf in facts["returns"] if rf["features"]),
        "",
        "## lists/：环境信用评价企业名录",
        "",
        f"`{env['file']}`：标题行 {env['title_rows']} 行，表头在第 {env['header_row']} 行，"
        f"{env['entities']} 家企业："
        + "、".join(f"{label} {n} 家" for label, n in env["levels"].items())
        + "。",
        *(
            f"- “{odd['value']}”不是环境信用等级，应按行报出：第 {odd['row']} 行。"
            for odd in env["not_a_level"]
        ),
        f"- 其余 {agreed['total']} 家与{env['department']} 11 月报送的数字一致"
        f"（{_levels_text(agreed['levels'])}，共 {agreed['total']}）。",
        "",
        *month_expected(facts["month"]),
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


def reconcile_expected(facts: dict[str, Any]) -> str:
    """部门名单/EXPECTED.md: what ``hgcredit reconcile`` must find, rendered from the facts."""
    prev, yoy, pub = facts["previous_public"], facts["year_over_year"], facts["public"]
    lines = [
        "# 部门名单/：公共信用评价结果对照（hgcredit reconcile）的预期事实",
        "",
        "本文件由 `make_sample_data.py` 生成，请勿手改；数字来自生成时“埋入”的内容，不是另算一遍。",
        "行号为 Excel 行号（csv 为第几行，含标题行与表头）。本年的公共信用评价结果见 `entities/`。",
        "",
        f"## 本年公共信用评价：可用代码的主体 {pub['entities']} 个",
        "",
        "- 各等级（不含等级冲突的 1 个）："
        + "、".join(f"{g} {n}" for g, n in pub["grades"].items())
        + "。",
        "",
        f"## entities/{prev['file']}（上年）",
        "",
        f"- 标题 {prev['title_rows']} 行，表头在第 {prev['header_row']} 行；数据 {prev['data_rows']} 行，"
        f"{prev['entities']} 个主体（另有 1 行完全重复：第 {'、'.join(map(str, prev['duplicate_row']['rows']))} 行）。",
        f"- 小写的代码（清理后有效）：第 {'、'.join(map(str, prev['lowercase_codes']))} 行。",
        f"- 校验位错误：第 {prev['wrong_check_character']['row']} 行 "
        f"`{prev['wrong_check_character']['written']}`（该主体因此算作今年新增）。",
        "",
        "## 年度变化",
        "",
        f"- 保持 {yoy['kept']}，新增 {yoy['added']}，退出 {yoy['removed']}"
        f"（今年首次评价 {yoy['new_this_year']}、上年有今年没有 {yoy['gone_since_last_year']}；"
        f"今年代码无效而算作退出 {len(yoy['removed_as_code_invalid_this_year'])}，"
        f"上年代码无效而算作新增 {len(yoy['added_as_code_invalid_last_year'])}）。",
        f"- 转移矩阵不计今年等级冲突的 {len(yoy['not_in_transitions'])} 个主体；上年→今年：",
        "",
        "| 上年＼今年 | " + " | ".join(yoy["transitions"]) + " |",
        "|---|" + "---:|" * len(yoy["transitions"]),
        *(
            f"| {a} | " + " | ".join(str(n) for n in row.values()) + " |"
            for a, row in yoy["transitions"].items()
        ),
        "",
        "- 按区县（新增/退出/保持/升级/降级）："
        + "；".join(
            f"{c} {v['added']}/{v['removed']}/{v['kept']}/{v['upgraded']}/{v['downgraded']}"
            for c, v in yoy["by_county"].items()
        )
        + "。",
        f"- 变化两档及以上的 {yoy['moved_two_tiers_or_more']} 个主体都是埋入的；其中从 A 到 D 或从 D 到 A 的"
        f"“变化最大的主体” {len(yoy['largest_moves'])} 个："
        + "、".join(f"{m['last_year']}→{m['this_year']}" for m in yoy["largest_moves"])
        + "。",
        "",
    ]
    for lst in facts["lists"]:
        lines += [
            f"## {lst['file']}（{lst['department']} · {lst['domain']}，{'有' if lst['graded'] else '没有'}等级）",
            "",
            f"- {lst['rows']} 行：匹配 {lst['matched']}（其中按原15位纳税人识别号 {lst['via_legacy_id']}），"
            f"公共信用评价中没有 {lst['not_found']}，代码无效 {lst['invalid_codes']}，重复 {lst['duplicates']}。",
            "- 代码无效的行："
            + "；".join(
                f"第 {r['row']} 行 `{r['written'] or '（空）'}`" for r in lst["invalid_rows"]
            )
            + "。",
            f"- 重复：第 {'、'.join(map(str, lst['duplicate_rows']))} 行。",
            "- 匹配主体的公共信用评价等级："
            + "、".join(f"{g} {n}" for g, n in lst["public_grades"].items())
            + "。",
        ]
        if lst["graded"]:
            m = lst["matrix"]
            lines += [
                f"- 参与比对（两边都有等级）{lst['compared']} 个；统一档次 × 公共信用评价等级：",
                "",
                "| 统一档次＼公共 | " + " | ".join(m) + " |",
                "|---|" + "---:|" * len(m),
                *(
                    f"| {t} | " + " | ".join(str(n) for n in row.values()) + " |"
                    for t, row in m.items()
                ),
                "",
                f"- 一致率 {lst['agreement']:.4f}，线性加权 kappa {lst['kappa_linear']:.4f}。",
                f"- 分歧：部门评价好、公共评价差 {len(lst['disagreements']['good_poor'])} 个；"
                f"部门评价差、公共评价好 {len(lst['disagreements']['poor_good'])} 个。",
                "- 等级无法识别："
                + "；".join(f"第 {u['row']} 行“{u['value']}”" for u in lst["unknown_grades"])
                + "。",
                "- 作为等级名单计数（`hgcredit ratings`、`hgcredit month`，每个主体一次，不计无法识别的等级）："
                + "、".join(f"{lv} {n}" for lv, n in lst["list_levels"].items())
                + f"（共 {sum(lst['list_levels'].values())}）；与{lst['department']} 11 月报送文字所写的"
                "数量不一致（有意埋入，见 `sample_data/EXPECTED.md` 的最后一节）。",
                f"- 公共信用评价中等级冲突（匹配但不参与比对）：`{'`、`'.join(lst['public_grade_conflict'])}`。",
            ]
        else:
            lines += [
                f"- “{lst['not_a_grade_column']}”列不是等级（应按没有等级的名单处理并提示）；"
                f"第 {lst['total_line']} 行是合计行（不计）；文件为 GBK 编码。",
            ]
        lines.append("")
    lines += [
        "## 机器可读",
        "",
        "```json",
        json.dumps(facts, ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    return "\n".join(lines)
