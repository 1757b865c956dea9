"""Reports as pandas DataFrames, for the office's analyst working in a notebook.

pandas is optional (``pip install 'hgcredit[pandas]'``): it is imported only here, only
when a ``to_frame()`` is called. Column names are the keys of the same report's
``to_json()``; values are as the report holds them (Chinese where a clerk reads them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hgcredit.doublea.compute import DoubleA
    from hgcredit.ledger.check import CheckReport
    from hgcredit.ledger.model import Ledger
    from hgcredit.ratings.report import RatingsReport


def frame(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Any:
    """A DataFrame of ``records`` with exactly ``columns`` (also when there are none)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ModuleNotFoundError(
            "to_frame() 需要 pandas：请运行 pip install 'hgcredit[pandas]'（或 pip install pandas）"
        ) from None
    return pd.DataFrame.from_records(list(records), columns=list(columns))


CHECK_COLUMNS = (
    "serial",
    "department",
    "domain",
    "status",
    "status_label",
    "data_supported",
    "overdue",
    "pending",
    "days_left",
    "behind_months",
    "excerpt",
    "location",
)


def check_frame(report: CheckReport) -> Any:
    """One row per domain: its status for the month and where its text came from."""
    return frame(report.to_json()["domains"], CHECK_COLUMNS)


def ratings_frame(report: RatingsReport) -> Any:
    """One row per domain: stated and counted totals, the check, one column per native
    level (``level:A``, ``level:绿``…) and per unified tier (``tier:A``…)."""
    rows = []
    levels: list[str] = []
    tiers: list[str] = []
    for d in report.domains:
        data = d.to_json()
        row = {k: data[k] for k in ("serial", "department", "domain", "scale")}
        row |= {k: data[k] for k in ("stated_total", "counted_total", "consistent")}
        for label, n in data["counts"].items():
            key = f"level:{label}"
            levels += [] if key in levels else [key]
            row[key] = n
        for tier, n in data["tiers"].items():
            key = f"tier:{tier}"
            tiers += [] if key in tiers else [key]
            row[key] = n
        row["problems"] = "；".join(data["problems"])
        rows.append(row)
    fixed = ["serial", "department", "domain", "scale", "stated_total", "counted_total"]
    df = frame(rows, [*fixed, "consistent", *levels, *tiers, "problems"])
    # Whole numbers with gaps (a level the domain's scale does not have) stay integers.
    counts = ["stated_total", "counted_total", *levels, *tiers]
    df[counts] = df[counts].astype("Int64")
    return df


DOUBLE_A_COLUMNS = (
    "code",
    "name",
    "county",
    "tax_grade",
    "public_grade",
    "score",
    "via",
    "legacy_id",
    "tax_row",
    "public_row",
)


def double_a_frame(result: DoubleA) -> Any:
    """One row per double-A enterprise (the columns of :class:`Enterprise`)."""
    return frame(
        ({k: getattr(e, k) for k in DOUBLE_A_COLUMNS} for e in result.enterprises),
        DOUBLE_A_COLUMNS,
    )


def ledger_frame(ledger: Ledger) -> Any:
    """One row per filled cell of the merged ledger: domain, month, text and its source."""
    order = {d.domain: d for d in ledger.registry.domains}
    rows = [
        {
            "serial": order[domain].serial,
            "department": order[domain].department,
            "domain": domain,
            "month": month,
            "text": entry.text,
            "file": entry.file,
            "location": entry.location,
        }
        for (domain, month), entry in sorted(
            ledger.entries.items(), key=lambda kv: (order[kv[0][0]].serial, kv[0][0], kv[0][1])
        )
    ]
    return frame(rows, ("serial", "department", "domain", "month", "text", "file", "location"))
