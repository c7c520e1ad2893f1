"""What the models of several features share."""

from django.db import models


class BuildStatus(models.TextChoices):
    """The life of a training run or a recommendation build."""

    STARTED = "started", "Started"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
