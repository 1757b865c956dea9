"""Lists for ``hgcredit reconcile``, built from the public evaluation's own entities, with
what was planted in them (the facts are worked out here from the planted data, not by the
product):

- last year's public evaluation (``entities/``): most of this year's entities with last
  year's grade (mostly the same, else one step away), some only this year, some only last
  year, planted moves of two and three tiers, a lower-case code, a wrong check character,
  a repeated row;
- ``部门名单/``: the construction bureau's graded list on its own scale (AAA … C), with legacy
  ids, codes to clean, invalid codes, a repeat, an unknown grade, entities the public
  evaluation does not have, one entity the public evaluation grades twice (counted as a
  rating list, its levels disagree with what the bureau's November return states: the
  planted case of a department's own list that disagrees with its return, see month.py); and the
  emergency bureau's list of supervised firms without grades (a 行业类别 column that holds
  no grades, a GBK csv with a title line, a total line), with the same kinds of faults.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_gen.common import DIVISIONS, USCC_ALPHABET
from sample_gen.entities import Planted
from sample_gen.names import Entity, Factory
from sample_gen.writers import Sheet, write_csv, write_xlsx

PREVIOUS_PUBLIC_NAME = "鹤岗市2021年度公共信用评价结果.xlsx"
FOLDER = "部门名单"
GRADED_NAME = "市住建局_2022年度建筑业企业信用评价结果.xlsx"
UNGRADED_NAME = "市应急局_安全生产领域重点监管企业名单.csv"
GRADES = "ABCD"  # the public evaluation's levels, best first (also the unified tiers)
# 建筑业企业 levels and their unified tier (registry.toml [scales.construction]).
CONSTRUCTION = {"AAA": "A", "AA": "A", "A": "B", "B": "C", "C": "D"}
UNKNOWN_LEVEL = "暂缓定级"
# Planted moves of two tiers or more: (last year, this year, entities). Those across the whole
# scale (A→D, D→A) are the largest moves; the others show in the transition matrix.
MOVES = (("A", "D", 4), ("D", "A", 3), ("A", "C", 5), ("D", "B", 4), ("B", "D", 3), ("C", "A", 2))
TRADES = ("危险化学品", "非煤矿山", "工贸", "烟花爆竹", "金属冶炼")
SCORES = {"A": (850.0, 985.0), "B": (700.0, 849.9), "C": (550.0, 699.9), "D": (320.0, 549.9)}
OWN_SCORES = {"AAA": (90, 99), "AA": (80, 89), "A": (70, 79), "B": (60, 69), "C": (40, 59)}


@dataclass
class Reconciled:
    previous_rows: list[list[Any]] = field(default_factory=list)
    graded_rows: list[list[Any]] = field(default_factory=list)
    ungraded_rows: list[list[Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def _wrong_check(rng: random.Random, code: str) -> str:
    return code[:17] + rng.choice([c for c in USCC_ALPHABET if c != code[17]])


def _spaced(code: str) -> str:
    return f"{code[:6]} {code[6:12]} {code[12:]}"


def _step(rng: random.Random, grade: str) -> str:
    """Last year's grade of an entity that did not move far: the same, or one step away."""
    t = GRADES.index(grade)
    if rng.random() < 0.72:
        return grade
    step = rng.choice((-1, 1))
    if not 0 <= t + step < len(GRADES):
        step = -step
    return GRADES[t + step]


def make_reconcile(rng: random.Random, factory: Factory, planted: Planted) -> Reconciled:
    out = Reconciled()
    now = planted.public
    unusable_now = planted.public_unusable
    conflict = planted.public_conflict
    grade_now = {e.code: e.public for e in now}
    by_code = {e.code: e for e in now}

    # ---- last year's public evaluation
    new_now = set(e.code for e in rng.sample(now, 160))  # evaluated for the first time
    kept_pool = [e for e in now if e.code not in new_now]
    eligible = [e for e in kept_pool if e.code != conflict and e.code not in unusable_now]
    last: dict[str, str] = {}
    for before, after, n in MOVES:
        pool = [e for e in eligible if e.public == after and e.code not in last]
        for e in rng.sample(pool, n):
            last[e.code] = before
    moved = set(last)
    for e in kept_pool:
        if e.code not in last:
            last[e.code] = _step(rng, e.public or "B")
    kinds = rng.choices((1, 2, 3), (60, 29, 11), k=120)
    gone = [factory.entity(k) for k in kinds]  # evaluated last year, not this year
    for e in gone:
        last[e.code] = rng.choices(GRADES, (20, 50, 20, 10))[0]
    listed = sorted(kept_pool + gone, key=lambda e: (e.division, e.code))
    plain = [e for e in listed if e.code not in moved and e.code not in unusable_now]
    lettered = [e for e in plain if not e.code[8:].isdigit() and e.code != conflict]
    lower = rng.sample(lettered, 2)
    wrong = rng.choice([e for e in plain if e not in lower and e.code != conflict])
    repeated = rng.choice([e for e in plain if e not in lower and e is not wrong])
    written = {e.code: e.code for e in listed}
    for e in lower:
        written[e.code] = e.code.lower()
    written[wrong.code] = _wrong_check(rng, wrong.code)
    body: list[tuple[Entity, list[Any]]] = []
    for e in listed:
        score = round(rng.uniform(*SCORES[last[e.code]]), 1)
        body.append((e, [written[e.code], e.name, e.county, score, last[e.code]]))
        if e is repeated:
            body.append((e, list(body[-1][1])))
    out.previous_rows = [[i, *row] for i, (_, row) in enumerate(body, 1)]

    def prev_rows(entity: Entity) -> list[int]:
        return [i + 3 for i, (e, _) in enumerate(body) if e is entity]  # title, header, 1-based

    usable_then = {e.code for e in listed} - {wrong.code}
    usable_now_codes = {e.code for e in now} - unusable_now
    kept = usable_then & usable_now_codes
    added = usable_now_codes - usable_then
    removed = usable_then - usable_now_codes
    county = {e.code: e.county for e in [*now, *gone]}
    transitions = {a: dict.fromkeys(GRADES, 0) for a in GRADES}
    counties = {
        c: {"added": 0, "removed": 0, "kept": 0, "upgraded": 0, "downgraded": 0}
        for c in DIVISIONS.values()
    }
    largest = []
    two_or_more: list[str] = []
    for code in sorted(kept):
        counties[county[code]]["kept"] += 1
        if code == conflict:  # no grade this year: not in the transition matrix
            continue
        a, b = last[code], grade_now[code]
        assert a is not None and b is not None
        transitions[a][b] += 1
        steps = GRADES.index(a) - GRADES.index(b)
        if steps:
            counties[county[code]]["upgraded" if steps > 0 else "downgraded"] += 1
        if abs(steps) >= 2:
            two_or_more.append(code)
        if abs(steps) == len(GRADES) - 1:
            largest.append({"code": code, "last_year": a, "this_year": b, "steps": steps})
    for code in added:
        counties[county[code]]["added"] += 1
    for code in removed:
        counties[county[code]]["removed"] += 1
    across = {
        c for c in moved if abs(GRADES.index(last[c]) - GRADES.index(grade_now[c] or "")) == 3
    }
    if {m["code"] for m in largest} != across or set(two_or_more) != moved:
        raise ValueError("the largest moves are not the planted ones")
    largest.sort(key=lambda m: (-abs(m["steps"]), -m["steps"], m["code"]))
    graded_now = Counter(grade_now[c] for c in usable_now_codes if c != conflict)
    out.facts["public"] = {
        "entities": len(usable_now_codes),
        "grades": {g: graded_now[g] for g in GRADES},
    }
    out.facts["previous_public"] = {
        "file": PREVIOUS_PUBLIC_NAME,
        "title_rows": 1,
        "header_row": 2,
        "data_rows": len(body),
        "entities": len(listed),
        "lowercase_codes": [prev_rows(e)[0] for e in lower],
        "wrong_check_character": {
            "row": prev_rows(wrong)[0],
            "written": written[wrong.code],
            "code": wrong.code,
        },
        "duplicate_row": {"rows": prev_rows(repeated), "code": repeated.code},
    }
    out.facts["year_over_year"] = {
        "added": len(added),
        "removed": len(removed),
        "kept": len(kept),
        "new_this_year": len(new_now),
        "gone_since_last_year": len(gone),
        # Rows whose code cannot be used make an entity look new or gone.
        "removed_as_code_invalid_this_year": sorted(removed & {e.code for e in kept_pool}),
        "added_as_code_invalid_last_year": [wrong.code],
        "not_in_transitions": [conflict] if conflict in kept else [],
        "transitions": transitions,
        "by_county": counties,
        "moved_two_tiers_or_more": len(two_or_more),
        "largest_moves": largest,
    }

    # ---- the departments' lists, from this year's enterprises
    enterprises = [
        e for e in now if e.kind == 1 and e.code in usable_now_codes and e.code != conflict
    ]
    rng.shuffle(enterprises)
    out.graded_rows, graded = _graded_list(rng, factory, enterprises[:80], by_code[conflict])
    out.ungraded_rows, ungraded = _ungraded_list(rng, factory, enterprises[80:140])
    out.facts["lists"] = [graded, ungraded]
    return out


def _own_level(rng: random.Random, tier: str) -> str:
    return rng.choice([lv for lv, t in CONSTRUCTION.items() if t == tier])


def _graded_list(
    rng: random.Random, factory: Factory, pool: list[Entity], conflict: Entity
) -> tuple[list[list[Any]], dict[str, Any]]:
    """市住建局's list: 建筑业企业 levels, each entity's own level planted against its
    public grade."""
    rows: list[dict[str, Any]] = []  # entity, written code, level, what the row is
    good_poor = [e for e in pool if e.public in "CD"][:4]  # good in its own grading
    poor_good = [e for e in pool if e.public in "AB"][:3]  # and the reverse
    pool = [e for e in pool if e not in good_poor and e not in poor_good]
    for e in good_poor:
        rows.append(
            {"e": e, "code": e.code, "level": _own_level(rng, rng.choice("AB")), "kind": "matched"}
        )
    for e in poor_good:
        rows.append(
            {"e": e, "code": e.code, "level": _own_level(rng, rng.choice("CD")), "kind": "matched"}
        )
    base, pool = pool[:53], pool[53:]
    for e in base:
        assert e.public is not None
        same = rng.random() < 0.55
        tier = e.public if same else rng.choice([g for g in GRADES if g != e.public])
        rows.append({"e": e, "code": e.code, "level": _own_level(rng, tier), "kind": "matched"})
    legacy = [e for e in pool if e.old_org][:3]
    rest = [e for e in pool if e not in legacy]
    for e in legacy:
        rows.append(
            {
                "e": e,
                "code": e.legacy_id,
                "level": _own_level(rng, rng.choice(GRADES)),
                "kind": "legacy",
            }
        )
    cleaned = rest[:2]
    rows.append(
        {"e": cleaned[0], "code": cleaned[0].code.lower(), "level": "AA", "kind": "cleaned"}
    )
    rows.append(
        {"e": cleaned[1], "code": _spaced(cleaned[1].code), "level": "A", "kind": "cleaned"}
    )
    rows.append({"e": conflict, "code": conflict.code, "level": "AAA", "kind": "public_conflict"})
    unknown = rest[2]
    rows.append({"e": unknown, "code": unknown.code, "level": UNKNOWN_LEVEL, "kind": "unknown"})
    for _ in range(4):
        e = factory.entity(1)
        rows.append(
            {
                "e": e,
                "code": e.code,
                "level": _own_level(rng, rng.choice(GRADES)),
                "kind": "not_found",
            }
        )
    bad = rest[3]
    rows.append({"e": bad, "code": _wrong_check(rng, bad.code), "level": "AA", "kind": "invalid"})
    short = rest[4]
    rows.append({"e": short, "code": short.code[:17], "level": "A", "kind": "invalid"})
    twice = rows[10]
    rows.append({**twice, "kind": "duplicate"})
    order = [*CONSTRUCTION, UNKNOWN_LEVEL]
    rows.sort(key=lambda r: (order.index(r["level"]), r["e"].code, r["kind"] == "duplicate"))

    cells: list[list[Any]] = []
    for i, r in enumerate(rows, 1):
        if r["kind"] == "duplicate":  # the very same row again
            cells.append([i, *cells[rows.index(twice)][1:]])
            continue
        level = r["level"]
        shown = level if level == UNKNOWN_LEVEL else level + rng.choice(("级", "级", ""))
        score = rng.randint(*OWN_SCORES[level]) if level in OWN_SCORES else ""
        cells.append([i, r["e"].name.lstrip("="), r["code"], shown, score])

    def excel_row(r: dict[str, Any]) -> int:
        return rows.index(r) + 3  # title, header, 1-based

    compared = [r for r in rows if r["kind"] in ("matched", "legacy", "cleaned")]
    matrix = {t: dict.fromkeys(GRADES, 0) for t in GRADES}
    good_poor_codes, poor_good_codes = [], []
    for r in compared:
        own, public = CONSTRUCTION[r["level"]], r["e"].public
        matrix[own][public] += 1
        if (own in "AB") != (public in "AB"):
            (good_poor_codes if own in "AB" else poor_good_codes).append(r["e"].code)
    matched = [r for r in rows if r["kind"] not in ("not_found", "invalid", "duplicate")]
    # Counted as a rating list (hgcredit ratings, month): one row per entity whatever its
    # code (the repeated row once), a level that is not a construction level left out.
    levels = Counter(r["level"] for r in rows if r["kind"] != "duplicate")
    facts = {
        "file": f"{FOLDER}/{GRADED_NAME}",
        "department": "市住建局",
        "domain": "建筑业企业",
        "graded": True,
        "title_rows": 1,
        "rows": len(rows),
        "matched": len(matched),
        "not_found": sum(r["kind"] == "not_found" for r in rows),
        "invalid_codes": sum(r["kind"] == "invalid" for r in rows),
        "duplicates": sum(r["kind"] == "duplicate" for r in rows),
        "via_legacy_id": len(legacy),
        "compared": len(compared),
        "matrix": matrix,
        "agreement": sum(matrix[g][g] for g in GRADES) / len(compared),
        "kappa_linear": _kappa(matrix),
        "disagreements": {
            "good_poor": sorted(good_poor_codes),
            "poor_good": sorted(poor_good_codes),
        },
        "public_grades": dict(
            Counter(r["e"].public for r in matched if r["kind"] != "public_conflict")
        ),
        "public_grade_conflict": [conflict.code],
        "unknown_grades": [
            {"row": excel_row(r), "value": r["level"]} for r in rows if r["kind"] == "unknown"
        ],
        "list_levels": {lv: levels[lv] for lv in CONSTRUCTION if levels[lv]},
        "invalid_rows": [
            {"row": excel_row(r), "written": r["code"]} for r in rows if r["kind"] == "invalid"
        ],
        "duplicate_rows": [
            excel_row(twice),
            excel_row(next(r for r in rows if r["kind"] == "duplicate")),
        ],
        "not_found_codes": sorted(r["code"] for r in rows if r["kind"] == "not_found"),
        "legacy_rows": [
            {"row": excel_row(r), "written": r["code"], "code": r["e"].code}
            for r in rows
            if r["kind"] == "legacy"
        ],
    }
    facts["public_grades"] = {g: facts["public_grades"].get(g, 0) for g in GRADES}
    return cells, facts


def _kappa(matrix: dict[str, dict[str, int]]) -> float:
    """Cohen's kappa with linear weights, worked out on the planted matrix (rows: own tier)."""
    k = len(GRADES)
    n = sum(sum(row.values()) for row in matrix.values())
    rows = {a: sum(matrix[a].values()) / n for a in GRADES}
    cols = {b: sum(matrix[a][b] for a in GRADES) / n for b in GRADES}
    observed = expected = 0.0
    for i, a in enumerate(GRADES):
        for j, b in enumerate(GRADES):
            w = abs(i - j) / (k - 1)
            observed += w * matrix[a][b] / n
            expected += w * rows[a] * cols[b]
    return 1 - observed / expected


def _ungraded_list(
    rng: random.Random, factory: Factory, pool: list[Entity]
) -> tuple[list[list[Any]], dict[str, Any]]:
    """市应急局's list of supervised firms: no grades; a 行业类别 column."""
    rows: list[dict[str, Any]] = []
    legacy = [e for e in pool if e.old_org][:2]
    rest = [e for e in pool if e not in legacy]
    for e in rest[:38]:
        rows.append({"e": e, "code": e.code, "kind": "matched"})
    for e in legacy:
        rows.append({"e": e, "code": e.legacy_id, "kind": "legacy"})
    for _ in range(5):
        e = factory.entity(1)
        rows.append({"e": e, "code": e.code, "kind": "not_found"})
    bad = rest[38]
    rows.append({"e": bad, "code": _wrong_check(rng, bad.code), "kind": "invalid"})
    nameless = rest[39]
    rows.append({"e": nameless, "code": "", "kind": "invalid"})
    rows.sort(key=lambda r: (r["e"].division, r["e"].code))
    twice = next(r for r in rows[7:] if r["kind"] == "matched")
    rows.insert(rows.index(twice) + 1, {**twice, "kind": "duplicate"})

    cells: list[list[Any]] = []
    for i, r in enumerate(rows, 1):
        if r["kind"] == "duplicate":  # the very same row again
            cells.append([i, *cells[rows.index(twice)][1:]])
            continue
        e = r["e"]
        county = e.county if rng.random() < 0.7 or e.county.endswith("县") else "鹤岗市" + e.county
        cells.append([i, e.name.lstrip("="), r["code"], county, rng.choice(TRADES)])
    total = ["", f"合计：{len(rows)}家", "", "", ""]
    cells.append(total)

    def csv_row(r: dict[str, Any]) -> int:
        return rows.index(r) + 3  # title line, header, 1-based

    matched = [r for r in rows if r["kind"] in ("matched", "legacy")]
    facts = {
        "file": f"{FOLDER}/{UNGRADED_NAME}",
        "department": "市应急局",
        "domain": "安全生产领域",
        "graded": False,
        "encoding": "gb18030",
        "title_rows": 1,
        "rows": len(rows),
        "matched": len(matched),
        "not_found": sum(r["kind"] == "not_found" for r in rows),
        "invalid_codes": sum(r["kind"] == "invalid" for r in rows),
        "duplicates": sum(r["kind"] == "duplicate" for r in rows),
        "via_legacy_id": len(legacy),
        "public_grades": {g: sum(r["e"].public == g for r in matched) for g in GRADES},
        "not_a_grade_column": "行业类别",
        "total_line": len(rows) + 3,
        "invalid_rows": [
            {"row": csv_row(r), "written": r["code"]} for r in rows if r["kind"] == "invalid"
        ],
        "duplicate_rows": [csv_row(twice), csv_row(rows[rows.index(twice) + 1])],
        "not_found_codes": sorted(r["code"] for r in rows if r["kind"] == "not_found"),
        "legacy_rows": [
            {"row": csv_row(r), "written": r["code"], "code": r["e"].code}
            for r in rows
            if r["kind"] == "legacy"
        ],
    }
    return cells, facts


def write_reconcile(out: Path, made: Reconciled) -> None:
    previous = Sheet(
        "评价结果",
        ["序号", "统一社会信用代码", "企业名称", "所属区县", "综合得分", "信用等级"],
        made.previous_rows,
        ["鹤岗市2021年度市场主体公共信用综合评价结果"],
        widths=[8, 24, 40, 10, 10, 10],
    )
    write_xlsx(out / "entities" / PREVIOUS_PUBLIC_NAME, [previous], styled=False)
    graded = Sheet(
        "评价结果",
        ["序号", "企业名称", "统一社会信用代码", "信用等级", "评价得分"],
        made.graded_rows,
        ["2022年度鹤岗市建筑业企业信用评价结果"],
        widths=[6, 36, 24, 10, 10],
    )
    write_xlsx(out / FOLDER / GRADED_NAME, [graded])
    ungraded = Sheet(
        "",
        ["序号", "单位名称", "统一社会信用代码", "所属区县", "行业类别"],
        made.ungraded_rows,
        ["鹤岗市安全生产领域重点监管企业名单（2022年）"],
    )
    write_csv(out / FOLDER / UNGRADED_NAME, ungraded, "gb18030")
