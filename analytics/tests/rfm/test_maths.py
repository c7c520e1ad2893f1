"""RFM maths on hand-computed cases: values, normalisation, quintile ties, degenerate populations, segments."""

import datetime as dt

import numpy as np
import pytest

from analytics.rfm.maths import (
    ABOUT_TO_SLEEP,
    AT_RISK,
    CANT_LOSE,
    CHAMPIONS,
    HIBERNATING,
    LOST,
    LOYAL,
    NEED_ATTENTION,
    POTENTIAL,
    PROMISING,
    RECENT,
    SEGMENT_DESCRIPTIONS,
    SEGMENTS,
    RfmWeights,
    compute,
    fm_scores,
    quintile_scores,
    segment_of,
)

AS_OF = dt.date(2024, 3, 31).toordinal()


def _days(*dates: str) -> np.ndarray:
    return np.array([dt.date.fromisoformat(d).toordinal() for d in dates])


def test_values_normalisation_and_weighted_score_by_hand():
    """Values, normalised values, weighted score, quintile scores and segments match a hand computation.

    Three customers: recency, tenure and mean gap by hand; min–max with recency inverted; 0.3/0.4/0.3.
    """
    table = compute(
        as_of_day=AS_OF,
        first_day=_days("2024-01-01", "2024-03-01", "2023-12-01"),
        last_day=_days("2024-03-31", "2024-03-01", "2024-02-01"),
        frequency=np.array([4, 1, 3]),
        monetary=np.array([100.0, 10.0, 55.0]),
    )
    assert table.recency_days.tolist() == [0, 30, 59]
    assert table.tenure_days.tolist() == [90, 30, 121]
    assert table.mean_gap_days[0] == pytest.approx(90 / 3)
    assert np.isnan(table.mean_gap_days[1])
    assert table.mean_gap_days[2] == pytest.approx(62 / 2)
    assert table.r_norm.tolist() == pytest.approx([1.0, 1 - 30 / 59, 0.0])
    assert table.f_norm.tolist() == pytest.approx([1.0, 0.0, 2 / 3])
    assert table.m_norm.tolist() == pytest.approx([1.0, 0.0, 0.5])
    expected = [0.3 * r + 0.4 * f + 0.3 * m for r, f, m in zip(table.r_norm, table.f_norm, table.m_norm, strict=True)]
    assert table.rfm_score.tolist() == pytest.approx(expected)
    # Quintile scores with n = 3: 1 + floor(5 * worse / 3).
    assert table.r_score.tolist() == [4, 2, 1]
    assert table.f_score.tolist() == [4, 1, 2]
    assert table.m_score.tolist() == [4, 1, 2]
    assert table.fm_score.tolist() == [4, 1, 2]
    assert table.segment.tolist() == [CHAMPIONS, HIBERNATING, LOST]


def test_ties_share_the_lowest_score_of_their_block_whatever_the_order():
    """Six one-time buyers all get F = 1; the score depends on the value, not the row order."""
    frequency = np.array([1, 1, 1, 1, 1, 1, 2, 2, 3, 5])
    assert quintile_scores(frequency).tolist() == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
    order = np.random.default_rng(0).permutation(frequency.size)
    assert quintile_scores(frequency[order]).tolist() == quintile_scores(frequency)[order].tolist()


def test_recency_scores_reward_the_most_recent():
    """For recency the smallest number of days gets the top score."""
    assert quintile_scores(np.array([0, 10, 20, 30, 40]), higher_is_better=False).tolist() == [5, 4, 3, 2, 1]


def test_one_customer_is_neutral_not_nan():
    """A single customer gets neutral values (0.5, score 3), not NaN."""
    table = compute(
        as_of_day=AS_OF, first_day=_days("2024-01-01"), last_day=_days("2024-03-01"), frequency=[2], monetary=[9.5]
    )
    assert (table.r_norm[0], table.f_norm[0], table.m_norm[0], table.rfm_score[0]) == (0.5, 0.5, 0.5, 0.5)
    assert (table.r_score[0], table.f_score[0], table.m_score[0]) == (3, 3, 3)
    assert table.segment[0] == NEED_ATTENTION


def test_all_equal_customers_get_defined_values():
    """Customers who are all alike get 0.5 scores and one segment instead of NaN."""
    n = 5
    table = compute(
        as_of_day=AS_OF,
        first_day=np.full(n, AS_OF - 10),
        last_day=np.full(n, AS_OF - 10),
        frequency=np.ones(n),
        monetary=np.full(n, 3.0),
    )
    assert not np.isnan(table.rfm_score).any()
    assert set(table.rfm_score.tolist()) == {0.5}
    assert set(table.segment.tolist()) == {NEED_ATTENTION}


def test_negative_monetary_from_returns_is_ranked_lowest():
    """A negative net spend (more returned than bought) ranks lowest."""
    scores = quintile_scores(np.array([-5.0, 0.0, 10.0, 20.0, 30.0]))
    assert scores.tolist() == [1, 2, 3, 4, 5]


def test_custom_weights_are_normalised_to_a_0_to_1_score():
    """Weights are normalised so the score stays in [0, 1]; all-zero weights are refused."""
    table = compute(
        as_of_day=AS_OF,
        first_day=_days("2024-01-01", "2024-01-01"),
        last_day=_days("2024-03-31", "2024-01-01"),
        frequency=[1, 1],
        monetary=[1.0, 1.0],
        weights=RfmWeights(recency=2, frequency=0, monetary=0),
    )
    assert table.rfm_score.tolist() == pytest.approx([1.0, 0.0])
    with pytest.raises(ValueError, match="weights"):
        RfmWeights(recency=0, frequency=0, monetary=0)


def test_fm_is_the_mean_of_f_and_m_with_halves_rounded_up():
    """The FM score is the mean of F and M, halves rounded up."""
    assert fm_scores(np.array([1, 1, 2, 5, 4]), np.array([1, 2, 2, 4, 5])).tolist() == [1, 2, 2, 5, 5]


def test_segment_grid_covers_every_cell_with_the_eleven_segments():
    """Every (R, FM) cell has one of the eleven segments, each described."""
    cells = {(r, fm): segment_of(r, fm) for r in range(1, 6) for fm in range(1, 6)}
    assert set(cells.values()) == set(SEGMENTS)
    assert len(SEGMENTS) == 11
    assert cells[(5, 5)] == CHAMPIONS
    assert cells[(5, 1)] == RECENT
    assert cells[(4, 1)] == PROMISING
    assert cells[(1, 5)] == CANT_LOSE
    assert cells[(1, 1)] == LOST
    assert cells[(2, 2)] == HIBERNATING
    assert cells[(3, 1)] == ABOUT_TO_SLEEP
    assert cells[(3, 2)] == NEED_ATTENTION
    assert cells[(2, 4)] == AT_RISK
    assert cells[(4, 3)] == LOYAL
    assert cells[(5, 2)] == POTENTIAL
    assert set(SEGMENT_DESCRIPTIONS) == set(SEGMENTS)


def test_invalid_inputs_are_refused():
    """Customers without purchases or with purchases after as_of are refused."""
    with pytest.raises(ValueError, match="at least one purchase"):
        compute(as_of_day=AS_OF, first_day=[AS_OF], last_day=[AS_OF], frequency=[0], monetary=[0.0])
    with pytest.raises(ValueError, match="on or before as_of"):
        compute(as_of_day=AS_OF, first_day=[AS_OF], last_day=[AS_OF + 1], frequency=[1], monetary=[0.0])


def test_empty_population():
    """No customers give an empty table, not an error."""
    table = compute(as_of_day=AS_OF, first_day=[], last_day=[], frequency=[], monetary=[])
    assert table.segment.size == 0
