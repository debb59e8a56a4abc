from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.urls import include, path

from ocop_portal import views
from ocop_portal.forms import with_text_rules
from targets import views as targets_views

admin.site.site_header = "Quản trị Cổng OCOP Bắc Kạn"
admin.site.site_title = "Quản trị OCOP Bắc Kạn"
admin.site.index_title = "Dữ liệu và người dùng"
# Django's own forms refuse a NUL character or an overlong text in Vietnamese, as the portal's do.
admin.site.login_form = with_text_rules(AdminAuthenticationForm)

# 403, 404 and 500 are Django's handlers with the templates/ pages; a 400 says why.
handler400 = "ocop_portal.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", include("targets.dashboard_urls")),
    path("targets/", include("targets.urls")),
    path("reports/", include("targets.report_urls")),
    path("downloads/", include("ocop_portal.download_urls")),
    path("review/", include("ocop_portal.review_urls")),
    path("todo/", include("ocop_portal.todo_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True,
        authentication_form=with_text_rules(AuthenticationForm)), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        form_class=with_text_rules(PasswordChangeForm)), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("products/", include("products.urls")),
    path("subjects/", include("subjects.urls")),
    # The calendar judges each month against the plan's media quota: it is the indicator's page.
    path("communications/calendar/", targets_views.media_calendar, name="media_calendar"),
    path("communications/", include("communications.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    # The public pages (no login): the catalogue and the certificate check.
    path("", include("catalogue.urls")),
]
