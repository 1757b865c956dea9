"""Files in and out: read any department spreadsheet into clean tables of text with
provenance (:mod:`hgcredit.io.tables`); write outputs atomically, formula-safe and
byte-identical for identical inputs — workbooks through :mod:`hgcredit.io.xlsx`, csv and the
atomic rename and output-path checks in :mod:`hgcredit.io.outputs`."""
