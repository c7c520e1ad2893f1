"""The facts: customers, products, transactions (baskets) and their line items, and import runs.

Rules that must always hold are database constraints, so they hold for writes that bypass the services
(the admin, a shell, a bulk insert):
- identities are unique: customer and transaction external ids, product normalised names;
- one line item per product per transaction — the importer sums repeated lines of a product;
- a line's quantity and amount never have opposite signs (a returned item refunds money);
- a transaction with a negative total is flagged as a return.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Customer(TimeStampedModel):
    # The retailer's own id, kept as text: "00042" and "42" are different customers.
    external_id = models.CharField("customer id", max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When personal data was erased on request."
    )

    class Meta:
        ordering = ["external_id"]
        constraints = [
            models.CheckConstraint(condition=~Q(external_id=""), name="customer_external_id_not_blank"),
        ]

    def __str__(self) -> str:
        return (self.name and f"{self.external_id} ({self.name})") or self.external_id


class Product(TimeStampedModel):
    # Display name: the first spelling seen. Identity: the normalised name (trimmed, inner whitespace
    # collapsed, case-folded), see customers.names.normalize_product_name.
    name = models.CharField(max_length=255)
    normalized_name = models.CharField(max_length=255, unique=True, editable=False)
    category = models.CharField(max_length=120, blank=True)
    sku = models.CharField("SKU", max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(normalized_name=""), name="product_normalized_name_not_blank"),
            models.UniqueConstraint(fields=["sku"], condition=~Q(sku=""), name="product_sku_unique_when_set"),
        ]

    def __str__(self) -> str:
        return self.name


class TransactionQuerySet(models.QuerySet):
    def purchases(self) -> "TransactionQuerySet":
        """Transactions that are purchases, not returns."""
        return self.filter(is_return=False)

    def up_to(self, day) -> "TransactionQuerySet":
        """Transactions on or before `day` (inclusive)."""
        return self.filter(date__lte=day)

    def in_window(self, start, end) -> "TransactionQuerySet":
        """Transactions in the half-open window (start, end]."""
        return self.filter(date__gt=start, date__lte=end)


class Transaction(models.Model):
    """A basket or invoice: one customer, one date, its line items (none when the source has no products)."""

    external_id = models.CharField("transaction id", max_length=100, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="transactions")
    date = models.DateField("purchase date")
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    units = models.DecimalField(
        max_digits=14, decimal_places=3, default=Decimal("1"), help_text="Items bought: the sum of the quantities."
    )
    is_return = models.BooleanField(
        "return", default=False, help_text="A return or refund: negative quantities or amounts."
    )
    import_run = models.ForeignKey(
        "ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="transactions"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["customer", "date"], name="transaction_customer_date"),
            models.Index(fields=["date"], name="transaction_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_return=True) | Q(total_amount__gte=0),
                name="transaction_negative_total_is_return",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} · {self.date:%Y-%m-%d}"


class TransactionItem(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="items")
    quantity = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("1"))
    amount = models.DecimalField("line amount", max_digits=14, decimal_places=2)

    class Meta:
        # One line per product per transaction: the importer sums repeated lines of a product.
        # The unique index leads with transaction, so it also serves "items of a transaction".
        constraints = [
            models.UniqueConstraint(fields=["transaction", "product"], name="item_one_line_per_product"),
            models.CheckConstraint(
                condition=~(Q(quantity__lt=0) & Q(amount__gt=0)) & ~(Q(quantity__gt=0) & Q(amount__lt=0)),
                name="item_quantity_amount_same_sign",
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="item_quantity_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity:g} × {self.product}"


class RunStatus(models.TextChoices):
    """The life of a queued piece of work (an import here; a background job in analytics)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One import of a purchase file: what was read, what was kept, what was rejected and why."""

    Status = RunStatus

    MAX_REJECTED_KEPT = 100

    source_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=32, blank=True, help_text="What the running import is doing now.")
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_duplicate = models.PositiveIntegerField(default=0, help_text="Exact duplicates of an earlier row.")
    rows_existing = models.PositiveIntegerField(
        default=0, help_text="Rows of transactions that were already in the database (re-import, overlap)."
    )
    rows_rejected = models.PositiveIntegerField(default=0)
    transactions_created = models.PositiveIntegerField(default=0)
    customers_created = models.PositiveIntegerField(default=0)
    products_created = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(default=list, blank=True, help_text="The first rejected rows with reasons.")
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    rows_read__gte=models.F("rows_imported")
                    + models.F("rows_duplicate")
                    + models.F("rows_existing")
                    + models.F("rows_rejected")
                ),
                name="import_run_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class DataQualityReport(models.Model):
    """The result of `clean_data`: what it found in the database and which safe fixes it applied."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dry_run = models.BooleanField(default=False)
    findings = models.JSONField(default=dict, help_text="Per check: count and a few examples.")
    fixes = models.JSONField(default=dict, help_text="Per fix: how many rows it changed.")
    duration_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Data quality report {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def issue_count(self) -> int:
        return sum(finding.get("count", 0) for finding in self.findings.values())
