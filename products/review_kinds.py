"""What of the products app the province reviews (ocop_portal.review)."""

from django.urls import reverse

from ocop_portal.models import ReviewState
from ocop_portal.review import Kind, applied_by, on_state, register


def _product_url(record) -> str:
    return reverse("products:detail", args=[record.product_id])


def _evaluation_title(evaluation) -> str:
    stars = f"{evaluation.stars} sao" if evaluation.stars else "chưa xếp hạng"
    decision = f", QĐ {evaluation.decision_number}" if evaluation.decision_number else ""
    return f"{evaluation.product} – {stars}{decision}"


def _evaluation_state(evaluation, state: str) -> None:
    from products.services.evaluations import evaluation_confirmed, evaluation_review_state

    if state == ReviewState.CONFIRMED:
        evaluation_confirmed(evaluation)
    else:
        evaluation_review_state(evaluation, state)


def register_kinds() -> None:
    from products.models import Evaluation

    register("evaluation", Kind(
        "Kết quả đánh giá, quyết định công nhận", lambda e: e.product.district,
        _evaluation_title, url=_product_url))
    register("evaluation_correction", Kind(
        "Sửa quyết định công nhận", lambda e: e.product.district, _evaluation_title,
        apply=applied_by("products.services.evaluations.evaluation_correction_apply"),
        url=_product_url))
    register("certificate_revocation", Kind(
        "Thu hồi giấy chứng nhận", lambda c: c.product.district,
        lambda c: f"{c.product} – giấy chứng nhận {c.number or c.evaluation.decision_number}",
        apply=applied_by("products.services.evaluations.certificate_revocation_apply"),
        url=_product_url))
    register("quality", Kind(
        "Tiêu chuẩn chất lượng", lambda q: q.product.district,
        lambda q: f"{q.product} – {q}", url=_product_url))
    register("traceability", Kind(
        "Truy xuất nguồn gốc", lambda t: t.product.district,
        lambda t: f"{t.product} – {t.system}", url=_product_url))
    register("product_unit", Kind(
        "Nơi sản xuất của sản phẩm", lambda p: p.district, str,
        apply=applied_by("products.services.products.product_unit_apply"),
        url=lambda p: reverse("products:detail", args=[p.pk])))
    on_state(Evaluation, _evaluation_state)
