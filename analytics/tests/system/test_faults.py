"""Faults on a trained shop: the database goes away, the model is tampered with, a worker dies mid-job."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.db.backends import utils as db_utils

from analytics.models import Job, LoyaltyScore, ModelArtifact
from analytics.pipeline import jobs
from analytics.scoring import selectors as scoring_selectors
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions
from customers.models import ImportRun, Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(trained_shop):
    return trained_shop


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as if the server were unreachable."""

    def unreachable(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def switch():
        monkeypatch.setattr(db_utils.CursorWrapper, "_execute_with_wrappers", unreachable)

    return switch


def _customer_id() -> str:
    return LoyaltyScore.objects.filter(artifact__is_active=True).order_by("pk").first().customer.external_id


def test_database_unreachable(client, api, user, database_down):
    """API: JSON 503 (never an HTML 500); pages: a friendly page; /readyz fails; /health stays a liveness check."""
    customer_id = _customer_id()
    client.force_login(user)
    database_down()
    predict = api.post("/predict-loyalty", {"customer_id": customer_id}, format="json")
    assert predict.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert predict.json() == {"error": "The database is unavailable right now; try again shortly."}
    listing = api.get("/api/v1/customers/")
    assert (listing.status_code, listing.json()["code"]) == (503, "database_unavailable")
    page = client.get("/customers/")
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Temporarily unavailable" in page.content.decode()
    assert page["Retry-After"] == "30"
    ready = client.get("/readyz")
    assert (ready.status_code, ready.json()["checks"]["database"]) == (503, False)
    assert client.get("/health").json() == {"status": "healthy"}


def test_tampered_active_model_is_refused_with_the_command_to_run(api, client, trained_shop, monkeypatch):
    """A tampered active model answers 503 and names the command to retrain; readiness and scoring refuse it."""
    monkeypatch.setattr(scoring_selectors, "_VERIFIED", set())  # a fresh worker process
    artifact = ModelArtifact.objects.get(pk=trained_shop["artifact"].pk)
    blob = bytearray(artifact.model_bytes)
    blob[100] ^= 0x01
    ModelArtifact.objects.filter(pk=artifact.pk).update(model_bytes=bytes(blob))
    response = api.post("/predict-loyalty", {"customer_id": _customer_id()}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "failed its integrity check" in response.json()["error"]
    assert "python manage.py train" in response.json()["error"]
    assert client.get("/readyz").json()["checks"]["model"] is False
    with pytest.raises(CommandError, match="integrity check"):
        call_command("score_customers", stdout=StringIO())


def test_no_active_model_is_a_503_everywhere_it_matters(api, client):
    """Without an active model predictions and readiness answer 503 and score_customers says to train."""
    customer_id = _customer_id()
    ModelArtifact.objects.update(is_active=False)
    assert api.post("/predict-loyalty", {"customer_id": customer_id}, format="json").status_code == 503
    assert client.get("/readyz").status_code == 503
    with pytest.raises(CommandError, match=r"manage\.py train"):
        call_command("score_customers", stdout=StringIO())


def test_a_killed_import_job_is_retried_safely(tmp_path):
    """Retrying an import job a dead worker left running imports its file once; a finished job is not retried.

    The worker died while the job ran: the job is left 'running' and its import 'running'. A retry imports the
    file once; retrying a finished job is refused."""
    path = tmp_path / "late.csv"
    path.write_text("transaction_id,customer_id,date,product_name,amount\nLATE1,7001,2024-12-30,Milk,1.29\n")
    run = ImportRun.objects.create(
        source_name="late.csv", options=ImportOptions().to_dict(), status=ImportRun.Status.RUNNING, phase="writing"
    )
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, status=Job.Status.RUNNING, attempts=1, import_run=run, params={"path": str(path)}
    )
    jobs.job_retry(job_id=job.pk)
    job.refresh_from_db()
    run.refresh_from_db()
    assert (job.status, job.attempts, run.status) == ("succeeded", 2, "succeeded")
    assert Transaction.objects.filter(external_id="LATE1").count() == 1
    with pytest.raises(ApplicationError, match="already succeeded"):
        jobs.job_retry(job_id=job.pk)


def test_a_killed_training_job_is_retried_safely():
    """Retrying a training job a dead worker left behind takes over its slot and puts a new model in service.

    A worker died mid-training: its artifact is still 'started' with a fresh heartbeat, which would block any
    new run; the retry of the same job takes the slot over and finishes."""
    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.RUNNING, attempts=1, params={})
    stuck = ModelArtifact.objects.create(progress="fitting blend")
    Job.objects.filter(pk=job.pk).update(artifact=stuck)
    jobs.job_retry(job_id=job.pk)
    job.refresh_from_db()
    stuck.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert stuck.status == ModelArtifact.Status.FAILED
    assert "Abandoned" in stuck.error
    assert ModelArtifact.objects.get(is_active=True).pk == job.artifact_id


def test_a_second_train_command_while_one_runs_is_refused():
    """`manage.py train` while a run is in progress stops with a command error."""
    ModelArtifact.objects.create(progress="scoring every customer")
    with pytest.raises(CommandError, match=r"Another training run .* is still in progress"):
        call_command("train", stdout=StringIO())
