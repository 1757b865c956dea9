"""The registry: office settings, rating scales, the header words of entity lists and
the 23 domains.

Loaded from the packaged ``registry.toml`` or from a file the office passes with
``--registry``. Every problem in the file is a :class:`RegistryError` naming the file. An
office's copy made before a section existed (``[headers]``, ``[evaluations]``) takes that
section from the packaged file.

>>> reg = load_registry()
>>> len(reg.domains), reg.deadline_day
(23, 20)
>>> reg.find_department("国家税务总局鹤岗市税务局")
'市税务局'
>>> reg.find_department("鹤岗市消防救援支队")
'市消防队'
>>> reg.find_domain("安全生产 领域").department
'市应急局'
>>> reg.domain("企业环境").scale.tier_of("红")
'D'
>>> reg.evaluations["public"].labels, reg.headers.words["code"][0]
(('A', 'B', 'C', 'D'), '统一社会信用代码')
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from hgcredit.errors import RegistryError, UnknownDepartmentError
from hgcredit.text import match_key


@dataclass(frozen=True)
class Level:
    """One level of a native rating scale."""

    label: str
    tier: str
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    """A native rating scale, levels best first."""

    key: str
    name: str
    levels: tuple[Level, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.levels)

    def level(self, label: str) -> Level | None:
        for level in self.levels:
            if level.label == label:
                return level
        return None

    def tier_of(self, label: str) -> str | None:
        level = self.level(label)
        return level.tier if level else None


@dataclass(frozen=True)
class Domain:
    """One row of the ledger: a department's supervised domain."""

    serial: int
    department: str
    department_aliases: tuple[str, ...]
    domain: str
    domain_aliases: tuple[str, ...]
    section: str
    person: str
    scale: Scale


# What an entity-list column may hold ([headers] in the registry), with its name for clerks.
HEADER_ROLES: dict[str, str] = {
    "code": "代码",
    "name": "名称",
    "grade": "等级",
    "county": "区县",
    "score": "得分",
    "office": "税务机关",
    "domain": "领域",
    "department": "部门",
    "year": "年度",
}
# The evaluations whose lists are graded on a registry scale ([evaluations]).
EVALUATIONS = ("tax", "public")


@dataclass(frozen=True)
class HeaderWords:
    """How the columns of an entity list are told by their headers (``[headers]``): per
    role, the header words, best first, and the words that rule a header out for that role
    (``[headers.not]``). :mod:`hgcredit.entities.lists` does the matching."""

    words: dict[str, tuple[str, ...]]
    excludes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def keys(self) -> dict[str, tuple[str, ...]]:
        """The words as match keys (:func:`hgcredit.text.match_key`)."""
        return {role: tuple(match_key(w) for w in words) for role, words in self.words.items()}

    @cached_property
    def exclude_keys(self) -> dict[str, tuple[str, ...]]:
        return {role: tuple(match_key(w) for w in ws) for role, ws in self.excludes.items()}

    @cached_property
    def all_keys(self) -> frozenset[str]:
        """Every header word of every role, as a match key."""
        return frozenset(k for keys in self.keys.values() for k in keys)


# What a form asks to be written after the department's name: 盖章, 公章, 加盖公章, 签章.
_SEAL_NOTE = re.compile(r"(?:加?盖(?:公|印)?章|公章|签章|印章)$")
# The organ word a department's name ends with; a clerk may leave it off (市人社 for 市人社局).
_ORGAN = re.compile(r"(?:委员会|办公室|支队|局|委|队|办)$")
_SHORT_NAME = 3  # a name without its organ word is read only from this many characters


def _unique_variants(keys: dict[str, str], variant: Callable[[str], str]) -> dict[str, str]:
    """Another way of writing known names (``variant`` of each key) mapped to the one
    department it can only mean: at least ``_SHORT_NAME`` characters, not a known name
    itself, and the variant of one department's names only."""
    found: dict[str, set[str]] = {}
    for key, canonical in keys.items():
        other = variant(key)
        if other != key and len(other) >= _SHORT_NAME:
            found.setdefault(other, set()).add(canonical)
    return {k: next(iter(c)) for k, c in found.items() if len(c) == 1 and k not in keys}


@dataclass(frozen=True)
class Registry:
    """Everything the office configures."""

    source: str
    office_name: str
    office_short_name: str
    city: str
    deadline_day: int
    tiers: tuple[str, ...]
    placeholders: frozenset[str]
    divisions: dict[str, str]
    scales: dict[str, Scale]
    domains: tuple[Domain, ...]
    headers: HeaderWords
    evaluations: dict[str, Scale]  # "tax", "public" -> the scale its list is graded on
    _department_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _domain_keys: dict[str, Domain] = field(default_factory=dict, repr=False, compare=False)
    # Known names without their organ word (市人社局 → 市人社), when only one department has it.
    _short_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # Known names without the city's prefix (市文旅局 → 文旅局, 鹤岗市卫生健康委员会 →
    # 卫生健康委员会), when only one department has it; matched only as the whole name.
    _bare_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for d in self.domains:
            names = [d.department, *d.department_aliases]
            if d.department.startswith("市"):
                names.append(self.city.removesuffix("市") + d.department)
            for name in names:
                self._department_keys.setdefault(match_key(name), d.department)
            for name in (d.domain, *d.domain_aliases):
                self._domain_keys.setdefault(match_key(name), d)
        keys = self._department_keys
        self._short_keys.update(_unique_variants(keys, lambda key: _ORGAN.sub("", key)))
        city = match_key(self.city)
        prefixes = sorted({city, city.removesuffix("市"), "市"} - {""}, key=len, reverse=True)

        def without_prefix(key: str) -> str:
            prefix = next((p for p in prefixes if key.startswith(p)), "")
            return key.removeprefix(prefix)

        self._bare_keys.update(_unique_variants(keys, without_prefix))

    @property
    def departments(self) -> list[str]:
        """Canonical department names, in ledger order, each once."""
        return list(dict.fromkeys(d.department for d in self.domains))

    def domain(self, name: str) -> Domain:
        """The domain with exactly this canonical name (KeyError otherwise)."""
        for d in self.domains:
            if d.domain == name:
                return d
        raise KeyError(name)

    def domains_of(self, department: str) -> list[Domain]:
        return [d for d in self.domains if d.department == department]

    def match_department(self, name: object) -> str | None:
        """Canonical department for any known way of writing it, else None.

        A seal note after the name (``市民政局（盖章）``) is not part of it. A known name
        may lack the city's prefix (``文旅局`` for 市文旅局, ``卫生健康委员会`` for
        鹤岗市卫生健康委员会) when what is left has at least three characters and belongs to
        one department only; it may lack its organ word (``市人社`` for 市人社局, ``市卫健``
        for 市卫健委) under the same two conditions.

        >>> reg = load_registry()
        >>> reg.match_department("市人社"), reg.match_department("鹤岗市住建")
        ('市人社局', '市住建局')
        >>> reg.match_department("人社") is None
        True
        >>> reg.match_department("文旅局"), reg.match_department("卫生健康委员会")
        ('市文体广旅局', '市卫健委')
        """
        key = _SEAL_NOTE.sub("", match_key(name))
        if not key:
            return None
        if key in self._department_keys:
            return self._department_keys[key]
        if key in self._short_keys:
            return self._short_keys[key]
        if key in self._bare_keys:
            return self._bare_keys[key]
        # "鹤岗市人民政府xx局" and similar: a known name at the end of a longer one.
        # A short name only when it says it is the city's (市人社 in 鹤岗市人社).
        shorts = {k: v for k, v in self._short_keys.items() if k.startswith("市")}
        best = None
        for keys in (self._department_keys, shorts):
            for known, canonical in keys.items():
                if (
                    len(known) >= 3
                    and key.endswith(known)
                    and (best is None or len(known) > best[0])
                ):
                    best = (len(known), canonical)
            if best:
                break
        return best[1] if best else None

    def find_department(self, name: object, *, file: str | Path | None = None) -> str:
        """Canonical department, or an error listing the closest known names."""
        found = self.match_department(name)
        if found is None:
            near = self.suggest_departments(str(name))
            hint = f"最接近的已知部门：{'、'.join(near)}" if near else "请检查部门名称"
            raise UnknownDepartmentError(
                f"未知部门“{name}”。{hint}；如确为新名称，请在登记表的 aliases 中添加",
                file=file,
            )
        return found

    def suggest_departments(self, name: str, n: int = 3) -> list[str]:
        key = match_key(name)
        pool: dict[str, str] = dict(self._department_keys)
        close = difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.3)
        out = list(dict.fromkeys(pool[c] for c in close))
        return out[:n]

    def find_domain(self, name: object, department: str | None = None) -> Domain | None:
        """The domain for a name as written (spaces, aliases), optionally within a department."""
        key = match_key(name)
        if not key:
            return None
        d = self._domain_keys.get(key)
        if d is None:
            candidates = [
                dom
                for known, dom in self._domain_keys.items()
                if len(known) >= 2 and (known in key or key in known)
            ]
            if department is not None:
                candidates = [c for c in candidates if c.department == department]
            unique = {c.domain: c for c in candidates}
            d = next(iter(unique.values())) if len(unique) == 1 else None
        if d is not None and department is not None and d.department != department:
            return None
        return d

    def to_json(self) -> dict[str, Any]:
        """The registry in force, as ``hgcredit registry --json`` prints it."""
        return {
            "source": self.source,
            "office": self.office_name,
            "deadline_day": self.deadline_day,
            "tiers": list(self.tiers),
            "evaluations": {name: scale.key for name, scale in self.evaluations.items()},
            "domains": [
                {
                    "serial": d.serial,
                    "department": d.department,
                    "aliases": list(d.department_aliases),
                    "domain": d.domain,
                    "section": d.section,
                    "person": d.person,
                    "scale": d.scale.key,
                    "levels": {lv.label: lv.tier for lv in d.scale.levels},
                }
                for d in self.domains
            ],
        }


def _require(table: dict[str, Any], key: str, kind: type, where: str, source: str) -> Any:
    if key not in table:
        raise RegistryError(f"{where} 缺少字段 {key}", file=source)
    value = table[key]
    if kind is int and isinstance(value, bool):
        raise RegistryError(f"{where} 的 {key} 应为整数", file=source)
    if not isinstance(value, kind):
        raise RegistryError(f"{where} 的 {key} 类型不对（应为 {kind.__name__}）", file=source)
    return value


def _str_list(value: Any, where: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where} 应为文字列表", file=source)
    return tuple(value)


def parse_registry(data: dict[str, Any], source: str) -> Registry:
    """Validate a registry as loaded from TOML (sections it lacks: see :func:`_with_builtin`)."""
    data = _with_builtin(data)
    office = data.get("office")
    if not isinstance(office, dict):
        raise RegistryError("缺少 [office] 部分", file=source)
    deadline = _require(office, "deadline_day", int, "[office]", source)
    if not 1 <= deadline <= 28:
        raise RegistryError(f"[office] deadline_day={deadline} 应在 1–28 之间", file=source)
    tiers = _str_list(_require(office, "tiers", list, "[office]", source), "[office] tiers", source)
    placeholders = _str_list(office.get("placeholders", []), "[office] placeholders", source)

    divisions_raw = data.get("divisions", {})
    if not isinstance(divisions_raw, dict):
        raise RegistryError("[divisions] 应为 代码 = 名称", file=source)
    divisions = {str(k): str(v) for k, v in divisions_raw.items()}
    for code in divisions:
        if len(code) != 6 or not code.isdigit():
            raise RegistryError(f"[divisions] 行政区划代码 {code} 应为 6 位数字", file=source)

    scales: dict[str, Scale] = {}
    raw_scales = data.get("scales")
    if not isinstance(raw_scales, dict) or not raw_scales:
        raise RegistryError("缺少 [scales.*] 评级体系", file=source)
    for key, raw in raw_scales.items():
        where = f"[scales.{key}]"
        if not isinstance(raw, dict):
            raise RegistryError(f"{where} 格式不对", file=source)
        levels = []
        for i, lv in enumerate(_require(raw, "levels", list, where, source), 1):
            if not isinstance(lv, dict):
                raise RegistryError(f"{where} 第 {i} 个等级格式不对", file=source)
            label = _require(lv, "label", str, f"{where} 第 {i} 个等级", source)
            tier = _require(lv, "tier", str, f"{where} 等级 {label}", source)
            if tier not in tiers:
                raise RegistryError(
                    f"{where} 等级 {label} 的 tier={tier} 不在 {'/'.join(tiers)} 之中", file=source
                )
            forms = _str_list(lv.get("forms", []), f"{where} 等级 {label} 的 forms", source)
            levels.append(Level(label, tier, forms))
        labels = [lv.label for lv in levels]
        if len(set(labels)) != len(labels) or not labels:
            raise RegistryError(f"{where} 等级为空或有重复", file=source)
        scales[key] = Scale(key, str(raw.get("name", key)), tuple(levels))

    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        raise RegistryError("缺少 [[domains]] 领域列表", file=source)
    domains = []
    for i, raw in enumerate(raw_domains, 1):
        where = f"第 {i} 个 [[domains]]"
        if not isinstance(raw, dict):
            raise RegistryError(f"{where} 格式不对", file=source)
        scale_key = _require(raw, "scale", str, where, source)
        if scale_key not in scales:
            raise RegistryError(
                f"{where} 的 scale={scale_key} 未定义，可用：{'、'.join(scales)}", file=source
            )
        domains.append(
            Domain(
                serial=_require(raw, "serial", int, where, source),
                department=_require(raw, "department", str, where, source).strip(),
                department_aliases=_str_list(raw.get("aliases", []), f"{where} aliases", source),
                domain=_require(raw, "domain", str, where, source).strip(),
                domain_aliases=_str_list(
                    raw.get("domain_aliases", []), f"{where} domain_aliases", source
                ),
                section=str(raw.get("section", "")),
                person=str(raw.get("person", "")),
                scale=scales[scale_key],
            )
        )
    evaluations = _parse_evaluations(data.get("evaluations"), scales, source)
    headers = _parse_headers(data.get("headers"), source)
    names = [d.domain for d in domains]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise RegistryError(f"领域名称重复：{'、'.join(dup)}", file=source)
    _check_alias_clashes(domains, source)
    return Registry(
        source=source,
        office_name=str(office.get("name", "")),
        office_short_name=str(office.get("short_name", office.get("name", ""))),
        city=str(office.get("city", "")),
        deadline_day=deadline,
        tiers=tiers,
        placeholders=frozenset(match_key(p) for p in placeholders) | frozenset({""}),
        divisions=divisions,
        scales=scales,
        domains=tuple(domains),
        headers=headers,
        evaluations=evaluations,
    )


def _parse_evaluations(raw: Any, scales: dict[str, Scale], source: str) -> dict[str, Scale]:
    if not isinstance(raw, dict):
        raise RegistryError('[evaluations] 应为 评价 = 评级体系，如 tax = "tax"', file=source)
    out: dict[str, Scale] = {}
    for which in EVALUATIONS:
        key = raw.get(which)
        if not isinstance(key, str) or key not in scales:
            raise RegistryError(
                f"[evaluations] 的 {which} = {key!r} 不是已定义的评级体系；可用：{'、'.join(scales)}",
                file=source,
            )
        out[which] = scales[key]
    unknown = sorted(set(raw) - set(EVALUATIONS))
    if unknown:
        raise RegistryError(
            f"[evaluations] 中的 {'、'.join(unknown)} 不是已知的评价；可用：{'、'.join(EVALUATIONS)}",
            file=source,
        )
    return out


def _parse_headers(raw: Any, source: str) -> HeaderWords:
    if not isinstance(raw, dict):
        raise RegistryError("[headers] 应为 列用途 = [表头, …]", file=source)
    excludes_raw = raw.get("not", {})
    if not isinstance(excludes_raw, dict):
        raise RegistryError("[headers.not] 应为 列用途 = [表头中的字, …]", file=source)
    known = "、".join(f"{role}（{label}）" for role, label in HEADER_ROLES.items())

    def table(items: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for role, value in items.items():
            if role not in HEADER_ROLES:
                raise RegistryError(
                    f"{where} 中的 {role} 不是已知的列用途；可用：{known}", file=source
                )
            words = _str_list(value, f"{where} {role}", source)
            if not all(match_key(w) for w in words):
                raise RegistryError(f"{where} {role} 中有空的表头", file=source)
            out[role] = words
        return out

    words = table({k: v for k, v in raw.items() if k != "not"}, "[headers]")
    for role in HEADER_ROLES:
        if not words.get(role):
            raise RegistryError(
                f"[headers] 缺少 {role}（{HEADER_ROLES[role]}列的表头）", file=source
            )
    owner: dict[str, str] = {}
    for role, ws in words.items():
        for w in ws:
            if owner.setdefault(match_key(w), role) != role:
                raise RegistryError(
                    f"[headers] 表头“{w}”同时列在 {owner[match_key(w)]} 和 {role} 中", file=source
                )
    return HeaderWords(
        {role: words[role] for role in HEADER_ROLES}, table(excludes_raw, "[headers.not]")
    )


def _with_builtin(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with what an older copy of the registry lacks taken from the packaged one:
    the ``[headers]`` words of each role it does not list, and ``[evaluations]`` (with the
    scales it names)."""
    builtin = _builtin_data()
    if data is builtin:
        return data
    out = dict(data)
    headers = data.get("headers")
    if headers is None or isinstance(headers, dict):
        merged = {**builtin["headers"], **(headers or {})}
        not_words = (headers or {}).get("not")
        if not_words is None or isinstance(not_words, dict):
            merged["not"] = {**builtin["headers"]["not"], **(not_words or {})}
        out["headers"] = merged
    if "evaluations" not in data:
        out["evaluations"] = builtin["evaluations"]
        scales = data.get("scales")
        if isinstance(scales, dict):
            wanted = {k: builtin["scales"][k] for k in builtin["evaluations"].values()}
            out["scales"] = {**wanted, **scales}
    return out


def _check_alias_clashes(domains: Iterable[Domain], source: str) -> None:
    owner: dict[str, str] = {}
    for d in domains:
        for name in (d.department, *d.department_aliases):
            key = match_key(name)
            if owner.setdefault(key, d.department) != d.department:
                raise RegistryError(
                    f"部门别名“{name}”同时属于 {owner[key]} 和 {d.department}", file=source
                )


def load_registry(path: str | Path | None = None) -> Registry:
    """Load the packaged registry, or the office's own file."""
    if path is None:
        return _default_registry()
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RegistryError(f"无法读取登记表（{exc.strerror}）", file=p) from None
    return _parse_bytes(raw, str(p))


@cache
def _default_registry() -> Registry:
    return parse_registry(_builtin_data(), "registry.toml")


@cache
def _builtin_data() -> dict[str, Any]:
    """The packaged registry as loaded from TOML (read once; never modified)."""
    raw = resources.files("hgcredit").joinpath("registry.toml").read_bytes()
    return _load_toml(raw, "registry.toml")


def _parse_bytes(raw: bytes, source: str) -> Registry:
    return parse_registry(_load_toml(raw, source), source)


def _load_toml(raw: bytes, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RegistryError("登记表应为 UTF-8 编码的 TOML 文件", file=source) from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"TOML 格式错误：{exc}", file=source) from None
