"""The reconciliation as an analyst would write it in a notebook, for the benchmark to
compare against (pandas + python-stdnum, row by row where the analyst would be):

    python benchmarks/reconcile_notebook.py MANIFEST.json > answers.json

``MANIFEST.json`` (written by ``make_reconcile_data.py``) names this year's and last year's
public evaluation and each department's list with its domain and columns — what the analyst
knows about their files. The rules are ``hgcredit reconcile``'s, so the answers must be the
same: codes folded to half width and checked with ``stdnum.cn.uscc`` per row; a 15-character
legacy id stands for the one public code whose characters 3–17 it is; an entity listed twice
counts once, with two grades it has none; grades mapped to tiers from the registry file;
``pd.merge`` and ``pd.crosstab`` for the matrices; Cohen's kappa with linear weights in numpy.
"""

from __future__ import annotations

import json
import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from stdnum.cn import uscc

TIERS = ["A", "B", "C", "D"]
REGISTRY = Path(__file__).resolve().parents[1] / "hgcredit" / "registry.toml"
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
        return ""  # a code Excel stored as a number has lost its last digits
    return uscc.compact(unicodedata.normalize("NFKC", value))


def is_legacy(code: str) -> bool:
    return len(code) == 15 and code[:6].isdigit()


def read(path: str, header_row: int = 0, encoding: str | None = None) -> pd.DataFrame:
    if path.endswith(".csv"):
        return pd.read_csv(path, header=header_row, dtype=str, encoding=encoding or "utf-8-sig")
    return pd.read_excel(path, header=header_row, dtype=str, engine="calamine")


def public_list(path: str) -> pd.DataFrame:
    """One row per entity: its code, grade (None when the list gives it two) and county."""
    df = read(path, header_row=1)
    df["code"] = df["统一社会信用代码"].map(clean)
    df = df[df["code"].map(uscc.is_valid)]
    grades = df.groupby("code")["信用等级"].nunique()
    df = df.drop_duplicates("code").set_index("code")
    df["grade"] = df["信用等级"].where(grades.reindex(df.index) == 1)
    county = df["所属区县"].fillna("")
    df["county"] = county.where(county != "", df.index.str[2:8].map(COUNTIES))
    return df[["grade", "county"]]


def level_maps() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Per scale: how a grade is written -> its level; a level -> its tier."""
    scales = tomllib.loads(REGISTRY.read_text("utf-8"))["scales"]
    written: dict[str, dict[str, str]] = {}
    tiers: dict[str, dict[str, str]] = {}
    for key, scale in scales.items():
        written[key], tiers[key] = {}, {}
        for level in scale["levels"]:
            for form in [level["label"], level["label"] + "级", *level["forms"]]:
                written[key][form] = level["label"]
            tiers[key][level["label"]] = level["tier"]
    return written, tiers


def kappa(m: np.ndarray) -> float | None:
    n = m.sum()
    if not n:
        return None
    k = len(m)
    w = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    observed = m / n
    expected = np.outer(observed.sum(1), observed.sum(0))
    return (
        None if not (w * expected).sum() else float(1 - (w * observed).sum() / (w * expected).sum())
    )


def main(manifest_path: str) -> dict[str, Any]:
    manifest = json.loads(Path(manifest_path).read_text("utf-8"))
    now, before = public_list(manifest["public"]), public_list(manifest["previous"])
    legacy = pd.Series(now.index, index=now.index.str[2:17])
    legacy = legacy[~legacy.index.duplicated(keep=False)]  # one code per legacy id, or none
    written, tiers = level_maps()

    domains = []
    for item in manifest["lists"]:
        cols = item["columns"]
        df = read(item["file"], item["header_row"], item["encoding"])
        code = df[cols["code"]].map(clean)
        old = code.map(is_legacy)
        key = code.where(~old, code.map(legacy).fillna(code))  # unresolved: the legacy id itself
        ok = key.map(uscc.is_valid) | (old & ~key.map(uscc.is_valid))
        rows = len(df)
        df = df.assign(key=key)[ok]
        duplicates = int(df.duplicated("key").sum())
        entities = df.drop_duplicates("key").set_index("key")
        found = entities.index.isin(now.index)
        out = {
            "domain": item["domain"],
            "rows": rows,
            "matched": int(found.sum()),
            "not_found": int((~found).sum()),
            "invalid_codes": int((~ok).sum()),
            "duplicates": duplicates,
        }
        if item["graded"]:
            forms = written[item["scale"]]
            level = df[cols["grade"]].map(lambda g, forms=forms: forms.get(str(g).strip()))
            df = df.assign(level=level)
            mixed = df.dropna(subset=["level"]).groupby("key")["level"].nunique()
            own = df.drop_duplicates("key").set_index("key")["level"]
            own = own.drop(mixed[mixed > 1].index, errors="ignore").dropna()
            both = own.to_frame("level").join(now["grade"], how="inner").dropna()
            both["tier"] = both["level"].map(tiers[item["scale"]])
            m = pd.crosstab(both["tier"], both["grade"]).reindex(
                index=TIERS, columns=TIERS, fill_value=0
            )
            agree = m.to_numpy()
            out["matrix"] = {t: {g: int(m.loc[t, g]) for g in TIERS} for t in TIERS}
            out["agreement"] = float(np.trace(agree) / agree.sum()) if agree.sum() else None
            out["kappa"] = kappa(agree)
            good = both["tier"].isin(["A", "B"]) != both["grade"].isin(["A", "B"])
            out["disagreements"] = int(good.sum())
        domains.append(out)

    years = pd.merge(
        now, before, how="outer", left_index=True, right_index=True,
        suffixes=("_now", "_then"), indicator=True,
    )  # fmt: skip
    added = years["_merge"] == "left_only"
    removed = years["_merge"] == "right_only"
    kept = years["_merge"] == "both"
    graded = years[kept].dropna(subset=["grade_now", "grade_then"])
    t = pd.crosstab(graded["grade_then"], graded["grade_now"]).reindex(
        index=TIERS, columns=TIERS, fill_value=0
    )
    county = years["county_now"].fillna(years["county_then"])
    by_county = {
        c: {
            "added": int((added & (county == c)).sum()),
            "removed": int((removed & (county == c)).sum()),
            "kept": int((kept & (county == c)).sum()),
        }
        for c in sorted(county.unique())
    }
    return {
        "domains": domains,
        "year_over_year": {
            "added": int(added.sum()),
            "removed": int(removed.sum()),
            "kept": int(kept.sum()),
            "transitions": {a: {b: int(t.loc[a, b]) for b in TIERS} for a in TIERS},
            "by_county": by_county,
        },
    }


if __name__ == "__main__":
    json.dump(main(sys.argv[1]), sys.stdout, ensure_ascii=False)
