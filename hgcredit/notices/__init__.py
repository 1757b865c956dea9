"""The documents the office sends: the circular on late ledger returns (``overdue``), the
reminder before the deadline (``reminder``) and the double-A letter to the county and
district tax bureaus (``double-a``).

- :mod:`.config` — the office's details (``hgcredit.toml`` or ``--config``), validated;
- :mod:`.dates` — dates, months and document numbers in their official Chinese forms;
- :mod:`.context` — what a notice says, as plain data built from
  :func:`hgcredit.month.analyse.analyse_month` (the ``--json`` of ``hgcredit notice``);
- :mod:`.templates` — finding a kind's template and checking its variables;
- :mod:`.render` — .docx (docxtpl), .md/.html/.txt (Jinja2), byte-identical and atomic;
- :mod:`.pdf` — .pdf through LibreOffice, when it is installed;
- :mod:`.make` — :func:`~.make.make_notice`, the whole job for the CLI and Python callers.

Jinja2 and docxtpl are imported only when a document is rendered.
"""

KINDS = ("overdue", "reminder", "double-a")
FORMATS = (".docx", ".md", ".html", ".txt", ".pdf")
