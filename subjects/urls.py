from django.urls import path

from subjects import views

app_name = "subjects"

urlpatterns = [
    path("", views.subject_list, name="list"),
    path("new/", views.subject_create, name="create"),
    path("export.xlsx", views.subject_export, name="export"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/edit/", views.subject_update, name="update"),
    path("<int:pk>/archive/", views.subject_archive, name="archive"),
    path("<int:pk>/restore/", views.subject_restore, name="restore"),
    path("<int:pk>/linkages/new/", views.linkage_create, name="linkage_create"),
    path("<int:pk>/supports/new/", views.support_create, name="support_create"),
]
