from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from analytics import ml
from analytics.forms import TrainForm
from analytics.models import Job, ModelArtifact
from analytics.services.jobs import job_train_enqueue
from analytics.views.mixins import StaffRequiredMixin
from customers.exceptions import ApplicationError

METRIC_COLUMNS = ("roc_auc", "pr_auc", "brier", "accuracy", "precision", "recall", "f1")


class ModelListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/model_list.html"

    def get_context_data(self, **kwargs):
        artifacts = list(ModelArtifact.objects.defer("model_bytes").select_related("created_by")[:50])
        running = Job.objects.filter(kind=Job.Kind.TRAIN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
        return super().get_context_data(artifacts=artifacts, running=running, train_form=TrainForm(), **kwargs)


class ModelDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/model_detail.html"

    def get_context_data(self, **kwargs):
        artifact = get_object_or_404(ModelArtifact.objects.defer("model_bytes"), pk=self.kwargs["pk"])
        validation = artifact.metrics.get("validation", {})
        rows = [
            {
                "name": name,
                "kind": values.get("kind"),
                "description": values.get("description", ""),
                "selected": name == artifact.algorithm,
                "cells": [values.get(c) for c in METRIC_COLUMNS],
            }
            for name, values in validation.items()
        ]
        curves = artifact.metrics.get("curves", {})
        charts = {}
        if curves.get("roc", {}).get("fpr"):
            charts["roc"] = {
                "curves": [{"label": f"{artifact.algorithm} (selected)", **curves["roc"]}]
                + [
                    {"label": f"{name} (baseline)", **curves[f"roc_{name}"]}
                    for name in ml.BASELINES
                    if curves.get(f"roc_{name}", {}).get("fpr")
                ]
            }
        if curves.get("calibration", {}).get("predicted"):
            charts["calibration"] = curves["calibration"]
        importance = artifact.metrics.get("feature_importance", [])
        if importance:
            charts["importance"] = {
                "features": [i["feature"] for i in importance[:15]],
                "values": [i["importance"] for i in importance[:15]],
                "errors": [i["std"] for i in importance[:15]],
            }
        selected = validation.get(artifact.algorithm, {})
        matrix = selected.get("confusion_matrix")
        random_split = [
            {"name": name, "cells": [values.get(c) for c in METRIC_COLUMNS]}
            for name, values in artifact.metrics.get("random_split", {}).items()
        ]
        return super().get_context_data(
            artifact=artifact,
            columns=METRIC_COLUMNS,
            rows=rows,
            random_split=random_split,
            charts=charts,
            matrix=matrix,
            selected=selected,
            train_form=TrainForm(),
            **kwargs,
        )


class TrainNowView(StaffRequiredMixin, View):
    def post(self, request):
        form = TrainForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "Check the training options: " + "; ".join(e for es in form.errors.values() for e in es)
            )
            return redirect("analytics:model-list")
        try:
            job = job_train_enqueue(
                cutoff=form.cleaned_data["cutoff"],
                label_window_days=form.cleaned_data["label_window_days"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:model-list")
        messages.success(request, f"Training job #{job.pk} started.")
        return redirect("analytics:job-detail", pk=job.pk)


class JobDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/job_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            job=get_object_or_404(Job.objects.select_related("import_run", "artifact"), pk=self.kwargs["pk"]), **kwargs
        )


class JobStatusView(JobDetailView):
    """The part of the job page that htmx refreshes while the job runs."""

    template_name = "analytics/partials/job_status.html"
