"""What we learn from the facts: RFM snapshots, loyalty model artifacts and scores, recommendations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from analytics.rfm import SEGMENTS
from customers.models import Customer, RunStatus

SEGMENT_CHOICES = [(name, name) for name in SEGMENTS]


class BuildStatus(models.TextChoices):
    """The life of a training run or a recommendation build."""

    STARTED = "started", "Started"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


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


class Job(models.Model):
    """A long operation started from the web (an import or a training run), run by the task worker. Its URL is
    what the pages and API clients poll; the work itself is recorded on the ImportRun or ModelArtifact it made."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        TRAIN = "train", "Training"

    Status = RunStatus

    kind = models.CharField(max_length=16, choices=Kind)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    progress = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="Id of the task in the task backend.")
    import_run = models.ForeignKey(
        "customers.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    artifact = models.ForeignKey(ModelArtifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
