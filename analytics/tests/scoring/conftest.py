"""Fixtures for the scoring tests: five hand-made histories around a cutoff."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.tests.factories import CustomerFactory, TransactionFactory

CUTOFF = dt.date(2024, 6, 30)


def buy(customer, day: dt.date, amount: str = "10.00", *, is_return: bool = False):
    TransactionFactory(customer=customer, date=day, total_amount=Decimal(amount), is_return=is_return)


@pytest.fixture
def history():
    """Five customers who bought on 2024-03-01, then: within the 60-day window after CUTOFF, on its last day, a day
    too late, on the cutoff itself, or only returned something."""
    c = {name: CustomerFactory(external_id=name) for name in ("within", "edge", "after", "at_cutoff", "returner")}
    for customer in c.values():
        buy(customer, dt.date(2024, 3, 1))
    buy(c["within"], CUTOFF + dt.timedelta(days=10))  # in (cutoff, cutoff + 60]: loyal
    buy(c["edge"], CUTOFF + dt.timedelta(days=60))  # the last day of the window counts
    buy(c["after"], CUTOFF + dt.timedelta(days=61))  # too late
    buy(c["at_cutoff"], CUTOFF)  # on the cutoff: a feature, not a label
    buy(c["returner"], CUTOFF + dt.timedelta(days=5), "-10.00", is_return=True)  # a return is not a purchase
    return c
