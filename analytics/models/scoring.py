"""The loyalty model registry (artifacts) and the scores each artifact gave every customer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from analytics.models.base import BuildStatus
from customers.models import Customer


class ModelArtifact(models.Model):
    """A trained model: its bytes (with a sha256 checked on load), how it was trained and how well it did.

    One artifact per kind is active (a partial unique index); one training run per kind is in progress at a time
    (another partial unique index on status "started"), so a second `train` is refused by the database itself.
    """

    class Kind(models.TextChoices):
        LOYALTY = "loyalty", "Loyalty (buys again within the label window)"

    Status = BuildStatus

    kind = models.CharField(max_length=32, choices=Kind, default=Kind.LOYALTY)
    status = models.CharField(max_length=16, choices=Status, default=Status.STARTED, db_index=True)
    is_active = models.BooleanField(default=False)
    algorithm = models.CharField(max_length=64, blank=True, help_text="The selected candidate.")
    description = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    feature_names = models.JSONField(default=list, blank=True)
    metrics = models.JSONField(default=dict, blank=True, help_text="Every candidate and baseline, curves, figures.")
    data_window = models.JSONField(default=dict, blank=True, help_text="Cutoffs, label window, dates, customers.")
    threshold = models.FloatField(null=True, blank=True, help_text="Scores at or above this are 'loyal'.")
    model_bytes = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    library_versions = models.JSONField(default=dict, blank=True)
    progress = models.CharField(max_length=200, blank=True, help_text="What a running training is doing.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    heartbeat_at = models.DateTimeField(default=timezone.now, help_text="Last sign of life of a running training.")
    finished_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(is_active=True), name="one_active_model_per_kind"),
            models.UniqueConstraint(fields=["kind"], condition=Q(status="started"), name="one_training_per_kind"),
            models.CheckConstraint(condition=Q(is_active=False) | Q(status="done"), name="only_done_models_active"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.algorithm or self.kind} ({self.get_status_display()})"

    @property
    def validation_roc_auc(self) -> float | None:
        return self.metrics.get("validation", {}).get(self.algorithm, {}).get("roc_auc")

    @property
    def duration_seconds(self) -> float | None:
        return (self.finished_at - self.created_at).total_seconds() if self.finished_at else None


class LoyaltyScore(models.Model):
    """A customer's score from one artifact: a prediction is one indexed read of this table."""

    artifact = models.ForeignKey(ModelArtifact, on_delete=models.CASCADE, related_name="scores")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="loyalty_scores")
    loyalty_score = models.FloatField()
    loyal = models.BooleanField()
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["artifact", "customer"], name="score_one_per_customer_per_model"),
            models.CheckConstraint(
                condition=Q(loyalty_score__gte=0, loyalty_score__lte=1), name="score_is_probability"
            ),
        ]
        indexes = [models.Index(fields=["artifact", "-loyalty_score"], name="score_artifact_rank")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.loyalty_score:.3f}"
