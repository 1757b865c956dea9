"""Templates: built reproducibly, edited by the office (and checked), autoescaped, rendered
the same way twice, and the text formats say what the Word document says."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from hgcredit.notices.make import make_notice
from hgcredit.notices.templates import TemplateProblem, packaged_templates
from hgcredit.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sample_data"
RETURNS = sorted(p for p in (DATA / "returns").iterdir() if "更正" not in p.name)
MONTH_FILES = [
    *sorted((DATA / "台账").iterdir()),
    *RETURNS,
    *sorted(p for p in (DATA / "returns").iterdir() if "更正" in p.name),
    *sorted((DATA / "lists").iterdir()),
]
AFTER = dt.date(2022, 11, 21)
KINDS = ("overdue", "reminder", "double-a")
FORMATS = (".docx", ".md", ".html", ".txt")


def _overdue(out: Path, **kwargs):
    return make_notice("overdue", MONTH_FILES, "2022-11", as_of=AFTER, output=out, **kwargs)


def _edited(tmp_path: Path, name: str, change) -> Path:
    """A copy of the packaged template ``name`` in a folder of its own, changed by
    ``change(text) -> text`` (the .docx's document.xml for Word templates)."""
    folder = tmp_path / "模板"
    folder.mkdir(exist_ok=True)
    source = packaged_templates() / name
    target = folder / name
    if name.endswith(".docx"):
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "word/document.xml":
                    changed = change(data.decode("utf-8"))
                    assert changed != data.decode("utf-8"), "the change did not apply"
                    data = changed.encode("utf-8")
                dst.writestr(item.filename, data)
    else:
        text = source.read_text("utf-8")
        changed = change(text)
        assert changed != text, "the change did not apply"
        target.write_text(changed, "utf-8")
    return folder


# ------------------------------------------------------------------ building


def test_the_committed_word_templates_are_what_the_build_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_templates", ROOT / "templates" / "build_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{k}.docx" for k in KINDS)
    for path in written:
        assert path.read_bytes() == (ROOT / "templates" / path.name).read_bytes(), (
            f"templates/{path.name} is stale: run make templates"
        )


def test_every_kind_has_every_format():
    folder = packaged_templates()
    for kind in KINDS:
        for suffix in FORMATS:
            assert (folder / f"{kind}{suffix}").is_file()


# ------------------------------------------------------------------ edited templates


def test_an_unknown_variable_in_a_word_template_is_named_with_the_likely_one(tmp_path):
    folder = _edited(
        tmp_path, "overdue.docx", lambda x: x.replace("{{ doc_number }}", "{{ doc_numbr }}")
    )
    out = tmp_path / "通报.docx"
    with pytest.raises(TemplateProblem) as info:
        _overdue(out, templates=folder)
    message = str(info.value)
    assert "不认识的变量 doc_numbr（是不是 doc_number？）" in message
    assert str(folder / "overdue.docx") in message
    assert not out.exists()


def test_a_text_template_missing_what_its_kind_needs_is_refused(tmp_path):
    folder = _edited(tmp_path, "overdue.md", lambda x: x.replace("{{ title }}", "{{ titel }}"))
    with pytest.raises(TemplateProblem) as info:
        _overdue(tmp_path / "通报.md", templates=folder)
    message = str(info.value)
    assert "不认识的变量 titel（是不是 title？）" in message
    assert "缺少必须有的变量 title" in message


def test_a_variable_split_into_runs_by_formatting_still_renders(tmp_path):
    # Word splits a tag into runs when part of it is formatted; the template engine joins it.
    split = "{{ doc_</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>number }}"
    folder = _edited(tmp_path, "overdue.docx", lambda x: x.replace("{{ doc_number }}", split, 1))
    out = tmp_path / "通报.docx"
    notice = _overdue(out, templates=folder)
    assert notice.template == folder / "overdue.docx"
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert notice.context["doc_number"] in texts


def test_a_tag_pulled_apart_is_named(tmp_path):
    folder = _edited(
        tmp_path, "overdue.docx", lambda x: x.replace("{{ doc_number }}", "{ { doc_number }}")
    )
    out = tmp_path / "通报.docx"
    with pytest.raises(TemplateProblem) as info:
        _overdue(out, templates=folder)
    assert "标记没有被识别" in str(info.value) and "doc_number }}" in str(info.value)
    assert not out.exists()


def test_an_unclosed_block_is_a_chinese_syntax_error(tmp_path):
    folder = _edited(tmp_path, "overdue.docx", lambda x: x.replace("{%p endif %}", "", 1))
    with pytest.raises(TemplateProblem) as info:
        _overdue(tmp_path / "通报.docx", templates=folder)
    assert "模板的标记写得不完整" in str(info.value) and "endif" in str(info.value)


def test_an_unknown_field_of_a_unit_is_named(tmp_path):
    folder = _edited(
        tmp_path, "overdue.md", lambda x: x.replace("{{ u.department }}", "{{ u.dept }}", 1)
    )
    with pytest.raises(TemplateProblem, match="没有的字段“dept”"):
        _overdue(tmp_path / "通报.md", templates=folder)


def test_office_templates_replace_only_the_files_they_have(tmp_path):
    folder = _edited(
        tmp_path, "overdue.md", lambda x: x.replace("通报如下：", "通报如下（本办修改）：")
    )
    md = _overdue(tmp_path / "通报.md", templates=folder)
    assert md.template == folder / "overdue.md"
    assert "通报如下（本办修改）：" in (tmp_path / "通报.md").read_text("utf-8")
    txt = _overdue(tmp_path / "通报.txt", templates=folder)
    assert txt.template == packaged_templates() / "overdue.txt"


def test_a_failed_render_leaves_the_previous_output_whole(tmp_path):
    out = tmp_path / "通报.md"
    out.write_text("上一次的通报", "utf-8")
    folder = _edited(tmp_path, "overdue.md", lambda x: x.replace("{{ title }}", "{{ title"))
    with pytest.raises(TemplateProblem):
        _overdue(out, templates=folder)
    assert out.read_text("utf-8") == "上一次的通报"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板", "通报.md"]


# ------------------------------------------------------------------ escaping


@pytest.fixture
def odd_name(tmp_path):
    """A registry whose 市城管局 is called 鹤岗市A&B<公司>, and a ledger where it is missing."""
    name = "鹤岗市A&B<公司>"
    text = (ROOT / "hgcredit" / "registry.toml").read_text("utf-8")
    registry = tmp_path / "登记表.toml"
    registry.write_text(text.replace('department = "市城管局"', f'department = "{name}"'), "utf-8")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "序号,实施部门,分级分类领域,2022年11月\n1,市税务局,纳税企业,评价9889户\n"
        f"7,{name},燃气企业,\n",
        "utf-8",
    )
    return name, ledger, load_registry(registry)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_unit_named_with_markup_characters_stays_whole(tmp_path, odd_name, suffix):
    name, ledger, registry = odd_name
    out = tmp_path / f"通报{suffix}"
    notice = make_notice("overdue", [ledger], "2022-11", as_of=AFTER, output=out, registry=registry)
    assert name in [u["department"] for u in notice.context["units"]]
    if suffix == ".docx":
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        table = "\n".join(
            c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells
        )
        assert f"{name}（燃气企业）" in text and name in table
    elif suffix == ".html":
        html = out.read_text("utf-8")
        assert "鹤岗市A&amp;B&lt;公司&gt;（燃气企业）" in html and name not in html
    else:
        assert f"{name}（燃气企业）" in out.read_text("utf-8")


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_twice_gives_the_same_bytes(tmp_path, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    _overdue(first)
    _overdue(second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
def test_the_text_formats_say_what_the_word_document_says(tmp_path, suffix):
    notice = _overdue(tmp_path / f"通报{suffix}")
    text = re.sub(r"<[^>]+>|\*\*", "", (tmp_path / f"通报{suffix}").read_text("utf-8"))
    ctx = notice.context
    for needed in (ctx["title"], ctx["doc_number"], ctx["office"]["header"], ctx["date"],
                   ctx["attachment"], f"按时报送率{ctx['counts']['rate']}",
                   ctx["office"]["mailbox"], ctx["office"]["contact"]):  # fmt: skip
        assert needed in text, needed
    for u in ctx["units"]:
        assert f"{u['department']}（{u['domain']}" in text
    for row in ctx["table"]:
        assert row["section_person"] in text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("day", [18, 20, 23])
def test_the_reminder_in_every_format(tmp_path, suffix, day):
    out = tmp_path / f"提醒{suffix}"
    notice = make_notice(
        "reminder", MONTH_FILES, "2022-11", as_of=dt.date(2022, 11, day), output=out
    )
    if suffix == ".docx":
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    else:
        text = re.sub(r"<[^>]+>", "", out.read_text("utf-8"))
    ctx = notice.context
    assert (
        ctx["title"] in text and ctx["office"]["mailbox"] in text and ctx["office"]["phone"] in text
    )
    assert "鹤岗市社会信用体系建设工作领导小组办公室文件" not in text  # no red header
    for u in ctx["units"]:
        assert f"{u['department']}（{u['domain']}）" in text
    said = {18: "还有2天", 20: "今天（2022年11月20日）是报送截止日", 23: "已过3天"}[day]
    assert said in text


def test_the_double_a_notice_in_every_format(tmp_path):
    entities = DATA / "entities"
    for suffix in FORMATS:
        out = tmp_path / f"双A{suffix}"
        notice = make_notice(
            "double-a", [], "2022-11", as_of=dt.date(2022, 12, 1), output=out,
            tax=entities / "鹤岗市2022年度纳税信用级别名单.xlsx",
            public=entities / "鹤岗市2022年度公共信用评价结果.xlsx",
            previous=entities / "鹤岗市2021年度双A企业名单.xlsx",
        )  # fmt: skip
        if suffix == ".docx":
            document = docx.Document(str(out))
            text = "\n".join(p.text for p in document.paragraphs)
            text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        else:
            text = out.read_text("utf-8")
        ctx = notice.context
        assert f"“双A企业”{ctx['total']}户" in text
        for county in ctx["counties"]:
            for e in county["enterprises"]:
                assert e["code"] in text
        for r in ctx["removed"]:
            assert r["code"] in text


def test_templates_folder_must_exist(tmp_path):
    from hgcredit.errors import OptionError

    with pytest.raises(OptionError, match="--templates"):
        _overdue(tmp_path / "a.md", templates=tmp_path / "没有")


def test_a_packaged_template_is_used_when_no_folder_is_given(tmp_path):
    notice = _overdue(tmp_path / "a.txt")
    assert notice.template == packaged_templates() / "overdue.txt"
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_month_where_everyone_reported_on_time(tmp_path, suffix):
    # A registry of two domains, both filled with figures: nobody to name, the requirements
    # renumbered, no quality section, and the reminder has nobody to remind.
    text = (ROOT / "hgcredit" / "registry.toml").read_text("utf-8")
    head, _, rest = text.partition("[[domains]]")
    two = "[[domains]]" + "[[domains]]".join(rest.split("[[domains]]")[:2])
    registry_file = tmp_path / "登记表.toml"
    registry_file.write_text(head + two, "utf-8")
    registry = load_registry(registry_file)
    first, second = registry.domains
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "序号,实施部门,分级分类领域,2022年10月,2022年11月\n"
        f"1,{first.department},{first.domain},无,评价9889户\n"
        f"2,{second.department},{second.domain},,培育企业3家\n",
        "utf-8",
    )
    out = tmp_path / f"通报{suffix}"
    notice = make_notice("overdue", [ledger], "2022-11", as_of=AFTER, output=out, registry=registry)
    ctx = notice.context
    assert ctx["units"] == [] and ctx["quality"] == [] and ctx["no_data"] == []
    assert ctx["praised"] == [first.department, second.department]
    assert [t["filled"] for t in ctx["trend"]] == [0, 2]
    if suffix == ".docx":
        said = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    else:
        said = re.sub(r"<[^>]+>|\*\*|#+ ", "", out.read_text("utf-8"))
    assert "各单位均按时报送了2022年11月工作推进台账。" in said
    assert "三、有关要求" in said and "报送质量问题" not in said and "四、" not in said
    assert "（一）各单位报送内容要聚焦" in said and "补报" not in said
    assert "按时报送率100%" in said
    reminder = make_notice("reminder", [ledger], "2022-11", as_of=dt.date(2022, 11, 18),
                           output=tmp_path / f"提醒{suffix}", registry=registry)  # fmt: skip
    assert reminder.nothing_to_send and reminder.output is None
    assert not (tmp_path / f"提醒{suffix}").exists()
