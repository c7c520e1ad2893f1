"""Erasing a customer's personal data keeps the anonymous history that the models use."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.models import Customer, ImportRun, Transaction
from customers.services.erasure import customer_personal_data_erase
from customers.tests.factories import CustomerFactory, TransactionFactory

pytestmark = pytest.mark.django_db


def test_erasure_blanks_identity_and_keeps_history():
    """Name, e-mail and id give way to a pseudonym everywhere; the purchases stay; others are untouched."""
    ada = CustomerFactory(external_id="ada@example.com", name="Ada Lovelace", email="ada@example.com")
    for day in (1, 2, 3):
        TransactionFactory(customer=ada, date=dt.date(2024, 1, day), total_amount=Decimal("5.00"))
    other = CustomerFactory(external_id="bob")
    run = ImportRun.objects.create(
        source_name="x.csv",
        rows_read=2,
        rows_rejected=2,
        rejected_rows=[
            {"line": 2, "reason": "date is empty", "values": ["T9", "ada@example.com", ""]},
            {"line": 3, "reason": "date is empty", "values": ["T10", "bob", ""]},
        ],
    )
    erasure = customer_personal_data_erase(external_id="ada@example.com")
    ada.refresh_from_db()
    assert (ada.name, ada.email, ada.external_id) == ("", "", erasure.pseudonym)
    assert ada.erased_at is not None
    assert Transaction.objects.filter(customer=ada).count() == erasure.transactions_kept == 3
    run.refresh_from_db()
    assert [row["line"] for row in run.rejected_rows] == [3]
    assert not Customer.objects.filter(external_id="ada@example.com").exists()
    other.refresh_from_db()
    assert other.external_id == "bob"
