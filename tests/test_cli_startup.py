"""The console script loads only the command being run."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys; sys.argv = ['hgcredit', *sys.argv[1:]]\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('hgcredit'))), file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    return set(out.stderr.strip().splitlines()[-1].split())


def test_double_a_does_not_load_the_ledger_or_ratings_code():
    loaded = _modules_after(["double-a", "--help"])
    assert "hgcredit.cli.doublea_cmd" in loaded
    assert not loaded & {
        "hgcredit.ledger.read",
        "hgcredit.ratings.report",
        "hgcredit.cli.check_cmd",
    }


def test_help_and_unknown_names_load_every_command():
    for argv in (["--help"], ["nosuch"]):
        loaded = _modules_after(argv)
        for module in ("import_cmd", "check_cmd", "ratings_cmd", "doublea_cmd", "registry_cmd"):
            assert f"hgcredit.cli.{module}" in loaded


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.argv = ['hgcredit', *sys.argv[1:]]; import hgcredit.cli as c; c.main()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )


def test_usage_errors_are_one_chinese_line_with_exit_2(tmp_path):
    cases = {
        ("check", "x.xlsx"): "错误：缺少必填的选项 --month；运行 hgcredit check --help 查看用法\n",
        (
            "check",
            "--month",
            "2022-11",
        ): "错误：缺少要处理的文件；运行 hgcredit check --help 查看用法\n",
        ("check", "x.xlsx", "--month", "2022-11", "--nope"): (
            "错误：没有选项 --nope；运行 hgcredit check --help 查看用法\n"
        ),
        ("nosuch",): (
            "错误：没有这个命令：'nosuch'；可用的命令：import、check、ratings、double-a、registry\n"
        ),
    }
    for argv, expected in cases.items():
        result = _run(list(argv))
        assert result.returncode == 2, argv
        assert result.stderr == expected


def test_bare_command_shows_help_and_exit_codes_pass_through(tmp_path):
    bare = _run([])
    assert bare.returncode == 0
    assert "命令" in bare.stdout and bare.stderr == ""
    assert _run(["--version"]).returncode == 0
    missing = _run(["check", str(tmp_path / "none.xlsx"), "--month", "2022-11"])
    assert missing.returncode == 2  # the command's own exit code reaches the shell
    assert "文件不存在" in missing.stdout + missing.stderr
