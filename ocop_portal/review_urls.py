from django.urls import path

from ocop_portal import review_views

app_name = "review"

urlpatterns = [
    path("", review_views.review_list, name="list"),
    path("decide/", review_views.review_decide, name="decide"),
    path("<int:pk>/resubmit/", review_views.review_resubmit, name="resubmit"),
]
