"""Read queries on the facts, shared by the admin, the pages and the API."""

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from customers.models import Customer, Product, Transaction
from customers.names import normalize_product_name

MONEY = DecimalField(max_digits=14, decimal_places=2)
PURCHASE = Q(is_return=False)


def _per_customer(aggregate, output_field) -> Subquery:
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


def customer_list_with_purchase_stats() -> QuerySet[Customer]:
    """Customers with purchase count (returns excluded), net spend and last purchase date, in one query."""
    return Customer.objects.annotate(
        purchase_count=Coalesce(_per_customer(Count("pk", filter=PURCHASE), IntegerField()), 0),
        total_spend=Coalesce(_per_customer(Sum("total_amount"), MONEY), 0, output_field=MONEY),
        last_purchase=_per_customer(Max("date", filter=PURCHASE), DateField()),
    )


def product_by_name(name: str) -> Product | None:
    """The product a name stands for, whatever its case and spacing."""
    return Product.objects.filter(normalized_name=normalize_product_name(name)).first()
