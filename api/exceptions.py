"""The API's errors in Vietnamese: DRF's default messages are replaced, the services' own
(already Vietnamese) messages are kept."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NOT_FOUND = "Không tìm thấy bản ghi, hoặc bản ghi nằm ngoài phạm vi bạn được xem."
NOT_AUTHENTICATED = ("Bạn chưa đăng nhập: gửi tiêu đề “Authorization: Token <mã truy cập>” "
                     "(lấy mã tại POST /api/v1/auth/token/) hoặc đăng nhập vào cổng.")
PERMISSION_DENIED = "Bạn không có quyền thực hiện thao tác này."


def _throttled(exc: exceptions.Throttled) -> str:
    if exc.wait is None:
        return "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau."
    return (f"Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {max(1, round(exc.wait))} "
            "giây.")


def _vietnamese(exc: exceptions.APIException) -> str | None:
    """The Vietnamese message for one of DRF's own errors; None keeps the message it has."""
    if isinstance(exc, exceptions.Throttled):
        return _throttled(exc)
    if isinstance(exc, exceptions.NotAuthenticated):
        return NOT_AUTHENTICATED
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "Phương thức HTTP này không được hỗ trợ ở địa chỉ này."
    if isinstance(exc, exceptions.NotAcceptable):
        return "Không trả được định dạng được yêu cầu; API trả về JSON."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "Định dạng dữ liệu gửi lên không được hỗ trợ; hãy gửi JSON."
    if isinstance(exc, exceptions.ParseError):
        return "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."
    if isinstance(exc, exceptions.NotFound):
        return NOT_FOUND if exc.detail == exceptions.NotFound.default_detail else None
    if isinstance(exc, exceptions.PermissionDenied):
        return (PERMISSION_DENIED if exc.detail == exceptions.PermissionDenied.default_detail
                else None)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return ("Tên đăng nhập hoặc mã truy cập không đúng."
                if exc.detail == exceptions.AuthenticationFailed.default_detail else None)
    return None


def _service_errors(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()}
    return {"non_field_errors": error.messages}


def portal_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused the write: its rule, in its words, on the fields it names.
        return Response(_service_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # require_write / require_edit_district say why in Vietnamese: keep it.
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.APIException) and not isinstance(exc,
                                                                    exceptions.ValidationError):
        message = _vietnamese(exc)
        if message is not None:
            exc.detail = exceptions.ErrorDetail(message, code=exc.default_code)
    return exception_handler(exc, context)
