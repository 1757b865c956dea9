"""Entity lists for double-A and ratings, with what was planted in them."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_gen.common import DIVISIONS, USCC_ALPHABET
from sample_gen.names import POLLUTERS, Entity, Factory, to_fullwidth
from sample_gen.writers import Sheet, write_xlsx

PUBLIC_NAME = "鹤岗市2022年度公共信用评价结果.xlsx"
TAX_NAME = "鹤岗市2022年度纳税信用级别名单.xlsx"
PREVIOUS_NAME = "鹤岗市2021年度双A企业名单.xlsx"
ENV_LIST_NAME = "市生态环境局_2022年11月_环境信用评价企业名录.xlsx"

SCORE_RANGES = {"A": (850.0, 985.0), "B": (700.0, 849.9), "C": (550.0, 699.9), "D": (320.0, 549.9)}
TAX_BUREAU = {
    d: f"国家税务总局{'' if c.endswith('县') else '鹤岗市'}{c}税务局" for d, c in DIVISIONS.items()
}

N_PUBLIC = 3000
N_DOUBLE_A = 130  # enterprises planted A in both lists (before messing some of them up)


@dataclass
class Planted:
    """Everything the entity generator planted, for EXPECTED.md and the tests."""

    public_rows: list[list[Any]] = field(default_factory=list)
    tax_rows: list[list[Any]] = field(default_factory=list)
    previous_rows: list[list[Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    # For the lists built from the same entities (sample_gen.reconcile): this year's public
    # evaluation, the codes written unusably in it, the code it grades twice.
    public: list[Entity] = field(default_factory=list)
    public_unusable: set[str] = field(default_factory=set)
    public_conflict: str = ""


def _score(rng: random.Random, grade: str) -> float:
    lo, hi = SCORE_RANGES[grade]
    return round(rng.uniform(lo, hi), 1)


def _pick(
    rng: random.Random,
    favoured: Sequence[Entity],
    others: Sequence[Entity],
    n_favoured: int,
    n_others: int,
    taken: set[str],
    *,
    lettered: bool = False,
) -> list[Entity]:
    """Pick entities from two pools, never one already taken (and mark them taken)."""
    picked: list[Entity] = []
    for pool, n in ((favoured, n_favoured), (others, n_others)):
        eligible = [
            e for e in pool if e.code not in taken and not (lettered and e.code[8:].isdigit())
        ]
        chosen = rng.sample(eligible, n)
        taken.update(e.code for e in chosen)
        picked += chosen
    return picked


def _wrong_check(rng: random.Random, code: str) -> str:
    return code[:17] + rng.choice([c for c in USCC_ALPHABET if c != code[17]])


def _with_spaces(rng: random.Random, code: str) -> str:
    cut = sorted(rng.sample(range(2, 17), 2))
    return code[: cut[0]] + " " + code[cut[0] : cut[1]] + " " + code[cut[1] :]


def make_entities(rng: random.Random, factory: Factory) -> Planted:
    planted = Planted()
    # ---- the public evaluation: 3,000 market entities
    n_business, n_coop = N_PUBLIC * 29 // 100, N_PUBLIC * 11 // 100
    kinds = [1] * (N_PUBLIC - n_business - n_coop) + [2] * n_business + [3] * n_coop
    rng.shuffle(kinds)
    public = [factory.entity(k) for k in kinds[:-1]]
    # One old enterprise with an all-digit code: Excel will keep it as a number and lose digits.
    digits_entity = factory.entity(1, old=True, all_digits=True)
    public.append(digits_entity)
    for e in public:
        e.public = rng.choices("ABCD", (22, 53, 18, 7))[0]
    enterprises = [e for e in public if e.kind == 1]
    # ---- the double-A candidates: enterprises planted A in both lists
    a_enterprises = [e for e in enterprises if e.public == "A" and e is not digits_entity]
    candidates = rng.sample(a_enterprises, N_DOUBLE_A - 1)
    digits_entity.public = "A"
    candidates.append(digits_entity)
    for e in candidates:
        e.tax = "A"
    cand_set = {e.code for e in candidates}
    # ---- the tax list: ~800 taxpayers; 700 also in the public list, 100 new (not yet evaluated)
    others_a = [e for e in a_enterprises if e.code not in cand_set]
    others_bcd = [e for e in enterprises if e.public != "A"]
    in_tax = (
        candidates
        + rng.sample(others_a, 90)
        + rng.sample(others_bcd, 420)
        + rng.sample([e for e in public if e.kind == 2], 35)
        + rng.sample([e for e in public if e.kind == 3], 25)
    )
    tax_only = [factory.entity(1) for _ in range(100)]
    for e in in_tax[N_DOUBLE_A:]:
        if e.kind == 1:
            e.tax = rng.choices("ABMCD", (10, 45, 30, 7, 8))[0]
        else:
            e.tax = rng.choices("BMCD", (50, 35, 8, 7))[0]
    # The public-A enterprises in the tax list beyond the candidates must not be tax A.
    for e in in_tax[N_DOUBLE_A:]:
        if e.public == "A" and e.tax == "A":
            e.tax = rng.choice("BM")
    for e in tax_only:
        e.tax = rng.choices("ABMCD", (25, 35, 30, 5, 5))[0]
    for e in public:
        e.score = _score(rng, e.public or "B")

    # ---- mess: decide who gets what, keeping each candidate's outcome unambiguous
    pool = [e for e in candidates if e is not digits_entity]
    rng.shuffle(pool)
    lost_public_check = pool[:2]  # wrong check char in the public list
    lost_tax_check = pool[2:3]  # wrong check char in the tax list
    conflict_entity = pool[3]  # listed twice in the public list, A and B
    formula_entity = pool[4]  # name starts with "="
    duplicate_entity = pool[5]  # exact duplicate row in the public list
    certain_pool = pool[4:]  # stays double-A whatever the mess (cleanable or none)
    legacy_candidates = [e for e in certain_pool if e.old_org][:14]
    non_candidates_public = [e for e in public if e.code not in cand_set and e.kind == 1]
    wrong_public_other = rng.sample(non_candidates_public, 2)
    tax_non_cand = [e for e in in_tax[N_DOUBLE_A:] + tax_only if e.kind == 1]
    wrong_tax_other = rng.sample([e for e in tax_non_cand if e not in wrong_public_other], 1)
    legacy_other = rng.sample(
        [e for e in tax_non_cand if e.old_org and e not in wrong_tax_other], 26
    )
    formula_entity.name = "=" + formula_entity.name
    tax_dup = rng.choice([e for e in tax_non_cand if e not in wrong_tax_other + legacy_other])

    special_public = {e.code for e in [*lost_public_check, conflict_entity, *wrong_public_other]}
    special_public.add(digits_entity.code)
    # Cleanable codes (lower case, full-width, spaces): some on double-A firms, some elsewhere.
    taken = set(special_public)
    others_public = [e for e in public if e.code not in cand_set]
    lower_public = _pick(rng, certain_pool, others_public, 4, 8, taken, lettered=True)
    full_public = _pick(rng, certain_pool, others_public, 2, 4, taken)
    space_public = _pick(rng, certain_pool, others_public, 3, 5, taken)

    # ---- public list rows: sorted by county and score, serial numbers added at the end
    written_public: dict[str, str | int] = {}
    for e in public:
        written_public[e.code] = e.code
    for e in lost_public_check + wrong_public_other:
        written_public[e.code] = _wrong_check(rng, e.code)
    written_public[digits_entity.code] = int(digits_entity.code[:15] + "000")
    for e in lower_public:
        written_public[e.code] = e.code.lower()
    for e in full_public:
        written_public[e.code] = to_fullwidth(e.code)
    for e in space_public:
        written_public[e.code] = _with_spaces(rng, e.code)
    ordered = sorted(public, key=lambda e: (e.division, -(e.score or 0), e.code))
    body: list[tuple[Entity, list[Any]]] = [
        (e, [e.name, written_public[e.code], e.county, e.score, e.public]) for e in ordered
    ]
    conflict_row = [
        conflict_entity.name,
        conflict_entity.code,
        conflict_entity.county,
        _score(rng, "B"),
        "B",
    ]
    body.insert(rng.randrange(len(body) // 2, len(body)), (conflict_entity, conflict_row))
    dup_source = next(row for e, row in body if e is duplicate_entity)
    body.append((duplicate_entity, list(dup_source)))
    public_title_rows = 2
    public_rows = [[i, *row] for i, (_, row) in enumerate(body, 1)]
    planted.public_rows = public_rows

    def public_excel_rows(entity: Entity) -> list[int]:
        return [i + public_title_rows + 2 for i, (e, _) in enumerate(body) if e is entity]

    # ---- tax list rows
    tax_entities = in_tax + tax_only
    written_tax: dict[str, str] = {e.code: e.code for e in tax_entities}
    for e in legacy_candidates + legacy_other:
        written_tax[e.code] = e.legacy_id
    for e in lost_tax_check + wrong_tax_other:
        written_tax[e.code] = _wrong_check(rng, e.code)
    taken = {e.code for e in tax_entities if written_tax[e.code] != e.code} | {tax_dup.code}
    others_tax = [e for e in tax_entities if e.code not in cand_set]
    lower_tax = _pick(rng, certain_pool, others_tax, 2, 3, taken, lettered=True)
    space_tax = _pick(rng, certain_pool, others_tax, 1, 2, taken)
    full_tax = _pick(rng, certain_pool, others_tax, 1, 1, taken)
    for e in lower_tax:
        written_tax[e.code] = e.code.lower()
    for e in space_tax:
        written_tax[e.code] = _with_spaces(rng, e.code)
    for e in full_tax:
        written_tax[e.code] = to_fullwidth(e.code)
    tax_ordered = sorted(tax_entities, key=lambda e: (e.division, e.name))
    tax_body = [
        (e, [written_tax[e.code], e.name, e.tax, TAX_BUREAU[e.division]]) for e in tax_ordered
    ]
    tax_dup_row = next(row for e, row in tax_body if e is tax_dup)
    tax_body.insert(
        next(i for i, (e, _) in enumerate(tax_body) if e is tax_dup) + 1,
        (tax_dup, list(tax_dup_row)),
    )
    tax_title_rows = 1
    planted.tax_rows = [[i, *row] for i, (_, row) in enumerate(tax_body, 1)]

    def tax_excel_rows(entity: Entity) -> list[int]:
        return [i + tax_title_rows + 2 for i, (e, _) in enumerate(tax_body) if e is entity]

    # ---- this year's double-A, as planted
    lost = {e.code for e in [*lost_public_check, *lost_tax_check, conflict_entity, digits_entity]}
    certain = sorted(
        (e for e in candidates if e.code not in lost), key=lambda e: (e.division, e.code)
    )
    certain_codes = {e.code for e in certain}
    # ---- last year's list: retained, dropped (downgraded or gone), two renamed since
    retained = rng.sample(certain, 95)
    public_b_tax_a = [
        e for e in enterprises if e.public == "B" and e.tax == "A" and e.code not in special_public
    ]
    public_a_tax_b = [
        e
        for e in in_tax[N_DOUBLE_A:]
        if e.public == "A" and e.tax in "BM" and written_tax[e.code] == e.code
    ]
    dropped_public = rng.sample(public_b_tax_a, 10)
    dropped_tax = rng.sample(public_a_tax_b, 5)
    gone = [factory.entity(1) for _ in range(3)]
    renamed = rng.sample(
        [e for e in retained if e is not formula_entity and "股份" not in e.name], 2
    )
    previous = sorted(
        retained + dropped_public + dropped_tax + gone, key=lambda e: (e.division, e.code)
    )
    old_names = {}
    for e in renamed:
        old_names[e.code] = e.name.replace("有限公司", "有限责任公司")
    planted.previous_rows = [
        [i, e.code, old_names.get(e.code, e.name.lstrip("=")), e.county]
        for i, e in enumerate(previous, 1)
    ]
    removed = sorted(
        (e for e in previous if e.code not in certain_codes), key=lambda e: (e.division, e.code)
    )
    retained_codes = {e.code for e in retained}
    added = [e for e in certain if e.code not in retained_codes]

    # ---- facts
    def codes(es: Iterable[Entity]) -> list[str]:
        return [e.code for e in es]

    tax_grades = Counter(e.tax for e in tax_entities)
    public_grades = Counter(e.public for e in public)
    per_county = Counter(e.county for e in certain)
    legacy_all = legacy_candidates + legacy_other
    planted.facts = {
        "public": {
            "file": PUBLIC_NAME,
            "title_rows": public_title_rows,
            "header_row": public_title_rows + 1,
            "data_rows": len(public_rows),
            "entities": len(public),
            "grades": {g: public_grades[g] for g in "ABCD"},
            "codes_valid_by_stdnum_as_written": sum(
                1 for _, row in body if isinstance(row[1], str) and _stdnum_valid(row[1])
            ),
            "codes_valid_after_cleaning": sum(1 for _, row in body if _clean_valid(row[1])),
            "codes_invalid_after_cleaning": sum(1 for _, row in body if not _clean_valid(row[1])),
            "lowercase_codes": len(lower_public),
            "fullwidth_codes": len(full_public),
            "codes_with_spaces": len(space_public),
            "wrong_check_character": [
                {"row": public_excel_rows(e)[0], "written": written_public[e.code], "code": e.code}
                for e in lost_public_check + wrong_public_other
            ],
            "stored_as_number": {
                "row": public_excel_rows(digits_entity)[0],
                "written": written_public[digits_entity.code],
                "excel_shows": f"{float(written_public[digits_entity.code]):.14E}",
                "code": digits_entity.code,
            },
            "duplicate_row": {
                "rows": public_excel_rows(duplicate_entity),
                "code": duplicate_entity.code,
            },
            "conflict": {
                "rows": public_excel_rows(conflict_entity),
                "code": conflict_entity.code,
                "grades": ["A", "B"],
            },
            "formula_like_name": {
                "row": public_excel_rows(formula_entity)[0],
                "name": formula_entity.name,
                "code": formula_entity.code,
            },
        },
        "tax": {
            "file": TAX_NAME,
            "title_rows": tax_title_rows,
            "header_row": tax_title_rows + 1,
            "data_rows": len(planted.tax_rows),
            "taxpayers": len(tax_entities),
            "grades": {g: tax_grades[g] for g in "ABMCD"},
            "also_in_public_list": len(in_tax),
            "not_in_public_list": len(tax_only),
            "legacy_15_char_ids": len(legacy_all),
            "codes_valid_after_cleaning": sum(1 for _, row in tax_body if _clean_valid(row[0])),
            "codes_invalid_18_char": sum(
                1 for _, row in tax_body if len(_compact(row[0])) == 18 and not _clean_valid(row[0])
            ),
            "lowercase_codes": len(lower_tax),
            "fullwidth_codes": len(full_tax),
            "codes_with_spaces": len(space_tax),
            "wrong_check_character": [
                {"row": tax_excel_rows(e)[0], "written": written_tax[e.code], "code": e.code}
                for e in lost_tax_check + wrong_tax_other
            ],
            "duplicate_row": {"rows": tax_excel_rows(tax_dup), "code": tax_dup.code},
        },
        "double_a": {
            "planted_candidates": len(candidates),
            "expected": len(certain),
            "via_legacy_tax_id": len(legacy_candidates),
            "via_cleaned_public_code": sum(
                1 for e in certain if e in lower_public + full_public + space_public
            ),
            "via_cleaned_tax_code": sum(
                1 for e in certain if e in lower_tax + space_tax + full_tax
            ),
            "per_county": {DIVISIONS[d]: per_county[DIVISIONS[d]] for d in DIVISIONS},
            "not_counted": {
                "wrong_check_in_public": codes(lost_public_check),
                "wrong_check_in_tax": codes(lost_tax_check),
                "stored_as_number_in_public": [digits_entity.code],
                "conflicting_public_grades": [conflict_entity.code],
            },
            "formula_like_name_code": formula_entity.code,
            "codes": codes(certain),
        },
        "previous": {
            "file": PREVIOUS_NAME,
            "rows": len(previous),
            "retained": len(retained),
            "added": len(added),
            "removed": len(removed),
            "removed_now_public_b": len(dropped_public),
            "removed_now_tax_not_a": len(dropped_tax),
            "removed_not_in_lists": len(gone),
            "renamed_but_retained": codes(renamed),
            "added_codes": codes(added),
            "removed_codes": codes(removed),
        },
    }
    planted.public = public
    planted.public_unusable = {e.code for e in [*lost_public_check, *wrong_public_other]}
    planted.public_unusable.add(digits_entity.code)
    planted.public_conflict = conflict_entity.code
    return planted


def _compact(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text).upper()


def _stdnum_valid(value: str) -> bool:
    from stdnum.cn import uscc as uscc_mod

    return uscc_mod.is_valid(value)


def _clean_valid(value: object) -> bool:
    """Valid once lower case, full-width characters and spaces are undone."""
    if not isinstance(value, str):
        return False
    return _stdnum_valid(_compact(value))


def write_entities(out: Path, planted: Planted) -> None:
    folder = out / "entities"
    public = Sheet(
        "评价结果",
        ["序号", "市场主体名称", "统一社会信用代码", "所属区县", "综合得分", "评价等级"],
        planted.public_rows,
        [
            "鹤岗市2022年度市场主体公共信用综合评价结果",
            "发布单位：鹤岗市信用办　评价基准日：2022年9月30日",
        ],
        widths=[8, 40, 24, 10, 10, 10],
    )
    write_xlsx(folder / PUBLIC_NAME, [public], styled=False)
    tax = Sheet(
        "纳税信用级别",
        ["序号", "纳税人识别号", "纳税人名称", "纳税信用级别", "所属税务机关"],
        planted.tax_rows,
        ["鹤岗市纳税信用级别名单（2021年度评价，2022年发布）"],
        widths=[8, 24, 40, 12, 30],
    )
    write_xlsx(folder / TAX_NAME, [tax], styled=False)
    previous = Sheet(
        "双A企业",
        ["序号", "统一社会信用代码", "企业名称", "所属区县"],
        planted.previous_rows,
        ["鹤岗市2021年度“双A企业”名单"],
        widths=[8, 24, 40, 10],
    )
    write_xlsx(folder / PREVIOUS_NAME, [previous], styled=False)


# ====================================================================== domain list (ratings)

ENV_LEVELS = (("绿牌", 34), ("蓝牌", 10), ("黄牌", 2), ("红牌", 1), ("待定", 1))
ENV_NOT_A_LEVEL = "待定"
ENV_DOMAIN = "企业环境"  # the environment bureau's domain, whose return the list must agree with
ENV_TITLES = ("2022年度鹤岗市环境信用评价企业名录（截至2022年11月）",)


def make_env_list(rng: random.Random, factory: Factory) -> tuple[list[list[Any]], int]:
    """The environment bureau's list: one row per evaluated firm, 1 odd level '待定'."""
    labels = [label for label, n in ENV_LEVELS for _ in range(n)]
    rng.shuffle(labels)
    firms = [factory.entity(1, trades=POLLUTERS) for _ in labels]
    firms.sort(key=lambda e: (e.division, e.code))
    rows = [
        [i, e.name, e.code, e.county, label]
        for i, (e, label) in enumerate(zip(firms, labels, strict=True), 1)
    ]
    odd_row = next(i for i, row in enumerate(rows) if row[4] == ENV_NOT_A_LEVEL)
    odd_row += len(ENV_TITLES) + 2  # Excel row: the titles, the header, 1-based
    return rows, odd_row


def write_env_list(out: Path, rows: list[list[Any]]) -> None:
    sheet = Sheet(
        "名录",
        ["序号", "企业名称", "统一社会信用代码", "所属区县", "环境信用等级"],
        rows,
        list(ENV_TITLES),
        widths=[6, 36, 24, 10, 14],
    )
    write_xlsx(out / "lists" / ENV_LIST_NAME, [sheet])
