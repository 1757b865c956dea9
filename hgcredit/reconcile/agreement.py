"""Agreement between two ordinal gradings of the same entities: the share on the same tier,
and Cohen's weighted kappa.

Kappa corrects the share for the agreement two unrelated gradings with the same margins
would reach by chance: ``kappa = 1 - sum(w * observed) / sum(w * expected)``, where
``expected`` is the outer product of the two margins and ``w[i][j]`` the weight of a
disagreement between tiers ``i`` and ``j`` (tiers in order, best first). **Linear** weights
``|i - j| / (k - 1)`` (the default) make every tier step count the same, so A against D
weighs three times A against B; quadratic weights ``((i - j) / (k - 1)) ** 2`` discount
one-step differences — see the README for why the office's view is the linear one.

>>> m = [[4, 1, 0], [1, 2, 1], [0, 1, 0]]  # rows: one grading A B C; columns: the other
>>> agreement(m), round(weighted_kappa(m), 4), round(weighted_kappa(m, "quadratic"), 4)
(0.6, 0.4118, 0.5455)
>>> weighted_kappa([[5, 0], [0, 0]]) is None  # one tier on both sides: kappa is undefined
True
>>> kappa_undefined([[5, 0], [0, 0]], ["A", "B"]), kappa_undefined(m, "ABC") is None
('只有一个等级（两边都是 A），无法计算', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy is imported when a kappa is computed: the CLI starts without it
    import numpy as np

Weights = Literal["linear", "quadratic"]
WEIGHTS: tuple[Weights, ...] = ("linear", "quadratic")


def weight_matrix(k: int, weights: Weights = "linear") -> np.ndarray:
    """The k x k disagreement weights: 0 on the diagonal, 1 between the first and last tier.

    >>> weight_matrix(3).tolist()
    [[0.0, 0.5, 1.0], [0.5, 0.0, 0.5], [1.0, 0.5, 0.0]]
    """
    import numpy as np

    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {WEIGHTS}, not {weights!r}")
    idx = np.arange(k, dtype=np.float64)
    distance = np.abs(idx[:, None] - idx[None, :]) / max(k - 1, 1)
    return distance if weights == "linear" else distance**2


def agreement(matrix: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """The share of entities on the diagonal (same tier in both gradings); None when empty."""
    import numpy as np

    m = np.asarray(matrix, dtype=np.float64)
    total = m.sum()
    return None if total == 0 else float(np.trace(m) / total)


def weighted_kappa(
    matrix: Sequence[Sequence[float]] | np.ndarray, weights: Weights = "linear"
) -> float | None:
    """Cohen's weighted kappa of a square matrix of counts (rows: one grading, columns:
    the other, tiers in the same order in both). None when it is undefined: no entities,
    or both gradings put every entity on one and the same tier (nothing to tell from chance)."""
    import numpy as np

    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"a square matrix is needed, not one of shape {m.shape}")
    total = m.sum()
    if total == 0:
        return None
    observed = m / total
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    w = weight_matrix(m.shape[0], weights)
    chance = float((w * expected).sum())
    if chance == 0:
        return None
    return 1.0 - float((w * observed).sum()) / chance


def kappa_undefined(
    matrix: Sequence[Sequence[float]] | np.ndarray, tiers: Sequence[str]
) -> str | None:
    """Why :func:`weighted_kappa` of ``matrix`` is undefined, for clerks (None when it is
    defined): no entity graded on both sides, or every one on the same tier on both sides.

    >>> kappa_undefined([[0, 0], [0, 0]], ["A", "B"])
    '没有两边都有等级的主体，无法计算'
    """
    import numpy as np

    m = np.asarray(matrix, dtype=np.float64)
    if m.sum() == 0:
        return "没有两边都有等级的主体，无法计算"
    if weighted_kappa(m) is not None:
        return None
    rows, cols = np.flatnonzero(m.sum(axis=1)), np.flatnonzero(m.sum(axis=0))
    if len(rows) == 1 and len(cols) == 1 and rows[0] == cols[0]:
        return f"只有一个等级（两边都是 {tiers[int(rows[0])]}），无法计算"
    return "无法计算"  # not reached: kappa is undefined only in the two cases above
