"""Double-A as a capable analyst would write it, for the benchmark to compare against.

    python benchmarks/baselines.py pandas|pandas-calamine|polars TAX.xlsx PUBLIC.xlsx OUT.xlsx

Same rules as ``hgcredit double-a`` (so the double-A sets must be identical):
full-width to half-width, python-stdnum's ``uscc.compact``/``is_valid`` per row,
legacy 15-character tax ids mapped to the public code whose characters 3–17 they
equal, codes listed with two grades dropped, repeats counted once, county from the
county column else from the code. The analyst knows the public list has one title
row above its header.
"""

from __future__ import annotations

import sys
import unicodedata

from stdnum.cn import uscc

COUNTIES = {
    "230400": "鹤岗市",
    "230401": "市辖区",
    "230402": "向阳区",
    "230403": "工农区",
    "230404": "南山区",
    "230405": "兴安区",
    "230406": "东山区",
    "230407": "兴山区",
    "230421": "萝北县",
    "230422": "绥滨县",
}


def clean(value: object) -> str:
    if not isinstance(value, str):
        return "" if value is None else str(value)
    return uscc.compact(unicodedata.normalize("NFKC", value))


def grade(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFKC", value).strip().upper().replace(" ", "").removesuffix("级")


def legacy_map(public_codes: list[str]) -> dict[str, str]:
    by_core: dict[str, set[str]] = {}
    for c in public_codes:
        by_core.setdefault(c[2:17], set()).add(c)
    return {core: next(iter(cs)) for core, cs in by_core.items() if len(cs) == 1}


def with_pandas(tax_path: str, public_path: str, out: str, engine: str | None) -> None:
    import pandas as pd

    pub = pd.read_excel(public_path, header=1, dtype=str, engine=engine)
    tax = pd.read_excel(tax_path, dtype=str, engine=engine)
    pub = pub.rename(
        columns={"统一社会信用代码": "raw", "市场主体名称": "name", "所属区县": "county",
                 "综合得分": "score", "信用等级": "grade"}
    )  # fmt: skip
    tax = tax.rename(columns={"纳税人识别号": "raw", "纳税人名称": "name", "纳税信用级别": "grade"})
    for df in (pub, tax):
        df["code"] = df["raw"].map(clean)
        df["grade"] = df["grade"].map(grade)
    pub["ok"] = pub["code"].map(uscc.is_valid)
    mapping = legacy_map(pub.loc[pub["ok"], "code"].tolist())
    legacy = (tax["code"].str.len() == 15) & tax["code"].str[:6].str.isdigit()
    tax.loc[legacy, "code"] = tax.loc[legacy, "code"].map(mapping).fillna("")
    tax["ok"] = tax["code"].map(uscc.is_valid)

    def a_level(df: pd.DataFrame) -> pd.DataFrame:
        df = df[df["ok"]]
        grades = df.groupby("code")["grade"].nunique()
        df = df[~df["code"].isin(grades[grades > 1].index)].drop_duplicates("code")
        return df[df["grade"] == "A"]

    both = a_level(tax).merge(a_level(pub), on="code", suffixes=("_tax", "_pub"))
    county = both["county"].fillna("")
    both["county"] = county.where(county != "", both["code"].str[2:8].map(COUNTIES))
    both = both.rename(
        columns={"code": "统一社会信用代码", "name_pub": "企业名称", "county": "所属区县",
                 "grade_tax": "纳税信用级别", "grade_pub": "公共信用评价等级", "score": "得分"}
    )  # fmt: skip
    cols = ["统一社会信用代码", "企业名称", "所属区县", "纳税信用级别", "公共信用评价等级", "得分"]
    both.sort_values("统一社会信用代码")[cols].to_excel(out, index=False, sheet_name="双A企业")


def with_polars(tax_path: str, public_path: str, out: str) -> None:
    import polars as pl

    pub = pl.read_excel(public_path, read_options={"header_row": 1}, infer_schema_length=0)
    tax = pl.read_excel(tax_path, infer_schema_length=0)
    pub = pub.rename(
        {"统一社会信用代码": "raw", "市场主体名称": "name", "所属区县": "county",
         "综合得分": "score", "信用等级": "grade"}
    )  # fmt: skip
    tax = tax.rename({"纳税人识别号": "raw", "纳税人名称": "name", "纳税信用级别": "grade"})

    def prepare(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(
            pl.col("raw").map_elements(clean, return_dtype=pl.String).fill_null("").alias("code"),
            pl.col("grade").map_elements(grade, return_dtype=pl.String).fill_null(""),
        )

    pub = prepare(pub)
    pub = pub.with_columns(
        pl.col("code").map_elements(uscc.is_valid, return_dtype=pl.Boolean).alias("ok")
    )
    mapping = legacy_map(pub.filter(pl.col("ok"))["code"].to_list())
    tax = prepare(tax)
    is_legacy = (pl.col("code").str.len_chars() == 15) & pl.col("code").str.slice(
        0, 6
    ).str.contains(r"^\d{6}$")
    tax = tax.with_columns(
        pl.when(is_legacy)
        .then(pl.col("code").replace_strict(mapping, default=""))
        .otherwise(pl.col("code"))
        .alias("code")
    )
    tax = tax.with_columns(
        pl.col("code").map_elements(uscc.is_valid, return_dtype=pl.Boolean).alias("ok")
    )

    def a_level(df: pl.DataFrame) -> pl.DataFrame:
        df = df.filter(pl.col("ok"))
        conflicted = (
            df.group_by("code").agg(pl.col("grade").n_unique().alias("n")).filter(pl.col("n") > 1)
        )
        df = df.join(conflicted, on="code", how="anti").unique(
            "code", keep="first", maintain_order=True
        )
        return df.filter(pl.col("grade") == "A")

    both = a_level(tax).join(a_level(pub), on="code", suffix="_pub")
    both = both.with_columns(
        pl.when(pl.col("county").fill_null("") != "")
        .then(pl.col("county"))
        .otherwise(pl.col("code").str.slice(2, 6).replace_strict(COUNTIES, default=""))
        .alias("county")
    )
    both.select(
        pl.col("code").alias("统一社会信用代码"),
        pl.col("name_pub").alias("企业名称"),
        pl.col("county").alias("所属区县"),
        pl.col("grade").alias("纳税信用级别"),
        pl.col("grade_pub").alias("公共信用评价等级"),
        pl.col("score").alias("得分"),
    ).sort("统一社会信用代码").write_excel(out, worksheet="双A企业")


def main(argv: list[str]) -> None:
    kind, tax, public, out = argv
    if kind == "pandas":
        with_pandas(tax, public, out, engine=None)
    elif kind == "pandas-calamine":
        with_pandas(tax, public, out, engine="calamine")
    elif kind == "polars":
        with_polars(tax, public, out)
    else:
        raise SystemExit(f"unknown baseline {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
