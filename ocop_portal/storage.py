"""Files the portal makes for its users (monthly reports, large downloads): kept under
MEDIA_ROOT/private, outside any URL the web server serves, so that they are read only through
the portal's permission-checked views."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Tệp này chỉ tải về qua trang của cổng, sau khi kiểm tra quyền.")


private_storage = PrivateStorage()


def get_private_storage():
    """For a FileField's `storage`: a callable, so that tests moving MEDIA_ROOT move it too."""
    return private_storage
