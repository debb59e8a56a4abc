"""Plan 180 as seeded data, quotas with their reasoned history, plan tasks."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from ocop_portal.models import District
from targets.models import Indicator, Plan, PlanTask, Quota, TaskStatus
from targets.selectors import quota_history, quota_mismatches
from targets.services import (
    plan_180_load,
    plan_task_create,
    plan_task_note_add,
    plan_task_update,
    quota_set,
    quotas_set,
)

pytestmark = pytest.mark.django_db

SEEDED = {"new_products_3star": 20, "consolidated_subjects": 8, "new_subjects": 8,
          "traceability_products": 20, "linkage_subjects": 25, "advanced_qm_products": 37,
          "media_items_monthly": 2}


@pytest.fixture
def plan(reference_data):
    return Plan.objects.get(number="180/KH-UBND")


def indicator(code):
    return Indicator.objects.get(code=code)


def test_plan_180_is_seeded_with_its_indicators_quotas_and_first_content(plan):
    assert plan.issued_on == dt.date(2024, 3, 22)
    assert plan.year == 2024
    assert plan.signer == "Nông Quang Nhất"
    assert list(Indicator.objects.values_list("code", flat=True)) == list(SEEDED)
    quotas = {q.indicator.code: q.value for q in plan.quotas.filter(district=None)}
    assert quotas == SEEDED
    assert not plan.quotas.filter(district__isnull=False).exists()
    assert list(Indicator.objects.filter(appendix=1).values_list("code", flat=True)) == [
        "new_products_3star", "consolidated_subjects", "new_subjects"]
    assert indicator("media_items_monthly").appendix is None
    assert all(i.definition and i.counting_rule for i in Indicator.objects.all())
    task = plan.tasks.get()
    assert task.number == 1
    assert task.title.startswith("Kiện toàn hệ thống tổ chức")
    assert "Văn phòng Điều phối nông thôn mới tỉnh" in task.lead_units
    assert "UBND các huyện, thành phố" in task.lead_units
    seeded = quota_history(plan)
    assert len(seeded) == 7
    assert all(e.reason.startswith("Nạp từ Kế hoạch 180/KH-UBND") for e in seeded)


def test_loading_twice_changes_nothing(plan):
    result = plan_180_load()
    assert result.created == 0
    assert result.updated == 0
    call_command("load_backan_2024", stdout=io.StringIO())
    assert Plan.objects.count() == 1
    assert Quota.objects.count() == 7
    assert PlanTask.objects.count() == 1
    assert Quota.history.count() == 7


def test_a_reload_keeps_a_quota_changed_by_province_staff(plan, province_staff):
    quota_set(plan=plan, indicator=indicator("new_products_3star"), district=None, value=22,
              reason="Điều chỉnh theo Kế hoạch bổ sung", user=province_staff)
    plan_180_load()
    assert plan.quotas.get(indicator__code="new_products_3star", district=None).value == 22


def test_quotas_are_saved_with_who_and_why(plan, province_staff, cho_don, na_ri):
    changes = quotas_set(plan=plan, values={
        (indicator("new_products_3star"), cho_don): 3,
        (indicator("new_products_3star"), na_ri): 2,
        (indicator("new_products_3star"), None): 20,
    }, reason="Nhập theo Phụ lục 1", user=province_staff)
    assert [(c.district, c.old, c.new) for c in changes] == [(cho_don, None, 3), (na_ri, None, 2)]
    quota = plan.quotas.get(indicator__code="new_products_3star", district=cho_don)
    record = quota.history.get()
    assert record.history_user == province_staff
    assert record.history_change_reason == "Nhập theo Phụ lục 1"
    entry = quota_history(plan)[0]
    assert (entry.user, entry.old, entry.new, entry.reason) == (
        province_staff, None, 2, "Nhập theo Phụ lục 1")


def test_a_change_is_recorded_with_its_old_value_and_blank_removes_a_quota(plan, admin_user,
                                                                           cho_don):
    target = indicator("linkage_subjects")
    quota_set(plan=plan, indicator=target, district=cho_don, value=4, reason="PL2",
              user=admin_user)
    quota_set(plan=plan, indicator=target, district=cho_don, value=5, reason="Sửa theo CV 12",
              user=admin_user)
    quota_set(plan=plan, indicator=target, district=cho_don, value=None, reason="Nhập nhầm",
              user=admin_user)
    assert not plan.quotas.filter(indicator=target, district=cho_don).exists()
    entries = [(e.old, e.new, e.reason) for e in quota_history(plan)[:3]]
    assert entries == [(5, None, "Nhập nhầm"), (4, 5, "Sửa theo CV 12"), (None, 4, "PL2")]


def test_an_unchanged_value_writes_no_history(plan, province_staff):
    assert quota_set(plan=plan, indicator=indicator("new_subjects"), district=None, value=8,
                     reason="Không đổi", user=province_staff) is None
    assert Quota.history.count() == 7


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_quota_change_needs_a_reason(plan, province_staff, cho_don, reason):
    with pytest.raises(ValidationError) as error:
        quota_set(plan=plan, indicator=indicator("new_subjects"), district=cho_don, value=1,
                  reason=reason, user=province_staff)
    assert "reason" in error.value.message_dict
    assert not plan.quotas.filter(district=cho_don).exists()


def test_one_bad_value_saves_nothing(plan, province_staff, cho_don, na_ri):
    with pytest.raises(ValidationError):
        quotas_set(plan=plan, values={
            (indicator("new_subjects"), cho_don): 1,
            (indicator("new_subjects"), na_ri): -1,
        }, reason="PL1", user=province_staff)
    assert not plan.quotas.filter(district__isnull=False).exists()


def test_the_media_quota_is_not_split_by_district(plan, province_staff, cho_don):
    with pytest.raises(ValidationError):
        quota_set(plan=plan, indicator=indicator("media_items_monthly"), district=cho_don,
                  value=1, reason="Thử", user=province_staff)


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_only_province_staff_and_administrators_change_quotas(request, plan, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        quota_set(plan=plan, indicator=indicator("new_subjects"), district=None, value=9,
                  reason="Muốn sửa", user=user)
    assert plan.quotas.get(indicator__code="new_subjects", district=None).value == 8


def test_a_plan_has_one_provincial_quota_per_indicator(plan):
    with pytest.raises(ValidationError):
        Quota(plan=plan, indicator=indicator("new_subjects"), district=None, value=1).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Quota.objects.create(plan=plan, indicator=indicator("new_subjects"), district=None,
                             value=1)


def test_a_plan_has_one_quota_per_indicator_and_district(plan, cho_don):
    Quota.objects.create(plan=plan, indicator=indicator("new_subjects"), district=cho_don,
                         value=1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Quota.objects.create(plan=plan, indicator=indicator("new_subjects"), district=cho_don,
                             value=2)


def test_mismatches_list_indicators_whose_districts_do_not_add_up(plan, province_staff):
    assert len(quota_mismatches(plan)) == 6  # no district quota entered yet
    districts = District.objects.order_by("code")
    values = {(indicator("new_subjects"), d): 1 for d in districts}
    quotas_set(plan=plan, values=values, reason="PL1", user=province_staff)
    codes = [m.indicator.code for m in quota_mismatches(plan)]
    assert "new_subjects" not in codes
    assert len(codes) == 5
    quota_set(plan=plan, indicator=indicator("new_subjects"), district=districts[0], value=2,
              reason="Sửa", user=province_staff)
    mismatch = next(m for m in quota_mismatches(plan) if m.indicator.code == "new_subjects")
    assert (mismatch.total, mismatch.districts_sum) == (8, 9)


def test_province_staff_add_tasks_and_notes_that_move_the_status(plan, province_staff):
    task = plan_task_create(plan=plan, user=province_staff, number=2,
                            title="Tuyên truyền về Chương trình OCOP",
                            lead_units="Sở Nông nghiệp và PTNT",
                            deadline=dt.date(2024, 6, 30))
    assert task.status == TaskStatus.NOT_STARTED
    assert task.is_overdue_on(dt.date(2024, 7, 1))
    assert not task.is_overdue_on(dt.date(2024, 6, 30))
    plan_task_note_add(task=task, user=province_staff, date=dt.date(2024, 7, 2),
                       note="Đã đăng 14 tin bài", status=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert not task.is_overdue_on(dt.date(2024, 7, 3))
    assert task.updates.get().author == province_staff
    assert PlanTask.objects.overdue(dt.date(2025, 1, 1)).count() == 0


def test_a_task_number_is_unique_in_its_plan(plan, province_staff):
    with pytest.raises(ValidationError):
        plan_task_create(plan=plan, user=province_staff, number=1, title="Trùng",
                         lead_units="Sở Công Thương")


@pytest.mark.parametrize("persona", ["district_officer", "leader"])
def test_only_plan_managers_change_tasks(request, plan, persona):
    user = request.getfixturevalue(persona)
    task = plan.tasks.get()
    with pytest.raises(PermissionDenied):
        plan_task_update(task, user=user, number=task.number, title=task.title,
                         content=task.content, lead_units=task.lead_units,
                         cooperating_units=task.cooperating_units, deadline=task.deadline,
                         status=TaskStatus.DONE)
    with pytest.raises(PermissionDenied):
        plan_task_note_add(task=task, user=user, date=dt.date(2024, 5, 5), note="x")
    with pytest.raises(PermissionDenied):
        plan_task_create(plan=plan, user=user, number=9, title="x", lead_units="x")
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert not task.updates.exists()
