"""Reads of the API app."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from api.models import ApiToken
from api.services import key_hash


def api_token_list_for_user(user) -> QuerySet:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_get_for_user(user, pk) -> ApiToken:
    """One of the user's own tokens, or 404."""
    return get_object_or_404(api_token_list_for_user(user), pk=pk)


def api_token_by_key(key: str) -> ApiToken | None:
    """The token with this key, with its user, or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
