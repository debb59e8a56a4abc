"""Model permissions for the Django admin, derived from the user's role.

Roles are the single source of truth for access; Django's groups and per-user permissions are not
used. Administrators hold every permission. Province staff manage the programme's records
(products, subjects, targets, communications) and may read the reference data; they do not manage
users. District officers and leaders never enter the admin.
"""

from django.contrib.auth.backends import ModelBackend

PROGRAMME_APPS = {"products", "subjects", "targets", "communications", "simple_history"}
READ_ONLY_APPS_FOR_STAFF = {"ocop_portal"}


class RoleBackend(ModelBackend):
    def _role_allows(self, user_obj, app_label, action=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if user_obj.is_admin_role:
            return True
        if user_obj.is_province_staff:
            if app_label in PROGRAMME_APPS:
                return True
            return app_label in READ_ONLY_APPS_FOR_STAFF and action in (None, "view")
        return False

    def has_perm(self, user_obj, perm, obj=None):
        app_label, _, codename = perm.partition(".")
        action = codename.split("_", 1)[0]
        if app_label == "ocop_portal" and codename.endswith("_user") and action != "view":
            return user_obj.is_active and user_obj.is_admin_role
        return self._role_allows(user_obj, app_label, action)

    def has_module_perms(self, user_obj, app_label):
        return self._role_allows(user_obj, app_label)
