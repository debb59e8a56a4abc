"""Response headers of the portal's own."""

from django.contrib import messages
from django.utils.cache import patch_cache_control

from ocop_portal import review


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


class ReviewNoticeMiddleware:
    """After a page that sent something to the province's review (ocop_portal.review), the
    officer is told that it counts only once confirmed, whatever the page's own message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with review.counting_submissions() as submitted:
            response = self.get_response(request)
        if submitted[0] and hasattr(request, "_messages"):
            messages.info(request, (
                f"{submitted[0]} nội dung đang chờ Văn phòng Điều phối tỉnh xác nhận; chỉ tính "
                "vào kết quả thực hiện khi được xác nhận (xem trang Xác nhận)."))
        return response
