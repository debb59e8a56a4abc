"""The preview stops before the writes (products.imports.run_import): its report must be the
import's, to the letter, on a file that creates, updates, leaves unchanged and refuses rows."""

import datetime as dt

import pytest
from django.utils import timezone

from products.imports import run_import
from products.imports.report import Action
from products.models import Certificate, Evaluation, Product
from subjects.models import Subject
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.products.import_workbooks import row, workbook_bytes

pytestmark = pytest.mark.django_db

CANDIDATE = {"stars": None, "score": None, "level": None, "decision_number": None,
             "decision_date": None}


@pytest.fixture
def seeded():
    """A producer of Chợ Đồn with a recognised product, and a producer of Na Rì."""
    subject = SubjectFactory(name="Hợp tác xã Mật ong Ba Bể", registration_number="4700999999")
    product = ProductFactory(name="Mật ong bạc hà", subject=subject)
    recognise(product, stars=3, score=60, decision_date=dt.date(2022, 4, 2),
              decision_number="12/QĐ-UBND")
    SubjectFactory(name="Hợp tác xã Na Rì", registration_number="4700888888",
                   district=district("066"))
    return product


def _varied_rows(product) -> list[dict]:
    """Rows of every kind the import meets, none refused."""
    year = timezone.localdate().year
    subject = product.subject
    return [
        row(),  # a new producer's recognised product, traceability and two standards
        row(product_name="Chè xanh Bằng Phúc", subject_name="htx  chè bằng phúc",
            registration_number=None, stars=4, score=80, level="Tỉnh",
            decision_number="7/QĐ-UBND", decision_date="01/03/2025", standards=None),
        row(product_name="Chè xanh Bằng Phúc", subject_name="HTX Chè Bằng Phúc",
            registration_number=None, stars=3, score=61, decision_number="3/QĐ-UBND",
            decision_date="05/05/2020", traceability=None, standards=None),  # older, after
        row(product_name=product.name, subject_name="tên khác trong tệp",
            registration_number=subject.registration_number, stars=3, score=65,
            decision_number="12/QĐ-UBND", decision_date="02/04/2022", traceability=None,
            standards=None),  # the same decision again, another score: a warning
        row(product_name=product.name, subject_name=subject.name, registration_number=None,
            stars=4, score=78, level="Tỉnh", decision_number="40/QĐ-UBND",
            decision_date="10/03/2025", standards="HACCP"),  # an upgrade
        row(**CANDIDATE, product_name="Măng khô", subject_name=subject.name,
            registration_number=None, subject_type="Tổ hợp tác", cycle_year=year,
            stage="Phương án sản xuất kinh doanh", traceability=None, standards=None,
            commune="Nam Cường"),  # this year: a commune of Thái Nguyên
        row(**CANDIDATE, product_name="Rượu ngô", subject_name="Hộ kinh doanh Lý Văn A",
            subject_type="Hộ kinh doanh", registration_number="123", traceability="Có",
            standards=None, commune="Nam Cường"),
    ]


def _refused_rows(product) -> list[dict]:
    """The varied rows, and among them rows refused: by the file's check, by a service's rule
    (its producer then created by a later row), by the decision already in the portal, and by
    a producer of another district."""
    year = timezone.localdate().year
    rows = _varied_rows(product)
    return [
        *rows[:3],
        row(product_name="Bánh gai", subject_name="Tổ hợp tác Bánh Gai", stars=7,
            registration_number=None),  # refused by the check of the file
        row(**CANDIDATE, product_name="Chè búp", subject_name="Hợp tác xã Chè Búp",
            registration_number=None, cycle_year=year - 1, stage="Đăng ký", traceability=None,
            standards=None),  # refused by participation_build
        row(**CANDIDATE, product_name="Chè đen", subject_name="Hợp tác xã Chè Búp",
            registration_number=None, traceability=None, standards=None),
        row(product_name=product.name, subject_name=product.subject.name,
            registration_number=None, stars=4, score=80, decision_number="12/QĐ-UBND",
            decision_date="02/04/2022"),  # contradicts the decision in the portal
        row(product_name="Măng Na Rì", subject_name="Hợp tác xã khác",
            registration_number="4700888888", traceability=None, standards=None),
        *rows[3:],
    ]


def _saved() -> tuple:
    return (Subject.all_objects.count(), Product.all_objects.count(), Evaluation.objects.count(),
            Certificate.objects.count(), Product.history.count(), Certificate.history.count())


def _report(content, user, *, dry_run):
    report = run_import(name="nhieu-loai.xlsx", content=content, user=user, dry_run=dry_run)
    return report, {key: value for key, value in report.to_dict().items() if key != "applied"}


def test_a_preview_reports_exactly_what_the_import_does(province_staff, seeded):
    content = workbook_bytes(_varied_rows(seeded))
    before = _saved()

    preview, previewed = _report(content, province_staff, dry_run=True)

    assert preview.ok
    assert not preview.applied
    assert _saved() == before
    assert {r.action for r in preview.rows} == {Action.CREATE, Action.UPDATE, Action.UNCHANGED}
    assert preview.warnings
    imported, reported = _report(content, province_staff, dry_run=False)
    assert imported.applied
    assert reported == previewed
    assert _saved() != before


def test_a_preview_refuses_exactly_the_rows_the_import_refuses(district_officer, seeded):
    content = workbook_bytes(_refused_rows(seeded))
    before = _saved()

    preview, previewed = _report(content, district_officer, dry_run=True)
    imported, reported = _report(content, district_officer, dry_run=False)

    assert reported == previewed
    assert not imported.applied
    assert _saved() == before
    refused = {issue.row for issue in preview.errors}
    assert refused == {5, 6, 8, 9}
    assert 7 in {r.row for r in preview.rows}  # its producer created again, as if row 6 were not
    assert not refused & {r.row for r in preview.rows}


def test_the_same_file_previewed_again_after_its_import_reports_what_the_import_would_now_do(
        province_staff, seeded):
    content = workbook_bytes(_varied_rows(seeded))
    run_import(name="nhieu-loai.xlsx", content=content, user=province_staff, dry_run=False)

    _, previewed = _report(content, province_staff, dry_run=True)
    again, reported = _report(content, province_staff, dry_run=False)

    assert reported == previewed
    assert {r.action for r in again.rows} <= {Action.UNCHANGED, Action.UPDATE}
