"""The Excel import pages: upload → preview → confirm, and the template download. Checking and
importing run in the background (in-process on the embedded default); the batch page follows
them."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop_portal import jobs, progress
from ocop_portal.excel import xlsx_response
from ocop_portal.permissions import require_write
from products.import_forms import ImportUploadForm
from products.imports import ImportReport, template_workbook
from products.imports.batches import (
    import_batch_confirm,
    import_batch_get_for_user,
    import_batch_list_for_user,
    import_batch_retry,
    import_batch_upload,
    progress_name,
)
from products.imports.columns import COLUMNS
from products.imports.template import TEMPLATE_FILENAME
from products.models import ImportBatch

# A page lists this many rows and issues per table at most; the counts above stay exact.
SHOWN_ROWS = 1000
RECENT_BATCHES = 10
TASKS = {ImportBatch.Status.CHECKING: "products.imports.tasks.import_batch_check_task",
         ImportBatch.Status.IMPORTING: "products.imports.tasks.import_batch_apply_task"}


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require_write(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = import_batch_upload(user=request.user, name=upload.name, content=form.content)
        return redirect("products:import_detail", pk=batch.pk)
    return render(request, "products/import_upload.html", {
        "form": form, "columns": COLUMNS,
        "recent_batches": import_batch_list_for_user(request.user)[:RECENT_BATCHES]})


@require_GET
def import_detail(request, pk):
    require_write(request.user)
    batch = import_batch_get_for_user(request.user, pk)
    report = ImportReport.from_dict(batch.summary) if batch.summary else ImportReport(
        filename=batch.filename)
    return render(request, "products/import_preview.html", {
        "batch": batch,
        "report": report,
        "can_confirm": batch.status == ImportBatch.Status.PREVIEWED and report.ok,
        "can_retry": batch.status == ImportBatch.Status.FAILED and bool(batch.content),
        "waiting": batch.status in TASKS and jobs.is_waiting(TASKS[batch.status], batch.pk),
        # Rows checked, then written, while the worker runs (none before it starts).
        "progress": progress.read(progress_name(batch.pk)) if batch.is_running else None,
        "shown_rows": SHOWN_ROWS,
        "errors": report.errors[:SHOWN_ROWS],
        "warnings": report.warnings[:SHOWN_ROWS],
        "rows_to_create": report.rows_to_create[:SHOWN_ROWS],
        "rows_to_update": report.rows_to_update[:SHOWN_ROWS],
    })


@require_POST
def import_confirm(request, pk):
    require_write(request.user)
    batch = import_batch_get_for_user(request.user, pk)
    import_batch_confirm(batch, user=request.user)
    return redirect("products:import_detail", pk=batch.pk)


@require_POST
def import_retry(request, pk):
    require_write(request.user)
    batch = import_batch_get_for_user(request.user, pk)
    import_batch_retry(batch, user=request.user)
    return redirect("products:import_detail", pk=batch.pk)


@require_GET
def import_template(request):
    require_write(request.user)
    return xlsx_response(template_workbook(), TEMPLATE_FILENAME)
