from django.urls import path

from catalogue import views as catalogue_views
from products import import_views, views

app_name = "products"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("export.xlsx", views.product_export, name="export"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_update, name="update"),
    path("<int:pk>/photo/", views.product_photo, name="photo"),
    path("<int:pk>/label/", catalogue_views.product_label, name="label"),
    path("<int:pk>/archive/", views.product_archive, name="archive"),
    path("<int:pk>/restore/", views.product_restore, name="restore"),
    path("<int:pk>/evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("<int:pk>/evaluations/<int:evaluation_pk>/decision/", views.evaluation_decision_scan,
         name="evaluation_decision_scan"),
    path("<int:pk>/evaluations/<int:evaluation_pk>/decision/upload/",
         views.evaluation_decision_scan_upload, name="evaluation_decision_scan_upload"),
    path("<int:pk>/standards/new/", views.quality_certification_create,
         name="quality_certification_create"),
    path("<int:pk>/traceability/new/", views.traceability_create, name="traceability_create"),
    path("<int:pk>/cycle/new/", views.participation_create, name="participation_create"),
    path("cycle/<int:pk>/advance/", views.participation_advance, name="participation_advance"),
    path("cycle/<int:pk>/withdraw/", views.participation_withdraw,
         name="participation_withdraw"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
]
