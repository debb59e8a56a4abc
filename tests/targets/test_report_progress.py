"""A monthly report being built shows how far it has got, in rows and percent."""

import datetime as dt

import pytest
from django.test import Client

from ocop_portal import progress
from targets import reports
from targets.models import MonthlyReport, ReportStatus
from targets.monthly import month_figures
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)


def test_a_build_counts_every_row_of_its_tables(cho_don, province_staff,
                                                 django_capture_on_commit_callbacks):
    for day in (3, 9):
        product = ProductFactory(subject=SubjectFactory(district=cho_don))
        recognise(product, 4, dt.date(2024, 5, day))
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.monthly_report_request(month=MAY, user=province_staff)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    rows = month_figures(MAY).list_rows
    assert rows == 8 + 2  # a row a district, the two decisions of the month
    assert progress.read(report.progress_key) == progress.Progress(rows, rows,
                                                                   "Đang ghi báo cáo")


def test_the_list_shows_the_bar_of_a_report_being_built(province_staff):
    report = MonthlyReport.objects.create(month=MAY, status=ReportStatus.RUNNING)
    progress.write(report.progress_key, 30, 40, "Đang ghi báo cáo")
    client = Client()
    client.force_login(province_staff)
    html = client.get("/reports/").content.decode()
    assert "Đang ghi báo cáo: 30 / 40 dòng" in html
    assert '<progress class="w-100" value="30" max="40"' in html
    assert '<meta http-equiv="refresh" content="5">' in html
