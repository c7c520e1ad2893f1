"""Shortcuts for tests: the pipeline's steps as the commands run them, and the trained shop many tests share."""

import datetime as dt

from analytics.models import ModelArtifact
from analytics.pipeline.steps import PipelinePlan, When, pipeline_run
from conftest import SYNTHETIC_SHOP, DataSet, wipe_learnt


def train_and_publish(
    *, cutoff: dt.date | None = None, label_window_days: int | None = None, recommendations: bool = True
) -> ModelArtifact:
    """What `manage.py train` does after RFM: train a model, score every customer with it, activate it and (unless
    told otherwise) rebuild the recommendations."""
    plan = PipelinePlan(
        rfm=When.NEVER,
        train=When.ALWAYS,
        cutoff=cutoff,
        label_window_days=label_window_days,
        recommendations=When.ALWAYS if recommendations else When.NEVER,
    )
    artifact = pipeline_run(plan=plan).artifact
    assert artifact is not None
    return artifact


def _train_the_shop() -> dict[str, int]:
    from analytics.rfm.services import rfm_snapshot_compute
    from customers.models import ImportRun

    snapshot = rfm_snapshot_compute()
    artifact = train_and_publish()
    return {"import_run": ImportRun.objects.get().pk, "snapshot": snapshot.pk, "artifact": artifact.pk}


TRAINED_SHOP = DataSet(
    "the generated shop with RFM, a trained and active model, recommendations",
    _train_the_shop,
    drop=wipe_learnt,
    base=SYNTHETIC_SHOP,
)
