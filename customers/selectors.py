"""Read queries on the facts, shared by the admin, the pages, the API and the analytics services."""

import datetime as dt
import difflib
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce

from customers.models import Customer, DataQualityReport, ImportRun, Product, Transaction, TransactionItem
from customers.names import normalize_product_name

if TYPE_CHECKING:  # WithAnnotations is for the type checker only
    from django_stubs_ext import WithAnnotations

MONEY = DecimalField(max_digits=14, decimal_places=2)
PURCHASE = Q(is_return=False)
MAX_SUGGESTIONS = 5


class PurchaseStats(TypedDict):
    purchase_count: int
    total_spend: Decimal
    last_purchase: dt.date | None


def _per_customer(
    aggregate: Aggregate,
    output_field: "IntegerField[int, int] | DecimalField[Decimal, Decimal] | DateField[dt.date, dt.date]",
) -> Subquery:
    # A correlated subquery is evaluated only for the rows on the page, so a paginated list stays cheap
    # however many customers there are (a GROUP BY join would aggregate every customer first).
    return Subquery(
        Transaction.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(value=aggregate)
        .values("value"),
        output_field=output_field,
    )


def customer_list_with_purchase_stats() -> "QuerySet[WithAnnotations[Customer, PurchaseStats]]":
    """Customers with purchase count (returns excluded), net spend and last purchase date, in one query."""
    return Customer.objects.annotate(
        purchase_count=Coalesce(_per_customer(Count("pk", filter=PURCHASE), IntegerField()), 0),
        total_spend=Coalesce(_per_customer(Sum("total_amount"), MONEY), 0, output_field=MONEY),
        last_purchase=_per_customer(Max("date", filter=PURCHASE), DateField()),
    )


def transactions_exist() -> bool:
    """Whether any transaction has been imported or entered."""
    return Transaction.objects.exists()


def customer_get(*, external_id: str) -> Customer | None:
    """The customer with the retailer's id `external_id` (text: "00042" is not "42")."""
    return Customer.objects.filter(external_id=external_id).first()


def customer_transactions_recent_list(*, customer: Customer, limit: int = 10) -> list[Transaction]:
    """The customer's latest transactions, newest first, with their line items and products."""
    return list(
        Transaction.objects.filter(customer=customer)
        .prefetch_related(Prefetch("items", queryset=TransactionItem.objects.select_related("product")))
        .order_by("-date", "-pk")[:limit]
    )


def product_get_by_name(*, name: str) -> Product | None:
    """The product a name stands for, whatever its case and spacing."""
    return Product.objects.filter(normalized_name=normalize_product_name(name)).first()


def product_names_search(*, query: str, limit: int = 10) -> list[str]:
    """Product names starting with (then containing) the query, case-insensitive: the autocomplete list."""
    key = normalize_product_name(query)
    if not key:
        return []
    names = list(
        Product.objects.filter(normalized_name__startswith=key)
        .order_by("normalized_name")
        .values_list("name", flat=True)[:limit]
    )
    if len(names) < limit:
        names += [
            n
            for n in Product.objects.filter(normalized_name__contains=key)
            .exclude(normalized_name__startswith=key)
            .order_by("normalized_name")
            .values_list("name", flat=True)[: limit - len(names)]
        ]
    return names


def product_suggestions_list(*, name: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
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


def import_run_list() -> QuerySet[ImportRun]:
    """Import runs, newest first."""
    return ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")


def import_run_get(*, pk: int) -> ImportRun | None:
    return ImportRun.objects.filter(pk=pk).first()


def data_quality_report_latest_get() -> DataQualityReport | None:
    return DataQualityReport.objects.order_by("-created_at", "-id").first()
