"""factory_boy factories for the domain models (use `.build()` when no database is needed)."""

import datetime as dt
from decimal import Decimal

import factory

from customers.models import Customer, Product, Transaction, TransactionItem
from customers.names import normalize_product_name


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        django_get_or_create = ("external_id",)

    external_id = factory.Sequence(lambda n: f"{1001 + n}")
    name = factory.Faker("name")
    email = factory.Faker("email")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("normalized_name",)

    name = factory.Sequence(lambda n: f"Product {n}")
    normalized_name = factory.LazyAttribute(lambda o: normalize_product_name(o.name))


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    external_id = factory.Sequence(lambda n: f"T{n:07d}")
    customer = factory.SubFactory(CustomerFactory)
    date = dt.date(2024, 1, 1)
    total_amount = Decimal("10.00")


class TransactionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransactionItem

    transaction = factory.SubFactory(TransactionFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("1")
    amount = Decimal("10.00")
