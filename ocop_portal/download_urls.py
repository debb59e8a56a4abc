from django.urls import path

from ocop_portal import download_views as views

app_name = "downloads"

urlpatterns = [
    path("", views.download_list, name="list"),
    path("new/<slug:kind>/", views.download_new, name="new"),
    path("<int:pk>/", views.download_detail, name="detail"),
    path("<int:pk>/file/", views.download_file, name="file"),
]
