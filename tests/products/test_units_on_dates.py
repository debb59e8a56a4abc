"""Records take the administrative unit valid on their date: the import (by the row's
decision date, else its year), the forms and the API; a unit not valid then is refused with
what it became or came from (issue: units over time)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ocop_portal.models import Commune
from ocop_portal.units import DISTRICTS_END, THAI_NGUYEN_FROM
from products.imports import run_import
from products.models import Product
from subjects.models import Subject
from tests.api.conftest import token_client
from tests.factories import ProductFactory, SubjectFactory, district, top_group
from tests.products.import_workbooks import row, workbook_bytes

pytestmark = pytest.mark.django_db


def recognition(commune, decision_date, district="Chợ Đồn", **changes):
    """A first recognition of a new product of a new producer, in `commune` on that day."""
    return row(district=district, commune=commune, decision_date=decision_date,
               first_year=None, standards=None, traceability=None, **changes)


def imported(rows, user):
    return run_import(name="don-vi.xlsx", content=workbook_bytes(rows), user=user,
                      dry_run=False)


def errors(report) -> list[str]:
    return [str(issue) for issue in report.errors]


def report_json(year: int) -> dict:
    out = io.StringIO()
    call_command("indicator_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def actual(data: dict, code: str, district_code: str) -> int:
    indicator = next(i for i in data["indicators"] if i["code"] == code)
    return next(d["actual"] for d in indicator["districts"] if d["code"] == district_code)


# The acceptance rows -------------------------------------------------------------------------

def test_a_2018_recognition_in_ra_ban_is_accepted_and_counts_for_cho_don_in_2018(
        tmp_path, province_staff):
    path = tmp_path / "ra-ban-2018.xlsx"
    path.write_bytes(workbook_bytes([recognition("Rã Bản", "20/11/2018")]))
    before = actual(report_json(2018), "new_products_3star", "064")

    call_command("import_products", str(path), "--user", province_staff.username,
                 stdout=io.StringIO())

    product = Product.objects.get()
    assert (product.commune.code, product.commune.name, product.district.code) == (
        "02056", "Rã Bản", "064")
    assert product.subject.commune == product.commune
    after = report_json(2018)
    assert actual(after, "new_products_3star", "064") == before + 1
    assert sum(actual(after, "new_products_3star", code) for code in
               ("058", "060", "061", "062", "063", "065", "066")) == 0


def test_the_same_row_with_a_2024_decision_is_refused_naming_dong_thang(tmp_path,
                                                                       province_staff):
    path = tmp_path / "ra-ban-2024.xlsx"
    path.write_bytes(workbook_bytes([recognition("Rã Bản", "15/06/2024")]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_products", str(path), "--user", province_staff.username,
                     stdout=io.StringIO(), stderr=err)

    assert ("Dòng 2, cột “Xã/Phường/Thị trấn”: “Rã Bản”: Xã Rã Bản đã sáp nhập vào xã Đồng "
            "Thắng từ 01/02/2020.") in err.getvalue()
    assert not Product.objects.exists()
    assert not Subject.objects.exists()


@pytest.mark.parametrize("district_cell", ["Bạch Thông", None], ids=["former", "blank"])
def test_a_2026_row_in_phu_thong_takes_thai_nguyens_commune(province_staff, district_cell):
    report = imported([recognition("Phủ Thông", "10/03/2026", district=district_cell)],
                      province_staff)

    assert report.ok, errors(report)
    product = Product.objects.get()
    assert (product.commune.code, product.commune.valid_from) == ("01969", THAI_NGUYEN_FROM)
    assert product.commune.province.name == "Thái Nguyên"
    assert product.district.code == "063"  # counted in the former Bạch Thông


def test_a_blank_district_is_refused_for_a_row_dated_before_01_07_2025(province_staff):
    report = imported([recognition("Phủ Thông", "30/06/2025", district=None)], province_staff)

    assert errors(report) == [
        "Dòng 2, cột “Huyện/Thành phố”: bắt buộc, không được để trống (chỉ để trống được với "
        "dòng từ 01/07/2025 có ghi xã, phường)."]


# The edges -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("commune", "day", "refusal"), [
    ("Rã Bản", "31/01/2020", None),
    ("Rã Bản", "01/02/2020", "Xã Rã Bản đã sáp nhập vào xã Đồng Thắng từ 01/02/2020."),
    ("Đồng Thắng", "01/02/2020", None),
    ("Đồng Thắng", "31/01/2020",
     "Xã Đồng Thắng chỉ có từ 01/02/2020; trước đó là xã Rã Bản và xã Đông Viên, không dùng "
     "cho ngày 31/01/2020."),
])
def test_the_2020_merger_takes_effect_on_01_02_2020(province_staff, commune, day, refusal):
    report = imported([recognition(commune, day)], province_staff)

    if refusal is None:
        assert report.ok, errors(report)
        assert Product.objects.get().commune.name == commune
    else:
        assert errors(report) == [f"Dòng 2, cột “Xã/Phường/Thị trấn”: “{commune}”: {refusal}"]


@pytest.mark.parametrize(("day", "code", "valid_to"), [
    ("30/06/2025", "01969", DISTRICTS_END),
    ("01/07/2025", "01969", None),
])
def test_phu_thong_is_bac_kans_township_until_30_06_2025_then_thai_nguyens_commune(
        province_staff, day, code, valid_to):
    report = imported([recognition("Phủ Thông", day, district="Bạch Thông")], province_staff)

    assert report.ok, errors(report)
    commune = Product.objects.get().commune
    assert (commune.code, commune.valid_to) == (code, valid_to)


@pytest.mark.parametrize(("day", "name"), [("15/01/2019", "Lãng Ngâm"),
                                          ("15/01/2021", "Hiệp Lực")])
def test_a_reused_code_means_the_unit_that_had_it_on_the_rows_date(province_staff, day, name):
    report = imported([recognition("01960", day, district="Ngân Sơn")], province_staff)

    assert report.ok, errors(report)
    assert Product.objects.get().commune.name == name


def test_a_township_whose_code_changed_is_found_by_name_on_both_sides(province_staff):
    report = imported([
        recognition("Yến Lạc", "10/10/2019", district="Na Rì", product_name="Miến 2019"),
        recognition("Yến Lạc", "10/10/2021", district="Na Rì", product_name="Miến 2021",
                    decision_number="2/QĐ-UBND"),
    ], province_staff)

    assert report.ok, errors(report)
    codes = dict(Product.objects.values_list("name", "commune__code"))
    assert codes == {"Miến 2019": "02134", "Miến 2021": "02155"}


def test_a_split_commune_names_every_part_it_went_to(province_staff):
    report = imported([recognition("Lương Hạ", "01/03/2024", district="Na Rì")],
                      province_staff)

    assert errors(report) == [
        "Dòng 2, cột “Xã/Phường/Thị trấn”: “Lương Hạ”: Xã Lương Hạ đã được chia vào xã Cường "
        "Lợi và thị trấn Yến Lạc từ 01/02/2020."]


def test_a_cross_district_commune_counts_in_the_district_the_row_names_or_the_crosswalks(
        province_staff):
    report = imported([
        # Bằng Phúc of Chợ Đồn went into Đồng Phúc, counted in Ba Bể by the crosswalk.
        recognition("Đồng Phúc", "10/03/2026", district="Chợ Đồn", product_name="Chè A"),
        recognition("Đồng Phúc", "10/03/2026", district=None, product_name="Chè B",
                    decision_number="2/QĐ-UBND"),
    ], province_staff)

    assert report.ok, errors(report)
    districts = dict(Product.objects.values_list("name", "district__code"))
    assert districts == {"Chè A": "064", "Chè B": "061"}

    refused = imported([recognition("Đồng Phúc", "10/03/2026", district="Na Rì",
                                    product_name="Chè C", decision_number="3/QĐ-UBND")],
                       province_staff)
    assert errors(refused) == [
        "Dòng 2, cột “Xã/Phường/Thị trấn”: “Đồng Phúc” (Xã Đồng Phúc, tỉnh Thái Nguyên) không "
        "có đơn vị cũ nào thuộc Huyện Na Rì; xã này được tính cho Huyện Ba Bể (cũ)."]


def test_an_officer_keeps_the_area_of_their_district_after_01_07_2025(district_officer):
    own = imported([recognition("Nam Cường", "10/03/2026", district=None)], district_officer)
    assert own.ok, errors(own)
    assert Product.objects.get().district == district_officer.district

    other = imported([recognition("Đồng Phúc", "10/03/2026", district=None,
                                  product_name="Chè khác", decision_number="9/QĐ-UBND")],
                     district_officer)
    assert errors(other) == [
        "Dòng 2, cột “Xã/Phường/Thị trấn”: Xã Đồng Phúc, tỉnh Thái Nguyên được tính cho Huyện "
        "Ba Bể (đơn vị cũ góp nhiều xã nhất vào xã này), ngoài phạm vi của bạn: cán bộ Huyện "
        "Chợ Đồn chỉ được nhập sản phẩm của Huyện Chợ Đồn."]


# Forms and the API -------------------------------------------------------------------------

def _product_form(product_commune, year, subject):
    return {"name": "Miến dong", "subject": subject.pk, "group": top_group("1").pk,
            "district": product_commune.district.pk, "commune": product_commune.pk,
            "first_cycle_year": year or "", "description": ""}


def test_the_product_form_refuses_a_commune_not_valid_in_the_products_year(province_staff):
    client = Client()
    client.force_login(province_staff)
    subject = SubjectFactory(district=district("064"))
    ra_ban = Commune.objects.get(code="02056")

    response = client.post("/products/new/", _product_form(ra_ban, 2024, subject))

    assert response.status_code == 200
    assert ("Xã Rã Bản đã sáp nhập vào xã Đồng Thắng từ 01/02/2020."
            in response.context["form"].errors["commune"])
    assert not Product.objects.filter(name="Miến dong").exists()

    response = client.post("/products/new/", _product_form(ra_ban, 2018, subject))

    assert response.status_code == 302
    assert Product.objects.get(name="Miến dong").commune == ra_ban


def test_the_product_form_offers_each_unit_with_its_period(province_staff):
    client = Client()
    client.force_login(province_staff)

    html = client.get("/products/new/").content.decode()

    assert "Xã Rã Bản (Chợ Đồn; đến 31/01/2020)" in html
    assert "Xã Đồng Thắng (Chợ Đồn; 01/02/2020 – 30/06/2025)" in html
    assert "Xã Bạch Thông (Bạch Thông cũ; tỉnh Thái Nguyên, từ 01/07/2025)" in html


def test_an_old_record_stays_editable_after_its_commune_merged(province_staff):
    """The check runs when the commune or the date changes, not on every edit."""
    client = Client()
    client.force_login(province_staff)
    ra_ban = Commune.objects.get(code="02056")
    product = ProductFactory(district=ra_ban.district, commune=ra_ban, first_cycle_year=2018,
                             subject=SubjectFactory(district=ra_ban.district))
    product = Product.objects.get(pk=product.pk)
    data = {**_product_form(ra_ban, 2018, product.subject), "name": "Tên mới"}

    response = client.post(f"/products/{product.pk}/edit/", data)

    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert (product.name, product.commune) == ("Tên mới", ra_ban)


def test_the_producer_form_takes_the_commune_of_its_registration_date(province_staff):
    client = Client()
    client.force_login(province_staff)
    ra_ban = Commune.objects.get(code="02056")
    data = {"name": "HTX Rã Bản", "subject_type": "htx", "district": ra_ban.district.pk,
            "commune": ra_ban.pk, "registration_date": "12/05/2021"}

    response = client.post("/subjects/new/", data)

    assert response.status_code == 200
    assert ("Xã Rã Bản đã sáp nhập vào xã Đồng Thắng từ 01/02/2020."
            in response.context["form"].errors["commune"])

    response = client.post("/subjects/new/", {**data, "registration_date": "12/05/2019"})

    assert response.status_code == 302
    assert Subject.objects.get(name="HTX Rã Bản").commune == ra_ban


@pytest.mark.parametrize(("year", "name"), [(2019, "Lãng Ngâm"), (2021, "Hiệp Lực")])
def test_the_api_reads_a_reused_commune_code_on_the_products_year(cache_of_its_own,
                                                                  province_staff, year, name):
    client = token_client(province_staff)
    subject = SubjectFactory(district=district("062"))

    response = client.post("/api/v1/products/", {
        "name": "Miến dong", "subject": subject.pk, "group": top_group("1").pk,
        "district": "062", "commune": "01960", "first_cycle_year": year}, format="json")

    assert response.status_code == 201, response.json()
    assert Product.objects.get().commune.name == name
