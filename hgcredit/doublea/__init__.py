"""Double-A enterprises (双A企业): A-level taxpayers that are A-level in the public credit
evaluation too.

Owns the job from files — reading the tax, public and last year's lists side by side
(:func:`.job.double_a`); the join on cleaned codes, with its problems as
:class:`.compute.ListProblem` rows, per county and against last year (:mod:`.compute`);
and the clerk's workbook and detail csv (:mod:`.workbook`). Lists are read by
:mod:`hgcredit.entities.lists`, grades by :mod:`hgcredit.ratings.levels` on the scales the
registry's ``[evaluations]`` names.
"""
