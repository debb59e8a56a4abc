"""Registry exports honour the filters on screen and the user's scope, whatever the URL says."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(cho_don, na_ri):
    tra = ProductFactory(name="Trà Shan tuyết Bằng Phúc",
                         subject=SubjectFactory(name="HTX Chè Bằng Phúc", district=cho_don))
    recognise(tra, 4, dt.date(2024, 3, 1))
    ProductFactory(name="=HYPERLINK(\"http://evil\")", subject=SubjectFactory(district=cho_don))
    ProductFactory(name="Miến dong Tài Hoan",
                   subject=SubjectFactory(name="HTX Tài Hoan", district=na_ri))


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


def _column(sheet, title):
    """The column's values, from the header ("STT") down to the row that ends the table (the
    blank row above the signatures); none when the table says "Không có"."""
    header_row = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    index = [cell.value for cell in header_row].index(title)
    values = []
    for row in sheet.iter_rows(min_row=header_row[0].row + 1, values_only=True):
        if not any(row) or row[0] == "Không có":
            break
        values.append(row[index])
    return values


@pytest.mark.parametrize("url", ["/products/export.xlsx", "/products/export.xlsx?district=066",
                                 "/products/export.xlsx?district=064&q=mien"])
def test_district_officer_export_holds_only_their_district(client, district_officer, registry,
                                                           url):
    client.force_login(district_officer)
    names = _column(_sheet(client.get(url)), "Tên sản phẩm")
    assert "Miến dong Tài Hoan" not in names
    districts = set(_column(_sheet(client.get(url)), "Huyện/Thành phố"))
    assert districts <= {"Huyện Chợ Đồn"}


def test_export_follows_the_filters_and_keeps_diacritics(client, leader, registry):
    client.force_login(leader)
    response = client.get("/products/export.xlsx?q=shan+tuyet")
    assert "filename*=UTF-8''S%E1%BA%A3n%20ph%E1%BA%A9m%20OCOP" in response["Content-Disposition"]
    sheet = _sheet(response)
    assert _column(sheet, "Tên sản phẩm") == ["Trà Shan tuyết Bằng Phúc"]
    assert _column(sheet, "Hạng sao") == [4]
    assert _column(sheet, "Ngày quyết định") == [dt.datetime(2024, 3, 1)]
    assert _column(sheet, "Trạng thái giấy chứng nhận") == ["Còn hiệu lực"]


def test_formula_like_names_are_exported_as_text(client, province_staff, registry):
    client.force_login(province_staff)
    sheet = _sheet(client.get("/products/export.xlsx"))
    cells = [row[1] for row in sheet.iter_rows() if row[1].value
             and str(row[1].value).startswith("=")]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_subject_export_is_scoped_too(client, district_officer, registry):
    client.force_login(district_officer)
    assert _column(_sheet(client.get("/subjects/export.xlsx?district=066")), "Tên chủ thể") == []
    names = _column(_sheet(client.get("/subjects/export.xlsx")), "Tên chủ thể")
    assert "HTX Tài Hoan" not in names
    assert "HTX Chè Bằng Phúc" in names


def test_anonymous_export_goes_to_login(registry):
    response = Client().get("/products/export.xlsx")
    assert response.status_code == 302
