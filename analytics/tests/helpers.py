"""Shortcuts for tests: the pipeline's steps as the commands run them."""

import datetime as dt

from analytics.models import ModelArtifact
from analytics.pipeline.steps import PipelinePlan, When, pipeline_run


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
