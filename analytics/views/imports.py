import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from analytics.forms import ImportOptionsForm, UploadForm
from analytics.services.jobs import job_import_enqueue, staged_file_get, upload_stage
from analytics.views.mixins import StaffRequiredMixin
from customers.csv_import import ImportOptions, LayoutError, preview
from customers.exceptions import ApplicationError
from customers.exports import csv_safe
from customers.models import DataQualityReport, ImportRun

PREVIEW_BYTES = 64 * 1024


class ImportListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/import_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            runs=ImportRun.objects.select_related("created_by")[:50],
            upload_form=UploadForm(),
            report=DataQualityReport.objects.first(),
            **kwargs,
        )


class ImportUploadView(StaffRequiredMixin, View):
    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
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

    def dispatch(self, request, *args, **kwargs):
        try:
            self.staged = staged_file_get(token=kwargs["token"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:import-list")
        return super().dispatch(request, *args, **kwargs)

    def _preview(self, data) -> dict:
        """The first rows as read with the chosen delimiter and encoding (defaults when the choice is invalid)."""
        try:
            options = ImportOptions(
                delimiter=data.get("delimiter") or ",", encoding=data.get("encoding") or "utf-8-sig"
            )
        except LayoutError:
            options = ImportOptions()
        with self.staged.path.open("rb") as fh:
            return preview(fh.read(PREVIEW_BYTES), options)

    def _render(self, shown: dict, form: ImportOptionsForm):
        return self.render_to_response(self.get_context_data(staged=self.staged, shown=shown, form=form))

    def get(self, request, token: str):
        shown = self._preview(request.GET)
        return self._render(shown, ImportOptionsForm(initial=request.GET.dict() or None, columns=shown["header"]))

    def post(self, request, token: str):
        shown = self._preview(request.POST)
        form = ImportOptionsForm(request.POST, columns=shown["header"])
        if not form.is_valid():
            return self._render(shown, form)
        job = job_import_enqueue(staged=self.staged, options=form.cleaned_data["options"], user=request.user)
        messages.success(request, f"Import of {self.staged.name} started (job #{job.pk}).")
        return redirect("analytics:import-detail", pk=job.import_run_id)


class ImportDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/import_detail.html"

    def get_context_data(self, **kwargs):
        run = get_object_or_404(ImportRun, pk=self.kwargs["pk"])
        return super().get_context_data(run=run, job=run.jobs.first(), **kwargs)


class ImportStatusView(ImportDetailView):
    template_name = "analytics/partials/import_status.html"


class ImportRejectedCsvView(LoginRequiredMixin, View):
    """The rejected rows of an import as CSV; values that a spreadsheet would run as formulas are escaped."""

    def get(self, request, pk: int):
        run = get_object_or_404(ImportRun, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejected.csv"'
        writer = csv.writer(response)
        writer.writerow(["line", "reason", "values"])
        for row in run.rejected_rows:
            writer.writerow([row["line"], csv_safe(row["reason"]), *(csv_safe(v) for v in row.get("values", []))])
        return response
