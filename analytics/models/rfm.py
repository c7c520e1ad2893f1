"""RFM snapshots: every customer's recency, frequency, monetary value, scores and segment as of a date."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from analytics.rfm.maths import SEGMENTS
from customers.models import Customer

SEGMENT_CHOICES = [(name, name) for name in SEGMENTS]


class RfmSnapshot(models.Model):
    """RFM of every customer as of one date. Pages and the API read the latest; the last few are kept so
    segment movement can be shown (settings.RFM_SNAPSHOTS_KEPT)."""

    as_of = models.DateField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    customers = models.PositiveIntegerField(default=0)
    weights = models.JSONField(default=dict)
    timings = models.JSONField(default=dict, help_text="Seconds spent aggregating, computing and writing.")
    segment_counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"RFM as of {self.as_of:%Y-%m-%d} ({self.customers:,} customers)"


class CustomerRfm(models.Model):
    snapshot = models.ForeignKey(RfmSnapshot, on_delete=models.CASCADE, related_name="rows")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="rfm_rows")
    first_purchase = models.DateField()
    last_purchase = models.DateField()
    recency_days = models.PositiveIntegerField()
    frequency = models.PositiveIntegerField()
    monetary = models.DecimalField(max_digits=14, decimal_places=2)
    tenure_days = models.PositiveIntegerField()
    mean_gap_days = models.FloatField(null=True, blank=True, help_text="Empty for a single purchase.")
    r_norm = models.FloatField()
    f_norm = models.FloatField()
    m_norm = models.FloatField()
    rfm_score = models.FloatField()
    r_score = models.PositiveSmallIntegerField()
    f_score = models.PositiveSmallIntegerField()
    m_score = models.PositiveSmallIntegerField()
    fm_score = models.PositiveSmallIntegerField()
    segment = models.CharField(max_length=32, choices=SEGMENT_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "customer"], name="rfm_one_row_per_customer"),
            models.CheckConstraint(
                condition=Q(r_score__range=(1, 5))
                & Q(f_score__range=(1, 5))
                & Q(m_score__range=(1, 5))
                & Q(fm_score__range=(1, 5)),
                name="rfm_scores_1_to_5",
            ),
            models.CheckConstraint(condition=Q(frequency__gte=1), name="rfm_frequency_positive"),
        ]
        indexes = [
            models.Index(fields=["snapshot", "segment"], name="rfm_snapshot_segment"),
            models.Index(fields=["snapshot", "-rfm_score"], name="rfm_snapshot_score"),
            models.Index(fields=["snapshot", "recency_days"], name="rfm_snapshot_recency"),
            models.Index(fields=["snapshot", "-monetary"], name="rfm_snapshot_monetary"),
            models.Index(fields=["snapshot", "-frequency"], name="rfm_snapshot_frequency"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} · {self.segment}"

    @property
    def rfm_code(self) -> str:
        return f"{self.r_score}{self.f_score}{self.m_score}"
