"""Chinese help pages, laid out for wide characters. Imported only when help is shown.

Built from the public parts of a Click command (its parameters, help, subcommands), so the
page does not depend on how Typer or Click lay out their own English help. Lines are
measured in terminal columns (a Chinese character takes two), wrapped without breaking an
English word or option name, and without starting a line with a closing mark.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

USAGE = "用法："
ARGUMENTS = "参数："
OPTIONS = "选项："
COMMANDS = "命令："
REQUIRED = "[必填]"
DEFAULT = "[默认：{}]"

INDENT = 2
GAP = 2
MAX_NAME_COLUMN = 28

_NO_LINE_START = set("，。、；：！？）》」』】”’…,.;:!?)]}%")
_NO_LINE_END = set("（《「『【“‘([{")


def columns(text: str) -> int:
    """Terminal columns of ``text``: two for wide (Chinese) characters, none for combining."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


_MARKS = "，。、；：！？（）《》「」『』【】“”‘’…—"
# Kept whole: a ``[必填]`` or ``[默认：…]`` mark, and a ``key=value`` example such as 代码=识别号.
_WHOLE = re.compile(rf"(\[[^\[\]\s]{{1,20}}\]|[^\s=\[\]{_MARKS}]+=[^\s\[\]{_MARKS}]+)")


def _tokens(text: str) -> list[str]:
    """Where a line may break: around each Chinese character or mark and each run of spaces,
    never inside an English word, an option, a path, a ``key=value`` example or a mark."""
    out: list[str] = []
    for i, part in enumerate(_WHOLE.split(text)):
        if i % 2:
            out.append(part)
            continue
        glue = False  # may the next narrow character join the last token
        for ch in part:
            narrow = columns(ch) == 1 and ch not in _MARKS and not ch.isspace()
            if (narrow and glue) or (ch.isspace() and out and out[-1].isspace()):
                out[-1] += ch
            else:
                out.append(ch)
            glue = narrow
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one line) as lines of at most ``width`` columns.

    A closing mark may hang one past the width rather than start a line (when it cannot,
    the word before it moves down with it); an opening mark moves to the next line rather
    than end one; a single token wider than the line is left whole on a line of its own.
    """
    width = max(width, 10)
    lines: list[list[str]] = [[]]
    for token in _tokens(text):
        line = lines[-1]
        if token.isspace():
            if line:
                line.append(" ")
            continue
        used = columns("".join(line)) + columns(token)
        closing = token in _NO_LINE_START
        if used <= width or not line or (closing and used <= width + 2):
            line.append(token)
            continue
        carried: list[str] = []
        if closing:  # take the word before it (and the marks between) to the next line
            while len(line) > 1 and line[-1] in _NO_LINE_START:
                carried.insert(0, line.pop())
            if len(line) > 1:
                carried.insert(0, line.pop())
        while len(line) > 1 and line[-1] in _NO_LINE_END:
            carried.insert(0, line.pop())
        while line and line[-1] == " ":
            line.pop()
        lines.append([*carried, token])
    return ["".join(line).rstrip() for line in lines]


def _lines(text: str) -> list[str]:
    """Help text as its author broke it into lines (Click's ``\f`` ends the shown part)."""
    text = inspect.cleandoc(text.split("\f")[0])
    return [line.strip() for line in text.splitlines() if line.strip() != "\b"]


def _join(left: str, right: str) -> str:
    if left and right and columns(left[-1]) == 1 and columns(right[0]) == 1:
        return f"{left} {right}"
    return left + right


def paragraphs(text: str) -> list[str]:
    """Help text as the lines to show ("" between paragraphs), before wrapping.

    A sentence that the author broke across lines of the source (the line ends in a
    Chinese character or a mark inside a sentence, such as "，" or "；") is joined up again;
    a line that ends a sentence ("。", "！", "？", "：") or ends in English keeps its line.
    """
    out: list[str] = []
    open_sentence = False
    for line in _lines(text):
        if open_sentence and line:
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
        last = out[-1][-1:]
        open_sentence = bool(last) and columns(last) == 2 and last not in "。！？："
    return out


def first_sentence(text: str) -> str:
    """A command's summary for the list of commands: its help up to the first "。"."""
    first = next((line for line in paragraphs(text) if line), "")
    end = first.find("。")
    return first if end < 0 else first[: end + 1]


def metavar(param: Any) -> str:
    """What to write after an option (or for an argument): its metavar, else its kind in Chinese."""
    if param.metavar:
        return str(param.metavar)
    kind = getattr(param.type, "name", "")
    if kind in ("integer", "int"):
        return "整数"
    if kind == "float":
        return "数字"
    if kind == "choice":
        return "{" + "|".join(str(getattr(c, "value", c)) for c in param.type.choices) + "}"
    if kind in ("path", "file", "filename"):
        only_dirs = getattr(param.type, "dir_okay", False) and not getattr(
            param.type, "file_okay", True
        )
        return "文件夹" if only_dirs else "文件"
    if kind == "datetime":
        return "日期"
    return "值"


def _argument_name(param: Any) -> str:
    name = metavar(param)
    return f"{name}..." if param.nargs == -1 else name


def _option_names(param: Any) -> str:
    def names(opts: Sequence[str]) -> str:
        return ", ".join(sorted(opts, key=lambda o: (o.startswith("--"), o)))

    text = names(param.opts)
    if param.secondary_opts:
        text += " / " + names(param.secondary_opts)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        text += f" {metavar(param)}"
    return text


def _default(param: Any, ctx: Any) -> str | None:
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return show
    if not (show or ctx.show_default):
        return None
    if getattr(param, "is_flag", False) and not param.secondary_opts:
        return None  # a flag is off unless given
    value = param.get_default(ctx, call=False)
    if value is None or callable(value) or value in ((), []):
        return None
    if isinstance(value, (list, tuple)):
        return "、".join(str(getattr(v, "value", v)) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _param_help(param: Any, ctx: Any) -> str:
    text = " ".join(line for line in paragraphs(getattr(param, "help", None) or "") if line)
    default = _default(param, ctx)
    if default is not None:
        text += DEFAULT.format(default)
    if param.required:
        text += REQUIRED
    return text


def usage(command: Any, ctx: Any, *, is_group: bool = False) -> str:
    """The usage line: ``用法：hgcredit check [选项] 文件...``."""
    pieces = [ctx.command_path]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    if any(p.param_type_name == "option" for p in params):
        pieces.append("[选项]")
    for p in params:
        if p.param_type_name == "argument":
            name = _argument_name(p)
            pieces.append(name if p.required else f"[{name}]")
    if is_group:
        pieces.append("命令 [参数]...")
    return USAGE + " ".join(pieces)


def _definitions(title: str, rows: Iterable[tuple[str, str]], width: int) -> list[str]:
    rows = list(rows)
    if not rows:
        return []
    name_width = min(max(columns(name) for name, _ in rows), MAX_NAME_COLUMN)
    text_at = INDENT + name_width + GAP
    out = ["", title]
    for name, text in rows:
        lines = wrap(text, width - text_at) if text else [""]
        if columns(name) > name_width:
            out.append(" " * INDENT + name)
            out.extend(" " * text_at + line for line in lines if line)
            continue
        pad = " " * (name_width - columns(name) + GAP)
        out.append((" " * INDENT + name + pad + lines[0]).rstrip())
        out.extend(" " * text_at + line for line in lines[1:])
    return out


def _text(text: str, width: int, ctx: Any) -> list[str]:
    """Paragraphs indented and wrapped; a line showing a command (``hgcredit …``) is kept
    whole, so that it can be copied from the terminal as it is."""
    program = f"{ctx.find_root().info_name} "
    out: list[str] = []
    for line in paragraphs(text):
        if not line:
            out.append("")
        elif program in line:
            out.append(" " * INDENT + line)
        else:
            out.extend(" " * INDENT + part for part in wrap(line, width - INDENT))
    return out


def render(
    command: Any, ctx: Any, width: int, commands: Sequence[tuple[str, Any]] | None = None
) -> str:
    """The whole help page of a command, or of a group with its ``(name, command)`` list."""
    out = [usage(command, ctx, is_group=commands is not None)]
    if command.help:
        out += ["", *_text(command.help, width, ctx)]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    out += _definitions(
        ARGUMENTS, ((_argument_name(p), _param_help(p, ctx)) for p in arguments), width
    )
    out += _definitions(OPTIONS, ((_option_names(p), _param_help(p, ctx)) for p in options), width)
    if commands:
        rows = [
            (name, sub.short_help or first_sentence(sub.help or ""))
            for name, sub in commands
            if not sub.hidden
        ]
        out += _definitions(COMMANDS, rows, width)
    if command.epilog:
        out += ["", *_text(command.epilog, width, ctx)]
    return "\n".join(out) + "\n"
