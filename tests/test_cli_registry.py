from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hgcredit.cli import app


def test_registry_table_lists_all_domains():
    result = CliRunner().invoke(app, ["registry"])
    assert result.exit_code == 0, result.output
    assert "每月 20 日前" in result.output
    for name in ("纳税企业", "保安服务领域", "鹤岗海关", "市消防队"):
        assert name in result.output


def test_registry_json():
    result = CliRunner().invoke(app, ["registry", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["deadline_day"] == 20
    assert len(data["domains"]) == 23
    tax = data["domains"][0]
    assert tax["department"] == "市税务局"
    assert tax["levels"] == {"A": "A", "B": "B", "M": "B", "C": "C", "D": "D"}


def test_own_registry_with_another_deadline(tmp_path: Path):
    src = Path(__file__).resolve().parent.parent / "hgcredit" / "registry.toml"
    mine = tmp_path / "mine.toml"
    mine.write_text(
        src.read_text("utf-8").replace("deadline_day = 20", "deadline_day = 15"), "utf-8"
    )
    result = CliRunner().invoke(app, ["registry", "--registry", str(mine), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["deadline_day"] == 15


def test_broken_registry_exit_2_one_line(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[office]\ndeadline_day = 20\n", "utf-8")
    result = CliRunner().invoke(app, ["registry", "--registry", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("错误：")
    assert str(bad) in result.stderr


def test_missing_registry_file(tmp_path: Path):
    result = CliRunner().invoke(app, ["registry", "--registry", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert "无法读取登记表" in result.stderr
