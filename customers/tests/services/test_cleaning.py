"""clean_data: finds drift in stored data, applies only the safe fixes, atomically, and keeps a report."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from customers.models import DataQualityReport, Product, Transaction, TransactionItem
from customers.services.cleaning import data_clean
from customers.tests.factories import CustomerFactory, TransactionFactory, TransactionItemFactory

pytestmark = pytest.mark.django_db


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


def _counts(report: DataQualityReport) -> dict[str, int]:
    return {key: finding["count"] for key, finding in report.findings.items()}


def test_dry_run_reports_every_problem_and_changes_nothing(drifted):
    items_before = sorted(TransactionItem.objects.values_list("transaction_id", "product_id", "quantity", "amount"))
    report = data_clean(dry_run=True)
    assert _counts(report) == {
        "product_name_variants": 1,
        "total_mismatch": 1,
        "return_flag_mismatch": 1,
        "duplicate_transactions": 1,
        "transactions_without_items": 1,
        "future_dates": 1,
        "customers_without_purchases": 1,
    }
    assert report.fixes == {}
    assert report.findings["product_name_variants"]["examples"] == [["Apple", " APPLE "]]
    assert report.findings["duplicate_transactions"]["examples"] == [["D1", "D2"]]
    assert sorted(TransactionItem.objects.values_list("transaction_id", "product_id", "quantity", "amount")) == (
        items_before
    )
    assert Product.objects.count() == 3


def test_safe_fixes_merge_products_sum_lines_and_recalculate(drifted):
    """Variants merge into the oldest product (lines meeting in one basket are summed); totals and return flags
    follow the items; duplicates, future dates and customers without purchases are only reported."""
    report = data_clean()
    assert report.fixes == {"products_merged": 1, "totals_recalculated": 1, "return_flags_fixed": 1}
    assert not Product.objects.filter(pk=drifted["stale"].pk).exists()
    b1 = dict(TransactionItem.objects.filter(transaction__external_id="B1").values_list("product__name", "quantity"))
    assert b1 == {"Apple": Decimal("3"), "Milk": Decimal("1")}
    assert TransactionItem.objects.get(transaction__external_id="B2").product == drifted["apple"]
    assert Transaction.objects.get(external_id="B2").total_amount == Decimal("3.00")
    assert Transaction.objects.get(external_id="R2").is_return is True
    assert Transaction.objects.filter(external_id__in=["D1", "D2", "FUTURE", "EMPTY"]).count() == 4

    again = data_clean(dry_run=True)
    assert _counts(again)["product_name_variants"] == 0
    assert _counts(again)["total_mismatch"] == 0
    assert _counts(again)["return_flag_mismatch"] == 0


def test_amount_only_data_is_not_reported_as_missing_items():
    TransactionFactory()
    finding = data_clean(dry_run=True).findings["transactions_without_items"]
    assert (finding["count"], finding["note"]) == (0, "The data has no products (amounts only).")


def test_command_prints_the_report(drifted):
    out = StringIO()
    call_command("clean_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "Product names that normalise to the same product" in text
    assert DataQualityReport.objects.count() == 1
