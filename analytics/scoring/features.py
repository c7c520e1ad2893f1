"""The loyalty model's features, from plain purchase aggregates (no database).

Every feature of a customer at a feature date `d` comes from purchases on or before `d` only; a `Dataset` adds the
label "bought at least once in (d, d + window]" when it is known.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analytics.facts import FloatArray, IntArray, PurchaseAggregates
from analytics.rfm import maths as rfm
from analytics.scoring import bgnbd

# Every feature is computed from purchases on or before the feature date.
FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "mean_gap_days",
    "single_purchase",
    "r_norm",
    "f_norm",
    "m_norm",
    "rfm_score",
    "avg_basket",
    "purchases_30d",
    "purchases_90d",
    "purchases_180d",
    "spend_90d",
    "returns",
    "recency_over_gap",
    "units",
    "units_per_purchase",
    "units_90d",
    "price_per_unit",
    "bgnbd_p_alive",
    "bgnbd_expected",
    "bgnbd_p_purchase",
    "bgnbd_logit_p_purchase",
)
SEED_FEATURES = ("recency_days", "frequency", "monetary", "rfm_score")
LOG_FEATURES = (
    "log_recency",
    "log_frequency",
    "log_monetary",
    "log_mean_gap",
    "single_purchase",
    "log_purchases_30d",
    "log_purchases_90d",
    "log_purchases_180d",
    "log_spend_90d",
    "log_recency_over_gap",
    "log_avg_basket",
    "log_units",
    "log_units_per_purchase",
    "log_units_90d",
    "log_price_per_unit",
    "recency_x_single",
    "frequency_x_recency",
    "bgnbd_p_alive",
    "bgnbd_p_purchase",
    "bgnbd_logit_p_purchase",
    "bgnbd_logit_p_alive",
    "log_bgnbd_expected",
)
ALL_COLUMNS = FEATURES + tuple(f for f in LOG_FEATURES if f not in FEATURES)

MIN_CUSTOMERS = 20  # fewer customers than this: no BG/NBD fit, and no training

Labels = npt.NDArray[np.int8]  # 1 = bought in the label window, 0 = did not


def _signed_log(values: FloatArray) -> FloatArray:
    return np.sign(values) * np.log1p(np.abs(values))


def _logit(p: FloatArray) -> FloatArray:
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


@dataclass
class FeatureTable:
    customer_ids: IntArray
    columns: dict[str, FloatArray]
    bgnbd_params: dict[str, float | int] | None

    def __len__(self) -> int:
        return self.customer_ids.size

    def matrix(self, names: tuple[str, ...]) -> FloatArray:
        return np.column_stack([self.columns[name] for name in names]).astype(float)


def build_features(agg: PurchaseAggregates, *, window_days: int, weights: rfm.RfmWeights | None = None) -> FeatureTable:
    """Features of every customer in `agg` (analytics.facts.PurchaseAggregates) at `agg.as_of`.

    BG/NBD is fitted on this population only (its purchases up to the feature date), so its outputs respect
    the cutoff like every other feature.
    """
    as_of_day = agg.as_of.toordinal()
    table = rfm.compute(
        as_of_day=as_of_day,
        first_day=agg.first_day,
        last_day=agg.last_day,
        frequency=agg.frequency,
        monetary=agg.monetary,
        weights=weights,
    )
    recency = table.recency_days.astype(float)
    tenure = table.tenure_days.astype(float)
    frequency = agg.frequency.astype(float)
    single = (agg.frequency <= 1).astype(float)
    # A single purchase has no gap yet: its tenure is a lower bound on the gap, flagged by `single_purchase`.
    gap = np.where(np.isnan(table.mean_gap_days), tenure, table.mean_gap_days)
    recency_over_gap = recency / np.maximum(gap, 1.0)

    x = agg.purchase_days.astype(float) - 1  # repeat purchase days
    t_x = (agg.last_day - agg.first_day).astype(float)
    big_t = tenure
    params: dict[str, float | int] | None = None
    p_alive = expected = p_purchase = np.full(len(agg), np.nan)
    if len(agg) >= MIN_CUSTOMERS and x.sum() > 0:
        fitted = bgnbd.fit(x=x, t_x=t_x, T=big_t)
        params = fitted.to_dict()
        p_alive = bgnbd.probability_alive(fitted, x=x, t_x=t_x, T=big_t)
        expected = bgnbd.expected_purchases(fitted, t=float(window_days), x=x, t_x=t_x, T=big_t)
        p_purchase = bgnbd.probability_of_purchase(fitted, t=float(window_days), x=x, t_x=t_x, T=big_t)
    else:  # too little repeat behaviour to fit: neutral values, the candidates still train
        p_alive = np.ones(len(agg))
        expected = np.zeros(len(agg))
        p_purchase = np.zeros(len(agg))

    units = np.maximum(agg.units, 0.0)
    columns = {
        "recency_days": recency,
        "frequency": frequency,
        "monetary": agg.monetary.astype(float),
        "tenure_days": tenure,
        "mean_gap_days": gap,
        "single_purchase": single,
        "r_norm": table.r_norm,
        "f_norm": table.f_norm,
        "m_norm": table.m_norm,
        "rfm_score": table.rfm_score,
        "avg_basket": agg.monetary / np.maximum(frequency, 1.0),
        "purchases_30d": agg.recent_purchases[30].astype(float),
        "purchases_90d": agg.recent_purchases[90].astype(float),
        "purchases_180d": agg.recent_purchases[180].astype(float),
        "spend_90d": agg.recent_spend_90.astype(float),
        "returns": agg.returns.astype(float),
        "recency_over_gap": recency_over_gap,
        "units": units,
        "units_per_purchase": units / np.maximum(frequency, 1.0),
        "units_90d": np.maximum(agg.recent_units_90, 0.0),
        "price_per_unit": np.maximum(agg.monetary, 0.0) / np.maximum(units, 1.0),
        "bgnbd_p_alive": p_alive,
        "bgnbd_expected": expected,
        "bgnbd_p_purchase": p_purchase,
        "bgnbd_logit_p_purchase": _logit(p_purchase),
    }
    columns |= {
        "log_recency": np.log1p(recency),
        "log_frequency": np.log1p(frequency),
        "log_monetary": _signed_log(agg.monetary.astype(float)),
        "log_tenure": np.log1p(tenure),
        "log_mean_gap": np.log1p(gap),
        "log_purchases_30d": np.log1p(columns["purchases_30d"]),
        "log_purchases_90d": np.log1p(columns["purchases_90d"]),
        "log_purchases_180d": np.log1p(columns["purchases_180d"]),
        "log_spend_90d": _signed_log(columns["spend_90d"]),
        "log_recency_over_gap": np.log1p(recency_over_gap),
        "log_avg_basket": _signed_log(columns["avg_basket"]),
        "log_units": np.log1p(units),
        "log_units_per_purchase": np.log1p(columns["units_per_purchase"]),
        "log_units_90d": np.log1p(columns["units_90d"]),
        "log_price_per_unit": np.log1p(columns["price_per_unit"]),
        "recency_x_single": np.log1p(recency) * single,
        "frequency_x_recency": np.log1p(frequency) * np.log1p(recency),
        "bgnbd_logit_p_alive": _logit(p_alive),
        "log_bgnbd_expected": np.log1p(expected),
    }
    return FeatureTable(customer_ids=agg.customer_ids, columns=columns, bgnbd_params=params)


@dataclass
class Dataset:
    """Features at a date and, when known, the labels from the window after it."""

    features: FeatureTable
    labels: Labels | None
    feature_date: str
    label_window: tuple[str, str] | None

    @property
    def positive_rate(self) -> float | None:
        return None if self.labels is None or not len(self.labels) else float(self.labels.mean())

    def known_labels(self) -> Labels:
        """The labels, for fitting and measuring; a dataset read with `labelled=False` has none."""
        if self.labels is None:
            raise ValueError(f"The dataset at {self.feature_date} has no labels.")
        return self.labels


def labels_for(customer_ids: IntArray, buyers: IntArray) -> Labels:
    """1 for customers in `buyers` (who purchased in the label window), else 0."""
    return np.isin(customer_ids, buyers).astype(np.int8)
