from django.urls import path

from products import import_views

app_name = "products"

urlpatterns = [
    path("import/", import_views.import_upload, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
]
