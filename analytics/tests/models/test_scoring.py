"""Database constraints on the model registry: one active model per kind, whatever writes bypass the services."""

import pytest
from django.db import IntegrityError, transaction

from analytics.models import LoyaltyScore, ModelArtifact

pytestmark = pytest.mark.django_db


def test_database_allows_one_active_model_per_kind(trained_shop):
    """With a model active, activating another or creating an active one is refused by the database."""
    other = ModelArtifact.objects.create(status=ModelArtifact.Status.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelArtifact.objects.filter(pk=other.pk).update(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelArtifact.objects.create(status=ModelArtifact.Status.FAILED, is_active=True)


def test_database_allows_one_running_training_per_kind(trained_shop):
    """A second run in progress of the same kind is refused by the database."""
    ModelArtifact.objects.create(progress="fitting blend")
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelArtifact.objects.create(progress="starting")


def test_a_score_outside_zero_to_one_is_refused(trained_shop):
    """A stored loyalty score must be a probability."""
    score = LoyaltyScore.objects.filter(artifact=trained_shop["artifact"]).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyScore.objects.filter(pk=score.pk).update(loyalty_score=1.5)
