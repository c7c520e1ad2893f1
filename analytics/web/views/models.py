"""Model runs: every training with its metrics and plots; staff start a new one."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from analytics.pipeline.jobs import job_train_enqueue
from analytics.pipeline.selectors import training_job_pending_get
from analytics.scoring.selectors import model_artifact_get, model_artifact_list
from analytics.web import presenters
from analytics.web.forms import TrainForm
from analytics.web.views.mixins import StaffRequiredMixin
from customers.exceptions import ApplicationError
from loyalty_site.requests import request_user

MODELS_SHOWN = 50


class ModelListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/model_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            artifacts=list(model_artifact_list()[:MODELS_SHOWN]),
            running=training_job_pending_get(),
            train_form=TrainForm(),
            **kwargs,
        )


class ModelDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/model_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        artifact = model_artifact_get(pk=self.kwargs["pk"])
        if artifact is None:
            raise Http404("No such model.")
        selected = artifact.metrics.get("validation", {}).get(artifact.algorithm, {})
        return super().get_context_data(
            artifact=artifact,
            columns=presenters.METRIC_COLUMNS,
            rows=presenters.model_metric_rows(artifact),
            random_split=presenters.model_random_split_rows(artifact),
            charts=presenters.model_charts(artifact),
            matrix=selected.get("confusion_matrix"),
            selected=selected,
            train_form=TrainForm(),
            **kwargs,
        )


class TrainNowView(StaffRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = TrainForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "Check the training options: " + "; ".join(str(e) for es in form.errors.values() for e in es)
            )
            return redirect("analytics:model-list")
        try:
            job = job_train_enqueue(
                cutoff=form.cleaned_data["cutoff"],
                label_window_days=form.cleaned_data["label_window_days"],
                user=request_user(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:model-list")
        messages.success(request, f"Training job #{job.pk} started.")
        return redirect("analytics:job-detail", pk=job.pk)
