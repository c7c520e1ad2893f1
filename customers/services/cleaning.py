"""`clean_data`: the importer's cleaning rules applied to data already in the database.

Data typed into the admin or loaded over time drifts. Each check counts what it finds and keeps a few examples;
the safe fixes (merging products whose names normalise alike, making totals and return flags agree with the line
items) are applied in one transaction, or not at all with `dry_run`. Everything else is only reported: deleting a
transaction or a customer is a decision for a person.
"""

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone

from customers.models import Customer, DataQualityReport, Product, Transaction, TransactionItem
from customers.names import clean_display_name, normalize_product_name
from customers.progress import Progress, progress_silent

if TYPE_CHECKING:  # WithAnnotations is for the type checker only
    from django_stubs_ext import WithAnnotations

EXAMPLES = 5
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    fixable: bool


CHECKS = {
    c.key: c
    for c in [
        Check("product_name_variants", "Product names that normalise to the same product", True),
        Check("total_mismatch", "Transactions whose total disagrees with their line items", True),
        Check(
            "return_flag_mismatch", "Return flags that disagree with the amounts (e.g. negative, not a return)", True
        ),
        Check("duplicate_transactions", "Duplicate transactions (same customer, date, items and amount)", False),
        Check("transactions_without_items", "Transactions without line items", False),
        Check("future_dates", "Transactions dated in the future", False),
        Check("customers_without_purchases", "Customers without purchases", False),
    ]
}


Examples = list[str] | list[list[str]]  # a few external ids or names, or groups of them


class Finding(TypedDict):
    """One check's result as stored in DataQualityReport.findings."""

    title: str
    count: int
    examples: Examples
    fixable: bool
    note: str


def _finding(key: str, count: int, examples: Examples, note: str = "") -> Finding:
    check = CHECKS[key]
    return {
        "title": check.title,
        "count": count,
        "examples": examples[:EXAMPLES],
        "fixable": check.fixable,
        "note": note,
    }


def _product_variants() -> tuple[Finding, dict[int, list[int]], list[tuple[int, str]]]:
    """Groups of products whose *current* names normalise alike (stale identities after edits or rule changes)."""
    groups: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, name, stored in Product.objects.order_by("pk").values_list("pk", "name", "normalized_name"):
        groups[normalize_product_name(name)].append((pk, name, stored))
    merges = {members[0][0]: [pk for pk, _, _ in members[1:]] for members in groups.values() if len(members) > 1}
    renames = [(members[0][0], key) for key, members in groups.items() if members[0][2] != key]
    examples = [[name for _, name, _ in members] for members in groups.values() if len(members) > 1]
    finding = _finding("product_name_variants", sum(len(v) for v in merges.values()), examples)
    return finding, merges, renames


class _ItemStats(TypedDict):
    lines: int
    return_lines: int
    items_total: Decimal


def _with_item_stats(qs: QuerySet[Transaction]) -> "QuerySet[WithAnnotations[Transaction, _ItemStats]]":
    return qs.annotate(
        lines=Count("items"),
        return_lines=Count("items", filter=Q(items__quantity__lt=0) | Q(items__amount__lt=0)),
        items_total=Coalesce(Sum("items__amount"), Value(Decimal("0.00")), output_field=MONEY),
    )


def _total_mismatches() -> "tuple[Finding, QuerySet[WithAnnotations[Transaction, _ItemStats]]]":
    # A tolerance below a cent: SQLite sums decimals as floating point.
    qs = (
        _with_item_stats(Transaction.objects.order_by())
        .filter(lines__gt=0)
        .annotate(gap=Abs(F("total_amount") - F("items_total")))
        .filter(gap__gt=Decimal("0.005"))
    )
    examples = [
        f"{ext}: total {total}, items {items}"
        for ext, total, items in qs.values_list("external_id", "total_amount", "items_total")[:EXAMPLES]
    ]
    return _finding("total_mismatch", qs.count(), examples), qs


def _return_flag_mismatches() -> "tuple[Finding, QuerySet[WithAnnotations[Transaction, _ItemStats]]]":
    # The importer's rule (customers.rules.is_return_transaction), in SQL.
    should_be_return = Q(total_amount__lt=0) | (Q(lines__gt=0) & Q(return_lines=F("lines")))
    base = _with_item_stats(Transaction.objects.order_by())
    wrong = base.filter(Q(is_return=False) & should_be_return) | base.filter(Q(is_return=True) & ~should_be_return)
    examples = list(wrong.values_list("external_id", flat=True)[:EXAMPLES])
    return _finding("return_flag_mismatch", wrong.count(), examples), wrong


def _duplicate_transactions() -> Finding:
    candidates = (
        Transaction.objects.order_by()
        .values("customer_id", "date", "total_amount")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    count, examples = 0, list[list[str]]()
    for group in candidates.iterator():
        txns = Transaction.objects.filter(
            customer_id=group["customer_id"], date=group["date"], total_amount=group["total_amount"]
        ).order_by("pk")
        by_items: dict[frozenset[tuple[int, Decimal, Decimal]], list[str]] = defaultdict(list)
        items = TransactionItem.objects.filter(transaction__in=txns).values_list(
            "transaction__external_id", "product_id", "quantity", "amount"
        )
        signature: dict[str, set[tuple[int, Decimal, Decimal]]] = {t.external_id: set() for t in txns}
        for ext, product, quantity, amount in items:
            signature[ext].add((product, quantity, amount))
        for ext, sig in signature.items():
            by_items[frozenset(sig)].append(ext)
        for same in by_items.values():
            if len(same) > 1:
                count += len(same) - 1
                examples.append(same)
    return _finding("duplicate_transactions", count, examples)


def _without_items() -> Finding:
    if not TransactionItem.objects.exists():
        return _finding("transactions_without_items", 0, [], note="The data has no products (amounts only).")
    qs = Transaction.objects.filter(items__isnull=True)
    return _finding("transactions_without_items", qs.count(), list(qs.values_list("external_id", flat=True)[:5]))


def _future_dates() -> Finding:
    qs = Transaction.objects.filter(date__gt=timezone.localdate())
    examples = [f"{e}: {d:%Y-%m-%d}" for e, d in qs.values_list("external_id", "date")[:EXAMPLES]]
    return _finding("future_dates", qs.count(), examples)


def _customers_without_purchases() -> Finding:
    qs = Customer.objects.filter(transactions__isnull=True)
    return _finding("customers_without_purchases", qs.count(), list(qs.values_list("external_id", flat=True)[:5]))


def _merge_products(merges: dict[int, list[int]], renames: list[tuple[int, str]]) -> int:
    """Re-point the line items of duplicate products to the oldest one (summing lines that meet in one basket)."""
    merged = 0
    for keep, duplicates in merges.items():
        for dup in duplicates:
            for item in TransactionItem.objects.filter(product_id=dup).select_related("transaction"):
                twin = TransactionItem.objects.filter(transaction_id=item.transaction_id, product_id=keep).first()
                if twin:
                    twin.quantity += item.quantity
                    twin.amount += item.amount
                    twin.save(update_fields=["quantity", "amount"])
                    item.delete()
                else:
                    item.product_id = keep
                    item.save(update_fields=["product"])
            Product.objects.filter(pk=dup).delete()
            merged += 1
    for pk, key in renames:
        product = Product.objects.get(pk=pk)
        product.name, product.normalized_name = clean_display_name(product.name), key
        product.save(update_fields=["name", "normalized_name", "updated_at"])
    return merged


def data_clean(*, dry_run: bool = False, progress: Progress = progress_silent) -> DataQualityReport:
    """Run every check, apply the safe fixes unless `dry_run`, and store the report."""
    started = time.perf_counter()
    steps = ("products", "totals", "returns", "duplicates", "coverage")

    def say(message: str) -> None:
        progress(steps.index(message), len(steps), message)

    findings: dict[str, Finding] = {}
    fixes: dict[str, int] = {}
    with transaction.atomic():
        say("products")
        findings["product_name_variants"], merges, renames = _product_variants()
        if not dry_run and (merges or renames):
            fixes["products_merged"] = _merge_products(merges, renames)
        say("totals")
        findings["total_mismatch"], wrong_totals = _total_mismatches()
        if not dry_run and findings["total_mismatch"]["count"]:
            ids = list(wrong_totals.values_list("pk", flat=True))
            fixed = 0
            for txn in Transaction.objects.filter(pk__in=ids).annotate(s=Sum("items__amount")):
                txn.total_amount = Decimal(txn.s).quantize(Decimal("0.01"))
                txn.save(update_fields=["total_amount"])
                fixed += 1
            fixes["totals_recalculated"] = fixed
        say("returns")
        findings["return_flag_mismatch"], wrong_flags = _return_flag_mismatches()
        if not dry_run and findings["return_flag_mismatch"]["count"]:
            ids = list(wrong_flags.values_list("pk", flat=True))
            fixes["return_flags_fixed"] = Transaction.objects.filter(pk__in=ids).update(is_return=~F("is_return"))
        say("duplicates")
        findings["duplicate_transactions"] = _duplicate_transactions()
        say("coverage")
        findings["transactions_without_items"] = _without_items()
        findings["future_dates"] = _future_dates()
        findings["customers_without_purchases"] = _customers_without_purchases()
        return DataQualityReport.objects.create(
            dry_run=dry_run, findings=findings, fixes=fixes, duration_seconds=time.perf_counter() - started
        )
