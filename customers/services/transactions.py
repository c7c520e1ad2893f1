from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from customers.models import Transaction


@transaction.atomic
def transaction_recalculate_totals(*, txn: Transaction) -> Transaction:
    """Make a transaction's total and return flag agree with its line items (after an edit in the admin).

    A transaction without items keeps its own total: sources without products carry amounts only.
    """
    items = txn.items.all()
    if not items.exists():
        txn.is_return = txn.is_return or txn.total_amount < 0
        txn.save(update_fields=["is_return"])
        return txn
    agg = items.aggregate(
        total=Sum("amount"), negatives=Count("pk", filter=Q(quantity__lt=0) | Q(amount__lt=0))
    )
    txn.total_amount = agg["total"] or Decimal("0.00")
    txn.is_return = bool(agg["negatives"]) or txn.total_amount < 0
    txn.save(update_fields=["total_amount", "is_return"])
    return txn
