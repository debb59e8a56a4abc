"""The Excel import (template v1): what a clean workbook creates, that importing it again
changes nothing, a product's history over several rows, and the workbooks it refuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from products.imports import run_import
from products.imports.report import Action
from products.models import (
    Certificate,
    CertificateStatus,
    Evaluation,
    EvaluationKind,
    ImportBatch,
    Product,
    QualityCertification,
    Standard,
    Traceability,
)
from subjects.models import Subject, SubjectType
from tests.factories import ProductFactory, recognise
from tests.products.import_workbooks import (
    BASE_ROW,
    CLEAN_ROWS,
    HEADERS,
    csv_bytes,
    empty_workbook_bytes,
    padded_workbook_bytes,
    row,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

REGISTRY = (Subject, Product, Evaluation, Certificate, QualityCertification, Traceability,
            ImportBatch)


def registry_state():
    """How many rows every registry table and every history table holds."""
    counts = {model.__name__: model.objects.count() for model in REGISTRY}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            counts[model.__name__] = model.objects.count()
    return counts


def run(rows, user, *, name="san-pham.xlsx", dry_run=False):
    content = rows if isinstance(rows, bytes) else workbook_bytes(rows)
    return run_import(name=name, content=content, user=user, dry_run=dry_run)


def messages(report):
    return [str(issue) for issue in report.errors]


# A clean workbook ----------------------------------------------------------------------------

def test_clean_workbook_creates_subjects_products_evaluations_and_certificates(province_staff):
    report = run(CLEAN_ROWS, province_staff)

    assert report.ok, messages(report)
    assert report.applied
    assert [r.action for r in report.rows] == [Action.CREATE] * 4
    assert Subject.objects.count() == 3  # “HTX chè Bằng Phúc” is “Hợp tác xã Chè Bằng Phúc”
    tea_producer = Subject.objects.get(registration_number="4700111111")
    assert tea_producer.name == "Hợp tác xã Chè Bằng Phúc"
    assert tea_producer.subject_type == SubjectType.COOPERATIVE
    assert tea_producer.district.code == "064"
    assert tea_producer.commune.name == "Bằng Phúc"
    assert tea_producer.first_year_in_programme == 2023
    assert set(tea_producer.products.values_list("name", flat=True)) == {
        "Trà Shan tuyết Bằng Phúc", "Chè xanh Bằng Phúc"}
    assert Subject.objects.get(name="HTX Tài Hoan").first_year_in_programme == 2019
    household = Subject.objects.get(name="Hộ kinh doanh Hà Ngọc Sáng")
    assert household.subject_type == SubjectType.HOUSEHOLD
    assert household.district.name == "Bắc Kạn"

    noodles = Product.objects.get(name="Miến dong Tài Hoan")
    assert (noodles.district.code, noodles.commune.code) == ("066", "02173")
    assert noodles.group.name == "Thực phẩm"
    wine = Product.objects.get(name="Rượu ngô men lá")
    assert wine.group.name == "Đồ uống"
    assert not wine.evaluations.exists()
    assert wine.current_certificate is None


def test_clean_workbook_gives_each_recognition_a_36_month_certificate(province_staff):
    run(CLEAN_ROWS, province_staff)

    evaluations = {e.decision_number: e for e in Evaluation.objects.select_related("certificate")}
    assert set(evaluations) == {"101/QĐ-UBND", "2616/QĐ-UBND", "55/QĐ-BNN"}
    tea = evaluations["101/QĐ-UBND"]
    assert (tea.stars, tea.total_score, tea.level, tea.cycle_year) == (
        3, Decimal("62.50"), "huyen", 2024)
    assert tea.kind == EvaluationKind.NEW
    assert (tea.certificate.valid_from, tea.certificate.valid_to) == (
        dt.date(2024, 6, 15), dt.date(2027, 6, 15))
    noodles = evaluations["2616/QĐ-UBND"]
    assert (noodles.stars, noodles.level, noodles.decision_date) == (4, "tinh",
                                                                     dt.date(2021, 12, 29))
    assert noodles.certificate.valid_to == dt.date(2024, 12, 29)
    assert noodles.certificate.status == CertificateStatus.EXPIRED
    assert evaluations["55/QĐ-BNN"].certificate.valid_to == dt.date(2026, 3, 1)
    assert Certificate.objects.count() == 3


def test_clean_workbook_records_standards_once_and_traceability(province_staff):
    run(CLEAN_ROWS, province_staff)

    tea = Product.objects.get(name="Trà Shan tuyết Bằng Phúc")
    assert sorted(tea.quality_certifications.values_list("standard", "issued_on")) == [
        (Standard.ISO_22000, dt.date(2024, 6, 15)), (Standard.VIETGAP, dt.date(2024, 6, 15))]
    green_tea = Product.objects.get(name="Chè xanh Bằng Phúc")
    assert list(green_tea.quality_certifications.values_list("standard", flat=True)) == [
        Standard.ORGANIC]
    # Traceability starts on the decision of the row; a row without a decision, on import day.
    assert tea.traceability_records.get().started_on == dt.date(2024, 6, 15)
    assert green_tea.traceability_records.get().started_on == dt.date(2023, 3, 1)
    wine = Product.objects.get(name="Rượu ngô men lá")
    assert wine.traceability_records.get().started_on == timezone.localdate()
    assert not Product.objects.get(name="Miến dong Tài Hoan").traceability_records.exists()
    assert QualityCertification.objects.count() == 3
    assert Traceability.objects.count() == 3


def test_reimporting_the_same_workbook_changes_nothing(province_staff):
    first = run(CLEAN_ROWS, province_staff)
    assert first.ok
    before = registry_state()

    again = run(CLEAN_ROWS, province_staff)

    assert again.ok
    assert again.applied
    assert [r.action for r in again.rows] == [Action.UNCHANGED] * 4
    assert all(count == 0 for count in again.created.values())
    assert registry_state() == before


def test_dry_run_reports_what_would_change_and_saves_nothing(province_staff):
    before = registry_state()

    report = run(CLEAN_ROWS, province_staff, dry_run=True)

    assert report.ok
    assert not report.applied
    assert len(report.rows_to_create) == 4
    assert report.created["subjects"] == 3
    assert report.created["certificates"] == 3
    assert registry_state() == before


# A product's history over several rows ------------------------------------------------------

HISTORY = [
    row(stars=3, score=60, level="Tỉnh", decision_number="2616/QĐ-UBND",
        decision_date="29/12/2021", standards=None, traceability="Không"),
    row(stars=4, score=78, level="Tỉnh", decision_number="1500/QĐ-UBND",
        decision_date="15/06/2024", standards=None, traceability="Không"),
]


@pytest.mark.parametrize("rows", [HISTORY, HISTORY[::-1]], ids=["in-order", "newest-first"])
def test_history_rows_make_a_first_recognition_then_an_upgrade(province_staff, rows):
    report = run(rows, province_staff)

    assert report.ok, messages(report)
    product = Product.objects.get()
    evaluations = list(product.evaluations.order_by("decision_date"))
    assert [(e.stars, e.kind) for e in evaluations] == [
        (3, EvaluationKind.NEW), (4, EvaluationKind.UPGRADE)]
    first, second = (e.certificate for e in evaluations)
    first.refresh_from_db()
    assert first.status == CertificateStatus.SUPERSEDED
    assert first.superseded_by == second
    assert first.ended_on == dt.date(2024, 6, 15)
    assert product.current_certificate == second
    # The first row creates the product, the next one adds its other decision.
    assert [r.action for r in report.rows] == [Action.CREATE, Action.UPDATE]
    changes = " ".join(change for r in report.rows for change in r.changes)
    assert "1500/QĐ-UBND ngày 15/06/2024: 4 sao, cấp tỉnh" in changes
    assert "(nâng hạng)" in changes


def test_a_later_workbook_adds_a_re_recognition_to_an_existing_product(province_staff):
    run(HISTORY[:1], province_staff)
    renewal = row(stars=3, score=65, level="Huyện", decision_number="90/QĐ-UBND",
                  decision_date="10/01/2025", standards=None, traceability="Không")

    report = run([HISTORY[0], renewal], province_staff)

    assert report.ok, messages(report)
    assert [r.action for r in report.rows] == [Action.UNCHANGED, Action.UPDATE]
    product = Product.objects.get()
    assert [e.kind for e in product.evaluations.order_by("decision_date")] == [
        EvaluationKind.NEW, EvaluationKind.REEVALUATION]
    assert product.current_certificate.valid_from == dt.date(2025, 1, 10)
    assert product.certificates.filter(status=CertificateStatus.SUPERSEDED).count() == 1


def test_an_existing_product_is_matched_by_name_and_subject_and_gets_standards_once(
        province_staff):
    run([row(standards="VietGAP")], province_staff)

    report = run([row(product_name="TRÀ SHAN TUYẾT  BẰNG PHÚC",
                      standards="vietgap, GlobalGAP; ISO 22000:2018")], province_staff)

    assert report.ok
    assert report.rows[0].action == Action.UPDATE
    assert Product.objects.count() == 1
    assert sorted(QualityCertification.objects.values_list("standard", flat=True)) == [
        Standard.GLOBALGAP, Standard.ISO_22000, Standard.VIETGAP]


def test_a_subject_is_matched_by_registration_number_before_its_name(province_staff):
    run([row()], province_staff)

    report = run([row(subject_name="HTX Nông nghiệp Bằng Phúc", product_name="Măng khô")],
                 province_staff)

    assert report.ok
    assert Subject.objects.count() == 1
    assert Product.objects.get(name="Măng khô").subject.name == "Hợp tác xã Chè Bằng Phúc"
    assert any(w.column == "Mã số thuế/ĐKKD" for w in report.warnings)


def test_a_decision_number_typed_differently_is_the_same_decision(province_staff):
    run([row()], province_staff)
    before = registry_state()

    report = run([row(decision_number="101 / QD-ubnd")], province_staff)

    assert report.ok
    assert report.rows[0].action == Action.UNCHANGED
    assert registry_state() == before
    twice = run([row(), row(decision_number="101/qđ-UBND ")], province_staff)
    assert [(e.row, e.column) for e in twice.errors] == [(3, "Số quyết định")]


def test_differences_with_existing_records_are_warnings_and_change_nothing(province_staff):
    run([row()], province_staff)

    report = run([row(subject_type="Doanh nghiệp", group="Đồ uống", first_year=2020)],
                 province_staff)

    assert report.ok
    assert report.rows[0].action == Action.UNCHANGED
    assert {w.column for w in report.warnings} == {"Loại hình chủ thể", "Nhóm sản phẩm",
                                                   "Năm tham gia"}
    subject = Subject.objects.get()
    assert (subject.subject_type, subject.first_year_in_programme) == (SubjectType.COOPERATIVE,
                                                                       2023)
    assert Product.objects.get().group.name == "Thực phẩm"


def test_blank_level_follows_the_rules_in_force_on_the_decision_date(province_staff):
    report = run([
        row(level=None, stars=3, score=None, decision_date="10/01/2022"),
        row(level=None, stars=3, score=None, decision_number="7/QĐ-UBND",
            product_name="Chè búp", decision_date="10/01/2024"),
    ], province_staff)

    assert report.ok, messages(report)
    levels = dict(Evaluation.objects.values_list("decision_number", "level"))
    assert levels == {"101/QĐ-UBND": "tinh", "7/QĐ-UBND": "huyen"}


def test_all_errors_of_all_rows_are_reported_by_row_then_template_column(province_staff):
    report = run([
        row(stars=6, district="Chợ Đồng"),
        row(product_name=None, decision_date="hôm qua", level="Xã"),
        row(product_name="Măng khô", decision_number="9/QĐ"),
    ], province_staff)

    assert messages(report) == [
        "Dòng 2, cột “Huyện/Thành phố”: “Chợ Đồng” không phải huyện, thành phố của tỉnh Bắc "
        "Kạn. Ghi tên (ví dụ “Chợ Đồn”, “Thành phố Bắc Kạn”) hoặc mã (ví dụ “064”).",
        "Dòng 2, cột “Số sao”: 6 không hợp lệ, chỉ nhận 3, 4 hoặc 5.",
        "Dòng 3, cột “Tên sản phẩm”: bắt buộc, không được để trống.",
        "Dòng 3, cột “Cấp công nhận”: “Xã” không hợp lệ, chỉ nhận Huyện, Tỉnh hoặc Trung ương.",
        "Dòng 3, cột “Ngày quyết định”: “hôm qua” không phải ngày hợp lệ; ghi theo dạng "
        "dd/mm/yyyy, ví dụ 29/02/2024, hoặc dùng ô kiểu ngày của Excel.",
    ]
    assert not report.applied
    assert Subject.objects.count() == 0


def test_a_leader_cannot_import(leader):
    with pytest.raises(PermissionDenied):
        run([row()], leader)
    assert Subject.objects.count() == 0


def test_a_district_officer_imports_rows_of_their_own_district(district_officer):
    report = run([row()], district_officer)

    assert report.ok
    assert Product.objects.get().district == district_officer.district


# Refused workbooks: each with its message naming row and column, nothing saved ---------------

def _over_limit():
    return padded_workbook_bytes([row()], 5 * 1024 * 1024 + 1)


BAD_WORKBOOKS = [
    ("missing-required-column",
     lambda: workbook_bytes([row()], [h for h in HEADERS if h != "Chủ thể"]), "bad.xlsx",
     "Dòng 1, cột “Chủ thể”: thiếu cột bắt buộc ở dòng tiêu đề."),
    ("unknown-district", lambda: workbook_bytes([row(district="Chợ Đồng")]), "bad.xlsx",
     "Dòng 2, cột “Huyện/Thành phố”: “Chợ Đồng” không phải huyện, thành phố của tỉnh Bắc Kạn."),
    ("commune-outside-the-district", lambda: workbook_bytes([row(commune="Kim Hỷ")]),
     "bad.xlsx", "Dòng 2, cột “Xã/Phường/Thị trấn”: “Kim Hỷ” (Xã Kim Hỷ) thuộc Huyện Na Rì, "
     "không thuộc Huyện Chợ Đồn."),
    ("six-stars", lambda: workbook_bytes([row(stars=6, score=None)]), "bad.xlsx",
     "Dòng 2, cột “Số sao”: 6 không hợp lệ, chỉ nhận 3, 4 hoặc 5."),
    ("score-outside-the-band", lambda: workbook_bytes([row(stars=4, score=65)]), "bad.xlsx",
     "Dòng 2, cột “Điểm”: 65 điểm thuộc hạng 3 sao (từ 50 đến dưới 70 điểm), không khớp 4 sao "
     "ở cột “Số sao”: 4 sao cần từ 70 đến dưới 90 điểm."),
    ("unparseable-date", lambda: workbook_bytes([row(decision_date="31/02/2024")]), "bad.xlsx",
     "Dòng 2, cột “Ngày quyết định”: “31/02/2024” không phải ngày hợp lệ; ghi theo dạng "
     "dd/mm/yyyy"),
    ("same-product-twice-with-one-decision",
     lambda: workbook_bytes([row(), row(subject_name="HTX Chè Bằng Phúc", stars=3, score=55)]),
     "bad.xlsx", "Dòng 3, cột “Số quyết định”: sản phẩm “Trà Shan tuyết Bằng Phúc” của “HTX Chè "
     "Bằng Phúc” đã có quyết định 101/QĐ-UBND ở dòng 2; mỗi quyết định của một sản phẩm chỉ ghi "
     "một dòng."),
    ("csv-renamed-xlsx", csv_bytes, "san-pham.xlsx",
     "Tệp “san-pham.xlsx” có đuôi .xlsx nhưng nội dung không phải bảng tính Excel (có thể là "
     "tệp CSV hay tệp khác được đổi tên)."),
    ("csv-file", csv_bytes, "san-pham.csv",
     "Tệp “san-pham.csv” không phải tệp Excel .xlsx."),
    ("empty-sheet", empty_workbook_bytes, "bad.xlsx",
     "Dòng 1: trang tính đầu tiên (“Sản phẩm”) trống: không có dòng tiêu đề."),
    ("header-only", lambda: workbook_bytes([]), "bad.xlsx",
     "Dòng 2: không có dòng dữ liệu nào dưới dòng tiêu đề"),
    ("over-5-mb", _over_limit, "bad.xlsx",
     "Tệp “bad.xlsx” nặng 5,0 MB, vượt giới hạn 5 MB mỗi lần nhập."),
    ("formula-cell", lambda: workbook_bytes([row(score="=60+2.5")]), "bad.xlsx",
     "Dòng 2, cột “Điểm”: ô chứa công thức “=60+2.5”. Cổng chỉ nhận giá trị"),
    ("unknown-standard", lambda: workbook_bytes([row(standards="VietGAP, ISO 14001")]),
     "bad.xlsx", "Dòng 2, cột “Tiêu chuẩn chất lượng”: “ISO 14001” không có trong danh mục "
     "tiêu chuẩn; chỉ nhận: VietGAP, VietGAHP, GlobalGAP, Hữu cơ TCVN 11041, ISO 22000, "
     "FSSC 22000, HACCP, ISO 9001, GMP."),
    ("stars-without-decision", lambda: workbook_bytes([row(decision_number=None)]), "bad.xlsx",
     "Dòng 2, cột “Số quyết định”: bắt buộc khi có Số sao"),
    ("decision-without-stars", lambda: workbook_bytes([row(stars=None)]), "bad.xlsx",
     "Dòng 2, cột “Số sao”: để trống nhưng dòng có “Điểm”, “Cấp công nhận”, “Số quyết định”, "
     "“Ngày quyết định”."),
    ("unknown-subject-type", lambda: workbook_bytes([row(subject_type="Công ty")]), "bad.xlsx",
     "Dòng 2, cột “Loại hình chủ thể”: “Công ty” không hợp lệ, chỉ nhận: Hợp tác xã, Tổ hợp "
     "tác, Doanh nghiệp, Hộ kinh doanh, Cơ sở sản xuất."),
    ("unknown-group", lambda: workbook_bytes([row(group="Thảo dược")]), "bad.xlsx",
     "Dòng 2, cột “Nhóm sản phẩm”: “Thảo dược” không phải nhóm sản phẩm của QĐ 148/QĐ-TTg"),
    ("future-decision", lambda: workbook_bytes([row(decision_date="01/01/2099")]), "bad.xlsx",
     "Dòng 2, cột “Ngày quyết định”: ngày 01/01/2099 ở sau hôm nay"),
    ("repeated-column", lambda: workbook_bytes([row()], [*HEADERS, "Điểm"]), "bad.xlsx",
     "Dòng 1, cột “Điểm”: cột này có hai lần (cột I và cột U)"),
    ("template-example-row", lambda: workbook_bytes([
        {**BASE_ROW, "product_name": "Trà Shan tuyết Bằng Phúc (ví dụ)",
         "subject_name": "Hợp tác xã Chè Bằng Phúc (ví dụ)", "decision_number": "1234/QĐ-UBND"}]),
     "bad.xlsx", "Dòng 2: đây là dòng ví dụ của tệp mẫu"),
    ("xls-renamed-xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "bad.xlsx",
     "Tệp “bad.xlsx” là tệp Excel 97-2003 (.xls) đổi tên hoặc tệp có đặt mật khẩu"),
]


@pytest.mark.parametrize(("build", "name", "expected"),
                         [case[1:] for case in BAD_WORKBOOKS],
                         ids=[case[0] for case in BAD_WORKBOOKS])
def test_a_bad_workbook_is_refused_with_its_message_and_nothing_is_saved(
        province_staff, build, name, expected):
    before = registry_state()

    report = run(build(), province_staff, name=name)

    assert not report.ok
    assert not report.applied
    assert any(message.startswith(expected) for message in messages(report)), messages(report)
    assert registry_state() == before


def test_a_formula_is_reported_once_not_also_as_a_blank_cell(province_staff):
    report = run([row(product_name="=B2", stars="=2+1"), row(product_name="Măng khô",
                                                             commune="=F2")], province_staff)

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Tên sản phẩm"), (2, "Số sao"), (3, "Xã/Phường/Thị trấn")]
    assert all("ô chứa công thức" in e.message for e in report.errors)
    assert Product.objects.count() == 0


def test_more_than_5000_rows_are_refused_naming_the_first_row_over(province_staff):
    rows = [row(product_name=f"Sản phẩm {n}", decision_number=f"{n}/QĐ-UBND")
            for n in range(5001)]

    report = run(rows, province_staff)

    assert messages(report) == [
        "Dòng 5002: tệp có hơn 5.000 dòng dữ liệu, vượt giới hạn mỗi lần nhập (dòng này là "
        "dòng thứ 5.001). Hãy chia thành nhiều tệp."]
    assert Product.objects.count() == 0


def test_a_district_officer_importing_another_districts_row_saves_nothing(district_officer):
    report = run([row(), row(product_name="Miến dong", district="Na Rì", commune=None,
                             decision_number="5/QĐ-UBND")], district_officer)

    assert messages(report) == [
        "Dòng 3, cột “Huyện/Thành phố”: Huyện Na Rì ngoài phạm vi của bạn: cán bộ Huyện Chợ Đồn "
        "chỉ được nhập sản phẩm của Huyện Chợ Đồn."]
    assert Product.objects.count() == 0
    assert Subject.objects.count() == 0


def test_a_district_officer_cannot_attach_a_product_to_another_districts_producer(
        district_officer, province_staff):
    run([row(district="Na Rì", commune=None)], province_staff)
    before = registry_state()

    report = run([row(product_name="Măng khô", subject_name="HTX Măng Chợ Đồn",
                      decision_number="8/QĐ-UBND")], district_officer)

    # The other district's producer is not named: the officer may not see it.
    assert messages(report) == [
        "Dòng 2, cột “Mã số thuế/ĐKKD”: mã số này đã được đăng ký cho một chủ thể của huyện "
        "khác, ngoài phạm vi của bạn; không thêm sản phẩm cho chủ thể của huyện khác."]
    assert registry_state() == before


def test_a_decision_already_recorded_differently_is_an_error(province_staff):
    product = ProductFactory(name="Trà Shan tuyết Bằng Phúc")
    recognise(product, stars=4, decision_date=dt.date(2024, 6, 15), decision_number="101/QĐ-UBND")
    before = registry_state()

    report = run([row(subject_name=product.subject.name, registration_number=None,
                      commune=None)], province_staff)

    assert messages(report) == [
        "Dòng 2, cột “Số sao”: quyết định 101/QĐ-UBND của sản phẩm này đã có trong cổng với 4 "
        "sao, tệp ghi 3 sao; hãy sửa tệp, hoặc sửa đánh giá trong cổng trước khi nhập."]
    assert registry_state() == before


def test_one_bad_row_among_good_ones_saves_nothing(province_staff):
    report = run([*CLEAN_ROWS, row(product_name="Măng khô", stars=6)], province_staff)

    assert messages(report) == ["Dòng 6, cột “Số sao”: 6 không hợp lệ, chỉ nhận 3, 4 hoặc 5."]
    assert len(report.rows_to_create) == 4  # the preview still shows what the good rows do
    assert registry_state()["Product"] == 0
