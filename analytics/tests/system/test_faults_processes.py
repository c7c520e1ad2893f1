"""Faults across processes and threads, on the real test database: a killed import, two task workers, training
while requests are served."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from analytics.models import Job, LoyaltyScore, ModelArtifact
from analytics.pipeline.tasks import run_job
from analytics.rfm.services import rfm_snapshot_compute
from analytics.tests.helpers import train_and_publish
from customers.demo.generator import GeneratorConfig, generate_csv
from customers.imports.options import ImportOptions
from customers.imports.services import import_run_create, transactions_import_csv
from customers.models import Customer, ImportRun, Product, Transaction

# Real subprocesses and threads on a committed database: seconds each, so outside the fast suite.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def _subprocess_env() -> dict[str, str]:
    """The real settings (not the test ones), pointed at this test run's database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loyalty_site.settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "fault-tests-only-secret-key-0123456789",
        "SECURE_SSL_REDIRECT": "false",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }


def _wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_a_killed_import_leaves_nothing_and_a_rerun_completes_it(tmp_path):
    """An import killed with SIGKILL mid-write leaves no facts, and running it again completes it.

    SIGKILL in the middle of the write: the database is exactly as before (the run is left 'running'); running
    the import again finishes it."""
    path = tmp_path / "big.csv"
    result = generate_csv(config=GeneratorConfig(customers=30_000, rows=300_000, products=300, seed=11), path=path)
    process = subprocess.Popen(
        [*MANAGE, "import_transactions", str(path), "--quiet"], env=_subprocess_env(), stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(lambda: ImportRun.objects.filter(phase="writing").exists())
        time.sleep(0.3)  # well inside the write, which takes seconds for this file
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert (Transaction.objects.count(), Customer.objects.count(), Product.objects.count()) == (0, 0, 0)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.RUNNING  # what a killed process leaves behind
    connections.close_all()  # a fresh connection sees the database after the crash recovery
    rerun = transactions_import_csv(path=path, options=ImportOptions(), run=ImportRun.objects.get())
    assert rerun.status == ImportRun.Status.SUCCEEDED
    assert Transaction.objects.count() == result.transactions


def test_two_task_workers_run_each_job_exactly_once(tmp_path):
    """Two task worker processes racing for six queued jobs run each exactly once.

    Six queued imports, two `db_worker` processes racing for them: every task is claimed by one worker only.
    """
    backend = DatabaseBackend(alias="default", params={"QUEUES": ["default"]})
    jobs = []
    for n in range(6):
        path = tmp_path / f"part{n}.csv"
        path.write_text(f"transaction_id,customer_id,date,amount\nW{n},c{n},2024-05-0{n + 1},9.99\n")
        run = import_run_create(source_name=path.name, options=ImportOptions())
        jobs.append(Job.objects.create(kind=Job.Kind.IMPORT, import_run=run, params={"path": str(path)}))
    for job in jobs:
        backend.enqueue(run_job, [job.pk], {})
    workers = [
        subprocess.Popen(
            [*MANAGE, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", f"worker-{i}"],
            env=_subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=180) == 0
    results = list(DBTaskResult.objects.all())
    assert len(results) == 6
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)
    assert [(j.status, j.attempts) for j in Job.objects.order_by("pk")] == [("succeeded", 1)] * 6
    assert Transaction.objects.count() == 6


def test_training_while_serving_loses_no_request_and_keeps_one_active_model(tmp_path, django_user_model):
    """Training while predictions are served fails no request, and exactly one model is active throughout.

    A full `train` runs in another thread while predictions are requested in a loop: every request succeeds
    and at every moment exactly one model is active."""
    path = tmp_path / "shop.csv"
    generate_csv(config=GeneratorConfig(customers=600, rows=9_000, products=80, seed=5), path=path)
    transactions_import_csv(path=path, options=ImportOptions())
    rfm_snapshot_compute()
    first = train_and_publish(recommendations=False)
    ids = list(LoyaltyScore.objects.filter(artifact=first).values_list("customer__external_id", flat=True)[:50])
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=django_user_model.objects.create_user('svc')).key}"
    )

    errors: list[BaseException] = []

    def train() -> None:
        try:
            train_and_publish(recommendations=False)
        except BaseException as exc:  # surfaced by the assertions below
            errors.append(exc)
        finally:
            connection.close()

    trainer = threading.Thread(target=train)
    trainer.start()
    statuses, active_counts = [], []
    while trainer.is_alive():
        response = client.post("/predict-loyalty", {"customer_id": ids[len(statuses) % len(ids)]}, format="json")
        statuses.append(response.status_code)
        active_counts.append(ModelArtifact.objects.filter(is_active=True).count())
    trainer.join()
    assert errors == []
    assert len(statuses) > 20
    assert set(statuses) == {200}
    assert set(active_counts) == {1}
    assert ModelArtifact.objects.get(is_active=True).pk != first.pk
