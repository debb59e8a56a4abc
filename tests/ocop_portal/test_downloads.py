"""Long exports are made in the background: a list longer than EXPORT_INLINE_ROWS is offered,
asked for with a POST, made by a job with a progress bar, and downloaded by its maker alone;
a short one is still a file at once. The threshold is lowered here so that a few records make a
"long" list; what the file holds is compared with the export made at once."""

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ocop_portal import downloads, jobs, progress
from ocop_portal.celery import app as celery_app
from ocop_portal.models import Download, Job
from products.models import Product
from targets.models import MonthlyReport, ReportStatus
from tests.factories import ProductFactory, SubjectFactory, recognise
from tests.ocop_portal.drills import celery_publishing_to

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def registry(cho_don, na_ri):
    for index in range(3):
        product = ProductFactory(name=f"Trà Shan tuyết số {index}",
                                 subject=SubjectFactory(district=cho_don))
        recognise(product, 3 + index, dt.date(2024, 3, 1 + index))
    ProductFactory(name="Miến dong Tài Hoan", subject=SubjectFactory(district=na_ri))


@pytest.fixture
def long_lists(settings):
    """Every list of more than two rows is "long"."""
    settings.EXPORT_INLINE_ROWS = 2


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _names(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(index for index, row in enumerate(rows) if row[0] == "STT")
    names = []
    for row in rows[header + 1:]:
        if not any(row):
            break
        names.append(row[1])
    return names


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Follow an export link to its offer, ask for it, and land on its page; the job runs as
    the request's transaction commits (in-process, as on the embedded default)."""
    def follow(client, url: str) -> Download:
        return _download(client, url, django_capture_on_commit_callbacks)
    return follow


def _download(client, url: str, committing) -> Download:
    offer = client.get(url)
    assert offer.status_code == 302
    assert offer["Location"].startswith("/downloads/new/")
    before = Download.objects.count()
    page = client.get(offer["Location"])
    assert page.status_code == 200
    assert Download.objects.count() == before, "a GET never starts the work"
    with committing(execute=True):
        response = client.post(offer["Location"])
    assert response.status_code == 302
    download = Download.objects.latest("pk")
    assert response["Location"] == f"/downloads/{download.pk}/"
    return download


def test_a_short_list_is_a_file_at_once(registry, province_staff):
    response = _client(province_staff).get("/products/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Download.objects.count() == 0


def test_a_long_list_is_offered_made_in_the_background_and_downloaded(
        ask, registry, province_staff, long_lists, settings):
    client = _client(province_staff)
    offer = client.get("/products/export.xlsx?q=shan&sort=-name")
    html = client.get(offer["Location"]).content.decode()
    assert "Tệp có <strong>3 dòng</strong>" in html
    assert 'href="/products/?q=shan&amp;sort=-name"' in html  # back to the same list

    download = ask(client, "/products/export.xlsx?q=shan&sort=-name")
    download.refresh_from_db()
    # No broker in tests: the job ran as the request committed.
    assert download.status == Download.Status.DONE
    assert download.rows == 3
    assert download.params == {"q": ["shan"], "sort": ["-name"]}
    assert Job.objects.get(key=f"{downloads.BUILD_TASK}:{download.pk}").status == Job.Status.DONE
    page = client.get(f"/downloads/{download.pk}/").content.decode()
    assert f'href="/downloads/{download.pk}/file/"' in page
    assert "http-equiv=\"refresh\"" not in page

    response = client.get(f"/downloads/{download.pk}/file/")
    assert response.status_code == 200
    encoded = response["Content-Disposition"].split("''", 1)[1]
    assert unquote(encoded) == f"Sản phẩm OCOP {timezone.localdate():%d-%m-%Y}.xlsx"
    made_later = _names(b"".join(response.streaming_content))
    settings.EXPORT_INLINE_ROWS = 2000
    made_at_once = _names(client.get("/products/export.xlsx?q=shan&sort=-name").content)
    assert made_later == made_at_once == [f"Trà Shan tuyết số {n}" for n in (2, 1, 0)]
    # The progress bar ended at every row.
    assert progress.read(download.progress_key) == progress.Progress(3, 3, downloads.STAGE)


def test_the_background_file_holds_the_officers_district_only(
        ask, registry, district_officer, long_lists):
    client = _client(district_officer)
    download = ask(client, "/products/export.xlsx")
    response = client.get(f"/downloads/{download.pk}/file/")
    names = _names(b"".join(response.streaming_content))
    assert len(names) == 3
    assert "Miến dong Tài Hoan" not in names


@pytest.mark.parametrize("other", ["province_staff", "leader", "admin_user",
                                   "other_district_officer"])
def test_nobody_else_reads_a_download(request, ask, registry, district_officer, long_lists,
                                      other):
    download = ask(_client(district_officer), "/products/export.xlsx")
    client = _client(request.getfixturevalue(other))
    for url in (f"/downloads/{download.pk}/", f"/downloads/{download.pk}/file/"):
        assert client.get(url).status_code == 404
    assert download.title not in client.get("/downloads/").content.decode()


def test_the_list_of_downloads_is_the_users_own(ask, registry, province_staff, leader, long_lists):
    ask(_client(province_staff), "/products/export.xlsx")
    ask(_client(leader), "/subjects/export.xlsx")
    html = _client(leader).get("/downloads/").content.decode()
    assert "Danh sách chủ thể OCOP" in html
    assert "Danh sách sản phẩm OCOP" not in html


def test_a_running_download_shows_its_progress_and_refreshes(registry, province_staff):
    download = Download.objects.create(user=province_staff, kind="products", title="Sản phẩm",
                                       filename="Sản phẩm.xlsx", rows=20000,
                                       status=Download.Status.RUNNING)
    progress.write(download.progress_key, 12345, 20000, downloads.STAGE)
    html = _client(province_staff).get(f"/downloads/{download.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Đang ghi tệp: 12.345 / 20.000 dòng" in html
    assert '<progress class="w-100" value="12345" max="20000"' in html
    assert "61%" in html
    assert "/file/" not in html


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_a_download_waits_and_is_made_when_it_is_back(
        ask, registry, province_staff, long_lists):
    client = _client(province_staff)
    with celery_publishing_to(CLOSED_PORT):
        download = ask(client, "/products/export.xlsx")
        html = client.get(f"/downloads/{download.pk}/").content.decode()
        assert "Hàng đợi xử lý nền tạm thời không hoạt động" in html
        assert '<meta http-equiv="refresh" content="30">' in html
        assert Download.objects.get().status == Download.Status.QUEUED
    celery_app.conf.task_always_eager = True  # the queue is back (in-process)
    assert jobs.requeue_jobs()["dispatched"] == 1
    assert Download.objects.get().status == Download.Status.DONE


def test_a_second_delivery_keeps_the_first_file(ask, registry, province_staff, long_lists):
    download = ask(_client(province_staff), "/products/export.xlsx")
    download.refresh_from_db()
    first = download.file.name
    # A second delivery that started before the first one finished built its own file too;
    # when it comes to store it, it finds the first one's and keeps that.
    assert downloads._store(download.pk, io.BytesIO(b"x"), rows=1).file.name == first
    download.refresh_from_db()
    assert (download.file.name, download.rows, download.status) == (first, 4, "done")
    downloads.download_build(download.pk)  # delivered once more, after it is done: nothing
    download.refresh_from_db()
    assert download.file.name == first
    assert Download.objects.count() == 1


def test_asking_twice_while_it_is_made_is_one_download(registry, province_staff, long_lists):
    client = _client(province_staff)
    client.post("/downloads/new/products/")  # no broker in tests: each runs at commit...
    Download.objects.update(status=Download.Status.QUEUED)  # ...so say the first still waits
    client.post("/downloads/new/products/")
    assert Download.objects.count() == 1


def test_a_user_locked_before_the_build_gets_no_file(registry, province_staff):
    download = Download.objects.create(user=province_staff, kind="products", title="Sản phẩm",
                                       filename="Sản phẩm.xlsx", rows=3)
    province_staff.is_active = False
    province_staff.save()
    downloads.download_build(download.pk)
    download.refresh_from_db()
    assert download.status == Download.Status.FAILED
    assert "Tài khoản yêu cầu tệp đã bị khoá" in download.error
    assert not download.file


def test_an_officer_asking_for_an_appendix_is_refused(registry, district_officer, long_lists):
    client = _client(district_officer)
    assert client.get("/reports/appendix/1/?year=2024").status_code == 403
    assert client.post("/downloads/new/appendix/?number=1&year=2024").status_code == 403
    assert Download.objects.count() == 0


def test_a_long_appendix_is_made_in_the_background(ask, registry, leader, settings):
    settings.EXPORT_INLINE_ROWS = 0
    client = _client(leader)
    download = ask(client, "/reports/appendix/1/?year=2024")
    download.refresh_from_db()
    assert download.status == Download.Status.DONE
    assert download.filename.startswith("Phụ lục 1 - Kế hoạch 180-KH-UBND năm 2024")
    workbook = load_workbook(io.BytesIO(b"".join(
        client.get(f"/downloads/{download.pk}/file/").streaming_content)))
    assert workbook.sheetnames == ["Phụ lục 1", "Danh sách"]


def test_an_unknown_kind_is_a_404(province_staff):
    assert _client(province_staff).get("/downloads/new/everything/").status_code == 404


def test_old_downloads_are_deleted_with_their_files(ask, registry, province_staff, long_lists):
    download = ask(_client(province_staff), "/products/export.xlsx")
    download.refresh_from_db()
    storage, name = download.file.storage, download.file.name
    assert storage.exists(name)
    assert downloads.download_purge(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert downloads.download_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not storage.exists(name)
    assert Download.objects.count() == 0


def test_the_build_reads_the_rows_in_a_fixed_number_of_queries(
        registry, province_staff, django_assert_max_num_queries):
    download = Download.objects.create(user=province_staff, kind="products", title="Sản phẩm",
                                       filename="Sản phẩm.xlsx", rows=3)
    with django_assert_max_num_queries(12) as few:
        downloads.download_build(download.pk)
    for _ in range(30):
        ProductFactory(subject=Product.objects.first().subject)
    again = Download.objects.create(user=province_staff, kind="products", title="Sản phẩm",
                                    filename="Sản phẩm.xlsx", rows=33)
    with django_assert_max_num_queries(len(few.captured_queries)):
        downloads.download_build(again.pk)


@pytest.mark.parametrize("kind", ["download", "report"])
def test_a_job_given_up_fails_its_record_instead_of_running_for_ever(province_staff, kind):
    """A worker killed at the hard time limit never runs the task's failure handling; when
    requeue_jobs gives the job up, the record says so."""
    if kind == "download":
        record = Download.objects.create(user=province_staff, kind="products", title="x",
                                         filename="x.xlsx", status=Download.Status.RUNNING)
        task = downloads.BUILD_TASK
    else:
        record = MonthlyReport.objects.create(month=dt.date(2024, 5, 1),
                                              status=ReportStatus.RUNNING)
        task = "targets.tasks.monthly_report_generate"
    Job.objects.create(task=task, args=[record.pk], key=jobs.job_key(task, [record.pk]),
                       status=Job.Status.RUNNING, attempts=jobs.MAX_ATTEMPTS,
                       started_at=timezone.now() - dt.timedelta(hours=2))
    assert jobs.requeue_jobs()["given_up"] == 1
    record.refresh_from_db()
    assert record.status == "failed"
    assert "ngừng thử" in record.error
