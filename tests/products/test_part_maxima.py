"""The maximum points of parts A, B and C by criteria version (QĐ 148/2023: 40, 25, 35;
QĐ 1048/2019: 35, 25, 40): the rule, the service, the evaluation form and its page, the admin."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from products import rules
from products.forms import EvaluationForm
from products.models import Evaluation
from products.services import evaluation_record
from tests.factories import ProductFactory, recognise

pytestmark = pytest.mark.django_db

C_38_UNDER_148 = "Điểm phần C tối đa 35 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 38."


@pytest.fixture
def product(reference_data):
    return ProductFactory()


def _record(product, user, a, b, c, **kwargs):
    values = {"cycle_year": 2024, "level": "tinh", "decision_number": "12/QĐ-UBND",
              "decision_date": dt.date(2024, 6, 15), "score_a": Decimal(a),
              "score_b": Decimal(b), "score_c": Decimal(c)}
    values.update(kwargs)
    return evaluation_record(product=product, user=user, **values)


# The rule.

@pytest.mark.parametrize(("version", "part", "points"), [
    ("148/2023", "a", "40"), ("148/2023", "b", "25"), ("148/2023", "c", "35"),
    ("1048/2019", "a", "35"), ("1048/2019", "b", "25"), ("1048/2019", "c", "40"),
    ("148/2023", "c", "0"),
])
def test_a_part_at_its_maximum_has_no_error(version, part, points):
    assert rules.part_errors(version, {part: Decimal(points)}) == {}


def test_a_part_above_its_maximum_is_named_with_the_version_and_what_was_entered():
    assert rules.part_errors("148/2023", {"a": Decimal("40"), "b": None,
                                          "c": Decimal("38.00")}) == {"c": C_38_UNDER_148}
    assert rules.part_errors("148/2023", {"c": Decimal("35.01")}) == {
        "c": "Điểm phần C tối đa 35 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 35,01."}
    assert rules.part_errors("1048/2019", {"a": Decimal("35.01")}) == {
        "a": "Điểm phần A tối đa 35 điểm theo QĐ 1048/QĐ-TTg (2019) và 781/QĐ-TTg (2020); "
             "đã nhập 35,01."}


def test_a_negative_part_is_refused():
    assert rules.part_errors("148/2023", {"b": Decimal("-0.5")}) == {
        "b": "Điểm phần B không được nhỏ hơn 0; đã nhập -0,5."}


# The service, at the edges.

@pytest.mark.parametrize(("a", "b", "c"), [("40", "20", "30"), ("30", "20", "35")])
def test_148_accepts_a_at_40_and_c_at_35(product, province_staff, a, b, c):
    evaluation = _record(product, province_staff, a, b, c).evaluation
    assert evaluation.criteria_version == "148/2023"
    assert (evaluation.score_a, evaluation.score_c) == (Decimal(a), Decimal(c))


@pytest.mark.parametrize(("a", "b", "c", "field", "entered"), [
    ("40.01", "20", "30", "score_a", "40,01"),
    ("30", "20", "35.01", "score_c", "35,01"),
    ("30", "20", "38", "score_c", "38"),
])
def test_148_refuses_a_above_40_and_c_above_35(product, province_staff, a, b, c, field,
                                               entered):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, a, b, c)
    assert error.value.message_dict[field] == [
        f"Điểm phần {field[-1].upper()} tối đa {40 if field == 'score_a' else 35} điểm theo "
        f"QĐ 148/QĐ-TTg (2023); đã nhập {entered}."]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("a", "b", "c"), [("35", "20", "30"), ("30", "20", "40")])
def test_1048_accepts_a_at_35_and_c_at_40(product, province_staff, a, b, c):
    evaluation = _record(product, province_staff, a, b, c, criteria_version="1048/2019",
                         decision_date=dt.date(2022, 12, 29), cycle_year=2022).evaluation
    assert evaluation.criteria_version == "1048/2019"
    assert evaluation.total_score == Decimal(a) + Decimal(b) + Decimal(c)


def test_1048_refuses_a_above_35(product, province_staff):
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, "35.01", "20", "30", criteria_version="1048/2019")
    assert set(error.value.message_dict) == {"score_a"}
    assert not Evaluation.objects.exists()


def test_the_version_follows_the_decision_date_when_not_given(product, province_staff):
    before = _record(product, province_staff, "30", "20", "38", cycle_year=2023,
                     decision_number="5/QĐ-UBND", decision_date=dt.date(2023, 2, 23))
    assert before.evaluation.criteria_version == "1048/2019"
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, "30", "20", "38", cycle_year=2023,
                decision_number="6/QĐ-UBND", decision_date=dt.date(2023, 2, 24))
    assert error.value.message_dict["score_c"] == [C_38_UNDER_148]
    assert list(Evaluation.objects.values_list("decision_number", flat=True)) == ["5/QĐ-UBND"]


def test_without_a_decision_the_version_follows_the_cycle_year(product, province_staff):
    # 48 points: 2 stars, which need no decision; the cycle year's last day decides the version.
    old = _record(product, province_staff, "5", "5", "38", cycle_year=2022, level="huyen",
                  decision_number="", decision_date=None)
    assert old.evaluation.criteria_version == "1048/2019"
    with pytest.raises(ValidationError) as error:
        _record(product, province_staff, "5", "5", "38", cycle_year=2023, level="huyen",
                decision_number="", decision_date=None)
    assert error.value.message_dict["score_c"] == [C_38_UNDER_148]
    assert Evaluation.objects.count() == 1


# The form and its page.

def _form_data(**changes):
    data = {"cycle_year": "2024", "level": "tinh", "score_a": "30", "score_b": "20",
            "score_c": "38", "decision_number": "215/QĐ-UBND", "decision_date": "20/11/2024",
            "criteria_version": ""}
    data.update(changes)
    return data


def test_the_form_refuses_a_part_above_the_maximum_of_the_chosen_version():
    form = EvaluationForm(_form_data(score_c="35,01", criteria_version="148/2023",
                                     decision_date="20/11/2022"))
    assert not form.is_valid()
    assert form.errors["score_c"] == [
        "Điểm phần C tối đa 35 điểm theo QĐ 148/QĐ-TTg (2023); đã nhập 35,01."]
    assert set(form.errors) == {"score_c"}


@pytest.mark.parametrize(("decision_date", "valid"), [("23/02/2023", True),
                                                      ("24/02/2023", False)])
def test_the_form_takes_the_version_from_the_decision_date_when_blank(decision_date, valid):
    form = EvaluationForm(_form_data(decision_date=decision_date, cycle_year="2023"))
    assert form.is_valid() is valid
    assert ("score_c" in form.errors) is not valid


def test_the_form_page_shows_the_message_beside_the_part_and_saves_nothing(
        client, district_officer, product):
    client.force_login(district_officer)
    response = client.post(f"/products/{product.pk}/evaluations/new/", _form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["score_c"] == [C_38_UNDER_148]
    assert C_38_UNDER_148 in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_form_page_gives_its_script_the_maxima_and_bands(client, district_officer,
                                                             product):
    client.force_login(district_officer)
    response = client.get(f"/products/{product.pk}/evaluations/new/")
    assert response.status_code == 200
    page = response.content.decode()
    data = re.search(r'<script id="evaluation-score-rules" type="application/json">(.*?)'
                     r"</script>", page, re.DOTALL)
    assert data, "the rules should be on the page as json_script"
    score_rules = json.loads(data.group(1))
    assert score_rules["maxima"] == {"148/2023": {"a": 40, "b": 25, "c": 35},
                                     "1048/2019": {"a": 35, "b": 25, "c": 40}}
    assert score_rules["effective_148"] == "2023-02-24"
    assert score_rules["bands"][1] == {"lowest": 70, "stars": 4,
                                       "label": "từ 70 đến dưới 90 điểm"}
    assert '<script src="/static/js/evaluation_form.js"></script>' in page
    assert 'id="score-summary"' in page
    # Ready for a Content-Security-Policy without 'unsafe-inline': no script runs inline.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


# The admin: it corrects an evaluation's decision, never its scores.

def test_the_admin_cannot_add_an_evaluation_nor_change_its_scores(product, province_staff):
    client = Client()
    client.force_login(province_staff)
    assert client.get("/admin/products/evaluation/add/").status_code == 403
    evaluation = recognise(product, 3, dt.date(2024, 6, 15)).evaluation
    response = client.get(f"/admin/products/evaluation/{evaluation.pk}/change/")
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert not {"score_a", "score_b", "score_c", "total_score", "stars"} & set(form_fields)
