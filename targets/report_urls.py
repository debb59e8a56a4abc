from django.urls import path

from targets import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("<int:pk>/download/", report_views.report_download, name="download"),
    path("<int:pk>/email/", report_views.report_email, name="email"),
    path("appendix/<int:number>/", report_views.appendix_download, name="appendix"),
]
