"""The review page: province staff confirm or return what districts entered; district
officers see their district's items (those returned to them first) and send them again;
leaders read."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ocop_portal import review
from ocop_portal.forms import PortalFormMixin
from ocop_portal.models import ReviewItem, Role
from ocop_portal.permissions import visible_districts

PAGE_SIZE = 50
AGES = [("", "Mọi thời gian"), ("7", "Chờ quá 7 ngày"), ("30", "Chờ quá 30 ngày")]


class ReviewFilterForm(PortalFormMixin, forms.Form):
    state = forms.ChoiceField(label="Trạng thái", required=False,
                              choices=[("", "Tất cả")] + ReviewItem.State.choices[:3])
    district = forms.ModelChoiceField(label="Huyện/Thành phố", required=False, queryset=None,
                                      to_field_name="code", empty_label="Tất cả")
    kind = forms.ChoiceField(label="Loại hồ sơ", required=False)
    age = forms.ChoiceField(label="Thời gian chờ", required=False, choices=AGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = visible_districts(user)
        self.fields["kind"].choices = [("", "Tất cả"), *review.kind_choices()]


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", max_length=review.REASON_MAX_LENGTH,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _default_state(user) -> str:
    # The province looks at what awaits it; an officer at what came back to them.
    return ReviewItem.State.PENDING if review.can_review(user) or (
        user.role == Role.LEADER) else ReviewItem.State.RETURNED


@require_GET
def review_list(request):
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = _default_state(request.user)
    form = ReviewFilterForm(data, user=request.user)
    items = review.items_for_user(request.user).exclude(state=ReviewItem.State.WITHDRAWN)
    if form.is_valid():
        values = form.cleaned_data
        if values["state"]:
            items = items.filter(state=values["state"])
        if values["district"]:
            items = items.filter(district=values["district"])
        if values["kind"]:
            items = items.filter(kind=values["kind"])
        if values["age"]:
            since = timezone.now() - timezone.timedelta(days=int(values["age"]))
            items = items.filter(submitted_at__lt=since)
    else:
        items = items.none()
    page_obj = Paginator(items.order_by("submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    today = timezone.localdate()
    urls = _record_urls(list(page_obj.object_list))
    rows = [{"item": item, "age": review.age_days(item, today),
             "url": urls[item.pk],
             "kind_label": review.KINDS[item.kind].label if item.kind in review.KINDS
             else item.kind,
             "fields": _fields(item)} for item in page_obj.object_list]
    return render(request, "review/review_list.html", {
        "form": form, "rows": rows, "page_obj": page_obj,
        "can_review": review.can_review(request.user),
        "return_form": ReturnForm(), "query": request.GET.urlencode(),
    })


def _record_urls(items: list[ReviewItem]) -> dict[int, str]:
    """Each item's record page, reading the records of one kind in one query."""
    wanted: dict = {}
    for item in items:
        wanted.setdefault(item.content_type, set()).add(item.object_id)
    records = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        for pk, record in model._base_manager.in_bulk(ids).items():
            records[(content_type.pk, pk)] = record
    urls = {}
    for item in items:
        spec = review.KINDS.get(item.kind)
        record = records.get((item.content_type_id, item.object_id))
        urls[item.pk] = spec.url(record) if spec and spec.url and record is not None else ""
    return urls


def _fields(item: ReviewItem) -> list[dict]:
    """Each field the item shows, with its value before and after."""
    names = list(dict.fromkeys([*item.before, *item.after]))
    return [{"label": name, "before": item.before.get(name), "after": item.after.get(name),
             "changed": item.before.get(name) != item.after.get(name)} for name in names]


@require_POST
def review_decide(request):
    if not review.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ Văn phòng Điều phối tỉnh xác nhận hồ sơ.")
    ids = [int(pk) for pk in request.POST.getlist("item") if pk.isdigit()]
    back = request.POST.get("next") or "review:list"
    items = list(ReviewItem.objects.filter(pk__in=ids))
    if not items:
        messages.warning(request, "Hãy chọn ít nhất một hồ sơ.")
        return _back(back)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            done = review.review_confirm(items, user=request.user)
            messages.success(request, f"Đã xác nhận {done} hồ sơ.")
        elif action == "return":
            done = review.review_return(items, user=request.user,
                                        reason=request.POST.get("reason", ""))
            messages.success(request, f"Đã trả lại {done} hồ sơ cho cán bộ huyện.")
        else:
            messages.warning(request, "Hãy chọn xác nhận hoặc trả lại.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(back)


@require_POST
def review_resubmit(request, pk):
    item = get_object_or_404(review.items_for_user(request.user), pk=pk)
    try:
        review.review_resubmit(item, user=request.user)
        messages.success(request, f"Đã gửi lại “{item.title}” để tỉnh xác nhận.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(request.POST.get("next") or "review:list")


def _back(target: str):
    """Back to the filtered page the form was sent from: a path of this site only."""
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("review:list")
