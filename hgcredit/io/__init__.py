"""Files in and out: read any department spreadsheet into clean tables of text with
provenance (:mod:`hgcredit.io.tables`), and write outputs atomically, formula-safe and
byte-identical for identical inputs (:mod:`hgcredit.io.outputs`)."""
