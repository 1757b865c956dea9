"""Agreement and Cohen's weighted kappa, against cases worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hgcredit.reconcile.agreement import agreement, weight_matrix, weighted_kappa

# Rows: one grading (tiers A, B, C), columns: the other; 10 entities.
HAND = [[4, 1, 0], [1, 2, 1], [0, 1, 0]]


def test_weighted_kappa_of_a_case_worked_out_by_hand():
    # Margins: rows 5, 4, 1 and columns 5, 4, 1 of 10, so p = q = (.5, .4, .1).
    # Linear weights 0, 1/2, 1. Observed weighted disagreement: four cells one step off,
    # each 1 entity: 4 * 1/2 / 10 = 0.2. Expected: 1/2 * (.5*.4 + .4*.5 + .4*.1 + .1*.4)
    # + 1 * (.5*.1 + .1*.5) = 0.24 + 0.10 = 0.34. Kappa = 1 - 0.2 / 0.34 = 7/17.
    assert weighted_kappa(HAND) == pytest.approx(float(Fraction(7, 17)), abs=1e-12)
    # Quadratic weights 0, 1/4, 1: observed 4 * 1/4 / 10 = 0.1; expected 0.12 + 0.10 = 0.22;
    # kappa = 1 - 0.1 / 0.22 = 6/11.
    assert weighted_kappa(HAND, "quadratic") == pytest.approx(float(Fraction(6, 11)), abs=1e-12)
    assert agreement(HAND) == pytest.approx(0.6)


def test_two_tiers_give_cohens_plain_kappa():
    m = [[20, 5], [10, 15]]
    po = (20 + 15) / 50
    pe = (25 / 50) * (30 / 50) + (25 / 50) * (20 / 50)
    plain = (po - pe) / (1 - pe)
    assert weighted_kappa(m) == pytest.approx(plain)
    assert weighted_kappa(m, "quadratic") == pytest.approx(plain)


def test_perfect_agreement_and_chance_and_undefined():
    assert weighted_kappa(np.diag([5, 3, 2, 7])) == pytest.approx(1.0)
    # Independent gradings (the matrix is the outer product of its margins): kappa 0.
    assert weighted_kappa(np.outer([1, 2, 3, 4], [4, 3, 2, 1])) == pytest.approx(0.0)
    # Opposite ends only: as far from agreement as these margins allow.
    assert weighted_kappa([[0, 5], [5, 0]]) == pytest.approx(-1.0)
    assert weighted_kappa([[0, 0], [0, 0]]) is None and agreement([[0, 0], [0, 0]]) is None
    assert weighted_kappa([[0, 0, 0], [0, 9, 0], [0, 0, 0]]) is None  # one tier on both sides


def test_a_step_further_costs_more_with_linear_weights():
    one_step = [[9, 1, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10]]
    three_steps = [[9, 0, 0, 1], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10]]
    assert agreement(one_step) == agreement(three_steps)
    assert weighted_kappa(three_steps) < weighted_kappa(one_step)  # type: ignore[operator]


def test_weights_and_bad_input():
    assert weight_matrix(4).tolist()[0] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert weight_matrix(4, "quadratic").tolist()[0] == pytest.approx([0, 1 / 9, 4 / 9, 1])
    with pytest.raises(ValueError, match="square"):
        weighted_kappa([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="weights"):
        weight_matrix(3, "cubic")  # type: ignore[arg-type]


def test_against_scikit_learn_when_installed():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(11)
    a = rng.integers(0, 4, 300)
    b = np.clip(a + rng.integers(-1, 2, 300), 0, 3)
    m = np.zeros((4, 4))
    np.add.at(m, (a, b), 1)
    for w in ("linear", "quadratic"):
        assert weighted_kappa(m, w) == pytest.approx(metrics.cohen_kappa_score(a, b, weights=w))


_matrices = st.integers(2, 5).flatmap(
    lambda k: st.lists(st.lists(st.integers(0, 30), min_size=k, max_size=k), min_size=k, max_size=k)
)


@given(_matrices)
def test_kappa_is_at_most_one_and_symmetric(m):
    kappa = weighted_kappa(m)
    if kappa is None:
        return
    assert kappa <= 1 + 1e-9
    assert weighted_kappa(np.asarray(m).T) == pytest.approx(kappa)
    assert weighted_kappa(np.asarray(m) * 3) == pytest.approx(kappa)  # only shares matter
