"""The seed ledger (attachment 1 of the notice), parsed from tests/data/seed_notice.txt."""

from __future__ import annotations

from dataclasses import dataclass

from sample_gen.common import SEED


@dataclass
class SeedRow:
    serial: str
    department: str
    domain: str
    section: str
    october: str


@dataclass
class SeedLedger:
    title: str
    header: list[str]
    rows: list[SeedRow]


def parse_seed_ledger(text: str) -> SeedLedger:
    """The ledger of attachment 1, as the seed writes it (tab-separated, HTML remnants kept).

    Two copy-paste artefacts of the seed are undone: a text cut by a page break continues on
    a line of its own (row 6), and 市公安局's second domain row has its merged cells collapsed.
    """
    start = text.index("附件 1:")
    end = text.index("附件 2:")
    lines = [ln for ln in text[start:end].splitlines() if ln.strip()]
    title = lines[1].strip()
    header = lines[2].split("\t")
    header = [h.strip() for h in header if h.strip()]
    rows: list[SeedRow] = []
    for line in lines[3:]:
        fields = [f.strip() for f in line.split("\t")]
        filled = [f for f in fields if f]
        if fields[0].isdigit():
            fields += [""] * (5 - len(fields))
            rows.append(SeedRow(fields[0], fields[1], fields[2], fields[3], fields[4]))
        elif len(filled) == 1:
            # Continuation of the previous row's October text after a page break.
            prev = rows[-1]
            body = prev.october.removesuffix("</p>")
            closing = "</p>" if prev.october.endswith("</p>") else ""
            prev.october = body + filled[0] + closing
        elif len(filled) == 2:
            # Second domain of the previous department: its serial, name and section are merged.
            rows.append(SeedRow("", "", filled[0], "", filled[1]))
        else:
            raise ValueError(f"unexpected seed ledger line: {line[:40]!r}")
    if len(rows) != 23:
        raise ValueError(f"seed ledger should have 23 rows, found {len(rows)}")
    return SeedLedger(title, header, rows)


def load_seed() -> SeedLedger:
    return parse_seed_ledger(SEED.read_text(encoding="utf-8"))
