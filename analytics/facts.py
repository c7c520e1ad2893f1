"""The purchase facts as the maths reads them: plain arrays, no ORM objects.

Selectors fill these from the database (`analytics.rfm.selectors.purchase_aggregates_get`,
`analytics.recommendations.selectors.basket_lines_get`); the pure modules (`rfm.maths`, `scoring.features`,
`recommendations.ranking`) take them as they are, so the maths is tested without a database.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]  # strings (segment names, recommendation sources)

RECENT_WINDOWS = (30, 90, 180)  # days: purchase counts in these trailing windows are model features


@dataclass(frozen=True)
class PurchaseAggregates:
    """Per customer with at least one purchase on or before `as_of`, in customer-id order. Day values are date
    ordinals; counts exclude returns; money is net of returns."""

    as_of: dt.date
    customer_ids: IntArray
    first_day: IntArray
    last_day: IntArray
    frequency: IntArray  # purchase transactions
    monetary: FloatArray
    purchase_days: IntArray  # distinct days with a purchase (BG/NBD counts one transaction per day)
    recent_purchases: dict[int, IntArray]  # window (days) -> purchases in (as_of - window, as_of]
    recent_spend_90: FloatArray
    returns: IntArray
    units: FloatArray  # items bought (sum of quantities) in purchases
    recent_units_90: FloatArray

    def __len__(self) -> int:
        return int(self.customer_ids.size)


@dataclass(frozen=True)
class Baskets:
    """Line items as parallel arrays: one entry per (basket, product), the customer and day of the basket.
    Products are dense indices 0..n_products-1."""

    basket: IntArray
    product: IntArray
    customer: IntArray
    day: IntArray
    n_products: int
