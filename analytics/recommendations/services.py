"""Build the recommendation tables (the maths is in ranking.py, tuning.py and customer_lists.py).

A build reads the baskets once, computes every list in memory, writes them under a new `RecommendationBuild`,
and then swaps the active build in one short transaction; requests read the active build's rows by index
(analytics.recommendations.selectors) and never touch raw data.
"""

import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analytics.facts import Baskets
from analytics.models import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from analytics.recommendations.customer_lists import (
    BUY_AGAIN,
    DISCOVER,
    CustomerLists,
    customer_lists,
    similarity_matrix,
    top_neighbours,
)
from analytics.recommendations.ranking import CoOccurrence, ItemLists, capped, co_occurrence, item_lists
from analytics.recommendations.selectors import BasketData, basket_lines_get
from analytics.recommendations.tuning import Tuning, tune_ranking
from analytics.rfm.selectors import purchase_date_range_get
from customers.bulk import bulk_insert, chunked, refresh_statistics
from customers.locks import PIPELINE_LOCK, exclusive_lock
from customers.progress import Progress, progress_silent

POPULAR_KEPT = 20


def recommendation_params_get() -> dict[str, int]:
    """The build's parameters from settings."""
    return {
        "min_support": settings.RECOMMENDATIONS_MIN_SUPPORT,
        "max_basket": settings.RECOMMENDATIONS_MAX_BASKET,
        "per_product": settings.RECOMMENDATIONS_PER_PRODUCT,
        "per_customer": settings.RECOMMENDATIONS_PER_CUSTOMER,
    }


@dataclass
class Built:
    """Everything a build computes, before it is stored (also used by the evaluation)."""

    items: ItemLists
    buy_again: CustomerLists
    discover: CustomerLists
    co: CoOccurrence
    tuning: Tuning
    baskets: Baskets


def recommendations_compute(*, data: BasketData, params: dict[str, int], progress: Progress = progress_silent) -> Built:
    """Every list of a build, in memory (also what the evaluation measures)."""

    def say(message: str) -> None:
        progress(0, 0, message)

    baskets = capped(data.baskets, params["max_basket"])
    say("tuning the ranking blend on a time-based validation split")
    tuning = tune_ranking(baskets, min_support=params["min_support"], k=min(5, params["per_product"]))
    say(f"co-occurrence of {baskets.basket.size:,} basket lines (γ = {tuning['gamma']}, β = {tuning['beta']})")
    co = co_occurrence(baskets)
    items = item_lists(
        co,
        gamma=tuning["gamma"],
        beta=tuning["beta"],
        min_support=params["min_support"],
        k=params["per_product"],
        queries=np.arange(data.baskets.n_products),
    )
    similarity = similarity_matrix(items, data.baskets.n_products)
    customer_similarity = top_neighbours(co.customer_similarity)
    say("customer lists (buy again, discover)")
    lists = {
        weights: customer_lists(
            baskets,
            weights=weights,
            popularity=co.item_counts,
            basket_similarity=similarity,
            customer_similarity=customer_similarity,
            k=params["per_customer"],
        )
        for weights in (BUY_AGAIN, DISCOVER)
    }
    return Built(items, lists[BUY_AGAIN], lists[DISCOVER], co, tuning, baskets)


def recommendations_build(*, progress: Progress = progress_silent) -> RecommendationBuild:
    """Build every recommendation table from all baskets and make the build active (one writer of derived
    tables at a time, see customers.locks)."""
    with exclusive_lock(key=PIPELINE_LOCK):
        return _build(progress=progress)


def _build(*, progress: Progress) -> RecommendationBuild:

    def say(message: str) -> None:
        progress(0, 0, message)

    params = recommendation_params_get()
    started = time.perf_counter()
    _, last = purchase_date_range_get()
    build = RecommendationBuild.objects.create(params=params, data_until=last)
    try:
        say("loading baskets")
        data = basket_lines_get(until=last)
        loaded = time.perf_counter()
        built = recommendations_compute(data=data, params=params, progress=progress)
        computed = time.perf_counter()
        say("writing recommendation tables")
        pk = data.product_pks
        items = built.items
        product_rows = bulk_insert(
            ProductRecommendation,
            ["build", "product", "recommended", "rank", "score", "support", "confidence", "lift", "source"],
            zip(
                [build.pk] * items.query.size,
                pk[items.query].tolist(),
                pk[items.item].tolist(),
                items.rank.tolist(),
                np.round(items.score, 6).tolist(),
                np.round(items.support, 8).tolist(),
                np.round(items.confidence, 6).tolist(),
                np.round(items.lift, 6).tolist(),
                items.source.tolist(),
                strict=True,
            ),
        )
        customer_rows = 0
        for mode, lists in (("buy_again", built.buy_again), ("discover", built.discover)):
            rows = zip(
                [build.pk] * lists.customer.size,
                lists.customer.tolist(),
                [mode] * lists.customer.size,
                lists.rank.tolist(),
                pk[lists.item].tolist(),
                np.round(lists.score, 6).tolist(),
                strict=True,
            )
            for batch in chunked(rows, 50_000):
                customer_rows += bulk_insert(
                    CustomerRecommendation, ["build", "customer", "mode", "rank", "product", "score"], batch
                )
        written = time.perf_counter()
        build.tuning = built.tuning
        sold = np.flatnonzero(built.co.item_counts > 0)
        best = sold[np.lexsort((sold, -built.co.item_counts[sold]))][:POPULAR_KEPT]
        build.popular = pk[best].tolist()
        build.sizes = {
            "baskets": built.co.n_baskets,
            "basket_lines": int(built.baskets.basket.size),
            "products": int(data.baskets.n_products),
            "products_sold": int((built.co.item_counts > 0).sum()),
            "pairs": int(built.co.counts.nnz // 2),
            "customers": int(np.unique(built.baskets.customer).size),
            "product_rows": product_rows,
            "customer_rows": customer_rows,
            "sources": {s: int((items.source == s).sum()) for s in ProductRecommendation.Source.values},
        }
        build.timings = {
            "load": round(loaded - started, 2),
            "compute": round(computed - loaded, 2),
            "write": round(written - computed, 2),
        }
        build.status, build.finished_at = RecommendationBuild.Status.DONE, timezone.now()
        with transaction.atomic():
            RecommendationBuild.objects.filter(is_active=True).update(is_active=False)
            build.is_active = True
            build.save()
        build.timings["total"] = round(time.perf_counter() - started, 2)
        build.save(update_fields=["timings"])
        RecommendationBuild.objects.exclude(pk=build.pk).delete()  # old rows go with their builds
        refresh_statistics(ProductRecommendation, CustomerRecommendation)
        return build
    except BaseException as exc:
        RecommendationBuild.objects.filter(pk=build.pk).update(
            status=RecommendationBuild.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise
