"""The Excel import pages: upload → preview → confirm, and the template download."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop_portal.excel import xlsx_response
from ocop_portal.permissions import require_write
from products.import_forms import ImportUploadForm
from products.imports import MAX_DATA_ROWS, ImportReport, template_workbook
from products.imports.batches import (
    import_batch_confirm,
    import_batch_get_for_user,
    import_batch_preview,
)
from products.imports.columns import COLUMNS
from products.imports.template import TEMPLATE_FILENAME
from products.models import ImportBatch

# A preview lists this many rows and errors at most; the counts above the tables stay exact.
SHOWN_ROWS = 1000


def _preview(request, report: ImportReport, batch: ImportBatch | None = None, status=200):
    context = {
        "report": report,
        "batch": batch,
        "can_confirm": bool(batch and batch.status == ImportBatch.Status.PREVIEWED
                            and report.ok),
        "shown_rows": SHOWN_ROWS,
        "errors": report.errors[:SHOWN_ROWS],
        "warnings": report.warnings[:SHOWN_ROWS],
        "rows_to_create": report.rows_to_create[:SHOWN_ROWS],
        "rows_to_update": report.rows_to_update[:SHOWN_ROWS],
    }
    return render(request, "products/import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require_write(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch, report = import_batch_preview(user=request.user, name=upload.name,
                                             content=form.content)
        if batch is None:
            return _preview(request, report)
        return redirect("products:import_detail", pk=batch.pk)
    return render(request, "products/import_upload.html", {
        "form": form, "columns": COLUMNS, "max_rows": MAX_DATA_ROWS})


@require_GET
def import_detail(request, pk):
    require_write(request.user)
    batch = import_batch_get_for_user(request.user, pk)
    return _preview(request, ImportReport.from_dict(batch.summary), batch)


@require_POST
def import_confirm(request, pk):
    require_write(request.user)
    batch = import_batch_get_for_user(request.user, pk)
    report = import_batch_confirm(batch, user=request.user)
    if report.applied:
        messages.success(request, f"Đã nhập tệp “{batch.filename}”: "
                                  f"{len(report.rows_to_create)} dòng tạo mới, "
                                  f"{len(report.rows_to_update)} dòng cập nhật.")
    else:
        messages.error(request, "Không nhập được: dữ liệu trong cổng đã thay đổi từ lúc xem "
                                "trước. Không có gì được lưu; xem các lỗi bên dưới.")
    return redirect("products:import_detail", pk=batch.pk)


@require_GET
def import_template(request):
    require_write(request.user)
    return xlsx_response(template_workbook(), TEMPLATE_FILENAME)
