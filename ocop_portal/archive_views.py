"""The two buttons of an archivable record's page, "Lưu trữ" (with a reason) and "Khôi phục",
built once for products, producers and media items. Both are POST only; who may press them is
the services' rule (a 403 for anyone who may not edit the record's district)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ocop_portal.forms import TextRulesMixin
from ocop_portal.models import ARCHIVE_REASON_MAX_LENGTH, Archivable
from ocop_portal.permissions import can_edit_district


class ArchiveForm(TextRulesMixin, forms.Form):
    reason = forms.CharField(label="Lý do lưu trữ", max_length=ARCHIVE_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


def archived_asked(params) -> bool:
    """Whether a list was asked for its archived records (`?archived=1` in its query)."""
    return params.get("archived") == "1"


def page_rights(user, record: Archivable) -> dict[str, bool]:
    """A record page's controls: whoever may edit the record's district archives and restores
    it; an archived record is read, not changed, until it is restored."""
    may_edit = can_edit_district(user, record.district_id)
    return {"can_edit": may_edit and not record.is_archived, "can_archive": may_edit}


def _say_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def archive_view(*, get: Callable, archive: Callable, what: str, detail: str):
    """A view archiving the record `get(user, pk)` returns with `archive(record, user=, reason=)`,
    then back to its page (`detail`, a URL name), saying what happened."""

    @require_POST
    def view(request, pk):
        record = get(request.user, pk)
        form = ArchiveForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, f"Chưa lưu trữ: {message}")
            return redirect(detail, pk)
        try:
            archive(record, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, f"Đã lưu trữ {what} “{record}”: không còn trong danh sách và "
                                      "số liệu; có thể khôi phục tại trang này.")
        return redirect(detail, pk)

    return view


def restore_view(*, get: Callable, restore: Callable, what: str, detail: str):
    """A view restoring the archived record `get(user, pk)` returns."""

    @require_POST
    def view(request, pk):
        record = get(request.user, pk)
        try:
            restore(record, user=request.user)
        except ValidationError as error:
            _say_errors(request, error)
        else:
            messages.success(request, f"Đã khôi phục {what} “{record}”.")
        return redirect(detail, pk)

    return view
