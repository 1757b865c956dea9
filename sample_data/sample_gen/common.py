"""Constants shared by the sample-data generator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "data" / "seed_notice.txt"

RANDOM_SEED = 20221125
FIXED_TIME = dt.datetime(2022, 11, 25, 9, 0, 0)
ZIP_TIME = (2022, 11, 25, 9, 0, 0)
AUTHOR = "鹤岗市信用办"


LEDGER_TITLE = "鹤岗市信用分级分类监管工作推进台账"
LEDGER_NAME = "鹤岗市信用分级分类监管工作推进台账.xlsx"
H_NOV = "2022年11月开展行业信用评价及监管情况"
H_DEC = "2022年12月开展行业信用评价及监管情况"
H_NOV_LONG = (
    "2022年11月开展行业信用评价及监管情况 (监管措施、开展行业信用评价情况、"
    "应用信用评价结果情况、有数据支撑的工作成效)"
)

# Hegang divisions (DOMAIN.md §4) used for entity codes.
DIVISIONS = {
    "230402": "向阳区",
    "230403": "工农区",
    "230404": "南山区",
    "230405": "兴安区",
    "230406": "东山区",
    "230407": "兴山区",
    "230421": "萝北县",
    "230422": "绥滨县",
}
DIVISION_WEIGHTS = {
    "230402": 20,
    "230403": 17,
    "230404": 14,
    "230405": 8,
    "230406": 12,
    "230407": 6,
    "230421": 12,
    "230422": 11,
}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
