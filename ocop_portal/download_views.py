"""Pages of the downloads: a long export is offered, asked for, followed and downloaded here.
Each page is the user's own: a download made for one user is a 404 for every other."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ocop_portal import downloads, jobs
from ocop_portal.excel import XLSX_CONTENT_TYPE, xlsx_response
from ocop_portal.views_helpers import file_download

PAGE_SIZE = 25
QUEUE_DOWN = ("Hàng đợi xử lý nền tạm thời không hoạt động; tệp sẽ được lập tự động khi hàng "
              "đợi hoạt động lại, không cần yêu cầu lại.")


def export_or_offer(request, kind: str, params: QueryDict | None = None):
    """The export (of the request's query, or `params`) as a file at once when it is short;
    otherwise the page that offers to make it in the background (a GET never starts work by
    itself)."""
    params = request.GET if params is None else params
    export = downloads.export_for(kind, request.user, params)
    if export.rows <= settings.EXPORT_INLINE_ROWS:
        return xlsx_response(export.build(), export.filename)
    url = reverse("downloads:new", args=[kind])
    return redirect(f"{url}?{params.urlencode()}" if params else url)


@require_http_methods(["GET", "POST"])
def download_new(request, kind):
    export = downloads.export_for(kind, request.user, request.GET)
    if request.method == "POST":
        download = downloads.download_request(user=request.user, kind=kind, params=request.GET,
                                              export=export)
        return redirect("downloads:detail", pk=download.pk)
    return render(request, "downloads/download_new.html", {
        "export": export, "query": request.GET.urlencode(), "kind": kind,
        "inline_rows": settings.EXPORT_INLINE_ROWS, "keep_days": downloads.KEEP_DAYS,
    })


@require_GET
def download_list(request):
    page_obj = Paginator(downloads.download_list_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "downloads/download_list.html", {
        "page_obj": page_obj, "downloads": page_obj.object_list,
        "busy": any(download.is_busy for download in page_obj.object_list),
        "keep_days": downloads.KEEP_DAYS,
    })


@require_GET
def download_detail(request, pk):
    download = downloads.download_get_for_user(request.user, pk)
    return render(request, "downloads/download_detail.html", {
        "download": download, "progress": downloads.download_progress(download),
        "waiting": download.is_busy and jobs.is_waiting(downloads.BUILD_TASK, download.pk),
        "queue_down": QUEUE_DOWN, "keep_days": downloads.KEEP_DAYS,
    })


@require_GET
def download_file(request, pk):
    download = downloads.download_get_for_user(request.user, pk)
    return file_download(download.file, filename=download.filename,
                         content_type=XLSX_CONTENT_TYPE, not_made="Tệp chưa lập xong.",
                         missing="Không tìm thấy tệp; hãy yêu cầu lại.")
