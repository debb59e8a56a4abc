from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The public pages: the catalogue of certified products and the certificate check."""

    name = "catalogue"
    verbose_name = "Danh mục công khai"
