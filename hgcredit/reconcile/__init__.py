"""Putting the public credit evaluation to work (推动应用公共信用评价结果): the whole public
evaluation reconciled with each department's lists and with last year's evaluation.

Owns the job from files (:func:`.job.reconcile`, reading through the one entity-list reader);
the comparison of every domain's list with the public evaluation — rows matched, not found,
invalid, repeated; the matrix of the domain's unified tier by the public grade, the agreement
and Cohen's weighted kappa (:mod:`.agreement`), the disagreements, or, for a list without
grades, each entity's public grade (:mod:`.domains`); the year-over-year comparison of two
public evaluations — added, removed, the transition matrix per county, the largest moves
(:mod:`.yoy`); the results and their ``to_json()`` (:mod:`.model`); and the clerk's workbook
(:mod:`.workbook`). Codes, legacy ids and counties are :mod:`hgcredit.entities`'; grades are
read by :mod:`hgcredit.ratings.levels` on the registry's scales (``[evaluations] public`` for
the public evaluation, each domain's own scale for its lists).
"""
