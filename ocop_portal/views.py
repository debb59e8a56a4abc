from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop_portal.forms import TEXT_MAX_LENGTH, thousands
from ocop_portal.health import broker_status, database_status


def dashboard_url_for(user) -> str:
    """A district officer's dashboard is their district's; everyone else's is the province's."""
    if getattr(user, "is_district_officer", False) and user.district_id:
        return reverse("dashboard:district", args=[user.district.code])
    return reverse("dashboard:province")


@require_GET
def home(request):
    """Where one lands after logging in: one's own dashboard."""
    return redirect(dashboard_url_for(request.user))


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Public health check: 200 when the database answers, 503 when it does not."""
    database = database_status(connection)
    body = {"status": "ok" if database == "ok" else "error", "database": database,
            "broker": broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


def bad_request(request, exception):
    """The 400 page, in Vietnamese; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is named as such, so
    that the user knows to send less rather than to try again. Like Django's own handler, it shows
    nothing else of the exception, and it never reads the request's body (reading it again would
    raise again)."""
    context = {
        "too_big": isinstance(exception, RequestDataTooBig),
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        "text_limit": thousands(TEXT_MAX_LENGTH),
    }
    return HttpResponseBadRequest(loader.render_to_string("400.html", context, request))
