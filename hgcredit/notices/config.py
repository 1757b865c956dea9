"""The office's details for its documents: ``hgcredit.toml`` in the working folder, or the
file given with ``--config``, validated with Chinese messages that say how to fix it.

Every item has a default, the office of notice 鹤信用办发〔2022〕31号 (its contact, phone
and mailbox), so the file only needs what differs::

    [notice]
    doc_number = "鹤信用办发〔2022〕32号"   # the next number; --doc-number overrides it
    cc = ["市委办公室", "市政府办公室"]
    templates = "我的模板"                  # a folder of edited templates, beside this file

>>> cfg = load_config(None, cwd=Path("/nonexistent"))
>>> cfg.contact, cfg.phone, cfg.mailbox, cfg.doc_number
('马苹', '3355529', 'hgsxyb@163.com', '鹤信用办发〔2022〕32号')
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from hgcredit.errors import HgcreditError, OptionError
from hgcredit.notices.dates import doc_number

CONFIG_NAME = "hgcredit.toml"
SECTION = "notice"
OFFICE = "鹤岗市社会信用体系建设工作领导小组办公室"


class ConfigError(HgcreditError):
    """The office's config file cannot be used."""


@dataclass(frozen=True)
class OfficeConfig:
    """What the documents say about the office that sends them."""

    issuer: str = OFFICE  # 发文机关
    header: str = OFFICE + "文件"  # 发文机关标志 (red, on the first page)
    signature: str = OFFICE  # 署名
    doc_number: str = "鹤信用办发〔2022〕32号"  # the next document number
    to: str = "各有关单位"  # 主送 of the circular
    tax_bureaus: str = "各县（区）税务局"  # 主送 of the double-A letter
    cc: tuple[str, ...] = ("市委办公室", "市政府办公室")  # 抄送
    printer: str = OFFICE  # 印发机关
    contact: str = "马苹"
    phone: str = "3355529"
    mailbox: str = "hgsxyb@163.com"
    basis: str = "鹤信用办发〔2022〕31号"  # the notice that set the monthly rule
    basis_title: str = "关于进一步加强分级分类监管推动应用公共信用评价结果的通知"
    catch_up_days: int = 5  # days the circular gives late units to report
    templates: Path | None = None  # the office's own templates
    source: str = ""  # the file read ('' for the defaults)

    def to_json(self) -> dict[str, Any]:
        """The office as templates see it (``office`` in the context)."""
        return {
            "issuer": self.issuer,
            "header": self.header,
            "signature": self.signature,
            "to": self.to,
            "tax_bureaus": self.tax_bureaus,
            "cc": list(self.cc),
            "printer": self.printer,
            "contact": self.contact,
            "phone": self.phone,
            "mailbox": self.mailbox,
            "basis": self.basis,
            "basis_title": self.basis_title,
            "catch_up_days": self.catch_up_days,
        }


# Items the file may set, each with what it is for clerks (for messages).
ITEMS: dict[str, str] = {
    "issuer": "发文机关",
    "header": "发文机关标志",
    "signature": "署名",
    "doc_number": "下一个发文字号",
    "to": "通报的主送机关",
    "tax_bureaus": "双A通知的主送机关",
    "cc": "抄送机关",
    "printer": "印发机关",
    "contact": "联系人",
    "phone": "联系电话",
    "mailbox": "报送邮箱",
    "basis": "依据文件的发文字号",
    "basis_title": "依据文件的标题",
    "catch_up_days": "通报后补报的天数",
    "templates": "模板文件夹",
}
assert set(ITEMS) <= {f.name for f in fields(OfficeConfig)}


def load_config(path: str | Path | None = None, *, cwd: str | Path | None = None) -> OfficeConfig:
    """The office's details: ``path`` (``--config``), else ``hgcredit.toml`` in ``cwd`` (the
    working folder) when there is one, else the defaults."""
    if path is None:
        found = Path(cwd if cwd is not None else Path.cwd()) / CONFIG_NAME
        if not found.is_file():
            return OfficeConfig()
        path = found
    path = Path(path)
    if not path.is_file():
        what = "是一个文件夹" if path.is_dir() else "不存在"
        raise OptionError(f"--config 给出的文件{what}：{path}")
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError("不是 UTF-8 编码；请用记事本“另存为”UTF-8 后重试", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f'不是有效的 TOML（{exc}）；文字要用英文双引号括起来，如 contact = "马苹"',
            file=path,
        ) from None
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path) -> OfficeConfig:
    """Check every item of the ``[notice]`` table and build the config."""
    others = sorted(k for k in data if k != SECTION)
    if others:
        raise ConfigError(
            f"只认 [{SECTION}] 一节，不认“{others[0]}”；请把各项写在 [{SECTION}] 下面",
            file=path,
        )
    table = data.get(SECTION, {})
    if not isinstance(table, dict):
        raise ConfigError(f"“{SECTION}”应是一节 [{SECTION}]", file=path)
    values: dict[str, Any] = {"source": str(path)}
    for key, value in table.items():
        if key not in ITEMS:
            near = difflib.get_close_matches(key, list(ITEMS), n=1, cutoff=0.6)
            hint = f"（是不是 {near[0]}？）" if near else ""
            raise ConfigError(
                f"[{SECTION}] 中没有“{key}”这一项{hint}；可用的项：{'、'.join(ITEMS)}",
                file=path,
            )
        values[key] = _value(key, value, path)
    return replace(OfficeConfig(), **values)


def _value(key: str, value: Any, path: Path) -> Any:
    label = f"[{SECTION}] {key}（{ITEMS[key]}）"
    if key == "catch_up_days":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
            raise ConfigError(f"{label} 应是 1 到 60 之间的整数，如 {key} = 5", file=path)
        return value
    if key == "cc":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise ConfigError(
                f'{label} 应是文字的列表，如 cc = ["市委办公室", "市政府办公室"]', file=path
            )
        return tuple(v.strip() for v in items if v.strip())
    if not isinstance(value, str):
        raise ConfigError(f'{label} 应是用英文双引号括起来的文字，如 {key} = "…"', file=path)
    text = value.strip()
    if not text and key not in ("basis", "basis_title"):
        raise ConfigError(f"{label} 不能为空", file=path)
    if key in ("doc_number", "basis") and text:
        try:
            return doc_number(text, where=label)
        except OptionError as exc:
            raise ConfigError(exc.message, file=path) from None
    if key == "templates":
        folder = (path.parent / text).resolve()
        if not folder.is_dir():
            raise ConfigError(f"{label} 指向的文件夹不存在：{folder}", file=path)
        return folder
    return text
