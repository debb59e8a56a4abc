from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    name = "ocop_portal"
    verbose_name = "Hệ thống: đơn vị hành chính và người dùng"

    def ready(self):
        # Keep each background job's record in step with its task (Celery signals).
        from ocop_portal import jobs  # noqa: F401
