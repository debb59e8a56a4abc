from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop_portal.health import broker_status, database_status


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Public health check: 200 when the database answers, 503 when it does not."""
    database = database_status(connection)
    body = {"status": "ok" if database == "ok" else "error", "database": database,
            "broker": broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)
