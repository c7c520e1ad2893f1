"""Database constraints on the facts hold even for writes that bypass the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from customers.models import Customer, Product, Transaction
from customers.tests.factories import (
    CustomerFactory,
    ProductFactory,
    TransactionFactory,
    TransactionItemFactory,
)

pytestmark = pytest.mark.django_db


def test_customer_ids_are_text_so_leading_zeros_stay_distinct():
    """'00042', '42' and '0042' are three different customers."""
    for external_id in ["00042", "42", "0042"]:
        Customer.objects.create(external_id=external_id)
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["00042", "0042", "42"]


def test_customer_external_id_is_unique():
    """A second customer with the same id is refused by the database."""
    Customer.objects.create(external_id="1001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(external_id="1001")


def test_product_normalized_name_is_unique():
    """Two products cannot share a normalised name."""
    Product.objects.create(name="Apple", normalized_name="apple")
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(name="APPLE", normalized_name="apple")


def test_one_line_per_product_per_transaction():
    """A transaction holds a product on one line only (the importer sums repeated lines)."""
    item = TransactionItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionItemFactory(transaction=item.transaction, product=item.product)


@pytest.mark.parametrize(("quantity", "amount"), [("-1", "5.00"), ("2", "-5.00")])
def test_line_quantity_and_amount_cannot_have_opposite_signs(quantity, amount):
    """A returned item refunds money; a sold item costs money."""
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionItemFactory(quantity=Decimal(quantity), amount=Decimal(amount))


def test_zero_quantity_line_is_refused():
    """A line with zero quantity is refused by the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionItemFactory(quantity=Decimal("0"), amount=Decimal("0"))


def test_negative_total_must_be_flagged_as_return():
    """A transaction with a negative total that is not flagged as a return is refused."""
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionFactory(total_amount=Decimal("-3.00"), is_return=False)
    TransactionFactory(total_amount=Decimal("-3.00"), is_return=True)
    assert Transaction.objects.filter(is_return=True).count() == 1


def test_transaction_queryset_filters():
    """purchases() drops returns; up_to() is inclusive; in_window() is (start, end]."""
    customer = CustomerFactory()
    days = [dt.date(2024, 1, d) for d in (1, 2, 3)]
    for day in days:
        TransactionFactory(customer=customer, date=day)
    TransactionFactory(customer=customer, date=days[1], total_amount=Decimal("-1"), is_return=True)
    assert Transaction.objects.purchases().count() == 3
    assert Transaction.objects.up_to(days[1]).count() == 3
    assert Transaction.objects.in_window(days[0], days[2]).purchases().count() == 2


def test_product_factory_is_idempotent_on_normalized_name():
    """The product factory returns the existing product for a name that normalises the same."""
    assert ProductFactory(name="Milk") == ProductFactory(name="milk")
