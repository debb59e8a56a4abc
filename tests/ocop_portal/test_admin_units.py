from collections import Counter

import pytest
from django.core.management import call_command

from ocop_portal.models import Commune, District, Province, UnitKind


@pytest.mark.django_db
def test_load_backan_2024_twice_leaves_one_province_eight_districts_108_communes():
    call_command("load_backan_2024")
    call_command("load_backan_2024")
    assert Province.objects.count() == 1
    assert District.objects.count() == 8
    assert Commune.objects.count() == 108
    assert Province.objects.get().code == "06"


@pytest.mark.django_db
def test_second_load_reports_nothing_changed(capsys):
    call_command("load_backan_2024")
    capsys.readouterr()
    call_command("load_backan_2024")
    assert "0 tạo mới, 0 cập nhật" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_restores_a_unit_edited_by_hand():
    call_command("load_backan_2024")
    Commune.objects.filter(code="02020").update(name="Sai tên")
    call_command("load_backan_2024")
    assert Commune.objects.get(code="02020").name == "Bằng Lũng"


@pytest.mark.django_db
def test_districts_have_their_official_codes_and_commune_counts():
    call_command("load_backan_2024")
    counts = Counter(Commune.objects.values_list("district__code", flat=True))
    assert counts == {"058": 8, "060": 10, "061": 15, "062": 10, "063": 14, "064": 20,
                      "065": 14, "066": 17}
    city = District.objects.get(code="058")
    assert str(city) == "Thành phố Bắc Kạn"
    assert str(District.objects.get(code="064")) == "Huyện Chợ Đồn"
    assert city.kind == UnitKind.CITY
    kinds = Counter(Commune.objects.values_list("kind", flat=True))
    assert kinds == {UnitKind.COMMUNE: 96, UnitKind.WARD: 6, UnitKind.TOWNSHIP: 6}


@pytest.mark.django_db
def test_units_carry_their_validity_dates():
    call_command("load_backan_2024")
    commune = Commune.objects.get(code="02146")
    assert commune.name == "Kim Hỷ"
    assert commune.district.code == "066"
    assert commune.valid_from.isoformat() == "2020-02-01"
    assert commune.valid_to.isoformat() == "2025-06-30"
