"""Fixtures for analytics tests: the generated shop with an RFM snapshot, a trained model and recommendations."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.models import ModelArtifact, RfmSnapshot
from customers.models import ImportRun
from customers.tests.factories import CustomerFactory, TransactionFactory


@pytest.fixture(scope="module")
def _trained_shop(shared_database) -> dict[str, int]:
    from analytics.tests.helpers import TRAINED_SHOP

    return shared_database.use(TRAINED_SHOP)


@pytest.fixture
def trained_shop(_trained_shop) -> dict:
    """The synthetic shop with RFM computed, the loyalty model trained and scored, recommendations built (shared by
    the module, see conftest.py): its import run, snapshot and active model, fetched afresh for each test."""
    return {
        "import_run": ImportRun.objects.get(pk=_trained_shop["import_run"]),
        "snapshot": RfmSnapshot.objects.get(pk=_trained_shop["snapshot"]),
        "artifact": ModelArtifact.objects.get(pk=_trained_shop["artifact"]),
    }


def _buy(customer, day: str, amount: str, *, is_return: bool = False):
    return TransactionFactory(
        customer=customer, date=dt.date.fromisoformat(day), total_amount=Decimal(amount), is_return=is_return
    )


@pytest.fixture
def three_customers(empty_database):
    """On an empty database, ada: two purchases, a return, a later purchase on 2024-03-01; bob: one purchase; cy:
    only a return."""
    ada, bob, cy = (CustomerFactory(external_id=x) for x in ("ada", "bob", "cy"))
    _buy(ada, "2024-01-01", "10.00")
    _buy(ada, "2024-02-01", "20.00")
    _buy(ada, "2024-02-15", "-5.00", is_return=True)  # netted in monetary, not a purchase
    _buy(bob, "2024-01-20", "7.00")
    _buy(cy, "2024-02-10", "-3.00", is_return=True)  # only a return: not in the snapshot
    _buy(ada, "2024-03-01", "99.00")  # after the as_of (2024-02-29) the tests use
    return {"ada": ada, "bob": bob, "cy": cy}
