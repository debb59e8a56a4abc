from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    name = "ocop_portal"
    verbose_name = "Hệ thống: đơn vị hành chính và người dùng"

    def ready(self):
        # Keep each background job's record in step with its task (Celery signals).
        # Vietnamese alphabetical order on every SQLite connection (PostgreSQL has it from ICU).
        from ocop_portal import (
            collation,  # noqa: F401
            jobs,  # noqa: F401
        )
