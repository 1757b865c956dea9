"""Rating counts per domain for a month.

Owns numbers and counts as departments write them (:mod:`.numbers`, :mod:`.counts`); the
one grade normaliser, driven by the registry's scales, that every list cell and mention of
a level goes through (:mod:`.levels`, also used by double-A); counts read from ledger prose
(:mod:`.text`) and from graded entity lists read by :mod:`hgcredit.entities.lists`
(:mod:`.lists`); the reconciled report on the unified tiers (:mod:`.report`); and the job
from files, telling ledgers from lists (:func:`.rate.rate_files`).
"""
