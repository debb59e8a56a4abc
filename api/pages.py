"""The page where a user sees, creates and revokes their personal API tokens."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from ocop_portal.forms import PortalFormMixin

SIGN_IN_FIRST = "Hãy đăng nhập vào cổng để xem và thu hồi mã truy cập API của mình."


class TokenForm(PortalFormMixin, forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100, required=False,
                           help_text="Ví dụ: máy chủ báo cáo của huyện.")


def signed_in_only(view):
    """Under /api/ an anonymous caller gets a refusal (403), not the login redirect of the
    pages: scripts read the API's addresses (tests/ocop_portal/test_access.py)."""

    @login_not_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied(SIGN_IN_FIRST)
        return view(request, *args, **kwargs)

    return checked


@signed_in_only
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_token_create(user=request.user,
                                                   name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    return render(request, "api/token_list.html", {
        "tokens": selectors.api_token_list_for_user(request.user), "form": form,
        "new_key": new_key})


@signed_in_only
@require_POST
def token_revoke(request, pk):
    token = selectors.api_token_get_for_user(request.user, pk)
    services.api_token_revoke(token, user=request.user)
    messages.success(request, f"Đã thu hồi mã truy cập “{token.prefix}…”.")
    return redirect("api:tokens")
