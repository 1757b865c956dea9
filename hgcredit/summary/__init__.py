"""The month's summary workbook for the leadership group (``hgcredit summary``).

Owns what the workbook says and how it looks, never how the month is analysed: the
analysis is :func:`hgcredit.month.analyse.analyse_month`, shared with the notices.

- :mod:`.sheets`: each sheet's content as plain data from a
  :class:`~hgcredit.month.analyse.MonthAnalysis` (status per domain and month, counts,
  tiers, double-A per county, the inputs with their sha256);
- :mod:`.workbook`: :func:`~hgcredit.summary.workbook.write_summary` lays the sheets out
  through :mod:`hgcredit.io.xlsx` (styles, native charts, print setup; atomic and
  byte-identical);
- :mod:`.job`: :func:`~hgcredit.summary.job.summarise` analyses the month from files and
  writes the workbook, as the command and the Python API do.
"""
