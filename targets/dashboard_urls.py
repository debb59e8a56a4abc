from django.urls import path

from targets import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="province"),
    path("district/<str:code>/", views.dashboard_district, name="district"),
]
