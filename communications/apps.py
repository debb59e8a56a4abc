from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Truyền thông"

    def ready(self):
        from communications.review_kinds import register_kinds

        register_kinds()
