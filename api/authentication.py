"""`Authorization: Token <key>` (or `Bearer <key>`) with a personal token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.selectors import api_token_by_key
from api.services import api_token_touch

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Tiêu đề Authorization phải có dạng “Token <mã truy cập>”.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ.") from None
        token = api_token_by_key(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not a 403) for a caller without credentials, with the scheme to use.
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Mã truy cập cá nhân: `Token <mã>` (POST /api/v1/auth/token/)."}
