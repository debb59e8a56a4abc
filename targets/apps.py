from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Kế hoạch và chỉ tiêu"

    def ready(self):
        from ocop_portal.drillthrough import register_source
        from targets import checks  # noqa: F401 (registers the system checks)
        from targets.indicators import RegistrySource

        register_source(RegistrySource())
        # The dashboards' cached figures follow every write of the registry.
        from ocop_portal import figures_cache

        figures_cache.connect()
        # Records dated in a closed month are refused, whoever writes them.
        from targets import closing_guard

        closing_guard.connect()
