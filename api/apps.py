from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API under /api/v1/, scoped like the pages."""

    name = "api"
    verbose_name = "API"
