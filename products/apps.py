from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = "Sản phẩm OCOP"

    def ready(self):
        from products.review_kinds import register_kinds

        register_kinds()
