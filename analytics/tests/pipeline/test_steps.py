"""The one pipeline on the trained shop: each plan runs exactly its steps, in the pipeline's order, and a failing
step stops the run. (The tests on an empty database come last: the trained shop is built for the first ones.)"""

from pathlib import Path

import pytest

from analytics.models import LoyaltyScore, ModelArtifact, RecommendationBuild, RfmSnapshot
from analytics.pipeline import steps
from analytics.pipeline.steps import (
    STEPS,
    PipelinePlan,
    When,
    demo_plan,
    pipeline_run,
    refresh_plan,
    training_plan,
    upload_plan,
)
from customers.demo.generator import GeneratorConfig, generate_csv
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions
from customers.models import Customer, DataQualityReport, ImportRun

pytestmark = pytest.mark.django_db


class Recorder:
    """A progress callback that keeps what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, message: str) -> None:
        self.calls.append((done, total, message))

    @property
    def steps(self) -> list[int]:
        """The step indices reported, each once, in the order they started."""
        seen: list[int] = []
        for done, _, _ in self.calls:
            if not seen or seen[-1] != done:
                seen.append(done)
        return seen


def _state() -> dict:
    return {
        "active_model": ModelArtifact.objects.get(is_active=True).pk,
        "models": ModelArtifact.objects.count(),
        "snapshots": RfmSnapshot.objects.count(),
        "build": RecommendationBuild.objects.get(is_active=True).pk,
    }


def test_the_steps_keep_the_pipeline_order():
    """The pipeline knows six steps, in this order."""
    assert STEPS == ("import", "clean", "rfm", "train", "score", "recommendations")


def test_upload_plan_imports_then_updates_segments_scores_and_recommendations(trained_shop, tmp_path):
    """import → rfm → score (the active model re-scores everyone, the new customer too) → recommendations."""
    before = _state()
    path = tmp_path / "more.csv"
    path.write_text("transaction_id,customer_id,date,product_name,amount\nNEW1,9001,2024-12-30,Milk,1.29\n")
    progress = Recorder()
    result = pipeline_run(plan=upload_plan(path=path, options=ImportOptions(), run=None, user=None), progress=progress)
    assert result.ran == ["import", "rfm", "score", "recommendations"]
    assert progress.steps == [0, 2, 4, 5, len(STEPS)]
    assert progress.calls[-1] == (len(STEPS), len(STEPS), "done")
    assert list(result.timings) == result.ran
    assert (result.import_run.status, result.import_run.customers_created) == ("succeeded", 1)
    assert result.snapshot == RfmSnapshot.objects.order_by("-pk").first()
    assert result.artifact is None
    active = ModelArtifact.objects.get(is_active=True)
    assert (active.pk, ModelArtifact.objects.count()) == (before["active_model"], before["models"])
    assert result.scored == LoyaltyScore.objects.filter(artifact=active).count()
    assert LoyaltyScore.objects.filter(artifact=active, customer__external_id="9001").exists()
    assert result.build == RecommendationBuild.objects.get(is_active=True)
    assert result.build.pk != before["build"]


def test_training_plan_trains_publishes_and_rebuilds_recommendations(trained_shop):
    """rfm → train → score (publish: the new model is active, scored, the old scores gone) → recommendations."""
    before = _state()
    progress = Recorder()
    result = pipeline_run(plan=training_plan(), progress=progress)
    assert result.ran == ["rfm", "train", "score", "recommendations"]
    assert progress.steps == [2, 3, 4, 5, len(STEPS)]
    assert result.import_run is None
    assert result.snapshot.pk != RfmSnapshot.objects.filter(pk__lt=result.snapshot.pk).order_by("-pk").first().pk
    new = ModelArtifact.objects.get(is_active=True)
    assert new.pk == result.artifact.pk != before["active_model"]
    assert result.scored == LoyaltyScore.objects.filter(artifact=new).count() > 0
    assert not LoyaltyScore.objects.exclude(artifact=new).exists()
    assert RecommendationBuild.objects.get(is_active=True).pk == result.build.pk != before["build"]


def test_training_plan_without_recommendations_skips_the_last_step(trained_shop):
    """recommendations=False runs rfm → train → score and leaves the recommendation build as it was."""
    before = _state()
    result = pipeline_run(plan=training_plan(recommendations=False))
    assert result.ran == ["rfm", "train", "score"]
    assert result.build is None
    assert ModelArtifact.objects.get(is_active=True).pk == result.artifact.pk != before["active_model"]
    assert RecommendationBuild.objects.get(is_active=True).pk == before["build"]


def test_refresh_plan_rescores_with_the_active_model_without_training(trained_shop):
    """rfm → score (the model in service) → recommendations; no model is trained."""
    before = _state()
    result = pipeline_run(plan=refresh_plan())
    assert result.ran == ["rfm", "score", "recommendations"]
    assert result.artifact is None
    assert ModelArtifact.objects.get(is_active=True).pk == before["active_model"]
    assert ModelArtifact.objects.count() == before["models"]
    assert result.scored == LoyaltyScore.objects.filter(artifact_id=before["active_model"]).count() > 0
    assert RfmSnapshot.objects.count() == before["snapshots"] + 1


def test_demo_plan_on_a_database_that_has_everything_runs_nothing(trained_shop, tmp_path):
    """With data, a snapshot, a model and a build, the demo plan skips every step (and never reads its file)."""
    before = _state()
    progress = Recorder()
    result = pipeline_run(plan=demo_plan(path=tmp_path / "not-there.csv"), progress=progress)
    assert result.ran == []
    assert progress.calls == [(len(STEPS), len(STEPS), "done")]
    assert _state() == before
    assert ImportRun.objects.count() == 1


def test_a_plan_can_ask_for_the_cleaning_step_alone(trained_shop):
    """A plan with clean=True and nothing else runs only the cleaning step and returns its report."""
    plan = PipelinePlan(clean=True, rfm=When.NEVER, recommendations=When.NEVER)
    result = pipeline_run(plan=plan)
    assert result.ran == ["clean"]
    assert result.report == DataQualityReport.objects.get()


def test_a_failing_step_stops_the_run(trained_shop, monkeypatch):
    """When training fails, the run stops there: the RFM snapshot before it stays, nothing after it runs."""
    before = _state()

    def failing_training(**kwargs):
        raise ApplicationError("Not enough data (injected).", code="not_enough_data")

    monkeypatch.setattr(steps, "loyalty_model_train", failing_training)
    progress = Recorder()
    with pytest.raises(ApplicationError, match="injected"):
        pipeline_run(plan=training_plan(), progress=progress)
    assert progress.steps == [2, 3]
    assert [message for _, _, message in progress.calls] == ["computing RFM", "training the loyalty model"]
    assert RfmSnapshot.objects.count() == before["snapshots"] + 1
    assert _state() == {**before, "snapshots": before["snapshots"] + 1}


def test_demo_plan_on_an_empty_database_runs_every_step_once(empty_database, tmp_path):
    """On an empty database the demo plan runs import → rfm → train → score → recommendations; then nothing."""
    # A small generated shop rather than the demo file itself: fitting BG/NBD to the demo's 50 customers takes
    # seconds, and the plan does not depend on the file.
    path = Path(tmp_path) / "shop.csv"
    generate_csv(config=GeneratorConfig(customers=200, rows=3_000, products=40, seed=5), path=path)
    result = pipeline_run(plan=demo_plan(path=path))
    assert result.ran == ["import", "rfm", "train", "score", "recommendations"]
    assert Customer.objects.count() == 200
    assert ModelArtifact.objects.get(is_active=True).pk == result.artifact.pk
    assert result.scored == LoyaltyScore.objects.filter(artifact=result.artifact).count()
    assert RecommendationBuild.objects.get(is_active=True).pk == result.build.pk
    assert pipeline_run(plan=demo_plan(path=path)).ran == []
