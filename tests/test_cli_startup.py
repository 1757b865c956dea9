"""The console script loads only what the command being run needs."""

from __future__ import annotations

import subprocess
import sys

COMMAND_MODULES = (
    "month_cmd",
    "import_cmd",
    "check_cmd",
    "ratings_cmd",
    "doublea_cmd",
    "reconcile_cmd",
    "notice_cmd",
    "summary_cmd",
    "registry_cmd",
)


def _modules_after(argv: list[str]) -> set[str]:
    """Every module loaded once ``hgcredit *argv`` has run to its end."""
    code = (
        "import sys; sys.argv = ['hgcredit', *sys.argv[1:]]\n"
        "import hgcredit.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    return set(out.stderr.strip().splitlines()[-1].split())


def _cli_modules(loaded: set[str]) -> set[str]:
    return {m.rsplit(".", 1)[-1] for m in loaded if m.startswith("hgcredit.cli.")}


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
        assert set(COMMAND_MODULES) <= _cli_modules(_modules_after(argv))


def test_help_and_usage_errors_are_drawn_without_rich():
    # Typer imports rich only to draw its own help and errors; ours need neither.
    for argv in (["--help"], ["check", "--help"], ["check", "x.xlsx"], ["nosuch"]):
        loaded = _modules_after(argv)
        assert not {m for m in loaded if m.split(".")[0] in ("rich", "pygments")}, argv


def test_running_a_command_does_not_load_the_help_page_code():
    loaded = _modules_after(["registry", "--json"])
    assert _cli_modules(loaded) == {"base", "registry_cmd"}
    assert "hgcredit.cli.helptext" not in loaded
    assert "hgcredit.cli.helptext" in _modules_after(["registry", "--help"])


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.argv = ['hgcredit', *sys.argv[1:]]; import hgcredit.cli as c; c.main()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )


def test_the_console_script_turns_a_usage_error_into_one_line_and_exit_2():
    # Every kind of mistake is covered in test_cli_help; this is the script's own exit path.
    for argv, expected in {
        ("check", "x.xlsx"): "错误：缺少必填的选项 --month；运行 hgcredit check --help 查看用法\n",
        ("nosuch",): (
            "错误：没有这个命令：“nosuch”；可用的命令：month、import、check、ratings、double-a、reconcile、notice、summary、registry\n"
        ),
    }.items():
        result = _run(list(argv))
        assert result.returncode == 2, argv
        assert (result.stdout, result.stderr) == ("", expected)


def test_bare_command_shows_help_and_exit_codes_pass_through(tmp_path):
    bare = _run([])
    assert bare.returncode == 0
    assert bare.stdout.startswith("用法：hgcredit [选项] 命令 [参数]...\n")
    assert "\n命令：\n" in bare.stdout and bare.stderr == ""
    version = _run(["--version"])
    assert (version.returncode, version.stderr) == (0, "")
    assert version.stdout.startswith("hgcredit ")
    missing = _run(["check", str(tmp_path / "none.xlsx"), "--month", "2022-11"])
    assert missing.returncode == 2  # the command's own exit code reaches the shell
    assert "文件不存在" in missing.stdout + missing.stderr
