"""The documented portable backup (dumpdata) restores the demo exactly: facts, snapshots, models, scores."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from analytics.models import CustomerRecommendation, CustomerRfm, LoyaltyScore, ModelArtifact
from analytics.scoring.selectors import loyalty_prediction_get
from conftest import wipe_data
from customers.models import Customer, Product, Transaction, TransactionItem

# The whole demo pipeline, a dump and a restore: seconds, so outside the fast suite.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BACKUP_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "django_tasks_database"]
MODELS = (
    Customer,
    Product,
    Transaction,
    TransactionItem,
    CustomerRfm,
    ModelArtifact,
    LoyaltyScore,
    CustomerRecommendation,
)


def _state() -> dict:
    artifact = ModelArtifact.objects.get(is_active=True)
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "artifact_sha": hashlib.sha256(bytes(artifact.model_bytes)).hexdigest(),
        "prediction": loyalty_prediction_get(customer_id="1001").loyalty_score,
    }


def test_dumpdata_and_loaddata_round_trip(tmp_path):
    """The documented dumpdata backup of the demo restores the same counts, model bytes and predictions."""
    call_command("load_demo", "--file", str(tmp_path / "demo.csv"), verbosity=0, stdout=StringIO())
    before = _state()
    backup = tmp_path / "backup.json.gz"
    call_command("dumpdata", "--natural-foreign", *[f"--exclude={e}" for e in BACKUP_EXCLUDES], "-o", str(backup))
    wipe_data()
    assert Customer.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
    assert _state() == before
