"""data_clean: finds drift in stored data, applies only the safe fixes, atomically, and keeps a report."""

from decimal import Decimal

import pytest

from customers.models import DataQualityReport, Product, Transaction, TransactionItem
from customers.services.cleaning import data_clean
from customers.tests.factories import TransactionFactory

pytestmark = pytest.mark.django_db


def _counts(report: DataQualityReport) -> dict[str, int]:
    return {key: finding["count"] for key, finding in report.findings.items()}


def test_dry_run_reports_every_problem_and_changes_nothing(drifted):
    """A dry run counts every kind of drift with examples and leaves every row as it was."""
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
    """Only the safe fixes are applied, and a second dry run finds nothing left of them.

    Variants merge into the oldest product (lines meeting in one basket are summed); totals and return flags
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
    """Transactions without items are not a finding when the data has no products at all."""
    TransactionFactory()
    finding = data_clean(dry_run=True).findings["transactions_without_items"]
    assert (finding["count"], finding["note"]) == (0, "The data has no products (amounts only).")
