"""Market entities and the lists that name them.

Owns unified social credit codes and legacy 15-character tax ids, checked whole columns at
once (:mod:`.codes`), and the one reader of entity lists — public evaluation results, tax
ratings, a department's graded list, earlier double-A lists (:mod:`.lists`): every command
that reads such a list finds its columns by header role (code, name, grade, county, score,
tax office, domain, department) from the registry's one ``[headers]`` vocabulary, through
:func:`.lists.read_list`, :func:`.lists.read_list_sheets` and :func:`.lists.resolve_columns`.
Every job that joins lists keys their rows the same way — cleaned codes, legacy ids mapped
to unified codes, repeats and grade conflicts (:mod:`.keys`) — and places entities in a
county from the registry's ``[divisions]`` (:mod:`.counties`).
"""
