"""load_backan_2024: the administrative units in their three layers, and the successions."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from ocop_portal.models import (
    Commune,
    District,
    Province,
    SuccessionKind,
    UnitKind,
    UnitSuccession,
)

BEFORE_2020 = dt.date(2020, 1, 31)
FROM_2020 = dt.date(2020, 2, 1)
LAST_OF_DISTRICTS = dt.date(2025, 6, 30)
THAI_NGUYEN = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_load_backan_2024_twice_loads_each_layer_once():
    call_command("load_backan_2024")
    call_command("load_backan_2024")
    assert sorted(Province.objects.values_list("code", flat=True)) == ["06", "19"]
    assert District.objects.count() == 8
    assert Commune.objects.valid_on(LAST_OF_DISTRICTS).count() == 108
    assert Commune.objects.valid_on(BEFORE_2020).count() == 122
    assert Commune.objects.valid_on(THAI_NGUYEN).count() == 37
    assert Commune.objects.count() == 108 + 26 + 37
    # 28 successions on 01/02/2020 (three communes went on enlarged: no record), and each of
    # the 108 communes into one of Thái Nguyên's.
    assert UnitSuccession.objects.filter(on=FROM_2020).count() == 28
    assert UnitSuccession.objects.filter(on=THAI_NGUYEN).count() == 108


@pytest.mark.django_db
def test_second_load_reports_nothing_changed(capsys):
    call_command("load_backan_2024")
    capsys.readouterr()
    call_command("load_backan_2024")
    assert "0 tạo mới, 0 cập nhật" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_restores_a_unit_edited_by_hand():
    call_command("load_backan_2024")
    Commune.objects.valid_on(LAST_OF_DISTRICTS).filter(code="02020").update(name="Sai tên")
    call_command("load_backan_2024")
    assert Commune.objects.valid_on(LAST_OF_DISTRICTS).get(code="02020").name == "Bằng Lũng"


@pytest.mark.django_db
def test_a_database_of_the_2020_layout_keeps_its_units_and_gains_their_history():
    """A portal loaded before units had a history (every unit from 01/02/2020): the same rows
    are brought to their dates, records keep pointing at them, nothing is deleted."""
    call_command("load_backan_2024")
    Province.objects.filter(code="06").update(valid_from=FROM_2020)
    District.objects.update(valid_from=FROM_2020)
    layout = Commune.objects.filter(valid_to=LAST_OF_DISTRICTS)
    layout.update(valid_from=FROM_2020)
    ids = set(layout.values_list("pk", flat=True))

    call_command("load_backan_2024")

    assert set(Commune.objects.valid_on(LAST_OF_DISTRICTS).values_list("pk", flat=True)) == ids
    assert Commune.objects.get(code="02020", valid_to=LAST_OF_DISTRICTS).valid_from == (
        dt.date(1997, 1, 1))
    assert Commune.objects.get(code="02059", valid_to=LAST_OF_DISTRICTS).valid_from == FROM_2020


@pytest.mark.django_db
def test_districts_have_their_official_codes_and_commune_counts_in_each_layout():
    call_command("load_backan_2024")
    counts = Counter(Commune.objects.valid_on(LAST_OF_DISTRICTS)
                     .values_list("district__code", flat=True))
    assert counts == {"058": 8, "060": 10, "061": 15, "062": 10, "063": 14, "064": 20,
                      "065": 14, "066": 17}
    before = Counter(Commune.objects.valid_on(BEFORE_2020)
                     .values_list("district__code", flat=True))
    assert before == {"058": 8, "060": 10, "061": 16, "062": 11, "063": 17, "064": 22,
                      "065": 16, "066": 22}
    city = District.objects.get(code="058")
    assert str(city) == "Thành phố Bắc Kạn"
    assert str(District.objects.get(code="064")) == "Huyện Chợ Đồn"
    assert city.kind == UnitKind.CITY
    kinds = Counter(Commune.objects.valid_on(LAST_OF_DISTRICTS).values_list("kind", flat=True))
    assert kinds == {UnitKind.COMMUNE: 96, UnitKind.WARD: 6, UnitKind.TOWNSHIP: 6}
    kinds = Counter(Commune.objects.valid_on(THAI_NGUYEN).values_list("kind", flat=True))
    assert kinds == {UnitKind.COMMUNE: 35, UnitKind.WARD: 2}


@pytest.mark.django_db
def test_districts_carry_the_dates_they_existed():
    call_command("load_backan_2024")
    spans = {d.code: (d.valid_from, d.valid_to) for d in District.objects.all()}
    assert spans["060"] == (dt.date(2003, 5, 28), LAST_OF_DISTRICTS)  # Pác Nặm, from Ba Bể
    assert spans["065"] == (dt.date(1998, 7, 21), LAST_OF_DISTRICTS)  # Chợ Mới
    assert spans["064"] == (dt.date(1997, 1, 1), LAST_OF_DISTRICTS)
    # All eight throughout the programme's first years.
    assert District.objects.valid_during(dt.date(2018, 1, 1), dt.date(2018, 12, 31)).count() == 8
    assert District.objects.valid_on(dt.date(2019, 1, 1)).count() == 8
    assert not District.objects.valid_on(THAI_NGUYEN).exists()


@pytest.mark.django_db
def test_a_merged_commune_ends_the_day_before_its_successor_begins():
    call_command("load_backan_2024")
    ra_ban = Commune.objects.get(code="02056")
    dong_thang = Commune.objects.get(code="02059", valid_to=LAST_OF_DISTRICTS)
    assert ra_ban.name == "Rã Bản"
    assert ra_ban.district.code == "064"
    assert ra_ban.is_valid_on(BEFORE_2020)
    assert not ra_ban.is_valid_on(FROM_2020)
    assert dong_thang.is_valid_on(FROM_2020)
    assert not dong_thang.is_valid_on(BEFORE_2020)
    succession = UnitSuccession.objects.get(predecessor=ra_ban)
    assert (succession.successor, succession.kind, succession.on) == (
        dong_thang, SuccessionKind.MERGED, FROM_2020)
    assert succession.basis == "Nghị quyết 855/NQ-UBTVQH14"


@pytest.mark.django_db
def test_a_reused_code_is_two_units_one_on_each_side_of_its_change():
    call_command("load_backan_2024")
    assert Commune.objects.valid_on(BEFORE_2020).get(code="01960").name == "Lãng Ngâm"
    assert Commune.objects.valid_on(FROM_2020).get(code="01960").name == "Hiệp Lực"
    assert Commune.objects.valid_on(BEFORE_2020).get(code="02155").name == "Lương Hạ"
    yen_lac = Commune.objects.valid_on(FROM_2020).get(code="02155")
    assert (yen_lac.kind, yen_lac.name) == (UnitKind.TOWNSHIP, "Yến Lạc")
    # Thị trấn Yến Lạc kept its name and took Lương Hạ's code.
    old = Commune.objects.valid_on(BEFORE_2020).get(code="02134")
    assert (old.kind, old.name) == (UnitKind.TOWNSHIP, "Yến Lạc")
    assert UnitSuccession.objects.get(predecessor=old).kind == SuccessionKind.CODE_CHANGED
    # And 01960 a third time: xã Hiệp Lực of Thái Nguyên.
    assert Commune.objects.valid_on(THAI_NGUYEN).get(code="01960").province.name == "Thái Nguyên"
    assert Commune.objects.filter(code="01960").count() == 3


@pytest.mark.django_db
def test_a_split_commune_has_a_succession_for_each_part():
    call_command("load_backan_2024")
    luong_ha = Commune.objects.valid_on(BEFORE_2020).get(code="02155")
    parts = UnitSuccession.objects.filter(predecessor=luong_ha)
    assert {s.successor.name for s in parts} == {"Yến Lạc", "Cường Lợi"}
    assert {s.kind for s in parts} == {SuccessionKind.SPLIT}


@pytest.mark.django_db
def test_thai_nguyen_communes_are_counted_in_the_former_district_that_gave_most():
    call_command("load_backan_2024")
    new = {c.name: c for c in Commune.objects.valid_on(THAI_NGUYEN).select_related("district")}
    # Đồng Phúc: three communes of Ba Bể and Bằng Phúc of Chợ Đồn.
    dong_phuc = new["Đồng Phúc"]
    predecessors = [s.predecessor for s in dong_phuc.precessions.select_related(
        "predecessor__district")]
    assert Counter(p.district.code for p in predecessors) == {"061": 3, "064": 1}
    assert dong_phuc.district.code == "061"
    # Bạch Thông: Đồng Thắng of Chợ Đồn and two communes of Bạch Thông.
    assert new["Bạch Thông"].district.code == "063"
    # Phong Quang: one of the city's and one of Bạch Thông's; it keeps 01849, the city's.
    assert new["Phong Quang"].code == "01849"
    assert new["Phong Quang"].district.code == "058"
    assert new["Phủ Thông"].code == "01969"
    assert new["Phủ Thông"].district.code == "063"
    assert all(c.province.code == "19" for c in new.values())
