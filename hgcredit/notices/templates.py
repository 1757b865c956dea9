"""Finding a kind's template and checking that its variables match what the notice says.

Templates are named ``KIND.FORMAT`` (``overdue.docx``, ``reminder.md``, ``double-a.html``).
They are looked up in the folder given with ``--templates``, then the one in the office's
``hgcredit.toml``, then the templates shipped with hgcredit (``hgcredit/templates`` in an
installed wheel, the top-level ``templates/`` of a checkout).

A template edited in Word or a text editor is checked before it is used: every variable it
uses must be one the context has (a misspelt ``{{ doc_numbr }}`` is *unknown*), and it must
use the variables its kind cannot do without (``units`` in a circular: a deleted or broken
loop leaves them *missing*). Both lists are named in one Chinese message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import hgcredit
from hgcredit.errors import HgcreditError

# What each kind's template must use, whatever the office rewords.
REQUIRED: dict[str, frozenset[str]] = {
    "overdue": frozenset({"title", "date", "units", "table", "counts"}),
    "reminder": frozenset({"title", "date", "units", "deadline_cn"}),
    "double-a": frozenset({"title", "date", "total", "counties"}),
}
_TAG_TEXT = re.compile(r"\{[{%#].*?[}%#]\}|\{[{%#]|[}%#]\}", re.S)


class TemplateProblem(HgcreditError):
    """A template cannot be used as it is: bad syntax, unknown or missing variables, a tag
    that Word's formatting broke apart."""


def packaged_templates() -> Path:
    """The templates shipped with hgcredit (inside the package when installed from a
    wheel; the checkout's top-level ``templates/`` otherwise)."""
    here = Path(hgcredit.__file__).resolve().parent
    inside = here / "templates"
    return inside if inside.is_dir() else here.parent / "templates"


def find_template(kind: str, suffix: str, folders: Iterable[Path | None]) -> Path:
    """The first ``KIND.SUFFIX`` in ``folders``, else the packaged one."""
    name = f"{kind}{suffix}"
    for folder in (*folders, packaged_templates()):
        if folder is not None and (folder / name).is_file():
            return folder / name
    raise TemplateProblem(f"找不到模板 {name}（hgcredit 的安装不完整；请重新安装）")


def check_variables(template: Path, used: set[str], context: Mapping[str, Any], kind: str) -> None:
    """Refuse a template that uses a name the context lacks, or lacks one it must use."""
    unknown = sorted(used - set(context))
    missing = sorted(REQUIRED[kind] - used)
    if not unknown and not missing:
        return
    parts = []
    if unknown:
        parts.append("不认识的变量 " + "、".join(_with_hint(n, context) for n in unknown))
    if missing:
        parts.append("缺少必须有的变量 " + "、".join(missing))
    raise TemplateProblem(
        f"模板的变量与{_KIND_NAMES[kind]}的内容对不上：{'；'.join(parts)}。"
        f"可用的变量：{'、'.join(sorted(context))}。"
        "在 Word 中修改时，请把整个标记（如 {{ doc_number }}）删掉后一次输入，不要只改其中几个字",
        file=template,
    )


def broken_tags(texts: Iterable[str]) -> list[str]:
    """Tags left as text after rendering (``{{``, ``%}`` …): a tag whose parts formatting or
    typing pulled apart so that the template engine did not see it.

    >>> broken_tags(["截至 2022年11月21日", "文号：{ {doc_number}}", "共 {%p 5 家"])
    ['{doc_number}}', '共 {%p 5 家']
    """
    found = []
    for text in texts:
        for m in _TAG_TEXT.finditer(text):
            start = max(0, m.start() - 12)
            found.append(text[start : m.end() + 6].strip())
    return found


def broken_tag_problem(template: Path, tags: list[str]) -> TemplateProblem:
    shown = "、".join(f"“{t}”" for t in tags[:5])
    return TemplateProblem(
        f"模板中有 {len(tags)} 处标记没有被识别（{shown}），多半是在 Word 中只改了标记的一部分"
        "或在花括号之间加了空格；请把整个标记删掉后重新输入，如 {{ doc_number }}",
        file=template,
    )


def syntax_problem(template: Path, exc: Exception, around: Iterable[str] = ()) -> TemplateProblem:
    """A Jinja syntax error as one Chinese line, with the template text around it."""
    near = " ".join(" ".join(around).split())
    where = f"，在“{near[:60]}”附近" if near else ""
    line = getattr(exc, "lineno", None)
    at = f"第 {line} 行" if line and not near else ""
    return TemplateProblem(
        f"模板的标记写得不完整{at}{where}（{getattr(exc, 'message', exc)}）；"
        "请检查 {{ }}、{% %} 是否成对，{%p if %}/{%tr for %} 是否都有对应的 endif/endfor",
        file=template,
    )


def _with_hint(name: str, context: Mapping[str, Any]) -> str:
    near = difflib.get_close_matches(name, list(context), n=1, cutoff=0.6)
    return f"{name}（是不是 {near[0]}？）" if near else name


_KIND_NAMES = {"overdue": "通报", "reminder": "催报提醒", "double-a": "双A企业通知"}
