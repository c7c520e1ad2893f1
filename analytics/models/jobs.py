"""Background jobs started from the web or the API (an import, a training run)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from analytics.models.scoring import ModelArtifact
from customers.models import RunStatus


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
