"""Reads for recommendations: the baskets a build learns from, and the stored lists requests are answered from
(one indexed query each, never the raw data)."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection

from analytics.facts import Baskets, IntArray
from analytics.models import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from customers.exceptions import ApplicationError
from customers.models import Product, TransactionItem
from customers.names import normalize_product_name
from customers.selectors import product_get_by_name, product_suggestions_list

NO_RECOMMENDATIONS = "No recommendations have been built yet: run `python manage.py build_recommendations`."


@dataclass(frozen=True)
class BasketData:
    baskets: Baskets
    product_pks: IntArray  # dense product index -> Product.pk


def basket_lines_get(*, since: dt.date | None = None, until: dt.date | None = None) -> BasketData:
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
    columns: list[list[int]] = [[], [], [], []]
    ordinal: dict[str | dt.date, int] = {}  # SQLite returns dates as text
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
        baskets=Baskets(
            basket=np.array(columns[0], dtype=np.int64),
            product=product.astype(np.int64),
            customer=np.array(columns[2], dtype=np.int64),
            day=np.array(columns[3], dtype=np.int64),
            n_products=product_pks.size,
        ),
        product_pks=product_pks,
    )


def recommendation_build_active_get() -> RecommendationBuild | None:
    """The build that requests are answered from."""
    return RecommendationBuild.objects.filter(is_active=True).defer("popular", "tuning").first()


class ProductNotFound(ApplicationError):
    def __init__(self, name: str, suggestions: list[str]):
        super().__init__(f"Unknown product: {name!r}.", code="unknown_product", extra={"suggestions": suggestions})
        self.suggestions = suggestions


def product_recommendations_get(*, name: str, limit: int = 5) -> tuple[Product, list[ProductRecommendation]]:
    """The product a name stands for (case- and whitespace-insensitive) and its recommendations, best first."""
    product = product_get_by_name(name=name)
    if product is None:
        raise ProductNotFound(name, product_suggestions_list(name=name))
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


def product_recommendation_names_list(*, name: str, limit: int = 5) -> tuple[str, list[str]]:
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
