"""The admin is fit for data entry: searchable, annotated lists in constant queries, rules enforced."""

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import ImportRun, Product, Transaction
from customers.tests.factories import (
    CustomerFactory,
    ProductFactory,
    TransactionFactory,
    TransactionItemFactory,
)

pytestmark = pytest.mark.django_db


def _customers_with_purchases(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        customer = CustomerFactory(external_id=f"C{n:04d}")
        TransactionFactory(customer=customer, date=dt.date(2024, 1, 1), total_amount=Decimal("5.00"))
        TransactionFactory(customer=customer, date=dt.date(2024, 2, 1), total_amount=Decimal("7.50"))


def _changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["customers_customer", "customers_transaction", "customers_product"])
def test_changelist_query_count_does_not_grow_with_rows(admin_client, url_name):
    """The list pages run the same number of queries for 3 rows as for 40 rows."""
    url = reverse(f"admin:{url_name}_changelist")
    _customers_with_purchases(3)
    ProductFactory.create_batch(3)
    few = _changelist_queries(admin_client, url)
    _customers_with_purchases(37, start=3)
    ProductFactory.create_batch(37)
    many = _changelist_queries(admin_client, url)
    assert many == few


def test_customer_list_shows_purchase_count_spend_and_last_purchase(admin_client):
    """Computed columns come from one annotated query; returns are not purchases but net the spend."""
    customer = CustomerFactory(external_id="00042", name="Ada Lovelace")
    TransactionFactory(customer=customer, date=dt.date(2024, 3, 1), total_amount=Decimal("20.00"))
    TransactionFactory(customer=customer, date=dt.date(2024, 3, 9), total_amount=Decimal("-5.00"), is_return=True)
    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"q": "lovelace"})
    row = response.context["cl"].result_list[0]
    assert (row.external_id, row.purchase_count, row.total_spend, row.last_purchase) == (
        "00042",
        1,
        Decimal("15.00"),
        dt.date(2024, 3, 1),
    )


@pytest.mark.parametrize("query", ["00042", "Lovelace", "ada@example.com"])
def test_customer_search_by_id_name_and_email(admin_client, query):
    """The customer search finds a customer by id, by name and by e-mail, and no one else."""
    CustomerFactory(external_id="00042", name="Ada Lovelace", email="ada@example.com")
    CustomerFactory(external_id="777", name="Someone Else", email="else@example.com")
    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"q": query})
    assert [c.external_id for c in response.context["cl"].result_list] == ["00042"]


def test_product_saved_in_admin_gets_its_normalised_identity(admin_client):
    """A product typed as '  Green   APPLE ' is stored as 'Green APPLE' with identity 'green apple'."""
    response = admin_client.post(
        reverse("admin:customers_product_add"), {"name": "  Green   APPLE ", "category": "", "sku": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    product = Product.objects.get()
    assert (product.name, product.normalized_name) == ("Green APPLE", "green apple")


def test_product_with_clashing_normalised_name_is_a_form_error(admin_client):
    """A product whose name normalises like an existing one is a form error, not a second product."""
    ProductFactory(name="Milk")
    response = admin_client.post(reverse("admin:customers_product_add"), {"name": " MILK ", "category": "", "sku": ""})
    assert response.status_code == HTTPStatus.OK
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert Product.objects.count() == 1


def test_editing_line_items_inline_recalculates_the_transaction_total(admin_client):
    """Saving a transaction with inline items recomputes its total and return flag from them.

    A basket with one returned line that still costs money is a purchase; with every line returned, a return.
    """
    txn = TransactionFactory(total_amount=Decimal("0.00"))
    apple, milk = ProductFactory(name="Apple"), ProductFactory(name="Milk")
    data = {
        "external_id": txn.external_id,
        "customer": txn.customer_id,
        "date": "2024-01-01",
        "total_amount": "0.00",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-product": apple.pk,
        "items-0-quantity": "2",
        "items-0-amount": "3.00",
        "items-1-product": milk.pk,
        "items-1-quantity": "-1",
        "items-1-amount": "-1.20",
    }
    response = admin_client.post(reverse("admin:customers_transaction_change", args=[txn.pk]), data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    txn.refresh_from_db()
    assert (txn.total_amount, txn.is_return) == (Decimal("1.80"), False)

    data |= {"items-0-quantity": "-2", "items-0-amount": "-3.00"}
    admin_client.post(reverse("admin:customers_transaction_change", args=[txn.pk]), data | _existing_items(txn))
    txn.refresh_from_db()
    assert (txn.total_amount, txn.is_return) == (Decimal("-4.20"), True)


def _existing_items(txn) -> dict:
    items = list(txn.items.order_by("product__name"))
    data = {"items-INITIAL_FORMS": str(len(items)), "items-TOTAL_FORMS": str(len(items))}
    for n, item in enumerate(items):
        data[f"items-{n}-id"] = item.pk
        data[f"items-{n}-transaction"] = txn.pk
    return data


def test_transaction_list_has_date_hierarchy_and_filters(admin_client):
    """The transaction list drills down by date and filters by return and purchase date."""
    TransactionItemFactory()
    response = admin_client.get(reverse("admin:customers_transaction_changelist"))
    assert response.context["cl"].date_hierarchy == "date"
    assert {f.title for f in response.context["cl"].filter_specs} >= {"return", "purchase date"}


def test_import_runs_are_read_only(admin_client):
    """Import runs are written by the importer only: no add, change or delete in the admin."""
    run = ImportRun.objects.create(source_name="x.csv", status=ImportRun.Status.SUCCEEDED)
    assert admin_client.get(reverse("admin:customers_importrun_add")).status_code == HTTPStatus.FORBIDDEN
    detail = admin_client.get(reverse("admin:customers_importrun_change", args=[run.pk]))
    assert detail.status_code == HTTPStatus.OK
    assert "Save" not in detail.content.decode()
    admin_client.post(reverse("admin:customers_importrun_change", args=[run.pk]), {"source_name": "evil.csv"})
    run.refresh_from_db()
    assert run.source_name == "x.csv"
    assert Transaction.objects.count() == 0
