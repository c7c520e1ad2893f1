"""Read queries for analytics, re-exported here so callers import `analytics.selectors` whatever the module."""

from analytics.selectors.customers import (
    ORDERING_LABELS,
    ORDERINGS,
    Prediction,
    active_artifact,
    active_model_is_trusted,
    customer_by_external_id,
    customer_directory,
    loyalty_prediction_get,
    product_search,
    recent_transactions,
    segment_summary,
)
from analytics.selectors.facts import (
    NO_MODEL,
    PURCHASE,
    RECENT_WINDOWS,
    PurchaseAggregates,
    customer_rfm_history,
    customers_buying_in_window,
    latest_snapshot,
    purchase_aggregates,
    purchase_date_range,
)

__all__ = [
    "NO_MODEL",
    "ORDERINGS",
    "ORDERING_LABELS",
    "PURCHASE",
    "RECENT_WINDOWS",
    "Prediction",
    "PurchaseAggregates",
    "active_artifact",
    "active_model_is_trusted",
    "customer_by_external_id",
    "customer_directory",
    "customer_rfm_history",
    "customers_buying_in_window",
    "latest_snapshot",
    "loyalty_prediction_get",
    "product_search",
    "purchase_aggregates",
    "purchase_date_range",
    "recent_transactions",
    "segment_summary",
]
