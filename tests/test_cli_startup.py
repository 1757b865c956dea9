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
    assert not loaded & {"hgcredit.ledger", "hgcredit.ratings", "hgcredit.cli.check_cmd"}


def test_help_and_unknown_names_load_every_command():
    for argv in (["--help"], ["nosuch"]):
        loaded = _modules_after(argv)
        for module in ("import_cmd", "check_cmd", "ratings_cmd", "doublea_cmd", "registry_cmd"):
            assert f"hgcredit.cli.{module}" in loaded
