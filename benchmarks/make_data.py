"""Deterministic, realistically messy entity lists for the double-A benchmark.

City scale (the seed's figures): 62,468 publicly evaluated entities (xlsx with a title
row) and 9,889 rated taxpayers (xlsx; A 236, B 3,495, M 5,352, C 197, D 609).
Province scale: 1,000,000 public rows and 160,000 tax rows as csv.

The mess is what real exports carry: lowercase and full-width codes, spaces and
hyphens inside codes, wrong check characters, all-digit codes that Excel stored as
numbers (digits lost), legacy 15-character taxpayer ids in the tax list, duplicate
rows, a few codes listed twice with different grades, names that start with ``=``.

Run directly to (re)build ``benchmarks/data/``; ``bench_doublea.py`` calls :func:`ensure`.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
VERSION = 3  # bump when the generator changes so cached files are rebuilt
SEED = 20221109

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

HEGANG = [
    ("230402", "向阳区", 14),
    ("230403", "工农区", 16),
    ("230404", "南山区", 13),
    ("230405", "兴安区", 8),
    ("230406", "东山区", 12),
    ("230407", "兴山区", 5),
    ("230421", "萝北县", 17),
    ("230422", "绥滨县", 12),
    ("230400", "鹤岗市", 3),
]
# Other Heilongjiang divisions for the province-scale lists (names are illustrative).
PROVINCE_CITIES = [
    ("2301", "哈尔滨市"),
    ("2302", "齐齐哈尔市"),
    ("2303", "鸡西市"),
    ("2305", "双鸭山市"),
    ("2306", "大庆市"),
    ("2307", "伊春市"),
    ("2308", "佳木斯市"),
    ("2309", "七台河市"),
    ("2310", "牡丹江市"),
    ("2311", "黑河市"),
    ("2312", "绥化市"),
]

SHOP = "鑫达华升宝泉兴盛隆昌源恒鸿福瑞金龙江北松林石墨宇新安顺丰泰和远通益康嘉禾润东方红旗众诚信德汇佳美万利"
TRADES = [
    "煤业",
    "石墨",
    "建筑工程",
    "商贸",
    "农业科技",
    "物流",
    "餐饮管理",
    "运输",
    "粮食贸易",
    "木业",
    "热力",
    "医药",
    "建材",
    "食品",
    "汽车销售",
    "物业管理",
    "装饰工程",
    "电力",
    "环保科技",
    "矿业",
]
SHOPS_92 = ["商店", "超市", "饭店", "五金店", "汽车修理部", "烟酒行"]
TAX_OFFICES = {
    "230402": "国家税务总局鹤岗市向阳区税务局",
    "230403": "国家税务总局鹤岗市工农区税务局",
    "230404": "国家税务总局鹤岗市南山区税务局",
    "230405": "国家税务总局鹤岗市兴安区税务局",
    "230406": "国家税务总局鹤岗市东山区税务局",
    "230407": "国家税务总局鹤岗市兴山区税务局",
    "230421": "国家税务总局萝北县税务局",
    "230422": "国家税务总局绥滨县税务局",
    "230400": "国家税务总局鹤岗市税务局",
}
PUBLIC_GRADES = ("A", "B", "C", "D")
TAX_GRADES = {"A": 236, "B": 3495, "M": 5352, "C": 197, "D": 609}


def uscc_check(body17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total) % 31]


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    if rng.random() < 0.55:
        body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    value = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
    c9 = 11 - sum(value[c] * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    return body + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))


@dataclass
class Entity:
    code: str
    name: str
    division: str
    county: str


def make_entities(
    rng: random.Random, n: int, divisions: list[tuple[str, str, int]]
) -> list[Entity]:
    codes: set[str] = set()
    out = []
    div_codes = [d[0] for d in divisions]
    div_weights = [d[2] for d in divisions]
    county_of = {d[0]: d[1] for d in divisions}
    while len(out) < n:
        division = rng.choices(div_codes, div_weights)[0]
        kind = rng.choices(["91", "92", "93", "12", "52"], [70, 20, 6, 2, 2])[0]
        body = kind + division + org_code(rng)
        code = body + uscc_check(body)
        if code in codes:
            continue
        codes.add(code)
        county = county_of[division]
        place = county if county.endswith("县") else "鹤岗市"
        if not division.startswith("2304"):
            place = county
        shop = "".join(rng.choice(SHOP) for _ in range(2))
        if kind == "92":
            name = f"{place}{shop}{rng.choice(SHOPS_92)}"
        elif kind == "93":
            name = f"{place}{shop}农民专业合作社"
        else:
            suffix = rng.choices(["有限公司", "有限责任公司", "股份有限公司"], [6, 3, 1])[0]
            name = f"{place}{shop}{rng.choice(TRADES)}{suffix}"
        out.append(Entity(code, name, division, county))
    return out


FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def mess_code(rng: random.Random, code: str, how: str) -> str:
    if how == "lower":
        return code.lower()
    if how == "fullwidth":
        return "".join(FULLWIDTH.get(c, c) for c in code)
    if how == "spaces":
        return rng.choice([f"{code[:8]} {code[8:]}", f"{code[:2]}-{code[2:8]}-{code[8:]}"])
    if how == "padded":
        return f" {code} "
    if how == "badcheck":
        wrong = rng.choice([c for c in ALPHABET if c != code[-1]])
        return code[:-1] + wrong
    raise ValueError(how)


def all_digit_code(rng: random.Random, division: str) -> str:
    while True:
        body = "91" + division + "".join(rng.choice("0123456789") for _ in range(9))
        check = uscc_check(body)
        if check.isdigit():
            return body + check


@dataclass
class Row:
    code: object  # str, or float for a code Excel stored as a number
    name: str
    county: str
    grade: str
    score: int | None = None
    extra: str = ""


def public_score(rng: random.Random, grade: str) -> int:
    lo, hi = {"A": (850, 1000), "B": (700, 849), "C": (600, 699), "D": (300, 599)}[grade]
    return rng.randint(lo, hi)


def formula_like(rng: random.Random, name: str) -> str:
    return rng.choice(["=", "+", "-", "@"]) + name


def build(
    n_public: int,
    n_tax: int,
    seed: int,
    divisions: list[tuple[str, str, int]],
    numeric_cells: bool,
) -> tuple[list[Row], list[Row]]:
    """Public and tax rows; numeric_cells puts Excel-rounded codes in as floats."""
    rng = random.Random(seed)
    scale = n_public / 62_468
    tax_scale = n_tax / 9_889

    def k(n: float) -> int:
        return max(1, round(n * scale))

    # Extra rows (duplicates, conflicts) so that the files have exactly n rows.
    pub_dup, pub_conf = k(120), k(16)
    tax_dup, tax_conf = max(1, round(20 * tax_scale)), max(2, round(6 * tax_scale))
    n_pub_ents = n_public - pub_dup - pub_conf
    n_tax_ents = n_tax - tax_dup - tax_conf
    n_tax_only = int(n_tax_ents * 0.05)
    entities = make_entities(rng, n_pub_ents + n_tax_only, divisions)
    public_ents = entities[:n_pub_ents]
    tax_only = entities[n_pub_ents:]

    # Tax grades with the seed's proportions (A 236, B 3,495, M 5,352, C 197, D 609).
    tax_grades: list[str] = []
    for g, count in TAX_GRADES.items():
        tax_grades += [g] * round(count * n_tax_ents / 9_889)
    tax_grades = (tax_grades + ["M"] * n_tax_ents)[:n_tax_ents]
    rng.shuffle(tax_grades)
    tax_ents = rng.sample(public_ents, n_tax_ents - n_tax_only) + tax_only
    rng.shuffle(tax_ents)
    tax_grade_of = {e.code: g for e, g in zip(tax_ents, tax_grades, strict=True)}

    public: list[Row] = []
    for e in public_ents:
        tg = tax_grade_of.get(e.code)
        if tg == "A":
            grade = rng.choices(PUBLIC_GRADES, [80, 17, 3, 0])[0]
        else:
            grade = rng.choices(PUBLIC_GRADES, [15, 60, 18, 7])[0]
        county = e.county if rng.random() > 0.03 else ""
        public.append(Row(e.code, e.name, county, grade, public_score(rng, grade)))
    tax: list[Row] = []
    for e in tax_ents:
        office = TAX_OFFICES.get(e.division, "国家税务总局黑龙江省税务局")
        tax.append(Row(e.code, e.name, "", tax_grade_of[e.code], extra=office))

    def pick(rows: list[Row], k: int) -> list[Row]:
        return rng.sample(rows, min(k, len(rows)))

    # Legacy 15-character ids in the tax list (6 %), as the old tax system exported them.
    for row in pick(tax, int(0.06 * len(tax))):
        assert isinstance(row.code, str)
        row.code = row.code[2:17]
    for rows, factor in ((public, 1.0), (tax, 0.2)):
        for how, count in (
            ("lower", 150),
            ("fullwidth", 80),
            ("spaces", 200),
            ("padded", 300),
            ("badcheck", 60),
        ):
            for row in pick(rows, k(count * factor)):
                if isinstance(row.code, str) and len(row.code) == 18:
                    row.code = mess_code(rng, row.code, how)
        # Excel-rounded all-digit codes: the entity's code is all digits and was stored
        # as a number with 15 significant digits.
        for row in pick(rows, k(25 * factor)):
            division = str(row.code)[2:8]
            digits = all_digit_code(
                rng, division if division.isascii() and division.isdigit() else "230402"
            )
            rounded = float(f"{float(digits):.15g}")
            if numeric_cells and rows is public:
                row.code = rounded
            else:
                row.code = rng.choice([f"{rounded:.6g}", f"{int(rounded)}"])
        for row in pick(rows, k(10 * factor)):
            row.code = ""
        for row in pick(rows, 5):
            row.name = formula_like(rng, row.name)

    # A-grade rows get a share of the mess too (so the join is exercised).
    a_public = [r for r in public if r.grade == "A" and isinstance(r.code, str)]
    for row in pick(a_public, k(12)):
        code = str(row.code)
        if len(code) == 18:
            row.code = mess_code(rng, code, rng.choice(["lower", "fullwidth", "spaces"]))

    # Duplicates (same grade) and conflicts (same code, another grade).
    for rows, n_dup, n_conf, grades in (
        (public, pub_dup, pub_conf, PUBLIC_GRADES),
        (tax, tax_dup, tax_conf, tuple(TAX_GRADES)),
    ):
        for row in pick(rows, n_dup):
            rows.append(Row(row.code, row.name, row.county, row.grade, row.score, row.extra))
        a_rows = [r for r in rows if r.grade == "A"]
        conflict_src = pick(a_rows, n_conf // 2)
        conflict_src += pick(rows, n_conf - len(conflict_src))
        for row in conflict_src:
            other = rng.choice([g for g in grades if g != row.grade])
            score = public_score(rng, other) if other in "ABCD" and row.score else None
            rows.append(Row(row.code, row.name, row.county, other, score, row.extra))
        rng.shuffle(rows)
    return public, tax


PUBLIC_HEADER = ["序号", "统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "信用等级"]
TAX_HEADER = ["序号", "纳税人识别号", "纳税人名称", "主管税务机关", "评价年度", "纳税信用级别"]


def public_cells(i: int, r: Row) -> list[object]:
    return [i, r.code, r.name, r.county, r.score, r.grade]


def tax_cells(i: int, r: Row) -> list[object]:
    return [i, r.code, r.name, r.extra, 2021, r.grade]


def write_xlsx(path: Path, title: str | None, header: list[str], rows: list[list[object]]) -> None:
    import xlsxwriter

    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": __import__("datetime").datetime(2022, 11, 9)})
    ws = wb.add_worksheet("Sheet1")
    r0 = 0
    if title:
        ws.merge_range(0, 0, 0, len(header) - 1, title)
        r0 = 1
    ws.write_row(r0, 0, header)
    for i, row in enumerate(rows, r0 + 1):
        for j, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                ws.write_string(i, j, v)
            else:
                ws.write_number(i, j, v)
    wb.close()
    tmp.replace(path)


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    tmp = path.with_suffix(".tmp.csv")
    with tmp.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(["" if v is None else v for v in row] for row in rows)
    tmp.replace(path)


def city(folder: Path = DATA) -> dict[str, Path]:
    public, tax = build(62_468, 9_889, SEED, HEGANG, numeric_cells=True)
    paths = {"public": folder / "public_city.xlsx", "tax": folder / "tax_city.xlsx"}
    write_xlsx(
        paths["public"],
        "鹤岗市2022年度市场主体公共信用综合评价结果",
        PUBLIC_HEADER,
        [public_cells(i, r) for i, r in enumerate(public, 1)],
    )
    write_xlsx(paths["tax"], None, TAX_HEADER, [tax_cells(i, r) for i, r in enumerate(tax, 1)])
    return paths


def province(folder: Path = DATA) -> dict[str, Path]:
    divisions = [(d, c, w * 2) for d, c, w in HEGANG]
    rng = random.Random(SEED + 1)
    for prefix, city_name in PROVINCE_CITIES:
        for j in range(2, 10):
            divisions.append((f"{prefix}{j:02d}", f"{city_name}{j:02d}区", rng.randint(5, 20)))
    public, tax = build(1_000_000, 160_000, SEED + 2, divisions, numeric_cells=False)
    paths = {"public": folder / "public_province.csv", "tax": folder / "tax_province.csv"}
    write_csv(
        paths["public"],
        PUBLIC_HEADER,
        [public_cells(i, r) for i, r in enumerate(public, 1)],
        "utf-8",
    )
    # The tax bureau's export is GBK, as Chinese Windows tools write it.
    write_csv(paths["tax"], TAX_HEADER, [tax_cells(i, r) for i, r in enumerate(tax, 1)], "gb18030")
    return paths


def ensure(which: str, folder: Path = DATA) -> dict[str, Path]:
    """Build the data set once; reuse it while the generator version is unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / f"{which}.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        paths = {k: Path(v) for k, v in info["paths"].items()}
        if info.get("version") == VERSION and all(p.exists() for p in paths.values()):
            return paths
    paths = city(folder) if which == "city" else province(folder)
    stamp.write_text(
        json.dumps({"version": VERSION, "paths": {k: str(v) for k, v in paths.items()}})
    )
    return paths


if __name__ == "__main__":
    for which in sys.argv[1:] or ["city", "province"]:
        print(which, ensure(which))
