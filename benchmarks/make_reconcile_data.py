"""Deterministic data for the reconcile benchmark, built on the double-A benchmark's public
evaluation (``make_data.py``, fixed seed).

City scale: this year's public evaluation (62,468 rows, xlsx with a title row — the
double-A benchmark's file), last year's (xlsx with a title row) and 23 department lists,
one per domain of the registry, 60,000 rows in all (xlsx and csv in UTF-8 with BOM or
GBK, some with a title row; graded on each domain's own scale or without grades).
Province scale: 1,000,000 public rows against last year's 1,000,000 (csv).

Last year's evaluation is this year's rows with last year's grade (mostly the same, a
quarter one step away, a few two or three steps), without the entities evaluated for the
first time this year, plus entities that have gone since. A department list draws its
entities from the public evaluation (codes as the platform has them, some lower case,
full width or with spaces), adds legacy 15-character ids, entities the public evaluation
does not have, invalid codes, repeated rows and a few grades outside the domain's scale.
A manifest (``reconcile_city.json``) records each list's domain and columns, as the
analyst of the pandas baseline knows them.

Run directly to (re)build ``benchmarks/data/``; ``bench_reconcile.py`` calls :func:`ensure`.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from make_data import (
    ALPHABET,
    DATA,
    FULLWIDTH,
    HEGANG,
    PROVINCE_CITIES,
    PUBLIC_HEADER,
    make_entities,
    public_score,
    uscc_check,
    write_xlsx,
)
from make_data import ensure as ensure_double_a

VERSION = 3  # bump when the generator changes so cached files are rebuilt
SEED = 20221111
REGISTRY = Path(__file__).resolve().parents[1] / "hgcredit" / "registry.toml"
GRADES = "ABCD"
LIST_ROWS = 60_000
# Domains whose department has no evaluation of its own: their lists carry no grades.
UNGRADED = (
    "安全生产领域",
    "林草监管领域",
    "养老机构",
    "粮食企业",
    "水利建设市场领域",
    "制毒化学品领域",
)
# Relative sizes of the 23 lists (the tax bureau's and the food regulator's are the largest).
WEIGHTS = (30, 2, 2, 6, 3, 3, 1, 1, 1, 4, 6, 5, 16, 1, 3, 2, 1, 2, 3, 6, 2, 1, 1)
HEADERS = (
    ["序号", "统一社会信用代码", "企业名称", "信用等级"],
    ["序号", "单位名称", "社会信用代码", "所属区县", "评价等级"],
    ["序号", "纳税人识别号", "纳税人名称", "评定结果"],
)
UNGRADED_HEADER = ["序号", "企业名称", "统一社会信用代码", "所属区县", "监管类别"]
CATEGORIES = ("重点监管", "一般监管", "日常巡查")


def compact(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(c for c in text if c not in " -").upper().strip()


def valid(code: str) -> bool:
    return (
        len(code) == 18
        and code[:8].isdigit()
        and all(c in ALPHABET for c in code)
        and uscc_check(code[:17]) == code[17]
    )


def last_year(rng: random.Random, grade: str) -> str:
    t = GRADES.index(grade) if grade in GRADES else 1
    r = rng.random()
    if r < 0.70:
        return GRADES[t]
    steps = rng.choice((-1, 1)) if r < 0.95 else rng.choice((-3, -2, 2, 3))
    return GRADES[min(max(t + steps, 0), 3)]


def previous_rows(
    rng: random.Random, rows: list[list[Any]], divisions: list[tuple[str, str, int]]
) -> list[list[Any]]:
    """Last year's rows ([序号, 代码, 名称, 区县, 得分, 等级]) from this year's."""
    out = []
    for row in rows:
        if rng.random() < 0.95:
            grade = last_year(rng, str(row[5]))
            out.append([0, row[1], row[2], row[3], public_score(rng, grade), grade])
    for e in make_entities(rng, len(rows) // 20, divisions):
        grade = rng.choices(GRADES, (15, 60, 18, 7))[0]
        out.append([0, e.code, e.name, e.county, public_score(rng, grade), grade])
    rng.shuffle(out)
    for i, row in enumerate(out, 1):
        row[0] = i
    return out


def scales() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    registry = tomllib.loads(REGISTRY.read_text("utf-8"))
    return registry["domains"], {k: v["levels"] for k, v in registry["scales"].items()}


def written_grade(rng: random.Random, level: dict[str, Any]) -> str:
    label = level["label"]
    forms = [label]
    if label.isascii():
        forms.append(label + "级")
    forms += level["forms"][:1]
    return rng.choice(forms)


def own_level(rng: random.Random, levels: list[dict[str, Any]], public: str) -> dict[str, Any]:
    """A department's level, correlated with the public grade (the same tier 60 %)."""
    same = [lv for lv in levels if lv["tier"] == public]
    if same and rng.random() < 0.6:
        return rng.choice(same)
    return rng.choice(levels)


def department_lists(
    rng: random.Random, rows: list[list[Any]], folder: Path
) -> list[dict[str, Any]]:
    domains, levels_of = scales()
    entities = []  # (code, name, county, public grade) of this year's usable rows, once each
    seen: set[str] = set()
    for row in rows:
        code = compact(row[1]) if isinstance(row[1], str) else ""
        if valid(code) and code not in seen:
            seen.add(code)
            entities.append((code, str(row[2]).lstrip("=+-@"), str(row[3]), str(row[5])))
    others = make_entities(rng, 8_000, HEGANG)
    sizes = [round(LIST_ROWS * w / sum(WEIGHTS)) for w in WEIGHTS]
    sizes[0] += LIST_ROWS - sum(sizes)
    manifest = []
    for i, (domain, size) in enumerate(zip(domains, sizes, strict=True)):
        graded = domain["domain"] not in UNGRADED
        levels = levels_of[domain["scale"]]
        header = HEADERS[i % len(HEADERS)] if graded else UNGRADED_HEADER
        n_dup = max(1, size // 50)
        n_new = size * 7 // 100
        n_bad = max(1, size // 100)
        n_legacy = size * 5 // 100
        picked = rng.sample(entities, size - n_dup - n_new - n_bad)
        body: list[tuple[str, str, str, str]] = []  # written code, name, county, grade
        for j, (code, name, county, public) in enumerate(picked):
            if j < n_legacy:
                written = code[2:17]
            elif j < n_legacy + size // 50:
                written = rng.choice(
                    [
                        code.lower(),
                        "".join(FULLWIDTH.get(c, c) for c in code),
                        f"{code[:8]} {code[8:]}",
                    ]
                )
            else:
                written = code
            grade = (
                written_grade(rng, own_level(rng, levels, public))
                if graded
                else rng.choice(CATEGORIES)
            )
            body.append((written, name, county, grade))
        for e in rng.sample(others, n_new):  # not in the public evaluation
            grade = written_grade(rng, rng.choice(levels)) if graded else rng.choice(CATEGORIES)
            body.append((e.code, e.name, e.county, grade))
        for code, name, county, _ in rng.sample(entities, n_bad):  # a wrong check character
            wrong = code[:17] + rng.choice([c for c in ALPHABET if c != code[17]])
            body.append((wrong, name, county, body[0][3]))
        if graded:  # grades outside the scale
            for k in rng.sample(range(len(body)), max(1, size // 400)):
                body[k] = (*body[k][:3], "待定")
        for k in rng.sample(range(len(body)), n_dup):
            body.append(body[k])
        rng.shuffle(body)
        cells = []
        for n, (code, name, county, grade) in enumerate(body, 1):
            record = {"序号": n, "code": code, "name": name, "county": county, "grade": grade}
            cells.append([record[_role(h)] for h in header])
        stem = f"{domain['department']}_{domain['domain']}_名单"
        title = f"{domain['domain']}名单（2022年）" if i % 3 == 0 else None
        if i % 2 == 0:
            path = folder / f"{stem}.xlsx"
            write_xlsx(path, title, header, cells)
            encoding = None
        else:
            path = folder / f"{stem}.csv"
            encoding = "gb18030" if i % 4 == 1 else "utf-8-sig"
            with path.open("w", encoding=encoding, newline="") as fh:
                w = csv.writer(fh)
                if title:
                    w.writerow([title] + [""] * (len(header) - 1))
                w.writerow(header)
                w.writerows(cells)
        manifest.append(
            {
                "file": str(path),
                "department": domain["department"],
                "domain": domain["domain"],
                "scale": domain["scale"],
                "graded": graded,
                "header_row": 1 if title else 0,
                "encoding": encoding,
                "columns": {_role(h): h for h in header if _role(h) != "序号"},
            }
        )
    return manifest


def _role(header: str) -> str:
    if header == "序号":
        return "序号"
    if "代码" in header or "识别号" in header:
        return "code"
    if "名称" in header:
        return "name"
    if header == "所属区县":
        return "county"
    return "grade"


def _read_public(path: Path) -> list[list[Any]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))[1:]
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[2:]


def city(folder: Path = DATA) -> dict[str, Any]:
    public = ensure_double_a("city", folder)["public"]
    rows = _read_public(public)
    rng = random.Random(SEED)
    previous = folder / "public_city_2021.xlsx"
    write_xlsx(
        previous,
        "鹤岗市2021年度市场主体公共信用综合评价结果",
        PUBLIC_HEADER,
        [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in previous_rows(rng, rows, HEGANG)],
    )
    lists_folder = folder / "lists_city"
    lists_folder.mkdir(parents=True, exist_ok=True)
    lists = department_lists(rng, rows, lists_folder)
    return {"public": str(public), "previous": str(previous), "lists": lists}


def province(folder: Path = DATA) -> dict[str, Any]:
    public = ensure_double_a("province", folder)["public"]
    rows = _read_public(public)
    divisions = [(d, c, w * 2) for d, c, w in HEGANG]
    rng = random.Random(SEED + 1)
    for prefix, city_name in PROVINCE_CITIES:
        for j in range(2, 10):
            divisions.append((f"{prefix}{j:02d}", f"{city_name}{j:02d}区", rng.randint(5, 20)))
    previous = folder / "public_province_2021.csv"
    with previous.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(PUBLIC_HEADER)
        w.writerows(previous_rows(rng, rows, divisions))
    return {"public": str(public), "previous": str(previous), "lists": []}


def ensure(which: str, folder: Path = DATA) -> dict[str, Any]:
    """Build the data set once; reuse it while the generator version is unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / f"reconcile_{which}.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        paths = [info["public"], info["previous"], *(x["file"] for x in info["lists"])]
        if info.get("version") == VERSION and all(Path(p).exists() for p in paths):
            return info  # type: ignore[no-any-return]
    info = city(folder) if which == "city" else province(folder)
    info["version"] = VERSION
    stamp.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    return info


if __name__ == "__main__":
    for which in sys.argv[1:] or ["city", "province"]:
        found = ensure(which)
        print(which, found["public"], found["previous"], len(found["lists"]), "lists")
