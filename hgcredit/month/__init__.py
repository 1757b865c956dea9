"""A whole month: the analysis every output of the month is made from, and the
one-command month over a folder of the month's files (``hgcredit month``).

- :mod:`.analyse` — :func:`~.analyse.analyse_month`: merge → check → ratings → double-A,
  once, shared by the notices, the summary workbook and the month command
  (:func:`~.analyse.analyse_inputs` when the inputs are already told apart);
- :mod:`.inputs` — :func:`~.inputs.place_inputs`: every file of a folder (any depth, any
  mix of formats) placed by its headers and content: ledgers and returns, earlier months'
  ledgers, graded lists, the tax, public and last year's double-A lists; what is not an
  input is ignored with the reason, what cannot be placed is reported, never guessed;
- :mod:`.notice` — the notice the date calls for (the reminder up to and including the
  deadline day, the circular after it) and the double-A letter, by :mod:`hgcredit.notices`;
- :mod:`.swap` — a folder of outputs replaced as a whole, never left half written;
- :mod:`.run` — :func:`~.run.run_month`: the month from folder to ``OUTDIR/YYYY-MM/``
  (merged ledger, notices, summary and double-A workbooks, ``report.json``).
"""
