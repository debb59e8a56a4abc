"""What of the subjects app the province reviews (ocop_portal.review)."""

from django.urls import reverse

from ocop_portal.review import Kind, applied_by, register


def register_kinds() -> None:
    def of_subject(record) -> str:
        return reverse("subjects:detail", args=[record.subject_id])

    def subject_url(subject) -> str:
        return reverse("subjects:detail", args=[subject.pk])

    register("linkage", Kind(
        "Liên kết sản xuất, tiêu thụ", lambda r: r.subject.district,
        lambda r: f"{r.subject} – {r.partner}", url=of_subject))
    register("support", Kind(
        "Hỗ trợ chủ thể", lambda r: r.subject.district,
        lambda r: f"{r.subject} – {r.get_kind_display()} ngày {r.date:%d/%m/%Y}",
        url=of_subject))
    register("subject_first_year", Kind(
        "Năm tham gia Chương trình của chủ thể", lambda s: s.district, str,
        apply=applied_by("subjects.services.subject_first_year_apply"), url=subject_url))
    register("subject_unit", Kind(
        "Địa chỉ (huyện, xã) của chủ thể", lambda s: s.district, str,
        apply=applied_by("subjects.services.subject_unit_apply"), url=subject_url))
