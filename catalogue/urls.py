from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.catalogue_list, name="list"),
    path("catalogue/<int:pk>/", views.product_card, name="card"),
    path("catalogue/<int:pk>/photo/", views.product_photo, name="photo"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify/<str:token>/qr.svg", views.verify_qr_svg, name="qr_svg"),
    path("verify/<str:token>/qr.png", views.verify_qr_png, name="qr_png"),
]
