"""The facts of the whole folder as one month: what ``hgcredit month`` must show on it.

Worked out from what the other generator modules planted and from the documented rules
(README.md, "一个月的工作"), never by running the product:

- every file's role: the ledgers in their merge order (the whole ledger first, then the
  returns by path, a correction after the return it corrects), the graded lists with their
  domain, the double-A lists with their year, and every file not used with why (not a
  table, an earlier year's evaluation, a list without grades);
- the month's statuses, the overdue units and the notice the date calls for (after the
  deadline the circular; on the deadline day the reminder to the same units);
- the domains whose ratings do not add up and why: a domain with a graded list is counted
  from the list, each level its return's text states is compared with the list, a list row
  whose level is not the domain's is reported, and the levels must sum to the stated total.
  The construction bureau's own list (``部门名单/``) is the planted case of a department's
  list that disagrees with its own return;
- the double-A count and county split, and the files written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from sample_gen.common import LEDGER_NAME, SEED
from sample_gen.entities import ENV_DOMAIN, PREVIOUS_NAME, PUBLIC_NAME, TAX_NAME
from sample_gen.reconcile import FOLDER, PREVIOUS_PUBLIC_NAME

HERE = Path(__file__).resolve().parent
MONTH = "2022-11"
AFTER_DEADLINE = "2022-11-25"  # what make demo runs the month as of
# Written by hand beside the generated files; not tables, so not inputs.
HAND_WRITTEN = ("README.md", "demo.sh", "make_sample_data.py")
GENERATED_DOCUMENTS = (
    "EXPECTED.md",
    "expected.json",
    "entities/EXPECTED.md",
    f"{FOLDER}/EXPECTED.md",
)
# A return whose file name says it corrects an earlier one is merged after the others.
CORRECTION = re.compile(r"更正|修正|修改|重报|补报")
STATUS_LABELS = {"filled": "已填报", "placeholder": "仅占位", "missing": "未填报"}


def deadline(month: str) -> dt.date:
    """The month's deadline: the day the seed notice gives (每月 20 日前), that day included."""
    found = re.search(r"每月\s*(\d+)\s*日前", SEED.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError("the seed notice no longer says by which day a month is due")
    year, mon = map(int, month.split("-"))
    return dt.date(year, mon, int(found.group(1)))


def _year(name: str) -> int:
    (year,) = re.findall(r"(20\d\d)年", name)
    return int(year)


def _inputs(facts: dict[str, Any], ledger_order: list[str]) -> list[dict[str, Any]]:
    """Every file of the folder with the role ``hgcredit month`` must give it."""
    env, ents = facts["environment_list"], facts["entities"]
    graded, ungraded = facts["reconcile"]["lists"]
    out: list[dict[str, Any]] = [
        {"file": name, "role": "ledger", "order": i} for i, name in enumerate(ledger_order, 1)
    ]
    out += [
        {"file": f"lists/{env['file']}", "role": "list", "domain": env["domain"]},
        {"file": graded["file"], "role": "list", "domain": graded["domain"]},
        {
            "file": ungraded["file"],
            "role": "ignored",
            "why": "no_grades",
            "domain": ungraded["domain"],
            "column": ungraded["not_a_grade_column"],
        },
        {"file": f"entities/{ents['tax']['file']}", "role": "tax", "year": _year(TAX_NAME)},
        {
            "file": f"entities/{ents['public']['file']}",
            "role": "public",
            "year": _year(PUBLIC_NAME),
        },
        {
            "file": f"entities/{ents['previous']['file']}",
            "role": "previous",
            "year": _year(PREVIOUS_NAME),
        },
        {
            "file": f"entities/{PREVIOUS_PUBLIC_NAME}",
            "role": "ignored",
            "why": "earlier_year",
            "year": _year(PREVIOUS_PUBLIC_NAME),
            "of": "public",
        },
    ]
    others = [*HAND_WRITTEN, *GENERATED_DOCUMENTS]
    others += [f"sample_gen/{p.name}" for p in sorted(HERE.glob("*.py"))]
    out += [{"file": name, "role": "ignored", "why": "not_a_table"} for name in others]
    return sorted(out, key=lambda f: f["file"])


def _ledger_order(facts: dict[str, Any]) -> list[str]:
    names = [rf["file"] for rf in facts["returns"]]
    returns = sorted(names, key=lambda n: (bool(CORRECTION.search(Path(n).stem)), n))
    corrected = [c["later_file"] for c in facts["conflicts"]]
    if [n for n in returns if CORRECTION.search(n)] != corrected:
        raise ValueError("a correction is not the later file of its conflict")
    return [facts["master_ledger"], *(f"returns/{n}" for n in returns)]


def _lists_by_domain(facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each graded list in the folder as the month counts it: its levels, its rows whose
    level is not the domain's."""
    env = facts["environment_list"]
    graded = facts["reconcile"]["lists"][0]
    return {
        env["domain"]: {
            "file": f"lists/{env['file']}",
            "levels": env["agrees_with_return"]["levels"],
            "unknown": env["not_a_level"],
        },
        graded["domain"]: {
            "file": graded["file"],
            "levels": graded["list_levels"],
            "unknown": graded["unknown_grades"],
        },
    }


def _not_adding_up(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The domains whose counts do not add up, each with every reason, by the rules of
    ``hgcredit ratings``: a list's counts stand for the domain's, compared level by level
    with what the return's text states; unknown levels; the sum against the stated total."""
    lists = _lists_by_domain(facts)
    out = []
    for d in facts["domains"]:
        text_levels, total = d["levels"], d["total"]
        listed = lists.get(d["domain"])
        levels = listed["levels"] if listed else text_levels
        reasons: list[dict[str, Any]] = []
        if listed:
            differs = [lv for lv, n in text_levels.items() if levels.get(lv, 0) != n]
            if differs:
                reasons.append(
                    {
                        "kind": "list_differs_from_text",
                        "file": listed["file"],
                        "text": text_levels,
                        "list": levels,
                        "levels": differs,
                    }
                )
            reasons += [
                {"kind": "unknown_level", "file": listed["file"], **odd}
                for odd in listed["unknown"]
            ]
        counted = sum(levels.values()) if levels else None
        if total is not None and counted is not None and counted != total:
            reasons.append({"kind": "sum_not_total", "level_sum": counted, "total": total})
        if reasons:
            out.append(
                {
                    "serial": d["serial"],
                    "department": d["department"],
                    "domain": d["domain"],
                    "levels": levels,
                    "stated_total": total,
                    "counted_total": counted,
                    "reasons": reasons,
                }
            )
    return out


def _outputs(month: str, double_a_year: int, notice: str) -> list[str]:
    """The files the month writes (README.md, "写出什么"), report.json last."""
    year, mon = month.split("-")
    label = f"{year}年{int(mon)}月"
    notice_stem = f"{label}台账{'报送情况通报' if notice == 'overdue' else '催报提醒'}"
    return [
        f"{Path(LEDGER_NAME).stem}_{label}.xlsx",
        f"{double_a_year}年双A企业.xlsx",
        f"{notice_stem}.docx",
        f"{notice_stem}.md",
        f"{double_a_year}年双A企业通知.docx",
        f"{double_a_year}年双A企业通知.md",
        f"{label}信用分级分类监管工作汇总.xlsx",
        "report.json",
    ]


def month_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The ``month`` section of expected.json, from the facts gathered so far (the returns,
    the lists, the entities and ``reconcile``)."""
    due = deadline(MONTH)
    order = _ledger_order(facts)
    unfilled = [
        {k: d[k] for k in ("serial", "department", "domain", "status")}
        for d in facts["domains"]
        if d["status"] != "filled"
    ]
    inconsistent = _not_adding_up(facts)
    construction = next(
        d for d in inconsistent if d["domain"] == facts["reconcile"]["lists"][0]["domain"]
    )
    if not any(r["kind"] == "list_differs_from_text" for r in construction["reasons"]):
        raise ValueError("the construction bureau's list no longer disagrees with its return")
    env = next(d for d in inconsistent if d["domain"] == ENV_DOMAIN)
    if [r["kind"] for r in env["reasons"]] != ["unknown_level"]:
        raise ValueError("the environment list should disagree only by its odd level")
    da = facts["entities"]["double_a"]
    prev = facts["entities"]["previous"]
    year = _year(PUBLIC_NAME)
    on_the_day = due.isoformat()
    return {
        "command": f"hgcredit month sample_data --month {MONTH} --as-of {AFTER_DEADLINE} -o 输出文件夹",
        "month": MONTH,
        "deadline": due.isoformat(),
        "as_of": AFTER_DEADLINE,
        "deadline_passed": dt.date.fromisoformat(AFTER_DEADLINE) > due,
        "inputs": _inputs(facts, order),
        "ledger_order": order,
        "unusable": [],
        "statuses": {k: facts["summary"][k] for k in ("filled", "placeholder", "missing")},
        "overdue": unfilled,
        "not_adding_up": inconsistent,
        "conflicts": len(facts["conflicts"]),
        "notices": {
            AFTER_DEADLINE: {"kind": "overdue", "label": "通报", "units": unfilled},
            on_the_day: {
                "kind": "reminder",
                "label": "催报提醒",
                "units": unfilled,
                "recipients": list(dict.fromkeys(u["department"] for u in unfilled)),
            },
        },
        "double_a": {
            "year": year,
            "enterprises": da["expected"],
            "by_county": da["per_county"],
            "kept": prev["retained"],
            "added": prev["added"],
            "removed": prev["removed"],
            "letter": True,
        },
        "outputs": {
            AFTER_DEADLINE: _outputs(MONTH, year, "overdue"),
            on_the_day: _outputs(MONTH, year, "reminder"),
        },
        "exit_code": 1,
    }


# ---------------------------------------------------------------- EXPECTED.md

ROLE_LABELS = {
    "ledger": "台账/报送",
    "list": "等级名单",
    "tax": "纳税信用名单",
    "public": "公共信用评价名单",
    "previous": "上年双A名单",
    "ignored": "未用",
}


def _levels(levels: dict[str, int]) -> str:
    return "、".join(f"{k} {n}" for k, n in levels.items())


def _input_line(f: dict[str, Any]) -> str:
    role = ROLE_LABELS[f["role"]]
    if f["role"] == "ledger":
        what = f"第 {f['order']} 个合并"
    elif f["role"] == "list":
        what = f["domain"]
    elif f["role"] in ("tax", "public", "previous"):
        what = f"{f['year']}年度"
    elif f["why"] == "no_grades":
        what = f"{f['domain']}的名单，“{f['column']}”列不是等级，按没有等级的名单处理"
    elif f["why"] == "earlier_year":
        what = f"较早的 {f['year']}年度{ROLE_LABELS[f['of']]}"
    else:
        what = "不是表格文件"
    return f"- `{f['file']}`：{role}（{what}）"


def _reason(r: dict[str, Any]) -> str:
    if r["kind"] == "list_differs_from_text":
        text = "、".join(f"{lv} {r['text'][lv]}" for lv in r["text"])
        differs = "、".join(
            f"{lv}（文字 {r['text'][lv]}，名单 {r['list'].get(lv, 0)}）" for lv in r["levels"]
        )
        return (
            f"以名单 `{r['file']}` 数出的数量为准：{_levels(r['list'])}；报送文字写 {text}，"
            f"逐级对不上：{differs}"
        )
    if r["kind"] == "unknown_level":
        return f"`{r['file']}` 第 {r['row']} 行的“{r['value']}”不是本领域的等级"
    return f"各级之和 {r['level_sum']} 与所述总数 {r['total']} 不符"


def month_expected(m: dict[str, Any]) -> list[str]:
    """The EXPECTED.md section on the month, rendered from :func:`month_facts`."""
    after, on_day = m["notices"][m["as_of"]], m["notices"][m["deadline"]]
    units = "、".join(
        f"{u['department']}·{u['domain']}" + ("（仅占位）" if u["status"] == "placeholder" else "")
        for u in m["overdue"]
    )
    planted = [
        d
        for d in m["not_adding_up"]
        if any(r["kind"] == "list_differs_from_text" for r in d["reasons"])
    ]
    written, instead = m["outputs"][m["as_of"]], m["outputs"][m["deadline"]]
    da, st = m["double_a"], m["statuses"]
    day = int(m["deadline"][-2:])
    return [
        "## 整个文件夹作为 11 月的附件：`hgcredit month`",
        "",
        f"`{m['command']}` 应得到下面的结果（截止日 {m['deadline']}，即通知所说的“每月 {day} 日前”，"
        f"当天不算逾期；{m['as_of']} {'已过' if m['deadline_passed'] else '未过'}截止日）。",
        "",
        "每个文件认作什么（`report.json` 的 `inputs`；`sample_gen/__pycache__` 等生成时留下的缓存"
        "文件夹若存在，也只列为未用）：",
        "",
        *(_input_line(f) for f in m["inputs"]),
        "",
        "本月的结果：",
        "",
        "- 无法使用的文件：" + ("、".join(m["unusable"]) or "无") + "。",
        f"- 填报：已填报 {st['filled']} · 仅占位 {st['placeholder']} · 未填报 {st['missing']}；"
        f"逾期 {len(m['overdue'])} 个领域：{units}。",
        f"- 内容冲突 {m['conflicts']} 处（见上文“冲突的重复报送”）。",
        f"- 评级对不上 {len(m['not_adding_up'])} 个领域：",
        *(
            f"  - {d['department']}·{d['domain']}："
            + "；".join(_reason(r) for r in d["reasons"])
            + "。"
            for d in m["not_adding_up"]
        ),
        *(
            f"  - 其中{d['department']}一项是有意埋入的“部门自己的名单与其报送文字不一致”："
            "这份名单按规则就是该领域的等级名单，`hgcredit month` 以名单为准并逐级与报送文字比对；"
            "上文只给 `lists/` 的 `hgcredit ratings` 不读这份名单，所以那里没有这一项。"
            for d in planted
        ),
        f"- 通知：{m['as_of']}（截止日以后）写{after['label']}，“未按时报送单位”一节恰好列出上面 "
        f"{len(after['units'])} 个领域，不列任何已填报的领域；`--as-of {m['deadline']}`（截止日当天）"
        f"写{on_day['label']}，发给{'、'.join(on_day['recipients'])}，"
        f"列出同样的 {len(on_day['units'])} 个领域。"
        + ("两种情况都另写给各县（区）税务局的双A企业通知。" if da["letter"] else ""),
        f"- 双A企业 {da['enterprises']} 户（{da['year']} 年）："
        + _levels(da["by_county"])
        + f"；与上年相比保留 {da['kept']}、新增 {da['added']}、退出 {da['removed']}。",
        f"- 写出（{m['as_of']}）："
        + "、".join(f"`{n}`" for n in written)
        + "；截止日当天以 "
        + "、".join(f"`{n}`" for n in instead if n not in written)
        + f" 代替{after['label']}。",
        f"- 退出码 {m['exit_code']}（有需要处理的事项：逾期、评级对不上、内容冲突、双A名单中的问题）。",
        "",
    ]
