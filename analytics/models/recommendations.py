"""Recommendation builds and the lists they store: per product and per customer."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from analytics.models.base import BuildStatus
from customers.models import Customer


class RecommendationBuild(models.Model):
    """One build of the recommendation tables; the active build is served (one at a time, swapped atomically)."""

    Status = BuildStatus

    status = models.CharField(max_length=16, choices=Status, default=Status.STARTED)
    is_active = models.BooleanField(default=False)
    data_until = models.DateField(null=True, blank=True, help_text="Baskets on or before this date were used.")
    params = models.JSONField(default=dict, blank=True)
    tuning = models.JSONField(default=dict, blank=True, help_text="Validation of the ranking blend (γ).")
    sizes = models.JSONField(default=dict, blank=True)
    popular = models.JSONField(default=list, blank=True, help_text="Best-selling product ids: the cold-start list.")
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_build"),
        ]

    def __str__(self) -> str:
        return f"Recommendations #{self.pk} ({self.get_status_display()})"


class ProductRecommendation(models.Model):
    """ "Frequently bought together": ranked products for a product, with the basket metrics behind them."""

    class Source(models.TextChoices):
        BASKET = "basket", "Bought in the same basket"
        CUSTOMER = "customer", "Bought by the same customers"
        POPULAR = "popular", "Popular"

    build = models.ForeignKey(RecommendationBuild, on_delete=models.CASCADE, related_name="product_rows")
    product = models.ForeignKey("customers.Product", on_delete=models.CASCADE, related_name="+")
    recommended = models.ForeignKey("customers.Product", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    support = models.FloatField(help_text="Share of baskets with both products.")
    confidence = models.FloatField(help_text="Share of the product's baskets that also have the recommended one.")
    lift = models.FloatField(help_text="How much more often they are bought together than by chance.")
    source = models.CharField(max_length=16, choices=Source)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["build", "product", "rank"], name="product_rec_rank_unique"),
            models.CheckConstraint(condition=~Q(product=models.F("recommended")), name="product_rec_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.recommended_id} (#{self.rank})"


class CustomerRecommendation(models.Model):
    class Mode(models.TextChoices):
        BUY_AGAIN = "buy_again", "Buy again"
        DISCOVER = "discover", "Discover"

    # A derived table of millions of rows, rewritten by every build: the foreign keys are enforced by the build
    # (and by the ORM's cascades) rather than by per-row database triggers and extra indexes, which made the bulk
    # write several times slower on PostgreSQL. The unique index below serves every lookup.
    build = models.ForeignKey(
        RecommendationBuild, on_delete=models.CASCADE, related_name="customer_rows", db_constraint=False, db_index=False
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    mode = models.CharField(max_length=16, choices=Mode)
    rank = models.PositiveSmallIntegerField()
    product = models.ForeignKey(
        "customers.Product", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["build", "customer", "mode", "rank"], name="customer_rec_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.mode} #{self.rank}: {self.product_id}"
