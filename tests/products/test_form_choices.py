"""Dropdowns read as an official expects: product groups under their six groups of QĐ 148 in
its order (not interleaved), and an empty choice that says what to choose, never "---------"."""

import re

import pytest
from django.test import Client

from products.models import CriteriaVersion, ProductGroup

pytestmark = pytest.mark.django_db
QD_148_ORDER = ["Thực phẩm", "Đồ uống", "Dược liệu và sản phẩm từ dược liệu",
                "Hàng thủ công mỹ nghệ", "Sinh vật cảnh",
                "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"]


def select_html(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]


def optgroups(select: str) -> dict[str, list[str]]:
    return {label: re.findall(r"<option[^>]*>([^<]*)</option>", body)
            for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select,
                                          re.S)}


def test_the_product_form_groups_sub_groups_under_their_group_in_qd_148_order(
        district_officer):
    client = Client()
    client.force_login(district_officer)
    select = select_html(client.get("/products/new/").content.decode(), "group")
    groups = optgroups(select)
    assert list(groups) == QD_148_ORDER
    food = ProductGroup.objects.get(criteria_version=CriteriaVersion.QD_148_2023,
                                    parent=None, name="Thực phẩm")
    assert groups["Thực phẩm"] == [g.name for g in food.children.order_by("position", "code")]
    # A group with sub-groups is chosen through one of them; one without is chosen itself.
    assert groups[QD_148_ORDER[-1]] == [QD_148_ORDER[-1]]
    assert "— Chọn nhóm sản phẩm —" in select
    assert "›" not in select


def test_the_list_filter_offers_a_whole_group_and_reads_all_as_empty(province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/products/").content.decode()
    groups = optgroups(select_html(html, "group"))
    assert list(groups) == QD_148_ORDER
    assert groups["Thực phẩm"][0] == "Thực phẩm (tất cả)"
    assert "---------" not in html


@pytest.mark.parametrize("url", ["/products/new/", "/subjects/new/", "/communications/new/"])
def test_forms_say_what_to_choose_instead_of_dashes(province_staff, url):
    client = Client()
    client.force_login(province_staff)
    html = client.get(url).content.decode()
    assert "---------" not in html
    assert "— Chọn " in html
