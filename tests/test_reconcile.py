"""The reconciliation core (:func:`hgcredit.reconcile.job.reconcile`) on small lists whose
answers are known by construction: matrices, agreement and kappa, legacy-id matches,
lists without grades, year over year, unknown grades, a list without codes."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hgcredit.entities import codes
from hgcredit.entities.codes import check_character
from hgcredit.entities.counties import Counties
from hgcredit.entities.lists import _is_clean
from hgcredit.errors import HeaderError
from hgcredit.io.tables import cell_text
from hgcredit.reconcile.agreement import weighted_kappa
from hgcredit.reconcile.job import reconcile
from hgcredit.reconcile.model import (
    GOOD_POOR,
    KIND_AMBIGUOUS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    KIND_INVALID,
    KIND_NOT_FOUND,
    KIND_UNKNOWN_GRADE,
    POOR_GOOD,
)
from hgcredit.reconcile.public import KeyIndex, lookup
from hgcredit.registry import load_registry

PUBLIC_HEADER = ["序号", "统一社会信用代码", "市场主体名称", "所属区县", "综合得分", "评价等级"]


def code(division: str, org: str, kind: str = "91") -> str:
    body = kind + division + org
    return body + check_character(body)


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], title: str = "", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        if title:
            w.writerow([title] + [""] * (len(header) - 1))
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]], title: str = "") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# Twelve entities of 向阳区 (230402) and 萝北县 (230421); E[i] has organisation code 10000000i.
E = [code("230402" if i < 8 else "230421", f"{100000000 + i}") for i in range(12)]
NOW = "ABCDABCDABCD"  # this year's public grade of E[i]


@pytest.fixture
def public(tmp_path: Path) -> Path:
    rows = [[i + 1, c, f"企业{i}", "", 900 - i, NOW[i]] for i, c in enumerate(E)]
    return write_xlsx(
        tmp_path / "公共信用评价.xlsx", PUBLIC_HEADER, rows, "2022年公共信用综合评价结果"
    )


def _rows(matched: dict[int, str]) -> list[list[Any]]:
    return [[n, f"企业{i}", E[i], grade] for n, (i, grade) in enumerate(matched.items(), 1)]


LIST_HEADER = ["序号", "企业名称", "统一社会信用代码", "信用等级"]


# ---------------------------------------------------------------- a graded list


def test_matrix_agreement_kappa_and_disagreements_of_a_graded_list(tmp_path, public):
    # 建筑业企业: AAA, AA -> tier A; A -> B; B -> C; C -> D (registry.toml).
    own = {0: "AAA级", 1: "AA", 2: "A级", 3: "C", 4: "AA", 5: "B级", 6: "A", 7: "AAA", 8: "C级"}
    lst = write_csv(tmp_path / "市住建局_建筑业企业名单.csv", LIST_HEADER, _rows(own))
    result = reconcile(public, [lst])
    (d,) = result.domains
    assert (d.domain.domain, d.graded) == ("建筑业企业", True)
    # own tier x public grade, entity by entity:
    # 0 A/A 1 A/B 2 B/C 3 D/D 4 A/A 5 C/B 6 B/C 7 A/D 8 D/A
    assert d.matrix_json() == {
        "A": {"A": 2, "B": 1, "C": 0, "D": 1},
        "B": {"A": 0, "B": 0, "C": 2, "D": 0},
        "C": {"A": 0, "B": 1, "C": 0, "D": 0},
        "D": {"A": 1, "B": 0, "C": 0, "D": 1},
    }
    assert d.agreement == pytest.approx(3 / 9)
    assert d.tier_matrix is not None
    assert d.kappa == pytest.approx(weighted_kappa(d.tier_matrix))
    assert (d.rows, d.matched, d.not_found, d.invalid_codes, d.duplicates) == (9, 9, 0, 0, 0)
    by_direction = {
        direction: sorted(x.code for x in d.disagreements if x.direction == direction)
        for direction in (GOOD_POOR, POOR_GOOD)
    }
    # Good own tier (A/B) but public C/D: 2 (B/C), 6 (B/C), 7 (A/D); the reverse: 5 (C/B), 8 (D/A).
    assert by_direction == {GOOD_POOR: sorted([E[2], E[6], E[7]]), POOR_GOOD: sorted([E[5], E[8]])}
    x = next(x for x in d.disagreements if x.code == E[8])
    assert (x.grade, x.tier, x.public_grade, x.county, x.name) == ("C", "D", "A", "萝北县", "企业8")
    assert d.public_grades == {"A": 3, "B": 2, "C": 2, "D": 2}
    assert result.needs_attention == 0
    data = d.to_json()
    assert data["disagreements"] == 5 and data["matrix"] == d.matrix_json()


def test_unknown_grades_are_listed_by_row_and_need_a_look(tmp_path, public):
    own = {0: "AAA", 1: "A+", 2: "", 3: "C"}
    lst = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, _rows(own))
    result = reconcile(public, [lst])
    (d,) = result.domains
    assert [(u.where.split(" ", 1)[1], u.value) for u in d.unknown_rows] == [
        ("第3行 第D列", "A+"),
        ("第4行 第D列", ""),
    ]
    assert d.compared == 2 and d.matched == 4  # found, but not compared
    kinds = [(q.row, q.kind, q.column) for q in result.problems]
    assert kinds == [(3, KIND_UNKNOWN_GRADE, "D"), (4, KIND_UNKNOWN_GRADE, "D")]
    assert "“A+”不是建筑业企业信用等级的等级：AAA、AA、A、B、C" in result.problems[0].message
    assert result.needs_attention == 2


def test_legacy_ids_match_the_unified_code_whose_characters_3_to_17_they_are(tmp_path, public):
    rows = [
        [1, "企业0", E[0][2:17], "AAA"],  # a legacy taxpayer id
        [2, "企业1", E[1].lower(), "AA"],  # lower case: cleaned
        [3, "企业2", " ".join([E[2][:9], E[2][9:]]), "A"],  # a space inside
        [4, "新企业", code("230403", "200000001")[2:17], "A"],  # a legacy id nobody has
    ]
    lst = write_csv(tmp_path / "建筑业企业名单.csv", LIST_HEADER, rows)
    (d,) = reconcile(public, [lst]).domains
    assert (d.matched, d.via_legacy_id, d.not_found, d.invalid_codes) == (3, 1, 1, 0)
    assert d.matrix_json()["A"] == {"A": 1, "B": 1, "C": 0, "D": 0}


def test_a_legacy_id_fitting_two_codes_is_listed_not_guessed(tmp_path, public):
    twin = code("230402", "100000000", kind="92")  # same characters 3-17 as E[0]
    extra = write_csv(
        tmp_path / "公共.csv",
        PUBLIC_HEADER,
        [[1, twin, "个体户", "", 800, "B"], [2, E[0], "企业0", "", 900, "A"]],
    )
    lst = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, [[1, "企业0", E[0][2:17], "AAA"]])
    result = reconcile(extra, [lst])
    (d,) = result.domains
    assert (d.matched, d.invalid_codes, d.rows) == (0, 1, 1)
    (q,) = result.problems
    assert q.kind == KIND_AMBIGUOUS and twin in q.detail and E[0] in q.detail
    assert result.needs_attention == 1


def test_invalid_codes_duplicates_conflicts_and_a_total_line(tmp_path, public):
    rows = [
        [1, "企业0", E[0], "AAA"],
        [2, "企业0", E[0], "AAA"],  # the same entity again: counted once
        [3, "企业1", E[1], "AA"],
        [4, "企业1", E[1], "B"],  # the same entity with another grade: a conflict
        [5, "企业2", E[2][:17] + ("0" if E[2][17] != "0" else "1"), "A"],  # wrong check character
        [6, "企业3", "", "A"],  # no code
        ["", "合计", "", ""],  # a total line: not a row
    ]
    lst = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, rows)
    result = reconcile(public, [lst])
    (d,) = result.domains
    assert (d.rows, d.matched, d.not_found, d.invalid_codes, d.duplicates) == (6, 2, 0, 2, 2)
    assert d.rows == d.matched + d.not_found + d.invalid_codes + d.duplicates
    assert d.conflicts == 1 and d.compared == 1  # only 企业0 is compared
    kinds = sorted((q.row, q.kind) for q in result.problems)
    assert kinds == sorted(
        [
            (3, KIND_DUPLICATE),
            (4, KIND_CONFLICT),
            (5, KIND_CONFLICT),
            (5, KIND_DUPLICATE),
            (6, KIND_INVALID),
            (7, KIND_INVALID),
        ]
    )
    assert "与第2行是同一主体" in next(q.detail for q in result.problems if q.row == 3)
    assert "AA（" in next(q.detail for q in result.problems if q.kind == KIND_CONFLICT)


def test_the_column_with_the_domains_levels_is_the_grade_column(tmp_path, public):
    header = ["序号", "企业名称", "统一社会信用代码", "企业类别", "信用等级"]
    rows = [[1, "企业0", E[0], "施工总承包", "AAA"], [2, "企业1", E[1], "专业承包", "C"]]
    lst = write_csv(tmp_path / "建筑业企业.csv", header, rows)
    (d,) = reconcile(public, [lst]).domains
    assert d.graded and d.compared == 2 and not d.notes
    assert d.matrix_json()["A"]["A"] == 1 and d.matrix_json()["D"]["B"] == 1


# ---------------------------------------------------------------- a list without grades


def test_a_list_without_grades_gets_each_entitys_public_grade(tmp_path, public):
    header = ["序号", "单位名称", "统一社会信用代码", "所属区县", "行业类别"]
    missing = code("230404", "300000001")
    rows = [
        [1, "企业0", E[0], "", "危险化学品"],
        [2, "企业9", E[9], "鹤岗市萝北县", "非煤矿山"],
        [3, "企业3", E[3][2:17], "", "工贸"],
        [4, "新企业", missing, "南山区", "工贸"],
    ]
    lst = write_csv(
        tmp_path / "市应急局_安全生产领域名单.csv",
        header,
        rows,
        "安全生产领域重点监管企业",
        "gb18030",
    )
    result = reconcile(public, [lst])
    (d,) = result.domains
    assert (d.domain.domain, d.graded) == ("安全生产领域", False)
    assert d.matrix is None and d.agreement is None and d.kappa is None
    assert [(e.code, e.public_grade, e.tier, e.county) for e in d.entities] == [
        (E[0], "A", "A", "向阳区"),
        (E[9], "B", "B", "萝北县"),
        (E[3], "D", "D", "向阳区"),
    ]
    assert d.public_grades == {"A": 1, "B": 1, "C": 0, "D": 1}
    assert d.notes and "“行业类别”列中没有" in d.notes[0]
    (q,) = result.problems  # not in the public evaluation: listed separately
    assert (q.kind, q.raw_code, q.domain, q.row) == (KIND_NOT_FOUND, missing, "安全生产领域", 6)
    assert result.needs_attention == 0  # not found is a fact, not a fault
    assert d.to_json()["disagreements"] is None and d.to_json()["matrix"] == {}


def test_rows_of_several_domains_in_one_list_and_one_domain_in_several_lists(tmp_path, public):
    header = ["序号", "领域", "企业名称", "统一社会信用代码", "信用等级"]
    rows = [[1, "建筑业", "企业0", E[0], "AAA"], [2, "道路运输", "企业1", E[1], "AA"]]
    mixed = write_csv(tmp_path / "名单.csv", header, rows)
    more = write_csv(
        tmp_path / "建筑业企业_补充.csv",
        LIST_HEADER,
        [[1, "企业0", E[0], "AAA"], [2, "企业2", E[2], "B"]],
    )
    result = reconcile(public, [mixed, more])
    assert [d.domain.domain for d in result.domains] == ["建筑业企业", "道路运输经营者"]
    build, road = result.domains
    assert (build.rows, build.matched, build.duplicates) == (3, 2, 1)
    assert len(build.files) == 2
    # 道路运输: AA is tier B; 企业1's public grade is B.
    assert road.matrix_json()["B"]["B"] == 1 and road.agreement == 1.0


# ---------------------------------------------------------------- year over year


def test_year_over_year_added_removed_transitions_per_county_and_largest_moves(tmp_path, public):
    gone = code("230421", "400000001")
    before = {0: "D", 1: "B", 2: "A", 3: "D", 4: "A", 5: "B", 8: "A", 9: "D", 10: "C", 11: "D"}
    rows = [[n, E[i], f"企业{i}", "", 800, g] for n, (i, g) in enumerate(before.items(), 1)]
    rows.append([99, gone, "已注销企业", "萝北县", 700, "B"])
    previous = write_csv(
        tmp_path / "2021.csv",
        ["序号", "统一社会信用代码", "企业名称", "所属区县", "得分", "信用等级"],
        rows,
    )
    result = reconcile(public, previous_public=previous)
    y = result.year_over_year
    assert y is not None and result.previous_public is not None
    # E6, E7 are new; `gone` left; ten kept.
    assert (y.added, y.removed, y.kept) == (2, 1, 10)
    # last year -> this year: 0 D>A, 1 B>B, 2 A>C, 3 D>D, 4 A>A, 5 B>B, 8 A>A, 9 D>B, 10 C>C, 11 D>D
    assert y.to_json()["transitions"] == {
        "A": {"A": 2, "B": 0, "C": 1, "D": 0},
        "B": {"A": 0, "B": 2, "C": 0, "D": 0},
        "C": {"A": 0, "B": 0, "C": 1, "D": 0},
        "D": {"A": 1, "B": 1, "C": 0, "D": 2},
    }
    assert (y.upgraded, y.downgraded) == (2, 1)
    xy, lb = y.by_county["向阳区"], y.by_county["萝北县"]
    assert (xy.added, xy.removed, xy.kept, xy.upgraded, xy.downgraded) == (2, 0, 6, 1, 1)
    assert (lb.added, lb.removed, lb.kept, lb.upgraded, lb.downgraded) == (0, 1, 4, 1, 0)
    assert y.by_county["工农区"].kept == 0  # every county of the registry is listed
    # The largest moves go across the whole scale: D→A (E0); D→B and A→C only show above.
    assert [(m.code, m.last_year, m.this_year, m.steps) for m in y.largest_moves] == [
        (E[0], "D", "A", 3)
    ]
    assert y.n_largest == 1 and y.moves(5) == y.largest_moves
    data = result.to_json()["year_over_year"]
    assert set(data) >= {"added", "removed", "kept", "transitions", "by_county"}
    assert data["by_county"]["萝北县"]["transitions"]["D"]["B"] == 1


def test_a_grade_conflict_keeps_an_entity_but_out_of_the_transitions(tmp_path):
    now = write_csv(
        tmp_path / "now.csv",
        PUBLIC_HEADER,
        [
            [1, E[0], "企业0", "", 900, "A"],
            [2, E[1], "企业1", "", 800, "B"],
            [3, E[1], "企业1", "", 700, "C"],
        ],
    )
    before = write_csv(
        tmp_path / "before.csv",
        PUBLIC_HEADER,
        [[1, E[0], "企业0", "", 900, "B"], [2, E[1], "企业1", "", 800, "B"]],
    )
    result = reconcile(now, previous_public=before)
    y = result.year_over_year
    assert y is not None
    assert y.kept == 2 and int(y.transitions.sum()) == 1 and y.upgraded == 1
    assert result.public.conflicts == 1 and result.public.grades == {"A": 1, "B": 0, "C": 0, "D": 0}
    assert [q.kind for q in result.problems] == [KIND_CONFLICT, KIND_CONFLICT]


# ---------------------------------------------------------------- unusable inputs


def test_a_list_without_a_code_column_names_the_columns_found(tmp_path, public):
    bad = write_csv(
        tmp_path / "建筑业企业_无代码.csv", ["序号", "企业名称", "信用等级"], [[1, "企业0", "AAA"]]
    )
    good = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, [[1, "企业0", E[0], "AAA"]])
    result = reconcile(public, [bad, good])
    (err,) = result.errors
    assert err.file == str(bad)
    assert (
        "部门名单中找不到代码列" in err.message
        and "找到的列：序号、企业名称、信用等级" in err.message
    )
    assert "统一社会信用代码" in err.message  # how to fix it
    assert [d.rows for d in result.domains] == [1]  # the good list is still compared


def test_a_list_of_no_known_domain_is_an_error(tmp_path, public):
    lst = write_csv(tmp_path / "名单.csv", LIST_HEADER, [[1, "企业0", E[0], "A"]])
    result = reconcile(public, [lst])
    assert not result.domains
    (err,) = result.errors
    assert "无法确定这份名单属于哪个领域" in err.message


def test_a_public_evaluation_without_grades_cannot_be_used(tmp_path):
    bad = write_csv(tmp_path / "公共.csv", ["统一社会信用代码", "名称"], [[E[0], "企业0"]])
    with pytest.raises(HeaderError, match="公共信用评价名单中找不到等级列") as exc:
        reconcile(bad)
    assert "找到的列：统一社会信用代码、名称" in str(exc.value)


def test_weights_are_checked(public):
    with pytest.raises(ValueError, match="weights"):
        reconcile(public, weights="cubic")  # type: ignore[arg-type]


def test_to_json_and_to_frame(tmp_path, public):
    lst = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, [[1, "企业0", E[0], "AAA"]])
    result = reconcile(public, [lst], weights="quadratic")
    data = result.to_json()
    assert list(data) == [
        "public",
        "previous_public",
        "domains",
        "year_over_year",
        "kappa_weights",
        "needs_attention",
        "errors",
    ]
    assert data["kappa_weights"] == "quadratic" and data["year_over_year"] is None
    (d,) = data["domains"]
    assert {
        "department", "domain", "rows", "matched", "not_found", "invalid_codes", "duplicates",
        "graded", "matrix", "agreement", "kappa", "disagreements",
    } <= set(d)  # fmt: skip
    assert data["public"]["entities"] == 12
    pytest.importorskip("pandas")
    frame = result.to_frame()
    assert frame.loc[0, "domain"] == "建筑业企业" and frame.loc[0, "matched"] == 1


# ---------------------------------------------------------------- the fast paths


@given(st.text(alphabet=st.sampled_from(list("ab 鹤\t\n\r\xa0\u3000\u200b<>&;p/=")), max_size=12))
def test_a_clean_cell_is_taken_as_it_is_only_when_cleaning_would_not_change_it(text):
    # EntityList.text skips cell_text for such cells: it must give what cell_text gives.
    if _is_clean(text):
        assert cell_text(text) == text


def test_key_index_finds_what_a_join_by_sorting_finds():
    rng = np.random.default_rng(5)
    hi = rng.integers(91_000_000, 92_000_000, 20_000)
    lo = rng.integers(0, 31**9, 20_000)
    ref_hi, ref_lo = np.unique(np.stack([hi, lo]), axis=1)
    q_hi = np.concatenate([ref_hi[::3], rng.integers(91_000_000, 92_000_000, 5_000), [-1]])
    q_lo = np.concatenate([ref_lo[::3], rng.integers(0, 31**9, 5_000), [-1]])
    found = KeyIndex(ref_hi, ref_lo).find(q_hi, q_lo)
    assert found.tolist() == lookup(ref_hi, ref_lo, q_hi, q_lo).tolist()
    assert (found[: len(ref_hi[::3])] == np.arange(len(ref_hi))[::3]).all()
    assert found[-1] == -1
    # Two reference keys that pack to the same number (697693 * 31**9 wraps to -4769564519613
    # modulo 2**64): the index knows, and joins exactly instead.
    clash_hi = np.array([91_000_000, 91_000_000 + 697_693], dtype=np.int64)
    clash_lo = np.array([0, 4_769_564_519_613], dtype=np.int64)
    index = KeyIndex(clash_hi, clash_lo)
    assert not index.exact
    assert index.find(clash_hi[::-1], clash_lo[::-1]).tolist() == [1, 0]


def test_counties_of_a_whole_column_as_of_each_cell():
    from hgcredit.entities.counties import Counties
    from hgcredit.registry import load_registry

    counties = Counties(load_registry())
    written = ["鹤岗市向阳区", "", None, "萝北", "某某县", ""]
    keys = np.array([E[0], E[9], E[1], "", "", ""])
    names, ids = counties.ids(written, keys)
    assert [names[i] for i in ids] == ["向阳区", "萝北县", "向阳区", "萝北县", "某某县", ""]
    assert [
        counties.of(str(w or ""), str(k)) for w, k in zip(written[:5], keys[:5], strict=True)
    ] == [names[i] for i in ids[:5]]


def test_a_county_cell_naming_no_division_takes_the_codes_division_when_known():
    from hgcredit.entities.counties import Counties
    from hgcredit.registry import load_registry

    counties = Counties(load_registry())
    city = "91230400MA1B2C3D4X"
    harbin = "91230102MA1B2C3D4X"
    written = ["市本级", "市本级", "宝泉岭", "市直", "市本级", "萝北"]
    keys = np.array([city, harbin, E[1], "", "230400123456789", E[0]])
    names, ids = counties.ids(written, keys)
    got = [names[i] for i in ids]
    assert got == ["鹤岗市", "市本级", "向阳区", "市直", "鹤岗市", "萝北县"]
    assert "宝泉岭" not in names  # a text given way to the code is no county of its own
    assert [counties.of(w, str(k)) for w, k in zip(written, keys, strict=True)] == got


def test_readme_python_example_runs_as_written(monkeypatch):
    import doctest
    import re

    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### hgcredit reconcile") :]
    block = re.search(r"\*\*在 Python 中\*\*.*?```python\n(.*?)```", section, re.S)
    assert block, "README 的 hgcredit reconcile 一节没有 Python 示例"
    monkeypatch.chdir(root)
    pytest.importorskip("pandas")
    test = doctest.DocTestParser().get_doctest(block.group(1), {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    outcome = runner.summarize(verbose=False)
    assert outcome.failed == 0 and outcome.attempted >= 8


def test_an_empty_list_is_an_error_and_a_file_named_twice_is_read_once(tmp_path, public):
    empty = write_csv(tmp_path / "建筑业企业_空.csv", LIST_HEADER, [])
    lst = write_csv(tmp_path / "建筑业企业.csv", LIST_HEADER, [[1, "企业0", E[0], "AAA"]])
    twice = tmp_path / "sub" / ".." / "建筑业企业.csv"
    (tmp_path / "sub").mkdir()
    result = reconcile(public, [empty, lst, twice])
    (err,) = result.errors
    assert err.file == str(empty) and "只有表头，没有数据行" in err.message
    (d,) = result.domains
    assert (d.rows, d.duplicates, len(d.files)) == (1, 0, 1)


@given(
    st.lists(
        st.sampled_from(
            [E[0], E[1].lower(), E[2][2:17], "", None, 9.12304061706554e17, "x" * 18, " " + E[3]]
        ),
        max_size=40,
    ),
    st.integers(1, 7),
)
def test_codes_checked_in_blocks_as_in_one_go(values, block):
    from hgcredit.entities.codes import check_codes, check_codes_in_blocks

    whole = check_codes(values, recover=True)
    parts = check_codes_in_blocks(values, recover=True, block=block)
    assert parts.codes.tolist() == whole.codes.tolist()
    assert parts.reasons.tolist() == whole.reasons.tolist()
    assert parts.bad_text == whole.bad_text and parts.recovered == whole.recovered
    assert [a.tolist() for a in parts.numeric()] == [a.tolist() for a in whole.numeric()]
    assert [parts.explain(i) for i in range(len(values))] == [
        whole.explain(i) for i in range(len(values))
    ]


def test_a_code_found_in_a_second_code_column_is_matched(tmp_path, public):
    # 统一社会信用代码 left empty, the legacy taxpayer id in 纳税人识别号: the same entity.
    header = ["序号", "企业名称", "统一社会信用代码", "纳税人识别号", "组织机构代码", "信用等级"]
    org = next(c[8:17] for c in E if codes.is_org_code(c[8:17]))
    rows = [
        [1, "企业0", E[0], "", "", "AAA"],
        [2, "企业1", "", E[1][2:17], "", "AA"],
        [3, "企业x", "", "", f"{org[:8]}-{org[8]}", "A"],
    ]
    lst = write_csv(tmp_path / "建筑业企业.csv", header, rows)
    result = reconcile(public, [lst])
    (d,) = result.domains
    assert (d.rows, d.matched, d.invalid_codes, d.via_legacy_id) == (3, 2, 1, 1)
    (problem,) = [q for q in result.problems if q.row == 4]
    assert "9 位的组织机构代码" in problem.message


def test_a_list_graded_by_group_headings_is_compared_by_them(tmp_path, public):
    # 建筑业企业 grouped under its grades (no grade column): AAA -> tier A, A -> tier B.
    lst = tmp_path / "市住建局_建筑业企业信用评价结果.csv"
    lst.write_text(
        "序号,企业名称,统一社会信用代码\n"
        f"一、AAA级企业（2家）,,\n1,企业0,{E[0]}\n2,企业1,{E[1]}\n"
        f"二、A级企业（1家）,,\n3,企业2,{E[2]}\n",
        encoding="utf-8",
    )
    (d,) = reconcile(public, [lst]).domains
    assert (d.graded, d.rows, d.matched) == (True, 3, 3)
    # own tiers A, A, B against the public grades A, B, C of E[0..2]
    assert d.matrix_json()["A"] == {"A": 1, "B": 1, "C": 0, "D": 0}
    assert d.matrix_json()["B"] == {"A": 0, "B": 0, "C": 1, "D": 0}


def test_year_over_year_lists_no_county_only_rows_that_are_no_entity_are_in(tmp_path):
    # This year: a row whose code is invalid, its county cell 某农场; a row with no code
    # at all. Neither is an entity, so neither makes a county of its own.
    rows = [[i + 1, c, f"企业{i}", "", 900, NOW[i]] for i, c in enumerate(E)]
    rows += [
        [13, E[0][:-1] + "0", "坏代码企业", "某农场", 800, "B"],
        [14, "", "无代码", "", 800, "B"],
    ]
    now = write_xlsx(tmp_path / "2022.xlsx", PUBLIC_HEADER, rows, "2022年公共信用综合评价结果")
    before = write_csv(
        tmp_path / "2021.csv", ["统一社会信用代码", "企业名称", "信用等级"], [[E[0], "企业0", "A"]]
    )
    y = reconcile(now, previous_public=before).year_over_year
    assert y is not None
    assert set(y.by_county) == set(Counties(load_registry()).listed())
    assert sum(c.added for c in y.by_county.values()) == y.added == 11
