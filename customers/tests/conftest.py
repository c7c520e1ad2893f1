"""Fixtures for the customers tests."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.models import Product
from customers.tests.factories import CustomerFactory, TransactionFactory, TransactionItemFactory


@pytest.fixture
def drifted():
    """A database with one example of every problem clean_data looks for."""
    apple = Product.objects.create(name="Apple", normalized_name="apple")
    stale = Product.objects.create(name=" APPLE ", normalized_name="apple (old)")  # identity out of date
    milk = Product.objects.create(name="Milk", normalized_name="milk")
    ada = CustomerFactory(external_id="ada")
    basket = TransactionFactory(external_id="B1", customer=ada, total_amount=Decimal("4.00"))
    TransactionItemFactory(transaction=basket, product=apple, quantity=1, amount=Decimal("1.00"))
    TransactionItemFactory(transaction=basket, product=stale, quantity=2, amount=Decimal("2.00"))
    TransactionItemFactory(transaction=basket, product=milk, quantity=1, amount=Decimal("1.00"))
    other = TransactionFactory(external_id="B2", customer=ada, total_amount=Decimal("9.99"))  # items say 3.00
    TransactionItemFactory(transaction=other, product=stale, quantity=3, amount=Decimal("3.00"))
    refund = TransactionFactory(external_id="R1", customer=ada, total_amount=Decimal("-1.00"), is_return=True)
    TransactionItemFactory(transaction=refund, product=milk, quantity=-1, amount=Decimal("-1.00"))
    refund_unflagged = TransactionFactory(external_id="R2", customer=ada, total_amount=Decimal("0.00"))
    TransactionItemFactory(transaction=refund_unflagged, product=milk, quantity=-1, amount=Decimal("0.00"))
    for ext in ("D1", "D2"):
        dup = TransactionFactory(external_id=ext, customer=ada, date=dt.date(2024, 5, 5), total_amount=Decimal("1.00"))
        TransactionItemFactory(transaction=dup, product=milk, quantity=1, amount=Decimal("1.00"))
    TransactionFactory(external_id="EMPTY", customer=ada, total_amount=Decimal("2.00"))
    future = TransactionFactory(external_id="FUTURE", customer=ada, date=dt.date(2999, 1, 1), total_amount=Decimal("1"))
    TransactionItemFactory(transaction=future, product=milk, quantity=1, amount=Decimal("1.00"))
    CustomerFactory(external_id="ghost")
    return {"apple": apple, "stale": stale}
