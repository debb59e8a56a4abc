"""The pages of a product's OCOP cycle against every persona: registering, moving on and
withdrawing (status codes and the database afterwards), their errors in Vietnamese, the product
page's cycle section, and "Chu trình OCOP năm Y" with what is overdue in the user's districts.

The records belong to Chợ Đồn (064): `district_officer` is their own district's officer,
`other_district_officer` (Na Rì) is an outsider, for whom they do not exist (404).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from products.models import CycleOutcome, CycleParticipation, CycleStage, EvaluationKind
from products.services import participation_advance, participation_register, participation_withdraw
from tests.factories import ProductFactory, SubjectFactory, office_user
from tests.helpers import external_references

pytestmark = pytest.mark.django_db

WRITERS = ("province_staff", "district_officer", "admin_user")
PERSONAS = ("anonymous", "province_staff", "district_officer", "other_district_officer",
            "leader", "admin_user")
REQUIRED = "Trường này là bắt buộc."


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def shown(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def this_year() -> int:
    return timezone.localdate().year


def _client(request, persona):
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client, user


def _expected_write_page(persona):
    return {"anonymous": 302, "other_district_officer": 404, "leader": 403}.get(persona, 200)


def _assert_refused(response, persona):
    assert response.status_code == _expected_write_page(persona)
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def register(product, *, registered_on=None, cycle_year=None):
    return participation_register(product=product, user=office_user(),
                                  cycle_year=cycle_year or this_year(),
                                  registered_on=registered_on or days_ago(20))


def advance(participation, stage, on):
    return participation_advance(participation, user=office_user(), stage=stage, on=on)


@pytest.fixture
def product(reference_data):
    return ProductFactory(name="Miến dong Bằng Lũng")


@pytest.fixture
def participation(product):
    """An open participation of this year's cycle, registered 20 days ago."""
    return register(product)


# Registering, moving on, withdrawing: every persona ---------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_register_a_product_in_the_cycle_by_persona(request, persona, product):
    client, user = _client(request, persona)
    url = f"/products/{product.pk}/cycle/new/"
    assert client.get(url).status_code == _expected_write_page(persona)

    response = client.post(url, {
        "cycle_year": this_year(), "kind": "", "registered_on": shown(days_ago(10)),
        "stage": CycleStage.BUSINESS_PLAN, "stage_on": shown(days_ago(3)),
    })

    if persona in WRITERS:
        assert response.status_code == 302
        assert response["Location"] == f"/products/{product.pk}/"
        participation = CycleParticipation.objects.get(product=product)
        assert (participation.cycle_year, participation.kind, participation.stage) == (
            this_year(), EvaluationKind.NEW, CycleStage.BUSINESS_PLAN)
        assert (participation.registered_on, participation.plan_on) == (days_ago(10),
                                                                        days_ago(3))
        assert participation.outcome == CycleOutcome.OPEN
        assert {record.history_user for record in participation.history.all()} == {user}
    else:
        _assert_refused(response, persona)
        assert not CycleParticipation.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_advance_a_participation_by_persona(request, persona, participation):
    client, user = _client(request, persona)
    url = f"/products/cycle/{participation.pk}/advance/"
    assert client.get(url).status_code == _expected_write_page(persona)

    response = client.post(url, {"stage": CycleStage.DISTRICT_ROUND, "on": shown(days_ago(5))})

    participation.refresh_from_db()
    if persona in WRITERS:
        assert response.status_code == 302
        assert response["Location"] == f"/products/{participation.product_id}/"
        assert participation.stage == CycleStage.DISTRICT_ROUND
        assert participation.district_round_on == days_ago(5)
        assert participation.plan_on is None  # a stage may be skipped
        assert participation.is_open
        assert participation.history.first().history_user == user
    else:
        _assert_refused(response, persona)
        assert participation.stage == CycleStage.REGISTERED
        assert participation.district_round_on is None
        assert participation.history.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdraw_a_participation_by_persona(request, persona, participation):
    client, user = _client(request, persona)
    url = f"/products/cycle/{participation.pk}/withdraw/"
    assert client.get(url).status_code == _expected_write_page(persona)

    response = client.post(url, {"on": shown(days_ago(2)),
                                 "reason": "Chủ thể xin rút vì mất mùa dong riềng."})

    participation.refresh_from_db()
    if persona in WRITERS:
        assert response.status_code == 302
        assert response["Location"] == f"/products/{participation.product_id}/"
        assert participation.outcome == CycleOutcome.WITHDRAWN
        assert participation.ended_on == days_ago(2)
        assert participation.withdrawal_reason == "Chủ thể xin rút vì mất mùa dong riềng."
        assert participation.stage == CycleStage.REGISTERED
        assert participation.history.first().history_user == user
    else:
        _assert_refused(response, persona)
        assert participation.outcome == CycleOutcome.OPEN
        assert participation.ended_on is None
        assert participation.withdrawal_reason == ""


def test_an_outsider_cannot_reach_another_districts_participation_even_by_forging_the_form(
        client, other_district_officer, participation):
    client.force_login(other_district_officer)
    for url, data in (
        (f"/products/cycle/{participation.pk}/advance/",
         {"stage": CycleStage.PROVINCE_ROUND, "on": shown(days_ago(1))}),
        (f"/products/cycle/{participation.pk}/withdraw/",
         {"on": shown(days_ago(1)), "reason": "Giả mạo"}),
        (f"/products/{participation.product_id}/cycle/new/",
         {"cycle_year": this_year() + 1, "registered_on": shown(days_ago(1)),
          "stage": CycleStage.REGISTERED}),
    ):
        assert client.post(url, data).status_code == 404
    participation.refresh_from_db()
    assert (participation.stage, participation.outcome) == (CycleStage.REGISTERED,
                                                            CycleOutcome.OPEN)
    assert CycleParticipation.objects.count() == 1


# Errors, in Vietnamese, with nothing changed -----------------------------------------------------

@pytest.fixture
def officer_client(client, district_officer):
    client.force_login(district_officer)
    return client


def test_the_advance_page_offers_only_the_later_stages(officer_client, participation):
    advance(participation, CycleStage.DISTRICT_ROUND, days_ago(5))

    response = officer_client.get(f"/products/cycle/{participation.pk}/advance/")

    assert response.status_code == 200
    assert [value for value, _ in response.context["form"].fields["stage"].choices] == [
        CycleStage.PROVINCE_ROUND, CycleStage.CENTRAL_ROUND]


# Whether the stage is refused by the form's choices or by the service, the officer reads why.
EARLIER_STAGE_MESSAGES = (
    "Sản phẩm đã ở giai đoạn đánh giá cấp tỉnh; chỉ chuyển sang một giai đoạn sau.",
    "Hãy chọn một lựa chọn hợp lệ.",
)


@pytest.mark.parametrize("stage", [CycleStage.BUSINESS_PLAN, CycleStage.PROVINCE_ROUND])
def test_advancing_to_an_earlier_or_the_same_stage_is_refused(officer_client, participation,
                                                              stage):
    advance(participation, CycleStage.PROVINCE_ROUND, days_ago(5))

    response = officer_client.post(f"/products/cycle/{participation.pk}/advance/",
                                   {"stage": stage, "on": shown(days_ago(1))})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["stage"]
    message = errors["stage"][0]
    assert message.startswith(EARLIER_STAGE_MESSAGES), message
    assert message in response.content.decode()
    participation.refresh_from_db()
    assert participation.stage == CycleStage.PROVINCE_ROUND
    assert participation.plan_on is None
    assert participation.history.count() == 2


def test_advancing_on_a_future_date_is_refused(officer_client, participation):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = officer_client.post(f"/products/cycle/{participation.pk}/advance/",
                                   {"stage": CycleStage.BUSINESS_PLAN, "on": shown(tomorrow)})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "on": ["Ngày chuyển giai đoạn không được sau ngày hôm nay."]}
    participation.refresh_from_db()
    assert (participation.stage, participation.plan_on) == (CycleStage.REGISTERED, None)


def test_advancing_on_a_date_before_the_previous_stage_is_refused(officer_client,
                                                                  participation):
    advance(participation, CycleStage.BUSINESS_PLAN, days_ago(10))

    response = officer_client.post(f"/products/cycle/{participation.pk}/advance/",
                                   {"stage": CycleStage.DISTRICT_ROUND, "on": shown(days_ago(11))})

    assert response.status_code == 200
    assert response.context["form"].errors == {"on": [
        f"Ngày chuyển giai đoạn không được trước ngày {shown(days_ago(10))} đã ghi cho giai "
        "đoạn trước."]}
    participation.refresh_from_db()
    assert (participation.stage, participation.district_round_on) == (
        CycleStage.BUSINESS_PLAN, None)


def test_the_decision_stage_is_not_offered_to_advance_to(officer_client, participation):
    response = officer_client.post(f"/products/cycle/{participation.pk}/advance/",
                                   {"stage": CycleStage.DECISION, "on": shown(days_ago(1))})

    assert response.status_code == 200
    assert "stage" in response.context["form"].errors
    assert "Hãy chọn một lựa chọn hợp lệ" in response.context["form"].errors["stage"][0]
    participation.refresh_from_db()
    assert participation.stage == CycleStage.REGISTERED


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "spaces"])
def test_withdrawing_without_a_reason_is_refused(officer_client, participation, reason):
    response = officer_client.post(f"/products/cycle/{participation.pk}/withdraw/",
                                   {"on": shown(days_ago(1)), "reason": reason})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [REQUIRED]}
    assert REQUIRED in response.content.decode()
    participation.refresh_from_db()
    assert participation.outcome == CycleOutcome.OPEN
    assert participation.ended_on is None


def test_withdrawing_before_the_last_stage_date_is_refused(officer_client, participation):
    response = officer_client.post(f"/products/cycle/{participation.pk}/withdraw/",
                                   {"on": shown(days_ago(21)), "reason": "Chủ thể xin rút."})

    assert response.status_code == 200
    assert response.context["form"].errors == {"on": [
        f"Ngày rút không được trước ngày {shown(days_ago(20))} đã ghi cho giai đoạn trước."]}
    participation.refresh_from_db()
    assert participation.outcome == CycleOutcome.OPEN


def test_a_withdrawn_participation_cannot_be_moved_on(officer_client, participation):
    participation_withdraw(participation, user=office_user(), on=days_ago(3),
                           reason="Chủ thể xin rút.")

    response = officer_client.post(f"/products/cycle/{participation.pk}/advance/",
                                   {"stage": CycleStage.BUSINESS_PLAN, "on": shown(days_ago(1))})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Chu trình {this_year()} của sản phẩm đã kết thúc (rút khỏi chu trình)."]
    participation.refresh_from_db()
    assert (participation.outcome, participation.plan_on) == (CycleOutcome.WITHDRAWN, None)


def test_registering_twice_for_the_same_cycle_is_refused(officer_client, participation):
    response = officer_client.post(f"/products/{participation.product_id}/cycle/new/", {
        "cycle_year": this_year(), "registered_on": shown(days_ago(1)),
        "stage": CycleStage.REGISTERED})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sản phẩm này đã đăng ký chu trình OCOP năm này." in html
    assert CycleParticipation.objects.count() == 1


def test_registering_on_a_future_date_is_refused(officer_client, product):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = officer_client.post(f"/products/{product.pk}/cycle/new/", {
        "cycle_year": tomorrow.year, "registered_on": shown(tomorrow),
        "stage": CycleStage.REGISTERED})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registered_on": ["Ngày đăng ký không được sau ngày hôm nay."]}
    assert not CycleParticipation.objects.exists()


# The product page --------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_the_product_page_shows_the_participation_with_its_stage_dates(request, persona,
                                                                       participation):
    advance(participation, CycleStage.BUSINESS_PLAN, days_ago(15))
    advance(participation, CycleStage.PROVINCE_ROUND, days_ago(5))
    client, _ = _client(request, persona)

    response = client.get(f"/products/{participation.product_id}/")

    assert response.status_code == {"anonymous": 302,
                                    "other_district_officer": 404}.get(persona, 200)
    if response.status_code != 200:
        return
    html = response.content.decode()
    assert external_references(html) == []
    assert f"Chu trình {this_year()}" in html
    assert f"Năm {this_year()}: đánh giá cấp tỉnh" in html
    assert f"Đăng ký: {shown(days_ago(20))}" in html
    assert f"Phương án sản xuất kinh doanh: {shown(days_ago(15))}" in html
    assert f"Đánh giá cấp tỉnh: {shown(days_ago(5))}" in html
    assert "Đánh giá cấp huyện:" not in html  # skipped, so not dated
    advance_url = f"/products/cycle/{participation.pk}/advance/"
    assert (advance_url in html) is (persona in WRITERS)
    assert (f"/products/cycle/{participation.pk}/withdraw/" in html) is (persona in WRITERS)


def test_the_product_page_shows_a_withdrawal_with_its_reason(client, leader, participation):
    participation_withdraw(participation, user=office_user(), on=days_ago(3),
                           reason="Ý tưởng sản phẩm không được chấp nhận.")
    client.force_login(leader)

    html = client.get(f"/products/{participation.product_id}/").content.decode()

    assert f"Rút ngày {shown(days_ago(3))}: Ý tưởng sản phẩm không được chấp nhận." in html
    assert f"Năm {this_year()}: rút khỏi chu trình" in html


def test_the_product_page_offers_no_moves_on_a_closed_participation(client, district_officer,
                                                                    participation):
    participation_withdraw(participation, user=office_user(), on=days_ago(3), reason="Rút.")
    client.force_login(district_officer)

    html = client.get(f"/products/{participation.product_id}/").content.decode()

    assert f"/products/cycle/{participation.pk}/advance/" not in html
    assert f"/products/{participation.product_id}/cycle/new/" in html


# "Chu trình OCOP năm Y" --------------------------------------------------------------------------

CHO_DON_LATE = ("Măng khô Chợ Đồn chưa có phương án", "Gạo nếp Chợ Đồn chờ quyết định")
NA_RI_LATE = ("Miến dong Na Rì chưa có phương án", "Rượu ngô Na Rì chờ quyết định")
ON_TIME = "Chè Chợ Đồn đúng hạn"


def _late_pair(district, names):
    subject = SubjectFactory(district=district)
    no_plan = ProductFactory(name=names[0], subject=subject)
    register(no_plan, registered_on=days_ago(70))
    waiting = ProductFactory(name=names[1], subject=subject)
    advance(register(waiting, registered_on=days_ago(80)), CycleStage.DISTRICT_ROUND,
            days_ago(50))


@pytest.fixture
def overdue(cho_don, na_ri):
    """Two overdue products in each of Chợ Đồn and Na Rì (one with no plan after 60 days, one
    with no decision 45 days after its council), and one of Chợ Đồn on time."""
    _late_pair(cho_don, CHO_DON_LATE)
    _late_pair(na_ri, NA_RI_LATE)
    register(ProductFactory(name=ON_TIME, subject=SubjectFactory(district=cho_don)),
             registered_on=days_ago(10))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_cycle_page_lists_overdue_products_only_of_the_users_districts(request, persona,
                                                                           overdue):
    client, _ = _client(request, persona)

    response = client.get("/targets/cycle/", {"year": this_year()})

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Chu trình OCOP năm {this_year()}" in html
    assert external_references(html) == []
    sees_cho_don = persona != "other_district_officer"
    sees_na_ri = persona != "district_officer"
    for name in CHO_DON_LATE:
        assert (name in html) is sees_cho_don
    for name in NA_RI_LATE:
        assert (name in html) is sees_na_ri
    assert ON_TIME not in html
    no_plan, late_rounds = response.context["overdue"]
    expected = ({"Chợ Đồn"} if sees_cho_don else set()) | ({"Na Rì"} if sees_na_ri else set())
    for group, index in ((no_plan, 0), (late_rounds, 1)):
        assert {p.product.district.name for p in group.participations} == expected
        assert group.count == len(expected)
        names = {p.product.name for p in group.participations}
        assert names == ({CHO_DON_LATE[index]} if sees_cho_don else set()) | (
            {NA_RI_LATE[index]} if sees_na_ri else set())


def test_the_cycle_page_of_another_year_has_nothing_overdue(client, leader, overdue):
    client.force_login(leader)

    response = client.get("/targets/cycle/", {"year": this_year() - 1})

    assert response.status_code == 200
    assert all(group.count == 0 for group in response.context["overdue"])
    html = response.content.decode()
    assert not any(name in html for name in CHO_DON_LATE + NA_RI_LATE)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("persona", ["province_staff", "district_officer"])
def test_the_cycle_page_costs_the_same_with_few_or_many_overdue_products(request, persona,
                                                                        cho_don):
    client, _ = _client(request, persona)
    url = f"/targets/cycle/?year={this_year()}"
    _late_pair(cho_don, ("Sản phẩm trễ 0", "Sản phẩm chờ 0"))
    few, response = _queries(client, url)
    assert [group.count for group in response.context["overdue"]] == [1, 1]
    for index in range(1, 10):
        _late_pair(cho_don, (f"Sản phẩm trễ {index}", f"Sản phẩm chờ {index}"))
    many, response = _queries(client, url)
    assert [group.count for group in response.context["overdue"]] == [10, 10]
    assert few == many
