"""Valid unified social credit codes and realistic Hegang entity names."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sample_gen.common import DIVISION_WEIGHTS, DIVISIONS, USCC_ALPHABET


def gb11714_check(body: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714-1997)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc(head: str, division: str, org: str) -> str:
    from stdnum.cn.uscc import calc_check_digit

    body = head + division + org
    return body + calc_check_digit(body)


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


FIRST = "鑫恒宏金龙兴瑞华盛福佳天鸿顺利永东广丰宝百嘉裕新博万聚泰康吉昌凯众信润鹤北峻腾汇安德亿富荣祥喜源达通远"
SECOND = "达通源远盛丰泰鑫隆昌安瑞宇辉诚信和顺发旺利越邦程峰华锦跃润晟"
ENTERPRISE_TRADES = (
    "商贸有限公司",
    "建筑工程有限公司",
    "物流有限公司",
    "煤炭经销有限公司",
    "石墨有限公司",
    "农业科技有限公司",
    "餐饮管理有限公司",
    "房地产开发有限公司",
    "机械制造有限公司",
    "矿业有限公司",
    "供热有限公司",
    "医药连锁有限公司",
    "汽车销售服务有限公司",
    "粮油贸易有限公司",
    "木业有限公司",
    "建材有限公司",
    "电力工程有限公司",
    "信息技术有限公司",
    "广告传媒有限公司",
    "物业管理有限公司",
    "劳务派遣有限公司",
    "印刷有限公司",
    "食品有限公司",
    "米业有限公司",
    "运输有限公司",
    "装饰工程有限公司",
    "环保科技有限公司",
    "新能源有限公司",
    "旅游开发有限公司",
    "石墨烯科技有限公司",
    "家政服务有限公司",
    "保安服务有限公司",
    "酒店管理有限公司",
    "农机销售有限公司",
    "混凝土有限公司",
)
SHOPS = ("超市", "便利店", "饭店", "汽车修理部", "五金商店", "药店", "烧烤店", "理发店", "百货商店")
COOPS = (
    "水稻种植专业合作社",
    "大豆种植专业合作社",
    "农机专业合作社",
    "养殖专业合作社",
    "蔬菜种植专业合作社",
    "中药材种植专业合作社",
    "木耳种植专业合作社",
    "马铃薯种植专业合作社",
    "蜂业专业合作社",
)
POLLUTERS = (
    "热电有限公司",
    "供热有限公司",
    "石墨有限公司",
    "石墨烯科技有限公司",
    "选煤有限公司",
    "焦化有限公司",
    "水泥有限公司",
    "化工有限公司",
    "污水处理有限公司",
    "医疗废物处置有限公司",
    "再生资源回收有限公司",
    "混凝土有限公司",
    "酿酒有限公司",
    "制药有限公司",
)


COOP_DIVISIONS = {"230421": 40, "230422": 40, "230406": 14, "230405": 6}


def _prefix(rng: random.Random, division: str) -> str:
    county = DIVISIONS[division]
    if county.endswith("县"):
        return county if rng.random() < 0.7 else "鹤岗市"
    return "黑龙江" if rng.random() < 0.06 else "鹤岗市"


@dataclass
class Entity:
    code: str
    name: str
    division: str
    kind: int  # 1 enterprise · 2 individual business · 3 farmers' cooperative
    old_org: bool  # organisation code from before 2015 (numeric): has a legacy 15-char tax id
    public: str | None = None  # public evaluation grade
    score: float | None = None
    tax: str | None = None  # tax credit grade

    @property
    def county(self) -> str:
        return DIVISIONS[self.division]

    @property
    def legacy_id(self) -> str:
        return self.code[2:17]


class Factory:
    """Makes entities with unique valid codes and unique realistic names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.codes: set[str] = set()
        self.orgs: set[str] = set()
        self.names: set[str] = set()
        self.divisions = list(DIVISION_WEIGHTS)
        self.weights = list(DIVISION_WEIGHTS.values())

    def division(self, kind: int = 1) -> str:
        if kind == 3:  # farmers' cooperatives are in the counties and the rural districts
            return self.rng.choices(list(COOP_DIVISIONS), list(COOP_DIVISIONS.values()))[0]
        return self.rng.choices(self.divisions, self.weights)[0]

    def org(self, old: bool, all_digits: bool = False) -> str:
        rng = self.rng
        while True:
            if old:
                body = rng.choice("1567") + "".join(rng.choices("0123456789", k=7))
            else:
                body = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))
            org = body + gb11714_check(body)
            if org in self.orgs or (all_digits and not org.isdigit()):
                continue
            self.orgs.add(org)
            return org

    def name(self, kind: int, division: str, trades: Sequence[str] = ENTERPRISE_TRADES) -> str:
        rng = self.rng
        while True:
            stem = rng.choice(FIRST) + rng.choice(SECOND)
            if stem[0] == stem[1]:
                continue
            if kind == 1:
                name = _prefix(rng, division) + stem + rng.choice(trades)
                if name.startswith("黑龙江"):
                    name = name.replace("有限公司", "股份有限公司", 1)
            elif kind == 2:
                county = DIVISIONS[division]
                place = county if county.endswith("县") else "鹤岗市" + county
                name = place + stem + rng.choice(SHOPS)
            else:
                county = DIVISIONS[division]
                place = county if county.endswith("县") else "鹤岗市" + county
                name = place + stem + rng.choice(COOPS)
            if name not in self.names:
                self.names.add(name)
                return name

    def entity(
        self,
        kind: int,
        *,
        old: bool | None = None,
        all_digits: bool = False,
        trades: Sequence[str] = ENTERPRISE_TRADES,
    ) -> Entity:
        division = self.division(kind)
        if old is None:
            old = kind == 1 and self.rng.random() < 0.45
        while True:
            code = uscc(f"9{kind}", division, self.org(old, all_digits))
            if code not in self.codes and (not all_digits or code.isdigit()):
                break
        self.codes.add(code)
        return Entity(code, self.name(kind, division, trades), division, kind, old)
