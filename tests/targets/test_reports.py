"""/reports/: who may read, download, make and send reports; the monthly report's workbook, its
paragraph against the engine, and an e-mail that fails then goes out without a rebuild."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils.html import escape
from openpyxl import load_workbook

from ocop_portal.context_processors import navigation_for
from products.services import certificate_revoke
from targets import reports
from targets.models import EmailStatus, MonthlyReport, Plan, PlanTask, ReportStatus
from targets.monthly import month_figures, month_paragraph, percent_text
from targets.selectors import indicator_progress
from targets.tasks import monthly_report_email, monthly_report_generate
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise
from tests.targets.builders import linkage, media_item, quality, support, traceability

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
READERS = ["province_staff", "leader", "admin_user"]
OUTSIDERS = ["district_officer", "other_district_officer"]


@pytest.fixture
def may_records(reference_data):
    """Two first recognitions and an upgrade in May 2024, one new product in March, three media
    items in May, a certificate lapsing in July and a plan task overdue at the end of May."""
    for name in ("Miến dong Na Rì", "Gạo nếp Tài"):
        recognise(ProductFactory(name=name, subject=SubjectFactory(district=district("066"))),
                  decision_date=dt.date(2024, 5, 20))
    recognise(ProductFactory(subject=SubjectFactory(district=district("064"))),
              decision_date=dt.date(2024, 3, 1))
    upgraded = ProductFactory(name="Chè Shan tuyết", subject=SubjectFactory(
        district=district("064")))
    recognise(upgraded, 3, dt.date(2021, 7, 15))
    recognise(upgraded, 4, dt.date(2024, 5, 8))
    lapsing = recognise(ProductFactory(name="Cam sành"), 3, dt.date(2021, 7, 20)).certificate
    for day in (2, 15, 31):
        media_item(dt.datetime(2024, 5, day, 9), district=district("064"))
    media_item(dt.datetime(2024, 6, 1, 9))
    PlanTask.objects.create(plan=Plan.objects.get(year=2024), number=9, title="Hội chợ OCOP",
                            lead_units="Sở Công Thương", deadline=dt.date(2024, 4, 30))
    return lapsing


def built_report(month=MAY) -> MonthlyReport:
    report = reports.monthly_report_request(month=month, queue=False)
    monthly_report_generate.apply(args=[report.pk])
    report.refresh_from_db()
    return report


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# Who may do what ---------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["anonymous", *OUTSIDERS, *READERS])
def test_report_list_is_for_the_roles_that_see_every_district(request, persona):
    response = client_for(request.getfixturevalue(persona)).get("/reports/")
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/reports/")
    elif persona in OUTSIDERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert "Phụ lục 1" in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", *OUTSIDERS, *READERS])
def test_appendix_download_is_for_the_same_roles(request, persona, reference_data):
    response = client_for(request.getfixturevalue(persona)).get(
        "/reports/appendix/2/?year=2024")
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona in OUTSIDERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    filename = "Phụ lục 2 - Kế hoạch 180-KH-UBND năm 2024.xlsx"
    assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Phụ lục 2", "Danh sách"]


def test_appendix_download_without_a_plan_or_of_a_third_appendix_is_404(leader):
    client = client_for(leader)
    assert client.get("/reports/appendix/1/?year=2023").status_code == 404
    assert client.get("/reports/appendix/3/?year=2024").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", *OUTSIDERS, "leader"])
def test_only_province_staff_and_admins_make_reports(request, persona, reference_data):
    response = client_for(request.getfixturevalue(persona)).post(
        "/reports/", {"month": "2024-05-01"})
    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("persona", ["province_staff", "admin_user"])
def test_province_staff_and_admins_ask_for_a_month_once_each_time(
        request, persona, reference_data, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for version in (1, 2):
        with django_capture_on_commit_callbacks() as queued:
            response = client.post("/reports/", {"month": "2024-05-01"})
        assert response.status_code == 302
        assert response["Location"] == "/reports/"
        assert len(queued) == 1  # the build, queued after commit
        report = MonthlyReport.objects.get()
        assert (report.month, report.version, report.status, report.requested_by) == (
            MAY, version, ReportStatus.QUEUED, user)


def test_a_month_outside_the_choices_is_refused(province_staff):
    response = client_for(province_staff).post("/reports/", {"month": "1990-01-01"})
    assert response.status_code == 200
    assert "Tháng" in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", *OUTSIDERS, *READERS])
def test_a_report_downloads_for_readers_only(request, persona, may_records):
    report = built_report()
    response = client_for(request.getfixturevalue(persona)).get(
        f"/reports/{report.pk}/download/")
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona in OUTSIDERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert quote("Báo cáo OCOP tháng 05-2024 (lần 1).xlsx") in response["Content-Disposition"]
    # Reading the whole stream closes the file (and, unlike close(), keeps the test's
    # database connection).
    content = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Tổng hợp"


def test_a_report_without_a_file_yet_is_404(leader, reference_data):
    report = reports.monthly_report_request(month=MAY, queue=False)
    assert client_for(leader).get(f"/reports/{report.pk}/download/").status_code == 404
    assert client_for(leader).get("/reports/999/download/").status_code == 404


def test_the_file_has_no_public_address(may_records, settings):
    report = built_report()
    assert report.file.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError, match="chỉ tải về qua trang của cổng"):
        report.file.url  # noqa: B018


def test_leaders_and_district_officers_cannot_send_again(leader, district_officer,
                                                        may_records):
    report = built_report()
    for user in (leader, district_officer):
        response = client_for(user).post(f"/reports/{report.pk}/email/")
        assert response.status_code == 403
    report.refresh_from_db()
    assert report.email_status == EmailStatus.PENDING


def test_the_menu_offers_reports_to_readers_only(province_staff, leader, district_officer):
    def labels(user):
        return [item["label"] for item in navigation_for(user)]

    assert "Báo cáo" in labels(province_staff)
    assert "Báo cáo" in labels(leader)
    assert "Báo cáo" not in labels(district_officer)


def test_the_list_takes_the_same_queries_for_few_and_many_reports(
        leader, reference_data, django_assert_num_queries):
    client = client_for(leader)
    MonthlyReport.objects.create(month=MAY)
    client.get("/reports/")  # warm up the session
    # The list, and one query for whether the queued ones wait for the queue to be back.
    with django_assert_num_queries(6):
        assert client.get("/reports/").status_code == 200
    MonthlyReport.objects.bulk_create(
        MonthlyReport(month=dt.date(2020 + n // 12, n % 12 + 1, 1), version=2,
                      status=ReportStatus.QUEUED if n % 2 else ReportStatus.FAILED, error="x")
        for n in range(40))
    with django_assert_num_queries(6):
        response = client.get("/reports/")
    assert response.status_code == 200
    assert response.content.decode().count("Báo cáo tháng ") >= 24


def test_the_service_refuses_leaders(leader, reference_data):
    with pytest.raises(PermissionDenied):
        reports.monthly_report_request(month=MAY, user=leader)
    assert not MonthlyReport.objects.exists()


# The monthly report ------------------------------------------------------------------------

def test_the_workbook_holds_the_months_figures(may_records):
    report = built_report()
    assert (report.status, report.version, report.error) == (ReportStatus.DONE, 1, "")
    with report.file.open("rb") as stored:
        workbook = load_workbook(stored)
    assert workbook.sheetnames == ["Tổng hợp", "SP công nhận trong tháng", "Tin bài trong tháng",
                                   "GCN sắp hết hạn", "Nhiệm vụ quá hạn"]
    summary = workbook["Tổng hợp"]
    texts = [c.value for c in summary["A"] if isinstance(c.value, str)]
    assert "BÁO CÁO TIẾN ĐỘ THỰC HIỆN CHƯƠNG TRÌNH OCOP THÁNG 5/2024" in texts
    assert report.summary["paragraph"] in texts
    names = [c.value for c in summary["B"]]
    assert names.count("Chợ Đồn") == 2  # a row in the Phụ lục 1 table and in the Phụ lục 2 one
    assert names.count("Tổng cộng") == 2
    decisions = list(workbook["SP công nhận trong tháng"].iter_rows(min_row=4, values_only=True))
    assert sorted((r[1], r[5], r[6]) for r in decisions) == [
        ("Chè Shan tuyết", "Nâng hạng", "Không"), ("Gạo nếp Tài", "Đánh giá lần đầu", "Có"),
        ("Miến dong Na Rì", "Đánh giá lần đầu", "Có")]
    assert len(list(workbook["Tin bài trong tháng"].iter_rows(min_row=4))) == 3
    expiring = list(workbook["GCN sắp hết hạn"].iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[7]) for r in expiring] == [("Cam sành", 50)]  # 20/07/2024 - 31/05/2024
    tasks = list(workbook["Nhiệm vụ quá hạn"].iter_rows(min_row=4, values_only=True))
    assert [t[1] for t in tasks] == ["Hội chợ OCOP"]
    assert report.summary["new_products"] == 2
    assert report.summary["decisions"] == 3
    assert (report.summary["media_items"], report.summary["media_met"]) == (3, True)


def test_the_paragraph_says_what_the_engine_counts(may_records):
    figures = month_figures(MAY)
    progress = indicator_progress(year=2024, today=dt.date(2024, 5, 31))
    new = progress.indicator("new_products_3star").total
    assert (new.actual, new.quota) == (3, 20)
    media = progress.indicator("media_items_monthly")
    assert media.months[4].items == 3
    paragraph = month_paragraph(figures)
    assert paragraph.startswith(
        "Trong tháng 5/2024, toàn tỉnh có thêm 2 sản phẩm được công nhận đạt 3 sao trở lên "
        f"(lũy kế năm 2024: 3/20 sản phẩm, đạt {percent_text(new)} kế hoạch); 1 quyết định "
        "công nhận khác (nâng hạng, đánh giá lại, cấp lại); đăng 3 tin, bài tuyên truyền (đạt "
        "chỉ tiêu 2 tin, bài/tháng).")
    assert percent_text(new) == "15%"
    linkage = progress.indicator("linkage_subjects").total
    assert (f"chủ thể tham gia liên kết sản xuất và tiêu thụ sản phẩm: {linkage.actual}/25 chủ "
            f"thể, đạt {percent_text(linkage)}") in paragraph
    assert ("Có 1 giấy chứng nhận OCOP hết hạn trong 90 ngày tính từ 31/05/2024; 1 nội dung "
            "của kế hoạch quá hạn chưa hoàn thành.") in paragraph


def test_a_month_without_news_says_so(reference_data):
    paragraph = month_paragraph(month_figures(dt.date(2024, 2, 1)))
    assert "toàn tỉnh không có thêm sản phẩm nào được công nhận" in paragraph
    assert "đăng 0 tin, bài tuyên truyền (chưa đạt chỉ tiêu 2 tin, bài/tháng)" in paragraph
    assert "Không có giấy chứng nhận OCOP nào hết hạn" in paragraph


def test_percentages_read_as_in_vietnamese(reference_data):
    progress = indicator_progress(year=2024)
    figure = progress.indicator("new_products_3star").total
    # The portal's one rule (ocop_portal.numbers): a whole percent, a half rounded up.
    assert percent_text(type(figure)(quota=8, actual=5, target=8, expected=0, closed=True)) == (
        "63%")
    assert percent_text(type(figure)(quota=3, actual=1, target=3, expected=0, closed=True)) == (
        "33%")


def test_making_a_month_again_keeps_one_record_and_one_file(may_records, settings):
    first = built_report()
    second = built_report()
    assert MonthlyReport.objects.count() == 1
    assert (second.pk, second.version, second.status) == (first.pk, 2, ReportStatus.DONE)
    assert second.file.name.endswith("lan-2.xlsx")
    stored = list((settings.MEDIA_ROOT / "private" / "reports" / "monthly" / "2024-05").iterdir())
    assert [p.name for p in stored] == ["bao-cao-ocop-2024-05-lan-2.xlsx"]


def test_a_failed_build_is_recorded_with_its_reason(reference_data, province_staff, settings):
    report = reports.monthly_report_request(month=MAY, queue=False)
    # The private folder cannot be created: a file stands where it should be.
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "private").write_text("not a folder")
    monthly_report_generate.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error
    assert not report.file
    page = client_for(province_staff).get("/reports/").content.decode()
    assert "Lập không thành công" in page
    assert escape(report.error) in page
    assert report.error.startswith("Lỗi khi lập báo cáo")
    assert "NotADirectoryError" in report.error


def test_a_failed_email_keeps_the_report_and_a_later_retry_sends_it(
        may_records, settings, province_staff, mailoutbox, django_capture_on_commit_callbacks):
    settings.REPORT_RECIPIENTS = ["vpdp.ntm@backan.gov.vn", "lanhdao@backan.gov.vn"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    report = built_report()
    with report.file.open("rb") as stored:
        built = stored.read()
    assert monthly_report_email.apply(args=[report.pk]).get() == "failed"
    report.refresh_from_db()
    assert (report.status, report.email_status) == (ReportStatus.DONE, EmailStatus.FAILED)
    assert "ConnectionRefusedError" in report.email_error
    assert report.file
    client = client_for(province_staff)
    page = client.get("/reports/").content.decode()
    assert "Gửi không thành công" in page
    assert "ConnectionRefusedError" in page
    assert "Gửi lại thư" in page

    with django_capture_on_commit_callbacks() as queued:
        assert client.post(f"/reports/{report.pk}/email/").status_code == 302
    assert len(queued) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monthly_report_email.apply(args=[report.pk])
    report.refresh_from_db()
    assert (report.email_status, report.email_error, report.version) == (
        EmailStatus.SENT, "", 1)
    assert report.email_sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["vpdp.ntm@backan.gov.vn", "lanhdao@backan.gov.vn"]
    assert message.subject == "[OCOP Bắc Kạn] Báo cáo tháng 5/2024"
    assert report.summary["paragraph"] in message.body
    [(filename, content, _)] = message.attachments
    assert filename == "Báo cáo OCOP tháng 05-2024 (lần 1).xlsx"
    assert content == built  # the stored workbook, not a new build
    # Sent once: running the task again sends nothing more.
    monthly_report_email.apply(args=[report.pk])
    assert len(mailoutbox) == 1
    assert "Đã gửi" in client.get("/reports/").content.decode()


def test_without_recipients_the_report_says_so(may_records, settings, mailoutbox):
    settings.REPORT_RECIPIENTS = []
    report = built_report()
    monthly_report_email.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.email_status == EmailStatus.NOT_CONFIGURED
    assert mailoutbox == []


def test_the_plan_page_links_to_its_appendices(leader, reference_data):
    html = client_for(leader).get("/targets/?year=2024").content.decode()
    assert "/reports/appendix/1/?year=2024" in html
    assert "/reports/appendix/2/?year=2024" in html


def test_while_a_month_is_made_again_the_last_file_still_downloads_as_what_it_is(
        may_records, leader):
    built_report()
    report = reports.monthly_report_request(month=MAY, queue=False)
    assert (report.version, report.file_version, report.status) == (2, 1, ReportStatus.QUEUED)
    response = client_for(leader).get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert quote("Báo cáo OCOP tháng 05-2024 (lần 1).xlsx") in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert "Tải về (lần 1)" in client_for(leader).get("/reports/").content.decode()


@pytest.mark.parametrize(("month", "words"), [
    (dt.date(2023, 5, 1), "(lũy kế năm 2023: 0 sản phẩm, chưa giao chỉ tiêu)"),
    (dt.date(2026, 1, 1), "(lũy kế năm 2026: 0 sản phẩm, chưa giao chỉ tiêu)"),
])
def test_a_month_of_a_year_without_plan_or_districts_is_reported_too(reference_data, month,
                                                                    words):
    report = built_report(month)
    assert (report.status, report.error) == (ReportStatus.DONE, "")
    assert words in report.summary["paragraph"]


@pytest.mark.django_db
def test_a_months_figures_leave_out_what_is_dated_after_the_month(reference_data):
    """Rebuilt later, May's report still counts the year only to 31/05."""
    import datetime as dt

    from targets.monthly import month_figures
    from tests.factories import ProductFactory, recognise
    from tests.targets.builders import media_item

    recognise(ProductFactory(name="Công nhận tháng 5"), 3, dt.date(2024, 5, 20))
    recognise(ProductFactory(name="Công nhận tháng 7"), 3, dt.date(2024, 7, 2))
    media_item(dt.datetime(2024, 5, 31, 23, 30))
    media_item(dt.datetime(2024, 6, 1, 8, 0))
    figures = month_figures(dt.date(2024, 5, 1))
    new_products = figures.progress.indicator("new_products_3star")
    assert new_products.total.actual == 1
    media = figures.progress.indicator("media_items_monthly")
    assert media.items == 1
    assert [p.name for p in figures.new_products] == ["Công nhận tháng 5"]


def _workbook_values(report: MonthlyReport) -> dict[str, list[tuple]]:
    """Every sheet's cells, without the line that says when the workbook was made."""
    with report.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    return {sheet.title: [row for row in sheet.iter_rows(values_only=True)
                          if not any(isinstance(v, str) and v.startswith("Lập lúc") for v in row)]
            for sheet in workbook.worksheets}


def test_a_report_rebuilt_later_equals_the_one_built_on_time(may_records):
    """Built on 01/06, then again after records dated from June on were entered: every figure
    and every list — the expiry radar included — says what May said."""
    on_time = built_report()
    summary, cells = dict(on_time.summary), _workbook_values(on_time)
    assert (summary["new_products"], summary["expiring"]) == (2, 1)

    cho_don, na_ri = district("064"), district("066")
    # The certificate that lapsed within 90 days of 31/05 is renewed in June and then revoked:
    # read from the current certificate, May's radar would lose it.
    lapsing = may_records
    renewal = recognise(lapsing.product, 4, dt.date(2024, 6, 20)).certificate
    certificate_revoke(renewal, user=office_user(), revoked_on=dt.date(2024, 8, 1),
                       decision="15/QĐ-UBND", reason="Vi phạm")
    late = ProductFactory(name="Công nhận tháng 7", subject=SubjectFactory(district=na_ri))
    recognise(late, 3, dt.date(2024, 7, 2))
    traceability(late, dt.date(2024, 7, 10))
    quality(late, dt.date(2024, 7, 10))
    linkage(late.subject, dt.date(2024, 6, 5))
    support(late.subject, dt.date(2024, 8, 8))
    new_subject = SubjectFactory(district=cho_don, first_year_in_programme=2025)
    ProductFactory(subject=new_subject, name="Sản phẩm của chủ thể mới 2025")
    media_item(dt.datetime(2024, 6, 3, 9), district=cho_don)
    media_item(dt.datetime(2024, 12, 30, 9))

    rebuilt = built_report()
    assert rebuilt.version == 2
    assert dict(rebuilt.summary) == summary
    assert _workbook_values(rebuilt) == cells
    # The later records are there: the year's figures as of today have moved.
    assert indicator_progress(year=2024).indicator("new_products_3star").total.actual == 4
