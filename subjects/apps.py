from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = "Chủ thể OCOP"

    def ready(self):
        from subjects.review_kinds import register_kinds

        register_kinds()
