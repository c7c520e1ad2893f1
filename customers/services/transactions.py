from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from customers.models import Transaction
from customers.rules import is_return_transaction


@transaction.atomic
def transaction_recalculate_totals(*, txn: Transaction) -> Transaction:
    """Make a transaction's total and return flag agree with its line items (after an edit in the admin).

    A transaction without items keeps its own total: sources without products carry amounts only.
    """
    agg = txn.items.aggregate(
        lines=Count("pk"),
        returns=Count("pk", filter=Q(quantity__lt=0) | Q(amount__lt=0)),
        total=Sum("amount"),
        units=Sum("quantity"),
    )
    if agg["lines"]:
        txn.total_amount = agg["total"] or Decimal("0.00")
        txn.units = agg["units"]
    txn.is_return = is_return_transaction(total=txn.total_amount, lines=agg["lines"], return_lines=agg["returns"])
    txn.save(update_fields=["total_amount", "units", "is_return"])
    return txn
