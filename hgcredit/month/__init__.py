"""A whole month: the analysis every output of the month is made from
(:mod:`.analyse`: merge → check → ratings → double-A), shared by the notices, the summary
workbook and the one-command month."""
