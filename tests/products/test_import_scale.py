"""The import at scale: its number of queries does not grow with the rows (dry run and import),
what it saves is what the row-by-row services saved (records, kinds, certificates, cycle stages,
and one history record per save), and it reports its progress row by row."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ocop_portal import progress
from products.imports import run_import
from products.imports.batches import import_batch_apply, import_batch_check, progress_name
from products.imports.report import Action
from products.models import (
    Certificate,
    CertificateStatus,
    CycleParticipation,
    CycleStage,
    Evaluation,
    EvaluationKind,
    ImportBatch,
    Product,
    QualityCertification,
    Standard,
    Traceability,
)
from subjects.models import Subject
from tests.factories import ProductFactory, SubjectFactory, recognise
from tests.products.import_workbooks import row, workbook_bytes

pytestmark = pytest.mark.django_db

RECENT = dt.date(2025, 3, 10)  # a certificate still valid
OLD = dt.date(2021, 5, 20)  # a certificate expired since 2024
SEEDED = dt.date(2022, 4, 2)


def _rows_of_five(prefix: str, i: int, seeded: dict) -> list[dict]:
    """Five kinds of rows, one product each (six rows): a new producer's recognised product
    with traceability and a standard; a new product of a producer already in the portal (by its
    registration number) registered at a cycle stage; a new producer's product recognised twice
    (expired, then upgraded); a product already in the portal given an upgrade and two
    standards; and a second product of the first producer, spelt differently, not recognised."""
    today = timezone.localdate()
    base = row(standards=None, traceability=None, commune="Bằng Phúc", first_year=2021)
    first = f"Hợp tác xã {prefix} {i}"
    return [
        {**base, "product_name": f"Miến {prefix} {i}", "subject_name": first,
         "registration_number": f"{prefix}-{i}", "stars": 3, "score": 60,
         "decision_number": f"{i}/QĐ-A", "decision_date": f"{RECENT:%d/%m/%Y}",
         "traceability": "Có", "standards": "VietGAP"},
        {**base, "product_name": f"Măng {prefix} {i}", "subject_name": "tên khác",
         "registration_number": seeded["number"], "stars": None, "score": None, "level": None,
         "decision_number": None, "decision_date": None, "cycle_year": today.year,
         "stage": "Phương án sản xuất kinh doanh",
         # This year's: Bằng Phúc has been part of xã Đồng Phúc since 01/07/2025.
         "commune": "Đồng Phúc"},
        {**base, "product_name": f"Chè {prefix} {i}", "subject_name": f"Tổ {prefix} {i}",
         "subject_type": "Tổ hợp tác", "registration_number": None, "stars": 3, "score": 55,
         "level": "Tỉnh", "decision_number": f"{i}/QĐ-B", "decision_date": f"{OLD:%d/%m/%Y}"},
        {**base, "product_name": f"Chè {prefix} {i}", "subject_name": f"Tổ {prefix} {i}",
         "subject_type": "Tổ hợp tác", "registration_number": None, "stars": 4, "score": 80,
         "level": "Tỉnh", "decision_number": f"{i}/QĐ-C", "decision_date": f"{RECENT:%d/%m/%Y}"},
        {**base, "product_name": seeded["product"].name, "subject_name": seeded["subject"],
         "registration_number": None, "stars": 4, "score": 75, "level": "Tỉnh",
         "decision_number": f"{i}/QĐ-D", "decision_date": f"{RECENT:%d/%m/%Y}",
         "standards": "ISO 22000, HACCP"},
        {**base, "product_name": f"Rượu {prefix} {i}", "subject_name": f"HTX {prefix} {i}",
         "registration_number": None, "stars": None, "score": None, "level": None,
         "decision_number": None, "decision_date": None, "traceability": "Có"},
    ]


def _workbook(prefix: str, products: int) -> tuple[bytes, list[dict]]:
    """A workbook of `products` groups of the five kinds, each with its seeded records."""
    rows, seeds = [], []
    for i in range(products):
        subject = SubjectFactory(name=f"Hợp tác xã có sẵn {prefix} {i}",
                                 registration_number=f"SEED-{prefix}-{i}")
        product = ProductFactory(name=f"Mật ong {prefix} {i}", subject=subject)
        recognise(product, stars=3, decision_date=SEEDED, decision_number=f"{i}/QĐ-S")
        seed = {"number": subject.registration_number, "subject": subject.name,
                "product": product}
        seeds.append(seed)
        rows += _rows_of_five(prefix, i, seed)
    return workbook_bytes(rows), seeds


class Statements:
    """The statements an import sends, a bulk insert or update counted once however many
    batches the backend splits it into (SQLite takes 999 parameters a statement)."""

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)

    @property
    def raw(self) -> int:
        return len(self.sql)

    @property
    def bulk(self) -> int:
        count, previous = 0, None
        for sql in self.sql:
            match = re.match(r'\s*(INSERT INTO|UPDATE)\s+"?(\w+)"?', sql)
            key = match.groups() if match else None
            if key is None or key != previous:
                count += 1
            previous = key
        return count


def _run(content, user, *, dry_run):
    statements = Statements()
    with connection.execute_wrapper(statements):
        report = run_import(name="quy-mo.xlsx", content=content, user=user, dry_run=dry_run)
    assert report.ok, [str(issue) for issue in report.errors[:5]]
    return report, statements


def _history_counts() -> dict:
    return {model.__name__: model.history.count()
            for model in (Subject, Product, Evaluation, Certificate, CycleParticipation,
                          QualityCertification, Traceability)}


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_the_query_count_does_not_grow_with_the_rows(province_staff, dry_run):
    small, _ = _workbook("nho", 10)  # 60 rows
    large, _ = _workbook("lon", 40)  # 240 rows

    _, of_small = _run(small, province_staff, dry_run=dry_run)
    _, of_large = _run(large, province_staff, dry_run=dry_run)

    assert of_small.bulk == of_large.bulk, (of_small.sql, of_large.sql)
    assert of_large.bulk <= 50  # with the foreign-key check of the written tables (SQLite)
    if connection.vendor == "postgresql":  # one statement a bulk write, whatever the rows
        assert of_small.raw == of_large.raw


@pytest.mark.parametrize("products", [10, 40])
def test_what_the_import_saves_is_what_the_services_saved_row_by_row(province_staff,
                                                                     products):
    content, seeds = _workbook("k", products)
    today = timezone.localdate()
    records_before, history_before = Product.objects.count(), _history_counts()

    report, _ = _run(content, province_staff, dry_run=False)

    assert report.applied
    assert [r.action for r in report.rows] == [Action.CREATE, Action.CREATE, Action.CREATE,
                                               Action.UPDATE, Action.UPDATE,
                                               Action.CREATE] * products
    assert report.created == {"subjects": 2 * products, "products": 4 * products,
                              "evaluations": 4 * products, "certificates": 4 * products,
                              "quality_certifications": 3 * products,
                              "traceability": 2 * products, "participations": products}
    assert Product.objects.count() == records_before + 4 * products
    for i, seed in enumerate(seeds):
        first = Product.objects.get(name=f"Miến k {i}")
        assert first.current_certificate.valid_to == dt.date(2028, 3, 10)
        assert first.current_certificate.status == CertificateStatus.ACTIVE
        assert first.evaluations.get().kind == EvaluationKind.NEW
        assert first.traceability_records.get().started_on == RECENT
        assert list(first.quality_certifications.values_list("standard", flat=True)) == [
            Standard.VIETGAP]
        assert first.subject.registration_number == f"k-{i}"

        registered = Product.objects.get(name=f"Măng k {i}")
        assert registered.subject.registration_number == seed["number"]
        participation = registered.participations.get()
        assert (participation.stage, participation.kind) == (CycleStage.BUSINESS_PLAN,
                                                             EvaluationKind.NEW)
        assert (participation.registered_on, participation.plan_on) == (today, today)
        assert participation.history.count() == 2  # registered, then at the plan

        upgraded = Product.objects.get(name=f"Chè k {i}")
        old, new = upgraded.evaluations.order_by("decision_date")
        assert (old.kind, new.kind) == (EvaluationKind.NEW, EvaluationKind.UPGRADE)
        assert (old.certificate.status, old.certificate.superseded_by) == (
            CertificateStatus.SUPERSEDED, new.certificate)
        assert old.certificate.ended_on == RECENT
        assert upgraded.current_certificate == new.certificate
        assert old.certificate.history.count() == 3  # granted, expired, superseded

        seeded = Product.objects.get(pk=seed["product"].pk)
        kinds = list(seeded.evaluations.order_by("decision_date").values_list("kind", flat=True))
        assert kinds == [EvaluationKind.NEW, EvaluationKind.UPGRADE]
        assert seeded.current_certificate.valid_from == RECENT
        assert seeded.certificates.get(valid_from=SEEDED).status == CertificateStatus.SUPERSEDED
        assert sorted(seeded.quality_certifications.values_list("standard", flat=True)) == [
            Standard.HACCP, Standard.ISO_22000]

        second = Product.objects.get(name=f"Rượu k {i}")
        assert second.subject == first.subject  # “HTX” is “Hợp tác xã”
        assert second.current_certificate is None
        assert second.traceability_records.get().started_on == today
    # One history record for every save the services made, with its author.
    added = {name: count - history_before[name] for name, count in _history_counts().items()}
    assert added == {"Subject": 2 * products, "Product": 8 * products,
                     "Evaluation": 4 * products, "Certificate": 7 * products,
                     "CycleParticipation": 2 * products, "QualityCertification": 3 * products,
                     "Traceability": 2 * products}
    assert set(Evaluation.history.filter(decision_number__endswith="/QĐ-C").values_list(
        "history_user", flat=True)) == {province_staff.pk}


def test_a_dry_run_at_scale_reports_the_same_and_saves_nothing(province_staff):
    content, _ = _workbook("t", 10)
    before = (_history_counts(), Product.objects.count(), Certificate.objects.count())

    preview, _ = _run(content, province_staff, dry_run=True)

    assert not preview.applied
    assert (_history_counts(), Product.objects.count(), Certificate.objects.count()) == before
    imported, _ = _run(content, province_staff, dry_run=False)
    assert [(r.row, r.action, r.changes) for r in preview.rows] == [
        (r.row, r.action, r.changes) for r in imported.rows]
    assert preview.warnings == imported.warnings
    assert preview.created == imported.created


def test_a_refused_row_leaves_later_rows_as_if_it_had_not_been_there(province_staff):
    # Row 2 creates its producer and product, then its registration is refused (last year's
    # cycle cannot be registered today); row 3, of the same producer, creates the producer
    # again, as when each row had its own savepoint.
    year = timezone.localdate().year
    candidate = {"stars": None, "score": None, "level": None, "decision_number": None,
                 "decision_date": None, "registration_number": None, "traceability": None,
                 "standards": None}
    content = workbook_bytes([
        row(**candidate, product_name="Chè búp", cycle_year=year - 1, stage="Đăng ký"),
        row(**candidate, product_name="Chè xanh"),
    ])

    report = run_import(name="x.xlsx", content=content, user=province_staff, dry_run=True)

    assert [(e.row, e.column) for e in report.errors] == [(2, "Năm chu trình")]
    assert [r.row for r in report.rows] == [3]
    assert report.rows[0].changes[0].startswith("Tạo chủ thể mới “Hợp tác xã Chè Bằng Phúc”")
    assert not Subject.objects.exists()


# Progress ---------------------------------------------------------------------------------------

def test_the_check_and_the_import_write_their_progress(district_officer):
    rows = [row(product_name=f"Sản phẩm {n}", decision_number=f"{n}/QĐ-UBND")
            for n in range(12)]
    batch = ImportBatch.objects.create(
        filename="tien-do.xlsx", content=workbook_bytes(rows), size=1, sha256="-",
        user=district_officer, status=ImportBatch.Status.CHECKING)

    import_batch_check(batch.pk)

    checked = progress.read(progress_name(batch.pk))
    assert (checked.done, checked.total, checked.stage) == (
        12, 12, "Đang đối chiếu với dữ liệu đã có")
    assert checked.percent == 100
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)

    import_batch_apply(batch.pk)

    imported = progress.read(progress_name(batch.pk))
    assert (imported.done, imported.total, imported.stage) == (12, 12, "Đang ghi")
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.APPLIED
    assert Product.objects.count() == 12


def test_the_batch_page_shows_the_progress_bar_while_the_batch_runs(district_officer):
    batch = ImportBatch.objects.create(
        filename="dang-chay.xlsx", content=b"x", size=1, sha256="-", user=district_officer,
        status=ImportBatch.Status.IMPORTING)
    reporter = progress.Reporter(progress_name(batch.pk), total=4000, stage="Đang ghi")
    reporter.advance(1000)  # the first write of a reporter is at once
    client = Client()
    client.force_login(district_officer)

    html = client.get(f"/products/import/{batch.pk}/").content.decode()

    assert '<progress class="w-100" value="1000" max="4000"' in html
    assert "Đang ghi: 1.000 / 4.000 dòng" in html
    assert "25%" in html
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLIED,
                                                   summary={"applied": True})
    done = client.get(f"/products/import/{batch.pk}/").content.decode()
    assert "<progress" not in done
