"""The one pipeline: import → clean → RFM → train → score → recommendations.

This is the only place that knows the order. Every entry point describes what it wants as a `PipelinePlan` and
calls `pipeline_run`: the upload job (`upload_plan`), `manage.py train` and the "Train now" job (`training_plan`),
`manage.py load_demo` (`demo_plan`) and the daily `manage.py refresh` for cron (`refresh_plan`). Each step is one
feature's service; the pipeline only decides whether it runs.
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.contrib.auth.models import User

from analytics.models import ModelArtifact, RecommendationBuild, RfmSnapshot
from analytics.recommendations.selectors import recommendation_build_active_get
from analytics.recommendations.services import recommendations_build
from analytics.rfm.selectors import rfm_snapshot_latest_get
from analytics.rfm.services import rfm_snapshot_compute
from analytics.scoring.scores import loyalty_model_publish, loyalty_scores_refresh
from analytics.scoring.selectors import model_artifact_active_get
from analytics.scoring.training import loyalty_model_train
from customers.imports.options import ImportOptions
from customers.imports.services import transactions_import_csv
from customers.locks import PIPELINE_LOCK, exclusive_lock
from customers.models import DataQualityReport, ImportRun
from customers.progress import Progress, progress_silent
from customers.selectors import transactions_exist
from customers.services.cleaning import data_clean

STEPS = ("import", "clean", "rfm", "train", "score", "recommendations")


class When(StrEnum):
    """Whether a step runs."""

    NEVER = "never"
    ALWAYS = "always"
    IF_MISSING = "if_missing"  # only when its result does not exist yet (a first start)


@dataclass(frozen=True)
class ImportSource:
    """A file to import first; `run` is the ImportRun recorded when the upload was queued."""

    path: Path
    options: ImportOptions
    run: ImportRun | None = None
    only_if_empty: bool = False  # import only into a database without purchases (the demo)


@dataclass(frozen=True)
class PipelinePlan:
    source: ImportSource | None = None
    clean: bool = False
    rfm: When = When.ALWAYS
    train: When = When.NEVER
    cutoff: dt.date | None = None
    label_window_days: int | None = None
    rescore: bool = False  # without a new model: re-score every customer with the model in service
    recommendations: When = When.ALWAYS
    created_by: User | None = None
    on_training_start: Callable[[ModelArtifact], object] | None = None


@dataclass
class PipelineResult:
    import_run: ImportRun | None = None
    report: DataQualityReport | None = None
    snapshot: RfmSnapshot | None = None
    artifact: ModelArtifact | None = None  # the model this run trained and put in service
    scored: int | None = None
    build: RecommendationBuild | None = None
    ran: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def upload_plan(*, path: Path, options: ImportOptions, run: ImportRun | None, user: User | None) -> PipelinePlan:
    """An uploaded file: import it, then bring segments, scores and recommendations up to date."""
    return PipelinePlan(source=ImportSource(path=path, options=options, run=run), rescore=True, created_by=user)


def training_plan(
    *,
    cutoff: dt.date | None = None,
    label_window_days: int | None = None,
    recommendations: bool = True,
    user: User | None = None,
    on_training_start: Callable[[ModelArtifact], object] | None = None,
) -> PipelinePlan:
    """`train` and "Train now": RFM, a new model, its scores, recommendations."""
    return PipelinePlan(
        train=When.ALWAYS,
        cutoff=cutoff,
        label_window_days=label_window_days,
        recommendations=When.ALWAYS if recommendations else When.NEVER,
        created_by=user,
        on_training_start=on_training_start,
    )


def demo_plan(*, path: Path) -> PipelinePlan:
    """The first start: the demo file into an empty database, then whatever is still missing."""
    return PipelinePlan(
        source=ImportSource(path=path, options=ImportOptions(), only_if_empty=True),
        rfm=When.IF_MISSING,
        train=When.IF_MISSING,
        recommendations=When.IF_MISSING,
    )


def refresh_plan() -> PipelinePlan:
    """The daily refresh (cron): segments, scores with the model in service, recommendations."""
    return PipelinePlan(rescore=True)


def _due(when: When, exists: Callable[[], bool]) -> bool:
    return when == When.ALWAYS or (when == When.IF_MISSING and not exists())


def pipeline_run(*, plan: PipelinePlan, progress: Progress = progress_silent) -> PipelineResult:
    """Run the steps `plan` asks for, in the pipeline's order, one run at a time across every process sharing the
    database (a second run waits for the first: their derived tables would otherwise race). A step's
    ApplicationError stops the run (the steps before it stay done; each step is atomic on its own)."""
    with exclusive_lock(key=PIPELINE_LOCK, on_wait=lambda: progress(0, len(STEPS), "waiting for another run")):
        return _run(plan=plan, progress=progress)


def _run(*, plan: PipelinePlan, progress: Progress) -> PipelineResult:
    result = PipelineResult()
    total = len(STEPS)

    def step(index: int, name: str, message: str) -> Progress:
        result.ran.append(name)
        progress(index, total, message)

        def inner(done: int, of: int, detail: str) -> None:
            progress(index, total, f"{message}: {detail}" if detail else message)

        return inner

    def timed(name: str, started: float) -> None:
        result.timings[name] = round(time.perf_counter() - started, 2)

    source = plan.source
    if source is not None and not (source.only_if_empty and transactions_exist()):
        started = time.perf_counter()
        result.import_run = transactions_import_csv(
            path=source.path,
            options=source.options,
            run=source.run,
            created_by=plan.created_by,
            progress=step(0, "import", f"importing {source.path.name}"),
        )
        timed("import", started)
    if plan.clean:
        started = time.perf_counter()
        result.report = data_clean(progress=step(1, "clean", "cleaning"))
        timed("clean", started)
    if _due(plan.rfm, lambda: rfm_snapshot_latest_get() is not None):
        started = time.perf_counter()
        step(2, "rfm", "computing RFM")
        result.snapshot = rfm_snapshot_compute()
        timed("rfm", started)
    if _due(plan.train, lambda: model_artifact_active_get() is not None):
        started = time.perf_counter()
        result.artifact = loyalty_model_train(
            cutoff=plan.cutoff,
            label_window_days=plan.label_window_days,
            created_by=plan.created_by,
            progress=step(3, "train", "training the loyalty model"),
            on_start=plan.on_training_start,
        )
        timed("train", started)
    if result.artifact is not None:
        started = time.perf_counter()
        result.scored = loyalty_model_publish(
            artifact=result.artifact, progress=step(4, "score", "scoring with the new model")
        )
        timed("score", started)
    elif plan.rescore and model_artifact_active_get() is not None:
        started = time.perf_counter()
        step(4, "score", "scoring customers with the active model")
        result.scored = loyalty_scores_refresh()
        timed("score", started)
    if _due(plan.recommendations, lambda: recommendation_build_active_get() is not None):
        started = time.perf_counter()
        result.build = recommendations_build(progress=step(5, "recommendations", "building recommendations"))
        timed("recommendations", started)
    progress(total, total, "done")
    return result
