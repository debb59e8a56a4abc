"""Pages of the producers' registry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from ocop_portal.archive_views import archive_view, page_rights, restore_view
from ocop_portal.download_views import export_or_offer
from ocop_portal.permissions import (
    can_view_district,
    require_edit_district,
    require_write,
)
from ocop_portal.views_helpers import (
    add_service_errors,
    querystring_without_page,
    record_about,
)
from subjects import selectors, services
from subjects.filters import filtered_subjects
from subjects.forms import LinkageForm, SubjectForm, SupportRecordForm
from subjects.services import SubjectFields

PAGE_SIZE = 50


def _filtered_subjects(request):
    return filtered_subjects(request.user, request.GET)


def subject_list(request):
    subject_filter, queryset, indicator, sort = _filtered_subjects(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "subjects/subject_list.html", {
        "filter": subject_filter, "page_obj": page, "subjects": page.object_list,
        "indicator": indicator,
        "scope_note": indicator.scope_note(request.user) if indicator else "",
        "sort": sort.headers(),
        "query_string": querystring_without_page(request.GET),
    })


def subject_export(request):
    return export_or_offer(request, "subjects")


def subject_detail(request, pk):
    subject = selectors.subject_get_for_user(request.user, pk)
    return render(request, "subjects/subject_detail.html", {
        "subject": subject,
        **page_rights(request.user, subject),
        **selectors.subject_detail(subject, request.user),
    })


def _save_subject(request, form, save):
    """Run the service; a duplicate producer is refused with a link to the existing record."""
    try:
        return save(user=request.user, fields=SubjectFields(**form.cleaned_data))
    except services.DuplicateSubject as duplicate:
        existing = duplicate.existing
        if can_view_district(request.user, existing.district_id):
            link = reverse("subjects:detail", args=[existing.pk])
            form.add_error(None, format_html('{} <a href="{}">Mở hồ sơ chủ thể đã có</a>.',
                                             duplicate.messages[0], link))
        else:
            # The message would name a producer the user may not see: say only what they typed.
            form.add_error(None, f"Mã số thuế/ĐKKD {existing.registration_number} đã được đăng ký "
                                 "cho một chủ thể nằm ngoài phạm vi bạn được xem. Nếu cần, hãy "
                                 "liên hệ Văn phòng Điều phối tỉnh.")
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@require_http_methods(["GET", "POST"])
def subject_create(request):
    require_write(request.user)
    form = SubjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        subject = _save_subject(request, form, services.subject_create)
        if subject:
            messages.success(request, f"Đã thêm chủ thể “{subject.name}”.")
            return redirect("subjects:detail", pk=subject.pk)
    return render(request, "subjects/subject_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def subject_update(request, pk):
    subject = selectors.subject_get_for_user(request.user, pk)
    require_edit_district(request.user, subject.district_id)
    form = SubjectForm(request.POST or None, instance=subject, user=request.user)
    if request.method == "POST" and form.is_valid():

        def save(*, user, fields):
            return services.subject_update(subject, user=user, fields=fields)

        if _save_subject(request, form, save):
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("subjects:detail", pk=subject.pk)
    return render(request, "subjects/subject_form.html", {"form": form, "subject": subject})


def _subject_subform(request, pk, form_class, service, template, success):
    subject = selectors.subject_get_for_user(request.user, pk)
    require_edit_district(request.user, subject.district_id)
    return record_about(request, parent=subject, parent_name="subject", form_class=form_class,
                        service=service, template=template, success=success,
                        success_url=reverse("subjects:detail", args=[subject.pk]))


@require_http_methods(["GET", "POST"])
def linkage_create(request, pk):
    return _subject_subform(request, pk, LinkageForm, services.linkage_add,
                            "subjects/linkage_form.html",
                            "Đã ghi nhận hợp đồng liên kết sản xuất, tiêu thụ.")


@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    return _subject_subform(request, pk, SupportRecordForm, services.support_record_add,
                            "subjects/supportrecord_form.html", "Đã ghi nhận nội dung hỗ trợ.")


# "Lưu trữ" and "Khôi phục" on the page (ocop_portal.archive_views).
subject_archive = archive_view(get=selectors.subject_get_for_user, archive=services.subject_archive,
                               what="chủ thể", detail="subjects:detail")
subject_restore = restore_view(get=selectors.subject_get_for_user, restore=services.subject_restore,
                               what="chủ thể", detail="subjects:detail")
