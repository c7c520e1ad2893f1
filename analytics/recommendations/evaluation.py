"""Out-of-time evaluation of recommendations: build from baskets up to a cutoff (in memory; the served tables
are not touched) and measure on what was bought after it, beside popularity and plain co-occurrence."""

import datetime as dt
from typing import Any

import numpy as np

from analytics.facts import Baskets
from analytics.recommendations.customer_lists import (
    POPULAR,
    POPULAR_UNBOUGHT,
    CustomerLists,
    customer_lists,
    evaluate_customers,
)
from analytics.recommendations.ranking import capped, item_lists, popularity_lists
from analytics.recommendations.selectors import BasketData, basket_lines_get
from analytics.recommendations.services import Built, recommendation_params_get, recommendations_compute
from analytics.recommendations.tuning import evaluate_items
from analytics.rfm.selectors import purchase_date_range_get
from customers.exceptions import ApplicationError
from customers.progress import Progress, progress_silent


def recommendations_evaluate(*, cutoff: dt.date, k: int = 5, progress: Progress = progress_silent) -> dict[str, Any]:
    """Build from baskets on or before `cutoff` (in memory; the served tables are not touched) and measure on
    the later baskets: product → products by held-out items, customer lists by what customers bought later."""
    first, last = purchase_date_range_get()
    if first is None or last is None or cutoff < first or cutoff >= last:
        raise ApplicationError(
            f"The cutoff must fall inside the data ({first} to {last}) so that there are baskets before and after it.",
            code="bad_cutoff",
        )

    def say(message: str) -> None:
        progress(0, 0, message)

    params = {**recommendation_params_get(), "per_product": max(k, 1), "per_customer": max(k, 1)}
    say("loading baskets")
    train = basket_lines_get(until=cutoff)
    test = basket_lines_get(since=cutoff)
    if not train.baskets.basket.size:
        raise ApplicationError("There are no baskets with products on or before the cutoff.", code="no_baskets")
    built = recommendations_compute(data=train, params=params, progress=progress)
    test_baskets = capped(_same_index(test, train), params["max_basket"])
    say("evaluating product → products")
    plain = item_lists(built.co, gamma=0.0, min_support=1, k=k, basket_only=True)
    item_results = {
        "blend": evaluate_items(built.items, test_baskets, k=k),
        "cooccurrence_counts": evaluate_items(plain, test_baskets, k=k),
        "popularity": evaluate_items(popularity_lists(built.co, k=k), test_baskets, k=k),
    }
    say("evaluating customer lists")
    later, later_new = _later_purchases(built.baskets, test_baskets)
    popular = _popular_customer_lists(built, k=k)
    customer_results = {
        "buy_again": evaluate_customers(built.buy_again, later, k=k),
        "popularity": evaluate_customers(popular["all"], later, k=k),
        "discover": evaluate_customers(built.discover, later_new, k=k),
        "popularity_unbought": evaluate_customers(popular["unbought"], later_new, k=k),
    }
    return {
        "cutoff": f"{cutoff}",
        "k": k,
        "gamma": built.tuning["gamma"],
        "beta": built.tuning["beta"],
        "item_to_items": {name: {"hit_rate": r["hit_rate"], "mrr": r["mrr"]} for name, r in item_results.items()},
        "customer": {name: {"hit_rate": r["hit_rate"], "mrr": r["mrr"]} for name, r in customer_results.items()},
        "queries": item_results["blend"]["queries"],
        "customers": customer_results["buy_again"]["customers"],
        "customers_with_new_products": customer_results["discover"]["customers"],
    }


def _same_index(test: BasketData, train: BasketData) -> Baskets:
    """Test baskets indexed like the training products (products created later map to an unknown index)."""
    pks = test.product_pks[test.baskets.product]
    position = np.searchsorted(train.product_pks, pks)
    position = np.minimum(position, max(train.product_pks.size - 1, 0))
    known = train.product_pks[position] == pks
    product = np.where(known, position, train.baskets.n_products)  # unknown: an index no list contains
    return Baskets(test.baskets.basket, product, test.baskets.customer, test.baskets.day, train.baskets.n_products + 1)


def _later_purchases(train: Baskets, test: Baskets) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    before: dict[int, set[int]] = {}
    for c, p in zip(train.customer.tolist(), train.product.tolist(), strict=True):
        before.setdefault(c, set()).add(p)
    later: dict[int, set[int]] = {}
    for c, p in zip(test.customer.tolist(), test.product.tolist(), strict=True):
        if c in before:
            later.setdefault(c, set()).add(p)
    later_new = {c: items - before[c] for c, items in later.items() if items - before[c]}
    return later, later_new


def _popular_customer_lists(built: Built, *, k: int) -> dict[str, CustomerLists]:
    """Baselines: the k best sellers for everyone; and the k best sellers each customer has not bought."""
    return {
        name: customer_lists(built.baskets, weights=weights, popularity=built.co.item_counts, k=k)
        for name, weights in (("all", POPULAR), ("unbought", POPULAR_UNBOUGHT))
    }
