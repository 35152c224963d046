"""Raking against a computation by hand, and the estimates' formulas."""

import numpy as np
import pytest

from urna.surveys.weighting import kish_deff, mean, proportion, rake


def test_raking_matches_the_hand_computation_on_two_by_two_margins():
    # Four respondents: A (man, young), B (man, old), C (woman, young), D (woman, young).
    # Population: men 60, women 40; young 50, old 50. Start from weights 1.
    #
    # Iteration 1, sex:  men A+B = 2 → ×30: A = B = 30;  women C+D = 2 → ×20: C = D = 20.
    #              age:  young A+C+D = 70 → ×50/70: A = 21.43, C = D = 14.29;
    #                    old B = 30 → ×50/30: B = 50.
    # Iteration 2, sex:  men 21.43 + 50 = 71.43 → ×0.84: A = 18, B = 42;
    #                    women 28.57 → ×1.4: C = D = 20.
    #              age:  young 18 + 40 = 58 → ×50/58: A = 15.52, C = D = 17.24; old → B = 50.
    # ... B alone is "old", so B → 50; then men: A = 60 − 50 = 10; women C + D = 40, equal by
    # symmetry, C = D = 20; young A + C + D = 50 holds. The fixed point is (10, 50, 20, 20).
    result = rake(
        {"sex": ["m", "m", "f", "f"], "age": ["young", "old", "young", "young"]},
        {"sex": {"m": 60, "f": 40}, "age": {"young": 50, "old": 50}},
        tol=1e-9,
        max_iter=2000,
    )
    assert result.weights == pytest.approx([10, 50, 20, 20], abs=1e-3)
    assert result.dropped == {"sex": [], "age": []}


def test_after_one_iteration_the_weights_are_those_computed_by_hand():
    result = rake(
        {"sex": ["m", "m", "f", "f"], "age": ["young", "old", "young", "young"]},
        {"sex": {"m": 60, "f": 40}, "age": {"young": 50, "old": 50}},
        max_iter=1,
    )
    assert result.weights == pytest.approx([21.4286, 50, 14.2857, 14.2857], abs=1e-3)


def test_respondents_without_a_known_category_get_no_weight_and_empty_cells_are_dropped():
    result = rake(
        {"sex": ["m", "f", "", "m"], "dept": ["05", "05", "05", "11"]},
        {"sex": {"m": 50, "f": 50}, "dept": {"05": 60, "11": 30, "17": 10}},
    )
    assert np.isnan(result.weights[2])
    assert result.dropped == {"sex": [], "dept": ["17"]}
    # dept totals scaled to the common total (100 + 90) / 2 = 95: 05 → 63.33, 11 → 31.67.
    assert np.nansum(result.weights) == pytest.approx(95, rel=1e-4)
    assert result.weights[3] == pytest.approx(95 * 30 / 90, rel=1e-4)


def test_kish_design_effect_and_margins_of_error():
    weights = np.array([1.0, 1.0, 2.0, 4.0])
    # deff = n Σw² / (Σw)² = 4 × 22 / 64 = 1.375
    assert kish_deff(weights) == pytest.approx(1.375)
    estimate = proportion(weights, np.array([True, False, True, False]))
    # p = (1 + 2) / 8 = 0.375; moe = 1.96 √(1.375 × 0.375 × 0.625 / 4) = 0.5594 → 0.5595
    assert estimate.value == pytest.approx(0.375)
    assert estimate.moe == pytest.approx(1.959964 * np.sqrt(1.375 * 0.375 * 0.625 / 4))
    assert estimate.n == 4
    average = mean(np.ones(4), np.array([1.0, 2.0, 3.0, 4.0]))
    assert average.value == pytest.approx(2.5)
    assert average.deff == pytest.approx(1.0)
    assert average.moe == pytest.approx(1.959964 * np.sqrt(1.25 / 4))
