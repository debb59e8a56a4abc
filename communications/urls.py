from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("", views.media_item_list, name="list"),
    path("new/", views.media_item_create, name="create"),
    path("<int:pk>/", views.media_item_detail, name="detail"),
    path("<int:pk>/edit/", views.media_item_update, name="update"),
    path("<int:pk>/archive/", views.media_item_archive, name="archive"),
    path("<int:pk>/restore/", views.media_item_restore, name="restore"),
    path("<int:pk>/attachment/", views.media_item_attachment, name="attachment"),
    path("<int:pk>/open/", views.media_item_open, name="open"),
    path("export.xlsx", views.media_item_export, name="export"),
    path("outlets/", views.outlet_list, name="outlet_list"),
    path("outlets/new/", views.outlet_create, name="outlet_create"),
    path("outlets/<int:pk>/edit/", views.outlet_update, name="outlet_update"),
]
