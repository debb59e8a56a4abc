"""Personal API tokens: several per user, each revocable; only a hash of the key is kept."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name="Người dùng")
    name = models.CharField("Tên gợi nhớ", max_length=100, blank=True)
    # sha256 of the key, in hex: a copy of the database does not hand out working keys.
    key_hash = models.CharField("Mã băm", max_length=64, unique=True, editable=False)
    # The first characters of the key, so that its owner can tell their tokens apart.
    prefix = models.CharField("Đầu mã", max_length=12, editable=False)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("Dùng lần cuối", null=True, blank=True)

    class Meta:
        verbose_name = "Mã truy cập API"
        verbose_name_plural = "Mã truy cập API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.name or 'không tên'})"
