"""Build, serve and evaluate recommendations (the maths is in analytics.recommend).

A build reads the baskets once, computes every list in memory, writes them under a new `RecommendationBuild`,
and then swaps the active build in one short transaction; requests read the active build's rows by index and
never touch raw data.
"""

import datetime as dt
import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics import recommend
from analytics.models import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from analytics.selectors import purchase_date_range
from customers.bulk import bulk_insert, chunked, refresh_statistics
from customers.exceptions import ApplicationError
from customers.models import Product, TransactionItem
from customers.names import normalize_product_name

Progress = Callable[[str], None]
MAX_SUGGESTIONS = 5
POPULAR_KEPT = 20
NO_RECOMMENDATIONS = "No recommendations have been built yet: run `python manage.py build_recommendations`."


@dataclass(frozen=True)
class BasketData:
    baskets: recommend.Baskets
    product_pks: np.ndarray  # dense product index -> Product.pk


def baskets_load(*, since: dt.date | None = None, until: dt.date | None = None) -> BasketData:
    """Every purchased line item (returns excluded) in (since, until], as dense arrays; every catalogue product
    gets an index, sold or not."""
    product_pks = np.array(sorted(Product.objects.values_list("pk", flat=True)), dtype=np.int64)
    items = TransactionItem.objects.filter(transaction__is_return=False, quantity__gt=0)
    if since is not None:
        items = items.filter(transaction__date__gt=since)
    if until is not None:
        items = items.filter(transaction__date__lte=until)
    sql, params = items.values_list(
        "transaction_id", "product_id", "transaction__customer_id", "transaction__date"
    ).query.sql_with_params()
    columns: list[list] = [[], [], [], []]
    ordinal: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(100_000):
            for basket, product, customer, day in rows:
                columns[0].append(basket)
                columns[1].append(product)
                columns[2].append(customer)
                if day not in ordinal:
                    ordinal[day] = (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal()
                columns[3].append(ordinal[day])
    product = np.searchsorted(product_pks, np.array(columns[1], dtype=np.int64))
    return BasketData(
        baskets=recommend.Baskets(
            basket=np.array(columns[0], dtype=np.int64),
            product=product.astype(np.int64),
            customer=np.array(columns[2], dtype=np.int64),
            day=np.array(columns[3], dtype=np.int64),
            n_products=product_pks.size,
        ),
        product_pks=product_pks,
    )


def _settings() -> dict:
    return {
        "min_support": settings.RECOMMENDATIONS_MIN_SUPPORT,
        "max_basket": settings.RECOMMENDATIONS_MAX_BASKET,
        "per_product": settings.RECOMMENDATIONS_PER_PRODUCT,
        "per_customer": settings.RECOMMENDATIONS_PER_CUSTOMER,
    }


@dataclass
class Built:
    """Everything a build computes, before it is stored (also used by the evaluation)."""

    items: recommend.ItemLists
    buy_again: recommend.CustomerLists
    discover: recommend.CustomerLists
    co: recommend.CoOccurrence
    tuning: dict
    baskets: recommend.Baskets


def compute(data: BasketData, *, params: dict, progress: Progress | None = None) -> Built:
    say = progress or (lambda message: None)
    baskets = recommend.capped(data.baskets, params["max_basket"])
    say("tuning the ranking blend on a time-based validation split")
    tuning = recommend.tune_ranking(baskets, min_support=params["min_support"], k=min(5, params["per_product"]))
    say(f"co-occurrence of {baskets.basket.size:,} basket lines (γ = {tuning['gamma']}, β = {tuning['beta']})")
    co = recommend.co_occurrence(baskets)
    items = recommend.item_lists(
        co,
        gamma=tuning["gamma"],
        beta=tuning["beta"],
        min_support=params["min_support"],
        k=params["per_product"],
        queries=np.arange(data.baskets.n_products),
    )
    similarity = recommend.similarity_matrix(items, data.baskets.n_products)
    customer_similarity = recommend.top_neighbours(co.customer_similarity)
    say("customer lists (buy again, discover)")
    lists = {
        weights: recommend.customer_lists(
            baskets,
            weights=weights,
            popularity=co.item_counts,
            basket_similarity=similarity,
            customer_similarity=customer_similarity,
            k=params["per_customer"],
        )
        for weights in (recommend.BUY_AGAIN, recommend.DISCOVER)
    }
    return Built(items, lists[recommend.BUY_AGAIN], lists[recommend.DISCOVER], co, tuning, baskets)


def recommendations_build(*, progress: Progress | None = None) -> RecommendationBuild:
    """Build every recommendation table from all baskets and make the build active."""
    say = progress or (lambda message: None)
    params = _settings()
    started = time.perf_counter()
    _, last = purchase_date_range()
    build = RecommendationBuild.objects.create(params=params, data_until=last)
    try:
        say("loading baskets")
        data = baskets_load(until=last)
        loaded = time.perf_counter()
        built = compute(data, params=params, progress=say)
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


class ProductNotFound(ApplicationError):
    def __init__(self, name: str, suggestions: list[str]):
        super().__init__(f"Unknown product: {name!r}.", code="unknown_product", extra={"suggestions": suggestions})
        self.suggestions = suggestions


def product_suggestions(name: str, *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` product names close to `name` — never the catalogue: names sharing a word or a prefix with
    the query are ranked by similarity."""
    key = normalize_product_name(name)
    if not key:
        return []
    words = [w for w in key.split(" ") if len(w) >= 2][:3] or [key[:2]]
    pool: dict[str, str] = {}
    for word in words:
        for display, normalized in Product.objects.filter(normalized_name__contains=word).values_list(
            "name", "normalized_name"
        )[:200]:
            pool[normalized] = display
    if len(pool) < limit:
        for display, normalized in Product.objects.filter(normalized_name__startswith=key[:1]).values_list(
            "name", "normalized_name"
        )[:500]:
            pool[normalized] = display
    close = difflib.get_close_matches(key, list(pool), n=limit, cutoff=0.5)
    return [pool[c] for c in close]


def product_recommendations_get(*, name: str, limit: int = 5) -> tuple[Product, list[ProductRecommendation]]:
    """The product a name stands for (case- and whitespace-insensitive) and its recommendations, best first."""
    product = Product.objects.filter(normalized_name=normalize_product_name(name)).first()
    if product is None:
        raise ProductNotFound(name, product_suggestions(name))
    rows = list(
        ProductRecommendation.objects.filter(build__is_active=True, product=product)
        .select_related("recommended")
        .order_by("rank")[:limit]
    )
    if not rows and not RecommendationBuild.objects.filter(is_active=True).exists():
        raise ApplicationError(NO_RECOMMENDATIONS, code="no_recommendations")
    return product, rows


@dataclass(frozen=True)
class Suggestion:
    product: Product
    score: float
    source: str  # "personal" or "popular" (a customer without history gets the best sellers)


def product_recommendation_names(*, name: str, limit: int = 5) -> tuple[str, list[str]]:
    """The seed endpoint's answer in one indexed query: the product's display name and the names recommended
    with it, best first. Errors as product_recommendations_get."""
    rows = list(
        ProductRecommendation.objects.filter(
            build__is_active=True, product__normalized_name=normalize_product_name(name)
        )
        .order_by("rank")
        .values_list("product__name", "recommended__name")[:limit]
    )
    if rows:
        return rows[0][0], [recommended for _, recommended in rows]
    product, found = product_recommendations_get(name=name, limit=limit)  # raises for unknown product / no build
    return product.name, [row.recommended.name for row in found]


def customer_recommendations_list(*, customer_id: int, mode: str, limit: int = 5) -> list[Suggestion]:
    """A customer's stored list for `mode` ("buy_again" or "discover"); a customer the last build did not know
    (no purchases with products yet) gets the best sellers."""
    rows = list(
        CustomerRecommendation.objects.filter(build__is_active=True, customer_id=customer_id, mode=mode)
        .select_related("product")
        .order_by("rank")[:limit]
    )
    if rows:
        return [Suggestion(row.product, row.score, "personal") for row in rows]
    build = RecommendationBuild.objects.filter(is_active=True).only("popular").first()
    if build is None:
        return []
    products = Product.objects.in_bulk(build.popular[:limit])
    return [Suggestion(products[pk], 0.0, "popular") for pk in build.popular[:limit] if pk in products]


def recommendations_evaluate(*, cutoff: dt.date, k: int = 5, progress: Progress | None = None) -> dict:
    """Build from baskets on or before `cutoff` (in memory; the served tables are not touched) and measure on
    the later baskets: product → products by held-out items, customer lists by what customers bought later."""
    first, last = purchase_date_range()
    if first is None or cutoff < first or cutoff >= last:
        raise ApplicationError(
            f"The cutoff must fall inside the data ({first} to {last}) so that there are baskets before and after it.",
            code="bad_cutoff",
        )
    say = progress or (lambda message: None)
    params = {**_settings(), "per_product": max(k, 1), "per_customer": max(k, 1)}
    say("loading baskets")
    train = baskets_load(until=cutoff)
    test = baskets_load(since=cutoff)
    if not train.baskets.basket.size:
        raise ApplicationError("There are no baskets with products on or before the cutoff.", code="no_baskets")
    built = compute(train, params=params, progress=say)
    test_baskets = recommend.capped(_same_index(test, train), params["max_basket"])
    say("evaluating product → products")
    plain = recommend.item_lists(built.co, gamma=0.0, min_support=1, k=k, basket_only=True)
    item_results = {
        "blend": recommend.evaluate_items(built.items, test_baskets, k=k),
        "cooccurrence_counts": recommend.evaluate_items(plain, test_baskets, k=k),
        "popularity": recommend.evaluate_items(recommend.popularity_lists(built.co, k=k), test_baskets, k=k),
    }
    say("evaluating customer lists")
    later, later_new = _later_purchases(built.baskets, test_baskets)
    popular = _popular_customer_lists(built, k=k)
    customer_results = {
        "buy_again": recommend.evaluate_customers(built.buy_again, later, k=k),
        "popularity": recommend.evaluate_customers(popular["all"], later, k=k),
        "discover": recommend.evaluate_customers(built.discover, later_new, k=k),
        "popularity_unbought": recommend.evaluate_customers(popular["unbought"], later_new, k=k),
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


def _same_index(test: BasketData, train: BasketData) -> recommend.Baskets:
    """Test baskets indexed like the training products (products created later map to an unknown index)."""
    pks = test.product_pks[test.baskets.product]
    position = np.searchsorted(train.product_pks, pks)
    position = np.minimum(position, max(train.product_pks.size - 1, 0))
    known = train.product_pks[position] == pks
    product = np.where(known, position, train.baskets.n_products)  # unknown: an index no list contains
    return recommend.Baskets(
        test.baskets.basket, product, test.baskets.customer, test.baskets.day, train.baskets.n_products + 1
    )


def _later_purchases(train: recommend.Baskets, test: recommend.Baskets) -> tuple[dict, dict]:
    before: dict[int, set[int]] = {}
    for c, p in zip(train.customer.tolist(), train.product.tolist(), strict=True):
        before.setdefault(c, set()).add(p)
    later: dict[int, set[int]] = {}
    for c, p in zip(test.customer.tolist(), test.product.tolist(), strict=True):
        if c in before:
            later.setdefault(c, set()).add(p)
    later_new = {c: items - before[c] for c, items in later.items() if items - before[c]}
    return later, later_new


def _popular_customer_lists(built: Built, *, k: int) -> dict[str, recommend.CustomerLists]:
    """Baselines: the k best sellers for everyone; and the k best sellers each customer has not bought."""
    return {
        name: recommend.customer_lists(built.baskets, weights=weights, popularity=built.co.item_counts, k=k)
        for name, weights in (("all", recommend.POPULAR), ("unbought", recommend.POPULAR_UNBOUGHT))
    }
