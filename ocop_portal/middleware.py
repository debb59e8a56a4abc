"""Response headers of the portal's own."""

from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Pages behind the login are never kept by a browser or a proxy cache: on a computer an
    office shares, the next person must not find them with "Back" or in the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True, no_cache=True,
                                max_age=0)
        return response
