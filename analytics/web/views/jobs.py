"""A background job's page, refreshed by htmx while the job runs."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from analytics.pipeline.selectors import job_get


class JobDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/job_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job = job_get(pk=self.kwargs["pk"])
        if job is None:
            raise Http404("No such job.")
        return super().get_context_data(job=job, **kwargs)


class JobStatusView(JobDetailView):
    """The part of the job page that htmx refreshes while the job runs."""

    template_name = "analytics/partials/job_status.html"
