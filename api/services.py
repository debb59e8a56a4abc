"""Writes of the API app: issuing and revoking personal tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from ocop_portal.text import clean_text

KEY_PREFIX = "ocop_"
# A token's last use is written at most once a minute, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


def key_hash(key: str) -> str:
    """The stored form of a token's key."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new personal token for `user` and its key, which is shown once and never stored."""
    if not (user and user.is_authenticated and user.is_active):
        raise ValidationError("Chỉ người dùng đang hoạt động mới được cấp mã truy cập.")
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(f"Mỗi người dùng có tối đa {MAX_TOKENS_PER_USER} mã truy cập; "
                              "hãy thu hồi mã không dùng nữa.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=clean_text(name or ""), key_hash=key_hash(key),
                     prefix=key[:len(KEY_PREFIX) + 6])
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(token: ApiToken, *, user) -> None:
    """Revoke one of the user's own tokens: it stops working at once."""
    if token.user_id != user.pk:
        raise ValidationError("Chỉ thu hồi được mã truy cập của chính mình.")
    token.delete()


def api_token_touch(token: ApiToken) -> None:
    """Note that the token was used now (at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
