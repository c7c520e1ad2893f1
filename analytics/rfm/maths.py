"""RFM maths on plain arrays (no database): values, normalisation, quintile scores and named segments.

Inputs are per-customer aggregates computed by the database (analytics.rfm.selectors.purchase_aggregates_get):
first and last purchase dates as day ordinals, the number of purchase transactions, and net spend.

Definitions, for a customer with purchases on or before `as_of`:
- recency_days = as_of − last purchase; tenure_days = as_of − first purchase;
- frequency = number of purchase transactions (returns excluded); monetary = net spend (returns netted);
- mean_gap_days = (last − first) / (frequency − 1), the mean of the gaps between consecutive purchases
  (undefined for a single purchase);
- R, F, M normalised to 0–1 by min–max over the customers of the snapshot, recency inverted (recent = 1).
  When every customer has the same value there is nothing to rank: everyone gets 0.5;
- rfm_score = wR·R + wF·F + wM·M (the seed's weights 0.3 / 0.4 / 0.3 by default, settings.RFM_WEIGHTS);
- R, F, M scores 1–5 by quintile of rank: score = 1 + ⌊5·w/n⌋ where w is the number of customers with a
  strictly worse value. Tied customers therefore always share a score — the lowest of their block — so the
  many customers with frequency 1 all get F = 1, whatever order they were loaded in. When all values are
  equal the score is the neutral 3;
- FM = ⌊(F + M + 1) / 2⌋ (the mean of F and M, halves rounded up); the segment is read from SEGMENT_GRID.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analytics.facts import FloatArray, IntArray, ObjectArray

ScoreArray = npt.NDArray[np.int8]  # 1–5 scores
SegmentArray = ObjectArray  # segment names

# The 11 named segments on R (rows, 5 = most recent) × FM (columns 1..5), the common scheme.
CHAMPIONS = "Champions"
LOYAL = "Loyal Customers"
POTENTIAL = "Potential Loyalist"
RECENT = "Recent Customers"
PROMISING = "Promising"
NEED_ATTENTION = "Need Attention"
ABOUT_TO_SLEEP = "About To Sleep"
AT_RISK = "At Risk"
CANT_LOSE = "Can't Lose Them"
HIBERNATING = "Hibernating"
LOST = "Lost"

SEGMENTS = (
    CHAMPIONS,
    LOYAL,
    POTENTIAL,
    RECENT,
    PROMISING,
    NEED_ATTENTION,
    ABOUT_TO_SLEEP,
    AT_RISK,
    CANT_LOSE,
    HIBERNATING,
    LOST,
)

#                FM = 1          FM = 2          FM = 3          FM = 4          FM = 5
SEGMENT_GRID = {
    5: (RECENT, POTENTIAL, POTENTIAL, CHAMPIONS, CHAMPIONS),
    4: (PROMISING, POTENTIAL, LOYAL, CHAMPIONS, CHAMPIONS),
    3: (ABOUT_TO_SLEEP, NEED_ATTENTION, NEED_ATTENTION, LOYAL, LOYAL),
    2: (HIBERNATING, HIBERNATING, AT_RISK, AT_RISK, CANT_LOSE),
    1: (LOST, LOST, AT_RISK, CANT_LOSE, CANT_LOSE),
}

SEGMENT_DESCRIPTIONS = {
    CHAMPIONS: "Bought recently, buy often and spend the most.",
    LOYAL: "Buy regularly and spend well; responsive to promotions.",
    POTENTIAL: "Recent customers with average frequency and spend.",
    RECENT: "Bought very recently, but not often yet.",
    PROMISING: "Recent shoppers who have not spent much yet.",
    NEED_ATTENTION: "Average recency, frequency and spend; may need a nudge.",
    ABOUT_TO_SLEEP: "Below-average recency and frequency; will be lost without reactivation.",
    AT_RISK: "Spent well and bought often, but long ago.",
    CANT_LOSE: "Used to buy the most and most often, but have not returned for a long time.",
    HIBERNATING: "Last purchase long ago, low spend and few orders.",
    LOST: "Lowest recency, frequency and spend.",
}

NEUTRAL_NORM = 0.5
NEUTRAL_SCORE = 3


@dataclass(frozen=True)
class RfmWeights:
    recency: float = 0.3
    frequency: float = 0.4
    monetary: float = 0.3

    def __post_init__(self) -> None:
        values = (self.recency, self.frequency, self.monetary)
        if any(w < 0 for w in values) or sum(values) <= 0:
            raise ValueError("RFM weights must be non-negative and not all zero.")


@dataclass(frozen=True)
class RfmTable:
    """One row per customer, in input order."""

    recency_days: IntArray
    frequency: IntArray
    monetary: FloatArray
    tenure_days: IntArray
    mean_gap_days: FloatArray  # NaN for a single purchase
    r_norm: FloatArray
    f_norm: FloatArray
    m_norm: FloatArray
    rfm_score: FloatArray
    r_score: ScoreArray
    f_score: ScoreArray
    m_score: ScoreArray
    fm_score: ScoreArray
    segment: SegmentArray  # object array of segment names


def min_max(values: npt.ArrayLike, *, invert: bool = False) -> FloatArray:
    """Scale to 0–1 over the population; a constant population maps to 0.5 (no NaN, no division by zero)."""
    array = np.asarray(values, dtype=np.float64)
    if array.size == 0:
        return array
    low, high = array.min(), array.max()
    if high == low:
        return np.full(array.shape, NEUTRAL_NORM, dtype=np.float64)
    scaled = (array - low) / (high - low)
    return 1.0 - scaled if invert else scaled


def quintile_scores(values: npt.ArrayLike, *, higher_is_better: bool = True) -> ScoreArray:
    """1–5 by rank: 1 + ⌊5·(customers strictly worse)/n⌋; ties share the lowest score of their block."""
    array = np.asarray(values, dtype=np.float64)
    n = array.size
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    if array.min() == array.max():
        return np.full(n, NEUTRAL_SCORE, dtype=np.int8)
    ordered = np.sort(array)
    if higher_is_better:
        worse = np.searchsorted(ordered, array, side="left")
    else:
        worse = n - np.searchsorted(ordered, array, side="right")
    return (1 + (5 * worse) // n).astype(np.int8)


def fm_scores(f_score: npt.ArrayLike, m_score: ScoreArray) -> ScoreArray:
    return ((np.asarray(f_score, dtype=np.int16) + m_score + 1) // 2).astype(np.int8)


def segment_of(r_score: int, fm_score: int) -> str:
    return SEGMENT_GRID[int(r_score)][int(fm_score) - 1]


def segments(r_score: npt.ArrayLike, fm_score: npt.ArrayLike) -> SegmentArray:
    grid = np.array([[SEGMENT_GRID[r][fm - 1] for fm in range(1, 6)] for r in range(1, 6)], dtype=object)
    named: SegmentArray = grid[np.asarray(r_score) - 1, np.asarray(fm_score) - 1]
    return named


def compute(
    *,
    as_of_day: int,
    first_day: npt.ArrayLike,
    last_day: npt.ArrayLike,
    frequency: npt.ArrayLike,
    monetary: npt.ArrayLike,
    weights: RfmWeights | None = None,
) -> RfmTable:
    """The RFM table for customers with at least one purchase on or before `as_of_day` (day ordinals)."""
    weights = weights or RfmWeights()
    first = np.asarray(first_day, dtype=np.int64)
    last = np.asarray(last_day, dtype=np.int64)
    purchases = np.asarray(frequency, dtype=np.int64)
    money = np.asarray(monetary, dtype=np.float64)
    if np.any(purchases < 1):
        raise ValueError("Every customer needs at least one purchase.")
    if np.any(last > as_of_day) or np.any(first > last):
        raise ValueError("Purchase dates must be on or before as_of, first before last.")
    recency = as_of_day - last
    tenure = as_of_day - first
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gap = np.where(purchases > 1, (last - first) / np.maximum(purchases - 1, 1), np.nan)
    r_norm = min_max(recency, invert=True)
    f_norm = min_max(purchases)
    m_norm = min_max(money)
    total = weights.recency + weights.frequency + weights.monetary
    rfm_score = (weights.recency * r_norm + weights.frequency * f_norm + weights.monetary * m_norm) / total
    r_score = quintile_scores(recency, higher_is_better=False)
    f_score = quintile_scores(purchases)
    m_score = quintile_scores(money)
    fm = fm_scores(f_score, m_score)
    return RfmTable(
        recency_days=recency,
        frequency=purchases,
        monetary=money,
        tenure_days=tenure,
        mean_gap_days=mean_gap,
        r_norm=r_norm,
        f_norm=f_norm,
        m_norm=m_norm,
        rfm_score=rfm_score,
        r_score=r_score,
        f_score=f_score,
        m_score=m_score,
        fm_score=fm,
        segment=segments(r_score, fm) if r_score.size else np.array([], dtype=object),
    )
