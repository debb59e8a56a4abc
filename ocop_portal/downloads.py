"""Workbooks for download: made at once when short, in the background when long.

Every list export, and each appendix, is an `Export`: its file name, what it holds, how many
rows it has, and how to make it. A short one (up to `settings.EXPORT_INLINE_ROWS` rows) is made
in the request, as it always was; a long one would outlast the web server's timeout (20,000
products took 49 seconds), so the user asks for it (`download_request`) and a job makes it
(`download_build`): the same rows in the same scope, with a progress bar in rows and percent
(ocop_portal.progress), the file kept privately (ocop_portal.storage) and offered to that user
alone until `download_purge` deletes it.

The apps describe their exports by dotted path in `EXPORTS` (a module-level import would make
ocop_portal depend on the apps that depend on it).
"""

import datetime as dt
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from openpyxl import Workbook

from ocop_portal import jobs, progress
from ocop_portal.models import Download, User

logger = logging.getLogger(__name__)

BUILD_TASK = "ocop_portal.tasks.download_build_task"
# A file is offered this long after it is made, then deleted (beat, daily).
KEEP_DAYS = 7
ERROR_LENGTH = 2000
STAGE = "Đang ghi tệp"

EXPORTS = {
    "products": "products.exports.product_export",
    "subjects": "subjects.exports.subject_export",
    "media": "communications.exports.media_item_export",
    "appendix": "targets.appendix.appendix_export",
}


@dataclass(frozen=True)
class Export:
    """A workbook to hand out: `build` makes it (rows read from the database as it writes)."""

    filename: str
    title: str
    rows: int
    build: Callable[[], Workbook]
    # The page the export is of (its list with the same filters), to go back to.
    back_url: str = "/"


def list_url(name: str, params: QueryDict) -> str:
    """A list page's URL with these query parameters."""
    url = reverse(name)
    return f"{url}?{params.urlencode()}" if params else url


def export_for(kind: str, user: User, params: QueryDict) -> Export:
    """The export `kind` for this user and these query parameters; 404 for an unknown kind,
    PermissionDenied when the user may not have it."""
    if kind not in EXPORTS:
        raise Http404("Không có loại tệp này.")
    return import_string(EXPORTS[kind])(user, params)


def query_dict(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(value) for value in values])
    return query


def download_request(*, user: User, kind: str, params: QueryDict,
                     export: Export | None = None) -> Download:
    """Ask for a long export (`export`, if the caller has it already): recorded now, made by a
    job once this transaction commits (or when the queue is back, if it is down). Asking again
    while the same file is still being made (a second click) is the same download."""
    export = export or export_for(kind, user, params)
    stored = {key: params.getlist(key) for key in params}
    with transaction.atomic():
        busy = (Download.objects.select_for_update()
                .filter(user=user, kind=kind, params=stored,
                        status__in=[Download.Status.QUEUED, Download.Status.RUNNING])
                .order_by("-pk").first())
        if busy is not None:
            return busy
        download = Download.objects.create(
            user=user, kind=kind, params=stored, title=export.title, filename=export.filename,
            rows=export.rows)
        jobs.enqueue_on_commit(BUILD_TASK, download.pk)
    return download


def download_build(download_id: int) -> Download | None:
    """Make the file of a download, in its user's scope as it is now. A second delivery of the
    same job leaves the file made by the first; a failure is recorded with its reason."""
    download = Download.objects.select_related("user").filter(pk=download_id).first()
    if download is None or download.status == Download.Status.DONE:
        return download
    Download.objects.filter(pk=download_id).update(status=Download.Status.RUNNING, error="")
    try:
        if not download.user.is_active:
            raise PermissionDenied("Tài khoản yêu cầu tệp đã bị khoá.")
        export = export_for(download.kind, download.user, query_dict(download.params))
        with progress.tracking(download.progress_key, total=export.rows, stage=STAGE) as counter:
            workbook = export.build()
            with tempfile.TemporaryFile() as handle:
                workbook.save(handle)
                handle.seek(0)
                return _store(download_id, handle, rows=counter.done)
    except SoftTimeLimitExceeded:
        raise  # the task says why, in words
    except PermissionDenied as error:
        return download_fail(download_id, reason=f"Không lập được tệp: {error}")
    except Exception as error:
        logger.exception("Lập tệp tải về %s không thành công", download_id)
        return download_fail(download_id, reason=(
            "Lỗi khi lập tệp; hãy yêu cầu lại, nếu vẫn lỗi hãy báo quản trị hệ thống (chi tiết "
            f"kỹ thuật: {type(error).__name__}: {error})"))


def _store(download_id: int, handle, *, rows: int) -> Download:
    with transaction.atomic():
        download = Download.objects.select_for_update().get(pk=download_id)
        if download.status == Download.Status.DONE:
            return download  # another delivery of the job finished first: keep its file
        download.file.save(download.filename, File(handle), save=False)
        download.status = Download.Status.DONE
        download.rows = rows
        download.error = ""
        download.finished_at = timezone.now()
        download.save()
    return download


def download_fail(download_id: int, *, reason: str) -> Download | None:
    Download.objects.filter(pk=download_id).exclude(status=Download.Status.DONE).update(
        status=Download.Status.FAILED, error=reason[:ERROR_LENGTH], finished_at=timezone.now())
    return Download.objects.filter(pk=download_id).first()


def download_progress(download: Download) -> progress.Progress | None:
    return progress.read(download.progress_key) if download.is_busy else None


def download_list_for_user(user: User):
    return Download.objects.filter(user=user)


def download_get_for_user(user: User, pk: int) -> Download:
    """One of the user's own downloads, or 404: a file holds its maker's scope, so nobody else
    reads it, province staff included."""
    download = Download.objects.filter(user=user, pk=pk).first()
    if download is None:
        raise Http404("Không tìm thấy tệp.")
    return download


def download_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the downloads (and their files) made more than KEEP_DAYS ago; how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    old = list(Download.objects.filter(created_at__lt=cutoff))
    for download in old:
        if download.file:
            download.file.delete(save=False)
    Download.objects.filter(pk__in=[download.pk for download in old]).delete()
    return len(old)
