"""Demo registry records for a first run: producers and products across the eight districts, with
evaluations from 2019 to 2024, linkages, support, traceability and quality standards. Every record
is marked `is_demo` and goes through the real services."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ocop_portal.demo import ensure_demo_asked_for
from ocop_portal.models import Commune, District
from ocop_portal.units import DISTRICTS_END
from products.models import CriteriaVersion, CycleStage, EvaluationKind, ProductGroup, Standard
from products.services import (
    evaluation_record,
    participation_advance,
    participation_register,
    participation_withdraw,
    product_create,
    quality_certification_add,
    traceability_add,
)
from subjects.models import Linkage, Subject, SubjectType, SupportRecord
from subjects.services import SubjectFields, linkage_add, subject_create, support_record_add

D = dt.date
HTX, THT, DN, HKD, CSSX = (SubjectType.COOPERATIVE, SubjectType.COOPERATIVE_GROUP,
                           SubjectType.ENTERPRISE, SubjectType.HOUSEHOLD,
                           SubjectType.ESTABLISHMENT)

# (key, name, type, district code, commune code, first year in the programme, representative)
SUBJECTS = [
    ("tai_hoan", "Hợp tác xã Tài Hoan", HTX, "066", "02173", 2019, "Triệu Thị Hoan"),
    ("van_vu", "Hợp tác xã Nông lâm nghiệp Văn Vũ", HTX, "066", "02137", 2024, "Hoàng Văn Tám"),
    ("bang_phuc", "HTX Chè Shan tuyết Bằng Phúc", HTX, "064", "02041", 2020, "Ma Thị Thu"),
    ("xuan_lac", "Hợp tác xã Thảo dược Xuân Lạc", HTX, "064", "02023", 2021, "Lường Văn Thuỳ"),
    ("ngoc_phai", "Hộ kinh doanh Hà Ngọc Sáng", HKD, "064", "02053", 2024, "Hà Ngọc Sáng"),
    ("nam_mau", "Hợp tác xã Du lịch Nam Mẫu", HTX, "061", "01909", 2020, "Hoàng Văn Pác"),
    ("khang_ninh", "Tổ hợp tác Cá hồ Ba Bể", THT, "061", "01906", 2022, "Nông Văn Lợi"),
    ("quang_thuan", "HTX Cam quýt Quang Thuận", HTX, "063", "02017", 2019, "Lục Văn Sơn"),
    ("duong_phong", "Cơ sở Hoàng Ngọc Hường", CSSX, "063", "02014", 2023, "Hoàng Ngọc Hường"),
    ("thuong_quan", "Hợp tác xã Nếp Tài Thượng Quan", HTX, "062", "01957", 2020, "Đàm Văn Quý"),
    ("coc_dan", "Công ty TNHH Dược liệu Ngân Sơn", DN, "062", "01945", 2024, "Triệu Văn Minh"),
    ("bang_thanh", "HTX Nông nghiệp Bằng Thành", HTX, "060", "01858", 2021, "Mông Văn Tính"),
    ("cao_tan", "Tổ hợp tác Khẩu nua lếch Cao Tân", THT, "060", "01885", 2024, "Hà Thị Dung"),
    ("thanh_mai", "Hợp tác xã Thanh Mai", HTX, "065", "02101", 2019, "Đinh Thị Mai"),
    ("yen_cu", "Hợp tác xã Mật ong Yên Cư", HTX, "065", "02110", 2022, "Lý Văn Thành"),
    ("duong_quang", "Công ty Cổ phần Thực phẩm Bắc Kạn", DN, "058", "01849", 2020, "Nguyễn Văn An"),
    ("xuat_hoa", "Cơ sở Hoàng Thị Điển", CSSX, "058", "01855", 2024, "Hoàng Thị Điển"),
]

# (subject key, product name, QĐ 148 group code, commune code, first cycle year, evaluations)
# Each evaluation: (decision date, stars, total score, level); a product's producer and its
# production commune may lie in different districts, as in the real registry.
PRODUCTS = [
    ("tai_hoan", "Miến dong Tài Hoan", "1.3", "02173", 2019, [
        (D(2019, 12, 20), 4, "82.5", "tinh"), (D(2021, 6, 30), 5, "91.14", "trung_uong"),
        (D(2024, 6, 25), 5, "92.30", "trung_uong")]),
    ("tai_hoan", "Bột dong riềng Tài Hoan", "1.2", "02173", 2021, [
        (D(2021, 12, 29), 3, "64.00", "tinh"), (D(2024, 11, 20), 4, "75.50", "tinh")]),
    ("van_vu", "Gạo Bao thai Văn Vũ", "1.2", "02137", 2024, [
        (D(2024, 10, 15), 3, "58.00", "huyen")]),
    ("bang_phuc", "Trà Shan tuyết Bằng Phúc", "1.5", "02041", 2020, [
        (D(2020, 12, 10), 3, "66.00", "tinh"), (D(2023, 12, 15), 4, "76.00", "tinh")]),
    ("bang_phuc", "Hồng trà Shan tuyết cổ thụ", "1.5", "02041", 2024, [
        (D(2024, 9, 12), 4, "78.25", "tinh")]),
    ("xuan_lac", "Tinh dầu sả Xuân Lạc", "3.3", "02023", 2021, [
        (D(2021, 12, 29), 3, "61.00", "tinh"), (D(2024, 12, 10), 3, "63.00", "huyen")]),
    ("xuan_lac", "Trà giảo cổ lam Xuân Lạc", "3.1", "02023", 2023, [
        (D(2024, 2, 20), 3, "59.50", "huyen")]),
    ("ngoc_phai", "Rượu men lá Ngọc Phái", "2.1", "02053", 2024, [
        (D(2024, 11, 28), 3, "55.00", "huyen")]),
    ("ngoc_phai", "Măng khô Ngọc Phái", "1.2", "02053", 2024, [
        (D(2024, 11, 28), 2, "45.00", "huyen")]),
    ("nam_mau", "Du lịch cộng đồng Pác Ngòi", "6", "01909", 2020, [
        (D(2020, 12, 10), 3, "68.00", "tinh"), (D(2023, 12, 28), 4, "72.00", "tinh")]),
    ("khang_ninh", "Cá nướng hồ Ba Bể", "1.3", "01906", 2022, [
        (D(2024, 3, 15), 3, "57.00", "huyen")]),
    ("quang_thuan", "Cam sành Quang Thuận", "1.1", "02017", 2019, [
        (D(2019, 12, 20), 3, "60.00", "tinh"), (D(2022, 12, 30), 3, "62.00", "tinh")]),
    ("quang_thuan", "Quýt Quang Thuận", "1.1", "02017", 2019, [
        (D(2019, 12, 20), 3, "58.50", "tinh"), (D(2023, 1, 5), 4, "71.00", "tinh")]),
    ("duong_phong", "Bánh gio Dương Phong", "1.3", "02014", 2023, [
        (D(2024, 8, 8), 3, "54.00", "huyen")]),
    ("thuong_quan", "Gạo nếp Tài Thượng Quan", "1.2", "01957", 2020, [
        (D(2020, 12, 10), 3, "65.00", "tinh"), (D(2024, 1, 5), 3, "66.00", "huyen")]),
    ("coc_dan", "Cao khôi nhung Ngân Sơn", "3.1", "01945", 2024, [
        (D(2024, 12, 5), 4, "73.00", "tinh")]),
    ("bang_thanh", "Rượu ngô men lá Bằng Thành", "2.1", "01858", 2021, [
        (D(2021, 12, 29), 3, "60.00", "tinh"), (D(2024, 12, 2), 3, "61.50", "huyen")]),
    ("cao_tan", "Gạo Khẩu nua lếch Cao Tân", "1.2", "01885", 2024, [
        (D(2024, 12, 20), 3, "56.00", "huyen")]),
    ("thanh_mai", "Miến dong Thanh Mai", "1.3", "02101", 2019, [
        (D(2019, 12, 20), 3, "62.00", "tinh"), (D(2023, 12, 29), 3, "63.00", "huyen")]),
    ("yen_cu", "Mật ong hoa rừng Yên Cư", "1.2", "02110", 2022, [
        (D(2022, 12, 30), 3, "67.00", "tinh"), (D(2024, 7, 1), 4, "74.00", "tinh")]),
    ("yen_cu", "Mật ong bạc hà Yên Cư", "1.2", "02107", 2024, []),
    ("duong_quang", "Bánh chưng đen Bắc Kạn", "1.3", "01849", 2020, [
        (D(2020, 12, 10), 3, "64.00", "tinh"), (D(2024, 4, 18), 4, "80.00", "tinh")]),
    ("duong_quang", "Giò ngan Bắc Kạn", "1.3", "01834", 2024, [
        (D(2024, 10, 30), 3, "52.00", "huyen")]),
    ("xuat_hoa", "Tương đậu Xuất Hóa", "1.4", "01855", 2024, [
        (D(2024, 11, 12), 3, "53.00", "huyen")]),
    # Produced in Chợ Đồn by a producer registered in the city.
    ("duong_quang", "Trà hoa vàng Chợ Đồn", "3.1", "02020", 2024, [
        (D(2024, 9, 20), 3, "60.50", "huyen")]),
]

# (product name, standard, issued on, expires on)
STANDARDS = [
    ("Miến dong Tài Hoan", Standard.ISO_22000, D(2022, 3, 1), D(2025, 3, 1)),
    ("Trà Shan tuyết Bằng Phúc", Standard.ORGANIC, D(2023, 5, 10), D(2026, 5, 10)),
    ("Hồng trà Shan tuyết cổ thụ", Standard.VIETGAP, D(2024, 4, 1), D(2026, 4, 1)),
    ("Cam sành Quang Thuận", Standard.VIETGAP, D(2021, 9, 1), D(2023, 9, 1)),
    ("Quýt Quang Thuận", Standard.VIETGAP, D(2023, 9, 1), D(2025, 9, 1)),
    ("Bánh chưng đen Bắc Kạn", Standard.HACCP, D(2024, 2, 1), None),
    ("Mật ong hoa rừng Yên Cư", Standard.VIETGAHP, D(2024, 5, 15), D(2027, 5, 15)),
    ("Gạo nếp Tài Thượng Quan", Standard.VIETGAP, D(2022, 8, 1), D(2024, 8, 1)),
]

# (product name, system, code, started on, ended on)
TRACEABILITY = [
    ("Miến dong Tài Hoan", "Cổng truy xuất nguồn gốc tỉnh Bắc Kạn", "BK-066-0001", D(2021, 5, 1),
     None),
    ("Trà Shan tuyết Bằng Phúc", "Cổng truy xuất nguồn gốc tỉnh Bắc Kạn", "BK-064-0012",
     D(2023, 3, 1), None),
    ("Cam sành Quang Thuận", "iCheck", "8936000123456", D(2020, 10, 1), D(2023, 12, 31)),
    ("Quýt Quang Thuận", "iCheck", "8936000123463", D(2024, 10, 1), None),
    ("Bánh chưng đen Bắc Kạn", "Cổng truy xuất nguồn gốc tỉnh Bắc Kạn", "BK-058-0003",
     D(2024, 1, 15), None),
    ("Du lịch cộng đồng Pác Ngòi", "Cổng truy xuất nguồn gốc tỉnh Bắc Kạn", "BK-061-0007",
     D(2024, 6, 1), None),
]

# (subject key, partner, contract number, valid from, valid to)
LINKAGES = [
    ("tai_hoan", "Công ty TNHH Thương mại Minh Phát (Hà Nội)", "12/2023/HĐLK", D(2023, 1, 1),
     D(2025, 12, 31)),
    ("bang_phuc", "Hệ thống siêu thị Co.opmart", "05/2024/HĐTT", D(2024, 3, 1), None),
    ("quang_thuan", "Tổ hợp tác trồng cam xã Quang Thuận", "01/2021/HĐLK", D(2021, 1, 1),
     D(2023, 12, 31)),
    ("thuong_quan", "Công ty CP Nông sản Việt Bắc", "07/2024/HĐLK", D(2024, 7, 1),
     D(2027, 6, 30)),
    ("yen_cu", "Cửa hàng OCOP Bắc Kạn", "02/2024/HĐTT", D(2024, 2, 15), D(2025, 2, 14)),
    ("duong_quang", "Hợp tác xã Nông nghiệp Dương Quang", "11/2022/HĐLK", D(2022, 11, 1),
     D(2024, 1, 31)),
]

# (subject key, kind, date, content, amount)
SUPPORTS = [
    ("tai_hoan", SupportRecord.Kind.CONSOLIDATION, D(2024, 5, 10),
     "Hỗ trợ máy sấy miến, mở rộng nhà xưởng", Decimal(150_000_000)),
    ("bang_phuc", SupportRecord.Kind.CONSOLIDATION, D(2024, 8, 20),
     "Hỗ trợ thiết kế bao bì, nhãn mác", Decimal(40_000_000)),
    ("quang_thuan", SupportRecord.Kind.CONSOLIDATION, D(2023, 9, 1),
     "Hỗ trợ phân bón, cải tạo vườn cam", Decimal(60_000_000)),
    ("van_vu", SupportRecord.Kind.NEW_SUBJECT, D(2024, 4, 2),
     "Hỗ trợ xây dựng phương án sản xuất kinh doanh", Decimal(20_000_000)),
    ("cao_tan", SupportRecord.Kind.NEW_SUBJECT, D(2024, 6, 12),
     "Tập huấn xây dựng câu chuyện sản phẩm", None),
    ("duong_quang", SupportRecord.Kind.PROMOTION, D(2024, 10, 5),
     "Tham gia Hội chợ OCOP khu vực phía Bắc", Decimal(15_000_000)),
]


# Cycles that ended without a decision, or are still open, beside those the evaluations above
# close: (product name, cycle year, kind, [(stage, day), ...], withdrawn on, reason).
PARTICIPATIONS = [
    ("Cá nướng hồ Ba Bể", 2022, None, [(CycleStage.REGISTERED, D(2022, 3, 10)),
                                       (CycleStage.BUSINESS_PLAN, D(2022, 6, 20))],
     D(2022, 11, 30), "Chưa hoàn thiện phương án sản xuất kinh doanh."),
    ("Cá nướng hồ Ba Bể", 2023, None, [(CycleStage.REGISTERED, D(2023, 3, 2)),
                                       (CycleStage.BUSINESS_PLAN, D(2023, 6, 1)),
                                       (CycleStage.DISTRICT_ROUND, D(2023, 11, 20))],
     D(2023, 12, 20), "Chờ kết quả kiểm nghiệm, chuyển sang chu trình năm 2024."),
    ("Bánh gio Dương Phong", 2023, None, [(CycleStage.REGISTERED, D(2023, 4, 5))],
     D(2023, 9, 30), "Chủ thể xin rút để hoàn thiện bao bì."),
    ("Trà giảo cổ lam Xuân Lạc", 2023, None, [(CycleStage.REGISTERED, D(2023, 3, 15)),
                                              (CycleStage.BUSINESS_PLAN, D(2023, 7, 10)),
                                              (CycleStage.DISTRICT_ROUND, D(2023, 12, 5))],
     D(2023, 12, 28), "Hội đồng đề nghị bổ sung hồ sơ, đánh giá lại đầu năm 2024."),
    ("Mật ong bạc hà Yên Cư", 2024, None, [(CycleStage.REGISTERED, D(2024, 3, 20)),
                                           (CycleStage.BUSINESS_PLAN, D(2024, 6, 15))],
     D(2024, 12, 10), "Chưa đủ sản lượng mẫu để đánh giá."),
    ("Mật ong bạc hà Yên Cư", 2026, None, [(CycleStage.REGISTERED, D(2026, 3, 5)),
                                           (CycleStage.BUSINESS_PLAN, D(2026, 5, 12))],
     None, ""),
    ("Hồng trà Shan tuyết cổ thụ", 2026, EvaluationKind.UPGRADE,
     [(CycleStage.REGISTERED, D(2026, 2, 20)), (CycleStage.BUSINESS_PLAN, D(2026, 4, 10)),
      (CycleStage.PROVINCE_ROUND, D(2026, 9, 25))], None, ""),
    ("Miến dong Thanh Mai", 2026, EvaluationKind.REEVALUATION,
     [(CycleStage.REGISTERED, D(2026, 2, 10)), (CycleStage.DISTRICT_ROUND, D(2026, 9, 18))],
     None, ""),
    ("Giò ngan Bắc Kạn", 2026, EvaluationKind.UPGRADE,
     [(CycleStage.REGISTERED, D(2026, 6, 1))], None, ""),
]
# Where the evaluations of these cycles came from: the cycles before them are demo history.
FIRST_DEMO_CYCLE = 2022


def _register_for(product, decision_date, level, actor):
    """The cycle a demo evaluation closes: registered eight months before the decision, a plan
    five months before, the council rounds of its level in the weeks before."""
    days = [(CycleStage.BUSINESS_PLAN, 150), (CycleStage.DISTRICT_ROUND, 40)]
    if level in ("tinh", "trung_uong"):
        days.append((CycleStage.PROVINCE_ROUND, 20))
    if level == "trung_uong":
        days.append((CycleStage.CENTRAL_ROUND, 10))
    participation = participation_register(
        product=product, user=actor, cycle_year=decision_date.year,
        registered_on=decision_date - dt.timedelta(days=240),
        kind=EvaluationKind.UPGRADE if product.current_certificate_id else None)
    for stage, before in days:
        participation_advance(participation, user=actor, stage=stage,
                              on=decision_date - dt.timedelta(days=before))


def _demo_participations(products, actor):
    for name, year, kind, stages, withdrawn_on, reason in PARTICIPATIONS:
        (first, registered_on), *later = stages
        participation = participation_register(product=products[name], user=actor,
                                               cycle_year=year, registered_on=registered_on,
                                               kind=kind)
        for stage, day in later:
            participation_advance(participation, user=actor, stage=stage, on=day)
        if withdrawn_on:
            participation_withdraw(participation, user=actor, on=withdrawn_on, reason=reason)


def _group(code):
    return ProductGroup.objects.get(criteria_version=CriteriaVersion.QD_148_2023, code=code)


@transaction.atomic
def demo_registry_create(actor) -> dict:
    """Create the demo registry once; a second run finds it and changes nothing."""
    ensure_demo_asked_for()
    if Subject.objects.filter(is_demo=True).exists():
        return {"subjects": 0, "products": 0}
    subjects = {}
    for number, (key, name, kind, district, commune, year, representative) in enumerate(
            SUBJECTS, start=1):
        subjects[key] = subject_create(user=actor, is_demo=True, fields=SubjectFields(
            name=name, subject_type=kind, district=District.objects.get(code=district),
            commune=Commune.objects.valid_on(DISTRICTS_END).get(code=commune),
            first_year_in_programme=year,
            legal_representative=representative, representative_position="Giám đốc",
            phone=f"0209 3{number:06d}",
        ))
    products = {}
    for subject_key, name, group, commune_code, year, evaluations in PRODUCTS:
        commune = Commune.objects.valid_on(DISTRICTS_END).select_related("district").get(
            code=commune_code)
        product = product_create(
            user=actor, is_demo=True, name=name, subject=subjects[subject_key],
            group=_group(group), district=commune.district, commune=commune,
            first_cycle_year=year,
        )
        for index, (decision_date, stars, score, level) in enumerate(evaluations, start=1):
            if decision_date.year >= FIRST_DEMO_CYCLE:
                product.refresh_from_db()
                _register_for(product, decision_date, level, actor)
            evaluation_record(
                product=product, user=actor, cycle_year=decision_date.year, level=level,
                stars=stars, total_score=Decimal(score),
                decision_number=f"{100 + index * 7 + product.pk}/QĐ-UBND",
                decision_date=decision_date,
                decision_authority="Bộ NN&PTNT" if level == "trung_uong" else (
                    "UBND tỉnh Bắc Kạn" if level == "tinh" else f"UBND {commune.district}"),
                certificate_number=f"OCOP-{decision_date.year}-{product.pk:03d}-{index}",
            )
        products[name] = product
    _demo_participations(products, actor)
    for name, standard, issued, expires in STANDARDS:
        quality_certification_add(product=products[name], user=actor, standard=standard,
                                  issued_on=issued, expires_on=expires,
                                  issuer="Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng")
    for name, system, code, started, ended in TRACEABILITY:
        traceability_add(product=products[name], user=actor, system=system, code=code,
                         started_on=started, ended_on=ended)
    for key, partner, number, valid_from, valid_to in LINKAGES:
        linkage_add(subject=subjects[key], user=actor, kind=Linkage.Kind.PRODUCTION_AND_SALE,
                    partner=partner, contract_number=number, contract_date=valid_from,
                    valid_from=valid_from, valid_to=valid_to)
    for key, kind, date, content, amount in SUPPORTS:
        support_record_add(subject=subjects[key], user=actor, kind=kind, date=date,
                           content=content, amount=amount)
    return {"subjects": len(subjects), "products": len(products)}
