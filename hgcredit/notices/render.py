"""Rendering a notice's context with its template: .docx through docxtpl, .md/.html/.txt
through Jinja2, with autoescaping on for .html and .docx (a unit named ``鹤岗市A&B<公司>``
stays whole) and undefined names refused rather than left blank.

The same context gives the same bytes: the .docx gets fixed document properties and zip
member timestamps. Jinja2 and docxtpl are imported here only, when a document is made.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hgcredit.notices.templates import (
    TemplateProblem,
    broken_tag_problem,
    broken_tags,
    check_variables,
    syntax_problem,
)

TEXT_FORMATS = (".md", ".html", ".txt")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member of a written .docx


def render_text(template: Path, context: Mapping[str, Any]) -> str:
    """A .md, .html or .txt template filled in (HTML autoescaped)."""
    import jinja2
    from jinja2 import meta

    env = _environment(autoescape=template.suffix.lower() == ".html")
    try:
        source = template.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise TemplateProblem("模板不是 UTF-8 编码；请另存为 UTF-8", file=template) from None
    try:
        parsed = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        lines = source.splitlines()
        around = lines[exc.lineno - 1 : exc.lineno] if exc.lineno else []
        raise syntax_problem(template, exc, around) from None
    check_variables(template, meta.find_undeclared_variables(parsed), context, context["kind"])
    try:
        return env.from_string(parsed).render(**context)
    except jinja2.UndefinedError as exc:
        raise _undefined(template, exc) from None


def render_docx(template: Path, context: Mapping[str, Any]) -> bytes:
    """A .docx template filled in: the document's bytes, the same for the same context."""
    import jinja2
    from docxtpl import DocxTemplate

    env = _environment(autoescape=True)
    try:
        doc = DocxTemplate(template)
        used = _undeclared(doc, env)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_problem(template, exc, getattr(exc, "docx_context", ())) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateProblem(f"不是有效的 Word 文档（{exc}）", file=template) from None
    check_variables(template, set(used), context, context["kind"])
    try:
        doc.render(dict(context), env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise _undefined(template, exc) from None
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_problem(template, exc, getattr(exc, "docx_context", ())) from None
    document = doc.docx  # get_docx() would reload the template
    left = broken_tags(p.text for p in _paragraphs(document))
    if left:
        raise broken_tag_problem(template, left)
    _fix_properties(document, context)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_docx(buffer.getvalue())


def _undeclared(doc: Any, env: Any) -> set[str]:
    """The names a Word template uses, as docxtpl's ``get_undeclared_template_variables()``
    finds them (its tags joined across runs first), on the document already loaded for
    rendering rather than a second copy."""
    from jinja2 import meta

    doc.init_docx()
    document = doc.docx
    xml = doc.patch_xml(doc.xml_to_string(document._element.body))
    for rel in document.part.rels.values():
        if rel.reltype in (doc.HEADER_URI, doc.FOOTER_URI):
            xml += doc.patch_xml(doc.xml_to_string(rel.target_part.element))
    return set(meta.find_undeclared_variables(env.parse(xml)))


def _environment(*, autoescape: bool) -> Any:
    import jinja2

    return jinja2.Environment(
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _undefined(template: Path, exc: Exception) -> TemplateProblem:
    name = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
    what = next((g for g in name.groups() if g), str(exc)) if name else str(exc)
    return TemplateProblem(
        f"模板用到了内容中没有的字段“{what}”；请对照 hgcredit notice … --json 的输出改正",
        file=template,
    )


def _paragraphs(document: Any) -> Any:
    """Every paragraph of the body, its tables, headers and footers."""
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in document.sections:
        for part in (section.footer, section.even_page_footer, section.header):
            yield from part.paragraphs


def _fix_properties(document: Any, context: Mapping[str, Any]) -> None:
    """Document properties that depend on the context only (no clock, no user name)."""
    day = dt.date.fromisoformat(context["as_of"])
    moment = dt.datetime(day.year, day.month, day.day)
    props = document.core_properties
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.author = context["office"]["issuer"]
    props.last_modified_by = context["office"]["issuer"]
    props.title = context.get("title", "")
    props.revision = 1


def stable_docx(data: bytes) -> bytes:
    """The same zip with fixed member timestamps and attributes, members in their order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
