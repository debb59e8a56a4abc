from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import pages, views

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", views.TokenCreateView.as_view(), name="token"),
    path("v1/products/", views.ProductListView.as_view(), name="products"),
    path("v1/products/<int:pk>/", views.ProductDetailView.as_view(), name="product"),
    path("v1/products/<int:pk>/evaluations/", views.ProductEvaluationsView.as_view(),
         name="product_evaluations"),
    path("v1/subjects/", views.SubjectListView.as_view(), name="subjects"),
    path("v1/subjects/<int:pk>/", views.SubjectDetailView.as_view(), name="subject"),
    path("v1/media-items/", views.MediaItemListView.as_view(), name="media_items"),
    path("v1/media-items/<int:pk>/", views.MediaItemDetailView.as_view(), name="media_item"),
    path("v1/figures/", views.FiguresView.as_view(), name="figures"),
    # OpenAPI 3 and its browsable docs (Swagger UI from the portal's static files, its start-up
    # script a file of its own: the site's CSP allows no inline script). Signed-in users only.
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("schema/docs/", login_not_required(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                            template_name="api/swagger_ui.html")), name="docs"),
    # The user's own tokens, for people (a page of the portal).
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
