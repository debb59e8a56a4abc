from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    name = "ocop_portal"
    verbose_name = "Hệ thống: đơn vị hành chính và người dùng"
