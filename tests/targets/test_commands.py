"""indicator_report: the JSON of DESIGN.md §6 and a readable table, from the engine."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from targets.models import Indicator, Plan
from targets.services import quota_set
from tests.factories import ProductFactory, SubjectFactory, district, recognise

pytestmark = pytest.mark.django_db


def report(*args) -> str:
    out = io.StringIO()
    call_command("indicator_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(reference_data, province_staff):
    plan = Plan.objects.get(year=2024)
    quota_set(plan=plan, indicator=Indicator.objects.get(code="new_products_3star"),
              district=district("064"), value=4, reason="PL1", user=province_staff)
    for _ in range(3):
        recognise(ProductFactory(subject=SubjectFactory(district=district("064"))),
                  decision_date=dt.date(2024, 9, 9))
    recognise(ProductFactory(subject=SubjectFactory(district=district("066"))),
              decision_date=dt.date(2024, 9, 9))


def test_the_json_has_the_shape_of_the_design(data):
    payload = json.loads(report("--year", "2024", "--format", "json"))
    assert payload["plan"] == "180/KH-UBND"
    assert payload["year"] == 2024
    codes = [i["code"] for i in payload["indicators"]]
    assert codes == ["new_products_3star", "consolidated_subjects", "new_subjects",
                     "traceability_products", "linkage_subjects", "advanced_qm_products",
                     "media_items_monthly"]
    new = payload["indicators"][0]
    assert {"code", "quota", "actual", "districts"} <= set(new)
    assert (new["quota"], new["actual"], new["ratio"]) == (20, 4, 0.2)
    assert [d["code"] for d in new["districts"]] == [
        "058", "060", "061", "062", "063", "064", "065", "066"]
    cho_don = next(d for d in new["districts"] if d["code"] == "064")
    assert {"code", "name", "quota", "actual"} <= set(cho_don)
    assert (cho_don["name"], cho_don["quota"], cho_don["actual"], cho_don["ratio"]) == (
        "Chợ Đồn", 4, 3, 0.75)
    na_ri = next(d for d in new["districts"] if d["code"] == "066")
    assert (na_ri["quota"], na_ri["actual"], na_ri["ratio"]) == (None, 1, None)
    media = payload["indicators"][-1]
    assert (media["quota"], media["actual"], media["target"], media["months_elapsed"]) == (
        2, 0, 12, 12)


def test_one_district_keeps_the_totals_and_lists_that_district(data):
    payload = json.loads(report("--year", "2024", "--format", "json", "--district", "064"))
    new = payload["indicators"][0]
    assert new["actual"] == 4
    assert [d["code"] for d in new["districts"]] == ["064"]


def test_the_table_lists_every_district_and_the_province(data):
    text = report("--year", "2024")
    assert "Kế hoạch 180/KH-UBND – năm 2024" in text
    assert "Huyện Chợ Đồn" in text
    assert "Toàn tỉnh" in text
    line = next(row for row in text.splitlines()
                if "Huyện Chợ Đồn" in row and "75%" in row)
    assert line.split()[-3:] == ["4", "3", "75%"]


def test_a_year_without_a_plan_reports_actuals_without_quotas(reference_data):
    payload = json.loads(report("--year", "2023", "--format", "json"))
    assert payload["plan"] is None
    assert all(i["quota"] is None for i in payload["indicators"])


def test_an_unknown_district_is_an_error(reference_data):
    with pytest.raises(CommandError, match="999"):
        report("--year", "2024", "--district", "999")
