"""Dashboards, the plan page, quotas and plan tasks: who may do what, and what they see."""

import datetime as dt
import io
import json
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ocop_portal.context_processors import navigation_for
from products.models import Certificate, CycleParticipation, Evaluation, Product, Traceability
from targets.models import Indicator, Plan, PlanTask, Quota, TaskStatus
from targets.selectors import indicator_records
from targets.services import plan_task_create, quota_set
from tests.conftest import PERSONAS
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.targets.builders import linkage, media_item, quality, support, traceability

pytestmark = pytest.mark.django_db

READERS = ["province_staff", "district_officer", "other_district_officer", "leader", "admin_user"]
MANAGERS = ["province_staff", "admin_user"]
NOT_MANAGERS = ["district_officer", "other_district_officer", "leader"]


@pytest.fixture
def plan(reference_data):
    return Plan.objects.get(year=2024)


@pytest.fixture
def task(plan):
    return plan.tasks.get(number=1)


def _client(request, persona):
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client, user


# Who may see and do what

READ_PAGES = ["/dashboard/?year=2024", "/dashboard/district/064/?year=2024", "/targets/",
              "/targets/quotas/history/", "/targets/tasks/"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", READ_PAGES)
def test_every_role_reads_dashboards_plan_history_and_tasks(request, plan, persona, path):
    client, user = _client(request, persona)
    response = client.get(path)
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_a_task(request, task, persona):
    client, user = _client(request, persona)
    response = client.get(f"/targets/tasks/{task.pk}/")
    assert response.status_code == (302 if user is None else 200)
    if user is not None:
        html = response.content.decode()
        assert "Kiện toàn hệ thống tổ chức" in html
        assert ("Ghi cập nhật tiến độ" in html) is user.can_manage_plan
        assert (f"/targets/tasks/{task.pk}/edit/" in html) is user.can_manage_plan


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_plan_managers_open_the_quota_page(request, plan, persona):
    client, user = _client(request, persona)
    response = client.get("/targets/quotas/")
    expected = 302 if user is None else 200 if persona in MANAGERS else 403
    assert response.status_code == expected


def _quota_post(client, part="pl1", reason="Nhập theo Phụ lục 1", **cells):
    data = {"part": part, f"{part}-reason": reason}
    data.update({f"{part}-{name}": value for name, value in cells.items()})
    return client.post("/targets/quotas/?year=2024", data)


def _full_pl1(**overrides):
    cells = {f"{code}__tinh": value for code, value in
             (("new_products_3star", 20), ("consolidated_subjects", 8), ("new_subjects", 8))}
    cells.update(overrides)
    return cells


@pytest.mark.parametrize("persona", ["anonymous", *NOT_MANAGERS])
def test_others_cannot_post_quotas(request, plan, persona):
    client, user = _client(request, persona)
    response = _quota_post(client, **_full_pl1(new_products_3star__064="5"))
    assert response.status_code == (302 if user is None else 403)
    assert not Quota.objects.filter(district__isnull=False).exists()
    assert Quota.history.count() == 7


@pytest.mark.parametrize("persona", MANAGERS)
def test_plan_managers_save_a_table_with_a_reason(request, plan, persona):
    client, user = _client(request, persona)
    response = _quota_post(client, **_full_pl1(new_products_3star__064="5",
                                               new_subjects__066="1"))
    assert response.status_code == 302
    assert response["Location"] == "/targets/quotas/?year=2024"
    quotas = {(q.indicator.code, q.district.code): q.value
              for q in Quota.objects.filter(district__isnull=False)}
    assert quotas == {("new_products_3star", "064"): 5, ("new_subjects", "066"): 1}
    record = Quota.history.filter(district__code="064").get()
    assert record.history_user == user
    assert record.history_change_reason == "Nhập theo Phụ lục 1"
    history = client.get("/targets/quotas/history/").content.decode()
    assert "Nhập theo Phụ lục 1" in history
    assert str(user) in history


def test_a_table_without_a_reason_is_refused_and_nothing_saved(plan, province_staff):
    client = Client()
    client.force_login(province_staff)
    response = _quota_post(client, reason="", **_full_pl1(new_products_3star__064="5"))
    assert response.status_code == 200
    assert "Hãy ghi lý do thay đổi chỉ tiêu." in response.content.decode()
    assert not Quota.objects.filter(district__isnull=False).exists()


def test_a_negative_quota_refuses_the_whole_table(plan, province_staff):
    client = Client()
    client.force_login(province_staff)
    response = _quota_post(client, **_full_pl1(new_products_3star__064="3",
                                               new_subjects__066="-1"))
    assert response.status_code == 200
    assert "Chỉ tiêu không được âm." in response.content.decode()
    assert not Quota.objects.filter(district__isnull=False).exists()


def test_clearing_the_provincial_total_removes_it_with_history(plan, province_staff):
    client = Client()
    client.force_login(province_staff)
    response = _quota_post(client, **_full_pl1(new_subjects__tinh=""))
    assert response.status_code == 302
    assert not plan.quotas.filter(indicator__code="new_subjects", district=None).exists()
    assert Quota.history.filter(history_type="-").get().history_change_reason == (
        "Nhập theo Phụ lục 1")


def test_an_unknown_table_is_not_found(plan, province_staff):
    client = Client()
    client.force_login(province_staff)
    assert _quota_post(client, part="pl9").status_code == 404


def test_the_quota_page_warns_while_districts_do_not_add_up(plan, province_staff):
    client = Client()
    client.force_login(province_staff)
    html = client.get("/targets/quotas/").content.decode()
    assert "Tổng chỉ tiêu các huyện chưa bằng chỉ tiêu toàn tỉnh" in html
    values = dict.fromkeys(["058", "060", "061", "062", "063", "064", "065", "066"], "1")
    cells = {}
    for code in ("consolidated_subjects", "new_subjects"):
        cells.update({f"{code}__{d}": v for d, v in values.items()})
    cells.update({f"new_products_3star__{d}": v for d, v in
                  zip(values, ["3", "2", "3", "2", "3", "3", "2", "2"], strict=True)})
    _quota_post(client, **_full_pl1(**cells))
    pl2 = {f"{code}__{d}": "0" for code in ("traceability_products", "linkage_subjects",
                                            "advanced_qm_products") for d in values}
    pl2.update({"traceability_products__tinh": "0", "linkage_subjects__tinh": "0",
                "advanced_qm_products__tinh": "0"})
    assert _quota_post(client, part="pl2", reason="PL2", **pl2).status_code == 302
    html = client.get("/targets/quotas/").content.decode()
    assert "Tổng chỉ tiêu các huyện chưa bằng chỉ tiêu toàn tỉnh" not in html


@pytest.mark.parametrize("persona", ["anonymous", *NOT_MANAGERS])
def test_others_cannot_add_or_edit_tasks_or_notes(request, task, persona):
    client, user = _client(request, persona)
    denied = 302 if user is None else 403
    assert client.get("/targets/tasks/new/").status_code == denied
    assert client.post("/targets/tasks/new/?year=2024", {
        "number": 7, "title": "Nội dung giả", "lead_units": "x",
        "status": TaskStatus.NOT_STARTED}).status_code == denied
    assert client.get(f"/targets/tasks/{task.pk}/edit/").status_code == denied
    assert client.post(f"/targets/tasks/{task.pk}/edit/", {
        "number": 1, "title": "Đổi tên", "lead_units": "x",
        "status": TaskStatus.DONE}).status_code == denied
    assert client.post(f"/targets/tasks/{task.pk}/notes/", {
        "date": "01/05/2024", "note": "Giả"}).status_code == denied
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert PlanTask.objects.count() == 1
    assert not task.updates.exists()


@pytest.mark.parametrize("persona", MANAGERS)
def test_plan_managers_add_edit_and_note_tasks(request, task, persona):
    client, user = _client(request, persona)
    response = client.post("/targets/tasks/new/?year=2024", {
        "number": 2, "title": "Tổ chức đánh giá, phân hạng sản phẩm",
        "lead_units": "UBND các huyện, thành phố", "cooperating_units": "",
        "deadline": "30/09/2024", "status": TaskStatus.IN_PROGRESS})
    created = PlanTask.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == f"/targets/tasks/{created.pk}/"
    assert created.deadline == dt.date(2024, 9, 30)
    response = client.post(f"/targets/tasks/{task.pk}/edit/", {
        "number": 1, "title": task.title, "lead_units": task.lead_units,
        "deadline": "", "status": TaskStatus.IN_PROGRESS})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    response = client.post(f"/targets/tasks/{created.pk}/notes/", {
        "date": "15/10/2024", "note": "Đã đánh giá 30 sản phẩm", "status": TaskStatus.DONE})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == TaskStatus.DONE
    note = created.updates.get()
    assert (note.date, note.author) == (dt.date(2024, 10, 15), user)


def test_a_duplicate_task_number_is_shown_as_an_error(task, province_staff):
    client = Client()
    client.force_login(province_staff)
    response = client.post("/targets/tasks/new/?year=2024", {
        "number": 1, "title": "Trùng số", "lead_units": "x", "status": TaskStatus.NOT_STARTED})
    assert response.status_code == 200
    assert "Kế hoạch đã có nội dung số này." in response.content.decode()
    assert PlanTask.objects.count() == 1


def test_overdue_tasks_are_highlighted_in_the_list_and_on_the_dashboard(plan, province_staff):
    plan_task_create(plan=plan, user=province_staff, number=5, title="Hội chợ OCOP",
                     lead_units="Sở Công Thương", deadline=dt.date(2024, 5, 31))
    plan_task_create(plan=plan, user=province_staff, number=6, title="Tổng kết năm",
                     lead_units="Văn phòng Điều phối", deadline=dt.date(2024, 5, 31),
                     status=TaskStatus.DONE)
    client = Client()
    client.force_login(province_staff)
    html = client.get("/targets/tasks/").content.decode()
    assert html.count("task-overdue") == 1
    dashboard = client.get("/dashboard/?year=2024").content.decode()
    assert "5. Hội chợ OCOP" in dashboard
    assert "Tổng kết năm" not in dashboard


def test_unknown_district_and_year_without_plan_are_not_found(plan, leader):
    client = Client()
    client.force_login(leader)
    assert client.get("/dashboard/district/999/").status_code == 404
    assert client.get("/targets/?year=2019").status_code == 404
    assert client.get("/targets/tasks/999999/").status_code == 404


def test_home_leads_to_the_dashboard_and_the_menu_fits_the_role(request, plan):
    own = {"district_officer": "/dashboard/district/064/",
           "other_district_officer": "/dashboard/district/066/"}
    for persona in READERS:
        user = request.getfixturevalue(persona)
        labels = {item["label"]: item["url"] for item in navigation_for(user, "/dashboard/")}
        assert labels["Tổng quan"] == own.get(persona, "/dashboard/")
        assert labels["Kế hoạch"] == "/targets/"  # every role reads the plan
        client = Client()
        client.force_login(user)
        assert client.get("/")["Location"] == own.get(persona, "/dashboard/"), persona
        assert client.get("/targets/").status_code == 200


# What the dashboard shows

@pytest.fixture
def year_data(plan, province_staff, cho_don, na_ri):
    """A little of everything in 2024, in Chợ Đồn and Na Rì, with district quotas. The first new
    product is made in Na Rì by a Chợ Đồn producer: new products are Chợ Đồn 1, Na Rì 2."""
    for code, value in (("new_products_3star", 4), ("linkage_subjects", 3)):
        quota_set(plan=plan, indicator=Indicator.objects.get(code=code), district=cho_don,
                  value=value, reason="PL", user=province_staff)
    for index, where in enumerate([cho_don, cho_don, na_ri]):
        subject = SubjectFactory(district=where, first_year_in_programme=2024)
        old = ProductFactory(subject=subject, name=f"Miến dong {index}")
        recognise(old, stars=4, decision_date=dt.date(2022, 6, 1))
        new = ProductFactory(subject=subject, name=f"Trà hoa vàng {index}",
                             district=na_ri if index == 0 else where)
        recognise(new, stars=3, decision_date=dt.date(2024, 6, 1 + index))
        traceability(old, dt.date(2023, 1, 1))
        quality(new, dt.date(2024, 2, 1))
        linkage(subject, dt.date(2024, 1, 1))
        support(subject, dt.date(2024, 4, 4))
        media_item(dt.datetime(2024, 3, 1 + index, 9), district=where)
        media_item(dt.datetime(2024, 4, 1 + index, 9))


class _Links(HTMLParser):
    """The links of a page with their data-* attributes."""

    def __init__(self, html):
        super().__init__()
        self.links = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def _numbers(html):
    """The indicator numbers of a page: url, code, district, measure and value."""
    numbers = []
    for link in _Links(html).links:
        if "data-indicator" not in link:
            continue
        measure = "items" if "data-items" in link else "actual"
        numbers.append({"url": link["href"], "code": link["data-indicator"],
                        "district": link["data-district"], "measure": measure,
                        "value": link[f"data-{measure}"]})
    return numbers


def _breakdowns(html):
    return [link for link in _Links(html).links if "data-code" in link]


def _months(html):
    return [link for link in _Links(html).links if "data-month" in link]


def _count_behind(url):
    """How many records the drill-through link lists, by the lists' documented contract."""
    parts = urlsplit(unescape(url))
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path in ("/products/", "/subjects/", "/communications/")
    return indicator_records(params["indicator"], year=int(params["year"]),
                             district=params.get("district")).count()


def test_every_number_links_to_as_many_records_as_it_shows(year_data, leader):
    client = Client()
    client.force_login(leader)
    for path in ("/dashboard/?year=2024", "/dashboard/district/064/?year=2024",
                 "/dashboard/district/066/?year=2024"):
        html = client.get(path).content.decode()
        numbers = _numbers(html)
        assert len(numbers) >= 7
        for number in numbers:
            if number["code"] == "media_items_monthly" and number["measure"] == "actual" \
                    and not number["district"]:
                continue  # months met, not records: the link opens the year's items
            assert _count_behind(number["url"]) == int(number["value"]), number
        breakdowns = _breakdowns(html)
        assert {b["data-code"] for b in breakdowns} >= {
            "recognised", "stars:3", "stars:4", "stars:5", "expired", "expiring_30",
            "expiring_90"}
        assert any(b["data-code"].startswith("group:") for b in breakdowns)
        for number in breakdowns:
            assert _count_behind(number["href"]) == int(number["data-count"]), number
        months = _months(html)
        assert len(months) == 12
        for month in months:
            assert _count_behind(month["href"]) == int(month["data-items"]), month


def test_links_carry_indicator_year_and_district(year_data, leader):
    client = Client()
    client.force_login(leader)
    html = client.get("/dashboard/?year=2024").content.decode()
    assert 'href="/products/?indicator=new_products_3star&amp;year=2024&amp;district=064"' in html
    assert 'href="/subjects/?indicator=linkage_subjects&amp;year=2024"' in html
    assert 'href="/communications/?indicator=month%3A3&amp;year=2024"' in html
    assert 'href="/products/?indicator=stars%3A4&amp;year=2024"' in html


def test_the_report_command_matches_the_dashboard(year_data, leader):
    out = io.StringIO()
    call_command("indicator_report", "--year", "2024", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    client = Client()
    client.force_login(leader)
    response = client.get("/dashboard/?year=2024")
    shown = {(n["code"], n["district"]): int(n["value"]) for n in _numbers(
        response.content.decode()) if n["measure"] == "actual"}
    progress = response.context["progress"]
    for indicator in report["indicators"]:
        code = indicator["code"]
        item = progress.indicator(code)
        assert shown[(code, "")] == indicator["actual"] == item.total.actual
        assert item.total.quota == indicator["quota"]
        for row in indicator["districts"]:
            assert shown[(code, row["code"])] == row["actual"], (code, row["code"])
            assert item.districts[row["code"]].quota == row["quota"]
    assert report["indicators"][0]["actual"] == 3
    cho_don = report["indicators"][0]["districts"][5]
    assert {key: cho_don[key] for key in ("code", "name", "full_name", "quota", "actual",
                                          "ratio")} == {
        "code": "064", "name": "Chợ Đồn", "full_name": "Huyện Chợ Đồn", "quota": 4,
        "actual": 1, "ratio": 0.25}
    assert cho_don["forecast"]["value"] == 1.0  # no cycle recorded: the actual, nothing more


def test_a_district_officer_sees_the_province_figures_and_a_way_to_their_district(
        year_data, district_officer, province_staff):
    pages = []
    for user in (district_officer, province_staff):
        client = Client()
        client.force_login(user)
        pages.append(client.get("/dashboard/?year=2024").content.decode())
    assert _numbers(pages[0]) == _numbers(pages[1])
    assert 'href="/dashboard/district/064/?year=2024"><strong>Huyện của tôi' in pages[0]


def test_the_dashboard_states_its_rules_and_shows_its_charts(year_data, leader):
    client = Client()
    client.force_login(leader)
    html = client.get("/dashboard/?year=2024").content.decode()
    assert "Cách đánh giá." in html
    assert "Đạt: từ 100%" in html
    assert "Sản phẩm có quyết định công nhận đầu tiên đạt từ 3 sao" in html
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    assert "/static/js/dashboard.js" in html
    assert 'id="district-chart-data"' in html
    assert "tin, bài không gắn với huyện nào chỉ tính vào toàn tỉnh" in html
    assert "Chỉ tiêu các huyện chưa khớp với chỉ tiêu toàn tỉnh" in html
    script = re.search(r'id="district-chart-data" type="application/json">(.*?)</script>', html)
    data = json.loads(script.group(1))
    assert data["labels"][5] == "Chợ Đồn"
    assert data["series"][0]["actual"][5] == 1
    assert data["series"][0]["quota"][5] == 4


def test_a_year_without_a_plan_shows_actuals_without_quotas(plan, leader):
    client = Client()
    client.force_login(leader)
    html = client.get("/dashboard/?year=2023").content.decode()
    assert "Năm 2023 chưa có kế hoạch" in html
    assert '<option value="2023" selected>' in html


def test_a_bad_year_falls_back_to_the_default(plan, leader):
    client = Client()
    client.force_login(leader)
    response = client.get("/dashboard/?year=abc")
    assert response.status_code == 200
    assert response.context["year"] == 2024


def _dashboard_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _recognised_products(count):
    """Many recognised 4-star products with traceability: the first through the real services,
    the rest as bulk copies of its records, which the engine reads the same way."""
    subject = SubjectFactory(district=district("064"))
    first, *others = ProductFactory.create_batch(count, subject=subject, commune=None)
    model = recognise(first, stars=4, decision_date=dt.date(2024, 5, 5))
    traceability(first, dt.date(2024, 1, 1))
    evaluations = Evaluation.objects.bulk_create([
        Evaluation(product=product, cycle_year=2024, level="tinh", stars=4, kind="moi",
                   decision_number=f"{product.pk}/QĐ-UBND", decision_date=dt.date(2024, 5, 5),
                   criteria_version="148/2023")
        for product in others])
    certificates = Certificate.objects.bulk_create([
        Certificate(evaluation=evaluation, product=evaluation.product,
                    valid_from=model.certificate.valid_from, valid_to=model.certificate.valid_to)
        for evaluation in evaluations])
    for product, certificate in zip(others, certificates, strict=True):
        product.current_certificate = certificate
    Product.objects.bulk_update(others, ["current_certificate"])
    Traceability.objects.bulk_create([
        Traceability(product=product, system="Cổng truy xuất tỉnh", started_on=dt.date(2024, 1, 1))
        for product in others])
    # Each product went through the 2023 cycle (withdrawn) and is in the 2024 one, so that the
    # pipeline and the forecast's shares read as many records as the rest.
    CycleParticipation.objects.bulk_create([
        *[CycleParticipation(product=product, cycle_year=2023, registered_on=dt.date(2023, 3, 1),
                             district_round_on=dt.date(2023, 10, 1), stage="cap_huyen",
                             outcome="rut", ended_on=dt.date(2023, 12, 1))
          for product in (first, *others)],
        *[CycleParticipation(product=product, cycle_year=2022, registered_on=dt.date(2022, 3, 1),
                             outcome="rut", ended_on=dt.date(2022, 12, 1))
          for product in (first, *others)],
        *[CycleParticipation(product=product, cycle_year=2024, registered_on=dt.date(2024, 2, 1),
                             plan_on=dt.date(2024, 3, 1), stage="phuong_an")
          for product in (first, *others)],
    ])


def test_the_dashboards_take_as_many_queries_for_10_as_for_1000_products(plan, leader):
    paths = {"": "/dashboard/?year=2024", "064": "/dashboard/district/064/?year=2024"}
    client = Client()
    client.force_login(leader)
    client.get(paths[""])  # warm the session
    _recognised_products(10)
    few = {code: _dashboard_queries(client, path) for code, path in paths.items()}
    _recognised_products(990)
    many = {code: _dashboard_queries(client, path) for code, path in paths.items()}
    assert few == many
    # The cycle's pipeline is one query, its forecast's shares one plus one per earlier cycle
    # year (years, not records); the dossiers' completeness by district two more (products,
    # producers); the indicators counted again for what awaits review (`pending`), seven.
    assert max(many.values()) <= 37
    for code, path in paths.items():
        html = client.get(path).content.decode()
        assert f'data-indicator="new_products_3star" data-district="{code}" data-actual="1000"' \
            in html
