"""Each role's "Việc cần làm" and the reminder e-mails: every kind of line for the right role and
district only; the page by role; one e-mail per person per run, none twice, none for a person
with nothing to do; the computation's queries the same for one district as for all."""

import datetime as dt
import io
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop_portal import reminders, todo
from ocop_portal.models import District, ReminderSent, ReviewItem, Role, User
from ocop_portal.settings import _reminder_crontab
from ocop_portal.tasks import reminders_send_task
from products.models import Product
from targets.selectors.plans import districts_of_year
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db

NOW = timezone.now()
# A month after this one: nothing made by the tests is an update of that month.
NEXT_MONTH = NOW + dt.timedelta(days=40)
_numbers = itertools.count(1)


def review_item(district, *, state=ReviewItem.State.PENDING, age_days=0, by=None):
    product = ProductFactory(subject=SubjectFactory(district=district))
    return ReviewItem.objects.create(
        content_type=ContentType.objects.get_for_model(Product), object_id=product.pk,
        kind="product_unit", action="change", district=district,
        title=product.name, state=state,
        submitted_by=by or User.objects.get_or_create(
            username=f"gui_{district.code}", defaults={"role": Role.DISTRICT_OFFICER,
                                                        "district": district})[0],
        submitted_at=NOW - dt.timedelta(days=age_days),
        reason="Thiếu quyết định" if state == ReviewItem.State.RETURNED else "")


def expiring_product(district, *, today=None):
    """A product of `district` whose certificate lapses about 30 days after `today`."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=30)
    product = ProductFactory(subject=SubjectFactory(district=district))
    recognise(product, decision_date=soon.replace(year=soon.year - 3))
    return product


def codes(user, now=NOW) -> dict[str, todo.TodoLine]:
    return {line.code: line for line in todo.todo_list_for_user(user, now=now).lines}


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@backan.gov.vn"
        user.save()
    return users


# The lines --------------------------------------------------------------------------------------

def test_officer_sees_items_returned_to_their_district_only(district_officer,
                                                             other_district_officer,
                                                             province_staff, cho_don, na_ri):
    review_item(cho_don, state=ReviewItem.State.RETURNED)
    review_item(cho_don, state=ReviewItem.State.RETURNED)
    review_item(cho_don, state=ReviewItem.State.PENDING)
    review_item(na_ri, state=ReviewItem.State.RETURNED)

    mine = codes(district_officer)["returned"]
    assert mine.count == 2
    assert mine.url == "/review/?state=returned"
    assert codes(other_district_officer)["returned"].count == 1
    assert "returned" not in codes(province_staff)


def test_officer_sees_their_district_certificates_expiring_within_90_days(
        district_officer, other_district_officer, province_staff, leader, cho_don, na_ri):
    expiring_product(cho_don)
    far = ProductFactory(subject=SubjectFactory(district=cho_don))
    recognise(far, decision_date=timezone.localdate() - dt.timedelta(days=30))

    line = codes(district_officer)["expiring"]
    assert line.count == 1
    assert line.url == (f"/products/?indicator=expiring_90&year={timezone.localdate().year}"
                        "&district=064")
    assert "expiring" not in codes(other_district_officer)
    assert "expiring" not in codes(province_staff)
    assert "expiring" not in codes(leader)


def test_the_expiring_line_opens_the_list_of_the_same_products(district_officer, cho_don):
    product = expiring_product(cho_don)
    client = Client()
    client.force_login(district_officer)
    page = client.get(codes(district_officer)["expiring"].url)
    assert page.status_code == 200
    assert [p.pk for p in page.context["products"]] == [product.pk]


def test_a_district_with_no_update_this_month_is_on_the_officers_and_the_offices_lists(
        district_officer, other_district_officer, province_staff, admin_user, leader, cho_don):
    # The province staff's evaluation of a Chợ Đồn product is an update of Chợ Đồn this month.
    recognise(ProductFactory(subject=SubjectFactory(district=cho_don)),
              decision_date=timezone.localdate() - dt.timedelta(days=3))

    assert "not_updated" not in codes(district_officer)
    silent = codes(other_district_officer)["not_updated"]
    assert silent.url == "/products/?district=066"
    assert "Na Rì chưa cập nhật" in silent.text
    office = codes(province_staff)["districts_not_updated"]
    names = [link.label for link in office.details]
    assert "Na Rì" in names
    assert "Chợ Đồn" not in names
    assert office.count == len(districts_of_year(timezone.localdate().year)) - 1
    assert "/dashboard/district/066/" in [link.url for link in office.details]
    assert codes(admin_user)["districts_not_updated"].count == office.count
    assert codes(leader)["districts_not_updated"].actionable is False

    # Next month nothing is updated yet.
    assert "not_updated" in codes(district_officer, now=NEXT_MONTH)
    assert "Chợ Đồn" in [link.label for link in
                         codes(province_staff, NEXT_MONTH)["districts_not_updated"].details]


def test_an_item_sent_for_review_is_an_update_and_a_change_without_author_is_not(
        district_officer, cho_don):
    # Made without a person (as the nightly expiry job saves): not an update.
    ProductFactory(subject=SubjectFactory(district=cho_don))
    assert "not_updated" in codes(district_officer)
    review_item(cho_don, by=district_officer)
    assert "not_updated" not in codes(district_officer)


def test_the_office_sees_items_awaiting_review_more_than_7_days(
        province_staff, admin_user, leader, district_officer, cho_don, na_ri):
    review_item(na_ri, age_days=8)
    review_item(na_ri, age_days=10)
    review_item(cho_don, age_days=2)
    review_item(cho_don, age_days=9, state=ReviewItem.State.RETURNED)

    line = codes(province_staff)["awaiting"]
    assert line.count == 2
    assert line.url == "/review/?state=pending&age=7"
    assert [(link.label, link.url) for link in line.details] == [
        ("Na Rì: 2", "/review/?state=pending&age=7&district=066")]
    assert line.actionable
    assert codes(admin_user)["awaiting"].count == 2
    assert codes(leader)["awaiting"].actionable is False
    assert "awaiting" not in codes(district_officer)


def test_the_awaiting_line_opens_the_review_list_of_the_same_items(province_staff, na_ri):
    old = review_item(na_ri, age_days=8)
    review_item(na_ri, age_days=1)
    client = Client()
    client.force_login(province_staff)
    page = client.get(codes(province_staff)["awaiting"].url)
    assert [row["item"].pk for row in page.context["rows"]] == [old.pk]


# The page ---------------------------------------------------------------------------------------

def test_anonymous_is_sent_to_login():
    response = Client().get("/todo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("persona", "shown", "hidden"), [
    # Chợ Đồn has an update this month (the recognition); Na Rì has none.
    ("district_officer", {"returned", "expiring"},
     {"not_updated", "awaiting", "districts_not_updated"}),
    ("other_district_officer", {"not_updated"},
     {"returned", "expiring", "awaiting", "districts_not_updated"}),
    ("province_staff", {"awaiting", "districts_not_updated"},
     {"returned", "expiring", "not_updated"}),
    ("admin_user", {"awaiting", "districts_not_updated"},
     {"returned", "expiring", "not_updated"}),
    ("leader", {"awaiting", "districts_not_updated"}, {"returned", "expiring", "not_updated"}),
])
def test_each_role_sees_its_own_lines_on_the_page(request, persona, shown, hidden, cho_don,
                                                  na_ri):
    review_item(cho_don, state=ReviewItem.State.RETURNED)
    review_item(cho_don, age_days=9)
    expiring_product(cho_don)
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    page = client.get("/todo/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Việc cần làm" in html
    for code in shown:
        assert f'data-todo="{code}"' in html, code
    for code in hidden:
        assert f'data-todo="{code}"' not in html, code
    assert "Việc cần làm" in [item["label"] for item in page.context["nav_items"]]


def test_the_page_takes_the_same_queries_for_one_and_many_districts(
        province_staff, cho_don, django_assert_max_num_queries):
    client = Client()
    client.force_login(province_staff)
    review_item(cho_don, age_days=9)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/todo/").status_code == 200
    for district in District.objects.all():
        review_item(district, age_days=9)
        review_item(district, state=ReviewItem.State.RETURNED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/todo/").status_code == 200


# The computation's queries ------------------------------------------------------------------------

def _officers(districts):
    return [User.objects.create_user(username=f"cb_{d.code}_{next(_numbers)}",
                                     role=Role.DISTRICT_OFFICER, district=d) for d in districts]


def test_the_lists_take_the_same_queries_for_one_district_as_for_all(
        province_staff, leader, admin_user, cho_don):
    def queries(users) -> int:
        with CaptureQueriesContext(connection) as captured:
            todo.todo_lists_for_users(users, now=NOW)
        return len(captured.captured_queries)

    review_item(cho_don, state=ReviewItem.State.RETURNED)
    review_item(cho_don, age_days=9)
    expiring_product(cho_don)
    one = queries([province_staff, leader, admin_user, *_officers([cho_don])])

    districts = list(District.objects.all())
    for district in districts:
        for _ in range(2):
            review_item(district, state=ReviewItem.State.RETURNED)
            review_item(district, age_days=9)
        expiring_product(district)
    officers = _officers(districts) + _officers(districts)
    lists = todo.todo_lists_for_users([province_staff, leader, admin_user, *officers], now=NOW)
    many = queries([province_staff, leader, admin_user, *officers])

    assert one == many <= 5
    assert all(lists[o.pk].lines[0].code == "returned" for o in officers)


# The e-mails ------------------------------------------------------------------------------------

def test_each_person_with_something_to_do_gets_one_email_per_run(
        mailoutbox, district_officer, other_district_officer, province_staff, admin_user,
        leader, cho_don):
    with_email(district_officer, other_district_officer, province_staff, admin_user, leader)
    review_item(cho_don, state=ReviewItem.State.RETURNED)

    outcome = reminders.reminders_send(run_key="2026-12-07", now=NEXT_MONTH)

    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted(f"{u.username}@backan.gov.vn" for u in (
        district_officer, other_district_officer, province_staff, admin_user))
    assert sorted(outcome.sent) == sorted(u.username for u in (
        district_officer, other_district_officer, province_staff, admin_user))
    assert ReminderSent.objects.filter(run_key="2026-12-07").count() == 4
    message = next(m for m in mailoutbox if m.to == [district_officer.email])
    assert message.subject.startswith("[OCOP Bắc Kạn] Việc cần làm: 2 việc")
    assert "1 hồ sơ bị tỉnh trả lại" in message.body
    assert "/review/?state=returned" in message.body
    assert "Chợ Đồn chưa cập nhật" in message.body
    assert message.message().get_content_charset() == "utf-8"
    assert "Na Rì" not in message.body

    # The same run again (a redelivered job, a second beat tick): nothing more.
    again = reminders.reminders_send(run_key="2026-12-07", now=NEXT_MONTH)
    assert len(mailoutbox) == 4
    assert again.sent == []
    assert len(again.already_sent) == 4
    # The next run sends again.
    reminders.reminders_send(run_key="2026-12-14", now=NEXT_MONTH)
    assert len(mailoutbox) == 8


def test_a_person_with_nothing_to_do_or_no_address_gets_no_email(
        mailoutbox, district_officer, other_district_officer, leader, cho_don):
    with_email(district_officer, leader)
    review_item(cho_don, by=district_officer)  # Chợ Đồn updated this month, nothing returned

    outcome = reminders.reminders_send(run_key="k", now=NOW)

    assert mailoutbox == []  # the Na Rì officer has something to do but no address
    assert outcome.sent == []
    assert not ReminderSent.objects.exists()


def test_links_in_the_email_start_with_the_public_address(mailoutbox, settings,
                                                          district_officer):
    settings.PUBLIC_BASE_URL = "https://ocop.backan.gov.vn/"
    with_email(district_officer)
    reminders.reminders_send(run_key="k", now=NEXT_MONTH)
    assert "https://ocop.backan.gov.vn/products/?district=064" in mailoutbox[0].body
    assert "https://ocop.backan.gov.vn/todo/" in mailoutbox[0].body


def test_a_failed_email_is_not_recorded_and_goes_at_the_next_try(
        mailoutbox, monkeypatch, district_officer, other_district_officer):
    with_email(district_officer, other_district_officer)
    real_send = reminders.send_mail

    def flaky(**kwargs):
        if kwargs["recipient_list"] == [district_officer.email]:
            raise ConnectionRefusedError("máy chủ thư không trả lời")
        return real_send(**kwargs)

    monkeypatch.setattr(reminders, "send_mail", flaky)
    outcome = reminders.reminders_send(run_key="k", now=NEXT_MONTH)
    assert outcome.failed == [district_officer.username]
    assert [m.to for m in mailoutbox] == [[other_district_officer.email]]
    assert not ReminderSent.objects.filter(user=district_officer).exists()

    monkeypatch.setattr(reminders, "send_mail", real_send)
    retry = reminders.reminders_send(run_key="k", now=NEXT_MONTH)
    assert retry.sent == [district_officer.username]
    assert [m.to for m in mailoutbox] == [[other_district_officer.email],
                                          [district_officer.email]]


def test_the_task_and_the_command_run_the_same_sending(mailoutbox, district_officer,
                                                       other_district_officer):
    with_email(district_officer, other_district_officer)
    for officer in (district_officer, other_district_officer):
        review_item(officer.district, by=officer, state=ReviewItem.State.RETURNED)

    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "can_bo_cho_don" in out.getvalue()
    assert "sẽ gửi 2 thư" in out.getvalue()
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()

    result = reminders_send_task.apply().get()
    assert result["sent"] == 2
    assert len(mailoutbox) == 2

    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "đã gửi 0 thư; 2 người đã nhận" in out.getvalue()
    assert len(mailoutbox) == 2


# The schedule -----------------------------------------------------------------------------------

def test_beat_sends_reminders_on_monday_at_7_by_default(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["todo-reminders"]
    assert entry["task"] == "ocop_portal.tasks.reminders_send_task"
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1}
    assert schedule.hour == {7}
    assert schedule.minute == {0}


def test_the_reminder_schedule_is_read_from_cron_fields_and_a_bad_one_fails_loudly():
    daily = _reminder_crontab("30 6 * * *")
    assert daily.hour == {6}
    assert daily.minute == {30}
    assert _reminder_crontab("") is None
    with pytest.raises(ImproperlyConfigured, match="REMINDER_CRONTAB"):
        _reminder_crontab("0 25 * * 1")
    with pytest.raises(ImproperlyConfigured, match="REMINDER_CRONTAB"):
        _reminder_crontab("0 7 * *")
