"""The indicator engine, each indicator at its edges (DESIGN.md §4)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from products.models import ProductGroup
from products.services import certificate_revoke
from subjects.models import SupportRecord
from targets.indicators import REGISTRY
from targets.selectors import (
    INDICATOR_CODES,
    Status,
    UnknownIndicator,
    indicator_breakdowns,
    indicator_progress,
    indicator_record_kind,
    indicator_records,
    indicator_records_label,
    indicator_records_url,
)
from tests.factories import ProductFactory, SubjectFactory, district, office_user, recognise
from tests.targets.builders import linkage, media_item, quality, support, traceability

pytestmark = pytest.mark.django_db

CHO_DON, NA_RI = "064", "066"
D = dt.date


def actual(code, year=2024, district_code=None):
    progress = indicator_progress(year=year).indicator(code)
    figure = progress.total if district_code is None else progress.districts[district_code]
    return figure.actual


def counted(code, year=2024, district_code=None):
    return indicator_records(code, year=year, district=district_code).count()


@pytest.fixture
def product(reference_data):
    return ProductFactory()


# new_products_3star

@pytest.mark.parametrize(("decision", "counts_in_2024"), [
    (D(2023, 12, 31), False), (D(2024, 1, 1), True), (D(2024, 12, 31), True),
    (D(2025, 1, 1), False),
])
def test_a_first_recognition_counts_only_in_the_year_of_its_decision(product, decision,
                                                                      counts_in_2024):
    recognise(product, stars=3, decision_date=decision)
    assert actual("new_products_3star") == int(counts_in_2024)
    assert actual("new_products_3star", year=decision.year) == 1


def test_an_upgrade_is_not_a_new_product(product):
    recognise(product, stars=3, decision_date=D(2022, 5, 10))
    recognise(product, stars=4, decision_date=D(2024, 4, 2))
    assert actual("new_products_3star", year=2022) == 1
    assert actual("new_products_3star") == 0
    assert counted("new_products_3star") == 0


def test_a_re_recognition_after_expiry_is_not_a_new_product(product):
    recognise(product, stars=3, decision_date=D(2020, 3, 1), level="tinh")
    recognise(product, stars=3, decision_date=D(2024, 3, 1))
    assert actual("new_products_3star") == 0


def test_a_product_below_three_stars_first_counts_when_it_reaches_three(product):
    recognise(product, stars=2, decision_date=D(2023, 6, 1))
    assert actual("new_products_3star", year=2023) == 0
    recognise(product, stars=3, decision_date=D(2024, 6, 1))
    assert actual("new_products_3star") == 1


def test_a_revoked_first_recognition_still_dates_the_product(product):
    outcome = recognise(product, stars=3, decision_date=D(2024, 2, 1))
    certificate_revoke(outcome.certificate, user=office_user(), revoked_on=D(2024, 9, 1),
                       decision="9/QĐ-UBND", reason="Vi phạm chất lượng")
    assert actual("new_products_3star") == 1


def test_product_and_producer_in_different_districts_count_in_their_own_district(reference_data):
    producer = SubjectFactory(district=district(NA_RI), first_year_in_programme=2024)
    product = ProductFactory(subject=producer, district=district(CHO_DON))
    recognise(product, stars=4, decision_date=D(2024, 8, 8))
    assert actual("new_products_3star", district_code=CHO_DON) == 1
    assert actual("new_products_3star", district_code=NA_RI) == 0
    assert actual("new_subjects", district_code=NA_RI) == 1
    assert actual("new_subjects", district_code=CHO_DON) == 0
    assert counted("new_products_3star", district_code=CHO_DON) == 1
    assert counted("new_subjects", district_code=CHO_DON) == 0


# consolidated_subjects

def test_a_subject_recognised_before_the_year_and_consolidated_in_it_counts(product):
    recognise(product, stars=3, decision_date=D(2023, 11, 20))
    support(product.subject, D(2024, 3, 1))
    assert actual("consolidated_subjects") == 1
    assert actual("consolidated_subjects", district_code=product.subject.district.code) == 1


def test_consolidation_needs_a_product_recognised_before_the_year(product):
    recognise(product, stars=3, decision_date=D(2024, 1, 1))
    support(product.subject, D(2024, 3, 1))
    assert actual("consolidated_subjects") == 0


@pytest.mark.parametrize(("day", "kind"), [
    (D(2023, 12, 31), SupportRecord.Kind.CONSOLIDATION),
    (D(2025, 1, 1), SupportRecord.Kind.CONSOLIDATION),
    (D(2024, 5, 5), SupportRecord.Kind.TRAINING),
])
def test_only_consolidation_support_dated_in_the_year_counts(product, day, kind):
    recognise(product, stars=3, decision_date=D(2022, 1, 10))
    support(product.subject, day, kind=kind)
    assert actual("consolidated_subjects") == 0


def test_a_subject_consolidated_twice_with_two_products_counts_once(reference_data):
    subject = SubjectFactory()
    for name in ("Miến dong", "Bánh gio"):
        recognise(ProductFactory(subject=subject, name=name), decision_date=D(2021, 5, 5))
    support(subject, D(2024, 2, 2))
    support(subject, D(2024, 9, 9))
    assert actual("consolidated_subjects") == 1
    assert counted("consolidated_subjects") == 1


# new_subjects

@pytest.mark.parametrize(("first_year", "counts"), [(2024, 1), (2023, 0), (2025, 0), (None, 0)])
def test_new_subjects_are_those_whose_first_year_is_the_year(reference_data, first_year, counts):
    ProductFactory(subject=SubjectFactory(first_year_in_programme=first_year))
    assert actual("new_subjects") == counts


def test_a_new_subject_without_a_product_is_not_counted(reference_data):
    # Plan 180 counts "chủ thể mới có sản phẩm tham gia": a producer registered alone is not one.
    SubjectFactory(first_year_in_programme=2024)
    assert actual("new_subjects") == 0
    assert counted("new_subjects") == 0


def test_a_new_subject_counts_once_its_product_is_added_and_once_for_several(reference_data):
    subject = SubjectFactory(first_year_in_programme=2024)
    assert actual("new_subjects") == 0
    ProductFactory(subject=subject, name="Miến dong")
    assert actual("new_subjects") == 1
    ProductFactory(subject=subject, name="Bánh gio")
    assert actual("new_subjects") == counted("new_subjects") == 1


def test_the_definition_of_new_subjects_says_a_product_is_needed():
    assert "ít nhất một sản phẩm" in REGISTRY["new_subjects"].counting_rule


# traceability_products

@pytest.mark.parametrize(("started", "ended", "counts"), [
    (D(2024, 5, 1), None, 1),
    (D(2019, 1, 1), None, 1),
    (D(2022, 1, 1), D(2024, 1, 1), 1),
    (D(2024, 12, 31), D(2025, 6, 1), 1),
    (D(2022, 1, 1), D(2023, 12, 31), 0),
    (D(2025, 1, 1), None, 0),
])
def test_traceability_must_be_in_place_at_some_time_in_the_year(product, started, ended, counts):
    recognise(product, stars=3, decision_date=D(2023, 4, 4))
    traceability(product, started, ended)
    assert actual("traceability_products") == counts
    assert counted("traceability_products") == counts


@pytest.mark.parametrize(("decision", "counts"), [
    (D(2021, 1, 5), 1),   # valid to 05/01/2024: in force on the first days of the year
    (D(2020, 12, 31), 0),  # valid to 31/12/2023
    (D(2025, 1, 2), 0),    # recognised only after the year
])
def test_traceability_counts_only_products_with_a_certificate_in_force_in_the_year(
        product, decision, counts):
    recognise(product, stars=3, decision_date=decision)
    traceability(product, D(2019, 1, 1))
    assert actual("traceability_products") == counts


def test_traceability_of_an_unrecognised_product_does_not_count(product):
    traceability(product, D(2024, 1, 1))
    assert actual("traceability_products") == 0


def test_a_certificate_revoked_before_the_year_does_not_make_a_product_recognised(product):
    outcome = recognise(product, stars=3, decision_date=D(2022, 3, 3))
    certificate_revoke(outcome.certificate, user=office_user(), revoked_on=D(2023, 6, 1),
                       decision="1/QĐ-UBND", reason="Ngừng sản xuất")
    traceability(product, D(2022, 5, 1))
    assert actual("traceability_products") == 0
    assert actual("traceability_products", year=2023) == 1


# linkage_subjects

@pytest.mark.parametrize(("valid_from", "valid_to", "counts"), [
    (D(2023, 7, 1), D(2024, 1, 1), 1),
    (D(2024, 12, 31), D(2026, 1, 1), 1),
    (D(2018, 1, 1), None, 1),
    (D(2023, 1, 1), D(2023, 12, 31), 0),
    (D(2025, 1, 1), None, 0),
])
def test_a_linkage_in_force_at_some_time_in_the_year_counts(reference_data, valid_from,
                                                            valid_to, counts):
    linkage(SubjectFactory(), valid_from, valid_to)
    assert actual("linkage_subjects") == counts


def test_a_subject_with_two_linkages_counts_once(reference_data):
    subject = SubjectFactory()
    linkage(subject, D(2023, 1, 1), D(2024, 6, 30))
    linkage(subject, D(2024, 7, 1))
    assert actual("linkage_subjects") == 1
    assert counted("linkage_subjects") == 1


# advanced_qm_products

@pytest.mark.parametrize(("issued", "expires", "standard", "counts"), [
    (D(2022, 3, 1), D(2025, 3, 1), "vietgap", 1),
    (D(2021, 1, 1), D(2024, 1, 1), "iso22000", 1),
    (D(2024, 12, 31), None, "haccp", 1),
    (D(2021, 1, 1), D(2023, 12, 31), "vietgap", 0),
    (D(2025, 1, 1), None, "vietgap", 0),
    (D(2022, 3, 1), None, "khac", 0),
])
def test_an_advanced_certification_valid_at_some_time_in_the_year_counts(
        product, issued, expires, standard, counts):
    recognise(product, stars=4, decision_date=D(2023, 2, 2))
    quality(product, issued, expires, standard=standard)
    assert actual("advanced_qm_products") == counts


def test_quality_management_of_an_unrecognised_product_does_not_count(product):
    quality(product, D(2023, 1, 1))
    assert actual("advanced_qm_products") == 0


def test_a_product_with_two_certifications_counts_once(product):
    recognise(product, stars=3, decision_date=D(2023, 2, 2))
    quality(product, D(2022, 1, 1), standard="vietgap")
    quality(product, D(2023, 1, 1), standard="iso22000")
    assert actual("advanced_qm_products") == 1
    assert counted("advanced_qm_products") == 1


# media_items_monthly

def test_a_month_is_met_at_the_quota_and_the_actual_is_the_months_met(reference_data):
    for day in (D(2024, 1, 3), D(2024, 1, 20), D(2024, 2, 14), D(2024, 3, 1), D(2024, 3, 2),
                D(2024, 3, 3)):
        media_item(dt.datetime.combine(day, dt.time(9)))
    media = indicator_progress(year=2024).indicator("media_items_monthly")
    assert [m.items for m in media.months[:4]] == [2, 1, 3, 0]
    assert [m.met for m in media.months[:4]] == [True, False, True, False]
    assert media.total.quota == 2
    assert media.total.actual == 2
    assert media.total.target == 12
    assert media.items == 6


def test_an_item_late_on_the_last_evening_of_a_month_counts_in_that_month(reference_data):
    media_item(dt.datetime(2024, 5, 31, 23, 30))
    media_item(dt.datetime(2024, 6, 1, 6, 0))
    media = indicator_progress(year=2024).indicator("media_items_monthly")
    assert media.months[4].items == 1
    assert media.months[5].items == 1
    assert indicator_records("month:5", year=2024).count() == 1
    assert indicator_records("month:6", year=2024).count() == 1


def test_media_by_district_counts_tagged_items_and_untagged_only_in_the_total(cho_don, na_ri):
    media_item(dt.datetime(2024, 4, 1, 8), district=cho_don)
    media_item(dt.datetime(2024, 4, 2, 8), district=cho_don)
    media_item(dt.datetime(2024, 4, 3, 8), district=na_ri)
    media_item(dt.datetime(2024, 4, 4, 8))
    media = indicator_progress(year=2024).indicator("media_items_monthly")
    assert media.districts[CHO_DON].actual == 2
    assert media.districts[NA_RI].actual == 1
    assert media.districts[CHO_DON].quota is None
    assert media.items == 4
    assert sum(f.actual for f in media.districts.values()) == 3
    assert indicator_records("media_items_monthly", year=2024, district=cho_don).count() == 2
    assert indicator_records("month:4", year=2024).count() == 4


def test_months_elapsed_and_the_time_rule_follow_today(reference_data):
    progress = indicator_progress(year=2024, today=D(2024, 7, 15))
    assert progress.months_elapsed == 7
    assert not progress.closed
    assert indicator_progress(year=2024, today=D(2025, 2, 1)).months_elapsed == 12
    assert indicator_progress(year=2024, today=D(2023, 2, 1)).months_elapsed == 0


# The status rule

def _new_products_status(count, today):
    for _ in range(count):
        recognise(ProductFactory(), stars=3, decision_date=D(2024, 3, 1))
    return indicator_progress(year=2024, today=today).indicator("new_products_3star").total


def test_status_is_met_from_100_percent(reference_data):
    figure = _new_products_status(20, D(2024, 3, 31))
    assert figure.ratio == 1
    assert figure.status == Status.MET


def test_status_is_on_track_when_the_ratio_keeps_up_with_the_time(reference_data):
    figure = _new_products_status(5, D(2024, 3, 31))  # 25% done, 25% of 2024 gone by
    assert figure.status == Status.ON_TRACK


def test_status_is_behind_when_the_ratio_lags_the_time(reference_data):
    figure = _new_products_status(5, D(2024, 4, 30))  # 25% done, 33% of the year gone by
    assert figure.status == Status.BEHIND


def test_status_is_not_met_once_the_year_is_over(reference_data):
    figure = _new_products_status(5, D(2025, 1, 1))
    assert figure.status == Status.NOT_MET
    assert Status.NOT_MET.label == "Không đạt"


def test_a_district_without_a_quota_has_no_ratio(reference_data):
    figure = indicator_progress(year=2024).indicator("new_products_3star").districts[CHO_DON]
    assert figure.quota is None
    assert figure.ratio is None
    assert figure.status == Status.NO_QUOTA


# Whole-province consistency

RADAR_DAY = D(2026, 6, 1)


@pytest.fixture
def mixed_year(reference_data):
    """Records spread over several districts, touching every indicator of 2024; returns the
    day the expiry radar is looked at."""
    for index, code in enumerate(["058", "060", CHO_DON, CHO_DON, NA_RI, "065"]):
        subject = SubjectFactory(district=district(code), first_year_in_programme=2023 + index % 2)
        product = ProductFactory(subject=subject, district=district(code if index % 3 else NA_RI),
                                 group=ProductGroup.objects.get(criteria_version="148/2023",
                                                                code=f"{1 + index % 3}.1"))
        recognise(product, stars=3 + index % 3, decision_date=D(2023 + index % 2, 5, 1 + index))
        traceability(product, D(2024, 1, 1))
        quality(product, D(2023, 6, 1), standard="vietgap" if index % 2 else "khac")
        linkage(subject, D(2024, 2, 1))
        support(subject, D(2024, 6, 1))
        media_item(dt.datetime(2024, 1 + index, 10, 9), district=subject.district)
        media_item(dt.datetime(2024, 1 + index, 11, 9))
    expiring = ProductFactory(subject__district=district("061"))
    recognise(expiring, stars=3, decision_date=D(2023, 6, 10))  # valid to 10/06/2026
    expired = ProductFactory(subject__district=district("062"))
    recognise(expired, stars=4, decision_date=D(2023, 5, 20))  # valid to 20/05/2026
    return RADAR_DAY


def test_district_actuals_add_up_to_the_province_total(mixed_year):
    progress = indicator_progress(year=2024)
    for item in progress.indicators:
        if item.is_media:
            assert sum(f.actual for f in item.districts.values()) == 6  # tagged items only
            assert item.items == 12
            continue
        assert sum(f.actual for f in item.districts.values()) == item.total.actual, item.code
    assert progress.indicator("new_products_3star").total.actual == 3
    assert progress.indicator("consolidated_subjects").total.actual == 3


def test_every_number_equals_the_count_of_its_records(mixed_year):
    progress = indicator_progress(year=2024, today=mixed_year)
    for item in progress.indicators:
        if item.is_media:
            assert counted(item.code) == item.items
            for month in item.months:
                assert counted(f"month:{month.month}") == month.items
        else:
            assert counted(item.code) == item.total.actual, item.code
        for code, figure in item.districts.items():
            assert counted(item.code, district_code=code) == figure.actual, (item.code, code)
    breakdowns = indicator_breakdowns(year=2024, today=mixed_year)
    numbers = [breakdowns.recognised, *breakdowns.stars, *breakdowns.groups, *breakdowns.radar]
    assert breakdowns.recognised.count() == 8
    assert [b.count() for b in breakdowns.stars] == [3, 3, 2]
    # The three mixed recognitions of May 2023 have lapsed too (36 months).
    assert [b.count() for b in breakdowns.radar] == [4, 1, 1]
    for number in numbers:
        for district_code in [None, *progress.indicator("new_products_3star").districts]:
            assert indicator_records(number.code, year=2024, district=district_code,
                                     today=mixed_year).count() == number.count(district_code), (
                number.code, district_code)


def test_stars_follow_the_latest_certificate_in_force_in_the_year(product):
    recognise(product, stars=3, decision_date=D(2022, 1, 1))
    recognise(product, stars=4, decision_date=D(2024, 10, 1))
    breakdowns = indicator_breakdowns(year=2024)
    assert [b.count() for b in breakdowns.stars] == [0, 1, 0]
    assert list(indicator_records("stars:4", year=2024)) == [product]
    assert [b.count() for b in indicator_breakdowns(year=2023).stars] == [1, 0, 0]


def test_product_groups_count_subgroups_under_their_top_group(reference_data):
    top = ProductGroup.objects.get(criteria_version="148/2023", code="1")
    for code in ("1.3", "1.5"):
        recognise(ProductFactory(group=ProductGroup.objects.get(criteria_version="148/2023",
                                                                code=code)),
                  decision_date=D(2024, 3, 3))
    groups = indicator_breakdowns(year=2024).groups
    assert [(g.code, g.label, g.count()) for g in groups] == [(f"group:{top.pk}", "Thực phẩm", 2)]
    assert indicator_records(f"group:{top.pk}", year=2024).count() == 2


def test_the_expiry_radar_looks_at_current_certificates_on_today(product):
    today = D(2026, 11, 30)
    recognise(product, stars=3, decision_date=D(2023, 12, 20))  # valid to 20/12/2026
    radar = {b.code: b.count() for b in indicator_breakdowns(year=2024, today=today).radar}
    assert radar == {"expired": 0, "expiring_30": 1, "expiring_90": 1}
    radar = {b.code: b.count() for b in indicator_breakdowns(year=2024,
                                                             today=D(2026, 12, 21)).radar}
    assert radar == {"expired": 1, "expiring_30": 0, "expiring_90": 0}


def test_a_renewed_certificate_takes_the_product_off_the_radar(product):
    recognise(product, stars=3, decision_date=D(2023, 1, 10))
    recognise(product, stars=3, decision_date=D(2025, 12, 15))
    radar = {b.code: b.count() for b in indicator_breakdowns(year=2024,
                                                             today=D(2026, 1, 1)).radar}
    assert radar == {"expired": 0, "expiring_30": 0, "expiring_90": 0}


# Codes and links

def test_every_indicator_code_has_a_record_kind():
    kinds = {code: indicator_record_kind(code) for code in INDICATOR_CODES}
    assert kinds == {
        "new_products_3star": "product", "consolidated_subjects": "subject",
        "new_subjects": "subject", "traceability_products": "product",
        "linkage_subjects": "subject", "advanced_qm_products": "product",
        "media_items_monthly": "media",
    }


@pytest.mark.parametrize("code", ["nonsense", "stars:2", "stars:x", "month:13", "group:",
                                  "expired:1", "new_subjects:3"])
def test_unknown_codes_are_refused(code):
    with pytest.raises(UnknownIndicator):
        indicator_record_kind(code)
    with pytest.raises(UnknownIndicator):
        indicator_records(code, year=2024)


def test_links_point_at_the_list_of_each_kind_of_record():
    assert indicator_records_url("new_products_3star", year=2024) == (
        "/products/?indicator=new_products_3star&year=2024")
    assert indicator_records_url("linkage_subjects", year=2024, district_code="064") == (
        "/subjects/?indicator=linkage_subjects&year=2024&district=064")
    assert indicator_records_url("stars:4", year=2024) == (
        "/products/?indicator=stars%3A4&year=2024")
    assert indicator_records_url("month:5", year=2024, district_code="066") == (
        "/communications/?indicator=month%3A5&year=2024&district=066")
    assert indicator_records_url("media_items_monthly", year=2024) == (
        "/communications/?indicator=media_items_monthly&year=2024")
    assert indicator_records_url("expiring_90", year=2024, as_of=D(2024, 5, 31)) == (
        "/products/?indicator=expiring_90&year=2024&as_of=31%2F05%2F2024")


def test_labels_say_what_a_filtered_list_holds(cho_don):
    top = ProductGroup.objects.get(criteria_version="148/2023", code="2")
    assert indicator_records_label("new_products_3star", year=2024) == (
        "Sản phẩm mới đạt 3 sao trở lên, năm 2024")
    assert indicator_records_label("linkage_subjects", year=2024, district="064") == (
        "Chủ thể tham gia liên kết sản xuất và tiêu thụ sản phẩm, năm 2024 – Huyện Chợ Đồn")
    assert indicator_records_label("stars:5", year=2023, district=cho_don) == (
        "Sản phẩm OCOP 5 sao, năm 2023 – Huyện Chợ Đồn")
    assert indicator_records_label(f"group:{top.pk}", year=2024) == (
        "Sản phẩm OCOP nhóm Đồ uống, năm 2024")
    assert indicator_records_label("month:5", year=2024) == "Tin, bài đăng trong tháng 5/2024"
    assert indicator_records_label("expiring_30", year=2024) == (
        "Sản phẩm có giấy chứng nhận OCOP hết hạn trong 30 ngày tới (tính đến hôm nay)")


def _engine_queries(year=2024):
    with CaptureQueriesContext(connection) as queries:
        indicator_progress(year=year)
        indicator_breakdowns(year=year)
    return len(queries)


def _spread(count):
    for index in range(count):
        code = ["058", CHO_DON, NA_RI][index % 3]
        subject = SubjectFactory(district=district(code), first_year_in_programme=2024)
        product = ProductFactory(subject=subject)
        recognise(product, stars=3 + index % 3, decision_date=D(2023 + index % 2, 3, 3))
        if index % 2:
            linkage(subject, D(2024, 1, 1))
            media_item(dt.datetime(2024, 1 + index % 12, 5, 9), district=subject.district)


def test_the_engine_takes_a_fixed_number_of_queries(reference_data):
    empty = _engine_queries()
    _spread(6)
    few = _engine_queries()
    _spread(60)
    # One query an indicator for `actual`, once more for `pending` (ocop_portal.review).
    assert empty == few == _engine_queries() == 25
