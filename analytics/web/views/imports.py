"""Imports: upload a file, preview and map it, start the import, follow it; history and rejected rows."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from analytics.pipeline.jobs import job_import_enqueue
from analytics.pipeline.selectors import import_run_job_get
from analytics.web.forms import ImportOptionsForm, UploadForm
from analytics.web.views.mixins import StaffRequiredMixin
from customers.exceptions import ApplicationError
from customers.exports import csv_safe
from customers.imports.options import ImportOptions, LayoutError
from customers.imports.preview import file_preview
from customers.imports.staging import staged_file_get, upload_stage
from customers.models import ImportRun
from customers.selectors import data_quality_report_latest_get, import_run_get, import_run_list
from loyalty_site.requests import request_user

PREVIEW_BYTES = 64 * 1024
RUNS_SHOWN = 50


def _run_or_404(pk: int) -> ImportRun:
    run = import_run_get(pk=pk)
    if run is None:
        raise Http404("No such import.")
    return run


class ImportListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/import_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            runs=import_run_list()[:RUNS_SHOWN],
            upload_form=UploadForm(),
            report=data_quality_report_latest_get(),
            **kwargs,
        )


class ImportUploadView(StaffRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("analytics:import-list")
        try:
            staged = upload_stage(upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:import-list")
        return redirect("analytics:import-configure", token=staged.token)


class ImportConfigureView(StaffRequiredMixin, TemplateView):
    """Preview a staged file with the chosen options, map its columns, start the import."""

    template_name = "analytics/import_configure.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.staged = staged_file_get(token=kwargs["token"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:import-list")
        return super().dispatch(request, *args, **kwargs)

    def _preview(self, data: QueryDict) -> dict[str, Any]:
        """The first rows as read with the chosen delimiter and encoding (defaults when the choice is invalid)."""
        try:
            options = ImportOptions.build(delimiter=data.get("delimiter"), encoding=data.get("encoding"))
        except LayoutError:
            options = ImportOptions()
        with self.staged.path.open("rb") as fh:
            return file_preview(raw=fh.read(PREVIEW_BYTES), options=options)

    def _render(self, shown: dict[str, Any], form: ImportOptionsForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(staged=self.staged, shown=shown, form=form))

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        shown = self._preview(request.GET)
        return self._render(shown, ImportOptionsForm(initial=request.GET.dict() or None, columns=shown["header"]))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        shown = self._preview(request.POST)
        form = ImportOptionsForm(request.POST, columns=shown["header"])
        if not form.is_valid():
            return self._render(shown, form)
        job = job_import_enqueue(staged=self.staged, options=form.cleaned_data["options"], user=request_user(request))
        messages.success(request, f"Import of {self.staged.name} started (job #{job.pk}).")
        return redirect("analytics:import-detail", pk=job.import_run_id)


class ImportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/import_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        run = _run_or_404(self.kwargs["pk"])
        return super().get_context_data(run=run, job=import_run_job_get(run=run), **kwargs)


class ImportStatusView(ImportDetailView):
    template_name = "analytics/partials/import_status.html"


class ImportRejectedCsvView(LoginRequiredMixin, View):
    """The rejected rows of an import as CSV; values that a spreadsheet would run as formulas are escaped."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run_or_404(pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
        writer = csv.writer(response)
        writer.writerow(["line", "reason", "values"])
        for row in run.rejected_rows:
            writer.writerow([row["line"], csv_safe(row["reason"]), *(csv_safe(v) for v in row.get("values", []))])
        return response
