"""Putting the public credit evaluation to work (推动应用公共信用评价结果): the whole public
evaluation reconciled with each department's lists and with last year's evaluation.

Owns the job from files (:func:`.job.reconcile`: every list read through the one entity-list
reader, codes checked in the reading threads); the comparison of lists already read
(:func:`.compare.compare_all`): one year's public evaluation keyed by entity (:mod:`.public`);
each domain's lists against it — rows matched, not found, invalid, repeated; the matrix of the
domain's unified tier by the public grade, the agreement and Cohen's weighted kappa
(:mod:`.agreement`), the disagreements, or, for a list without grades, each entity's public
grade (:mod:`.domains`); two public evaluations year over year — added, removed, the
transition matrix per county, the largest moves (:mod:`.yoy`); the results with their
``to_json()`` and every row not compared as it is (:mod:`.model`); and the clerk's workbook
(:mod:`.workbook`). Codes, legacy ids, row keys and counties are :mod:`hgcredit.entities`';
grades are read by :mod:`hgcredit.ratings.levels` on the registry's scales (``[evaluations]
public`` for the public evaluation, each domain's own scale for its lists).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hgcredit.reconcile.model import Reconciliation


class _CallablePackage(types.ModuleType):
    """``hgcredit.reconcile`` is also the name of the API function (:func:`.job.reconcile`).
    Importing this package binds it to that name on :mod:`hgcredit`, in place of the
    function; calling the package calls the function, so ``hgcredit.reconcile(...)`` works
    whichever of the two the name holds."""

    def __call__(self, *args: Any, **kwargs: Any) -> Reconciliation:
        from hgcredit.reconcile.job import reconcile

        return reconcile(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
