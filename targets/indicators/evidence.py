"""How the appendix's "Danh sách" sheet says why a record counted: each function takes the record
and the first of its evidence rows (those of the indicator's basis in the period, earliest first)
and gives the words and the date."""

import datetime as dt
from typing import Any

Evidence = tuple[str, dt.date | None]


def first_recognition(product: Any, evaluation: Any) -> Evidence:
    if evaluation is None:
        return "", None
    return (f"Quyết định số {evaluation.decision_number} công nhận {evaluation.stars} sao "
            "(lần đầu)", evaluation.decision_date)


def consolidation(subject: Any, support: Any) -> Evidence:
    if support is None:
        return "", None
    return f"Hỗ trợ củng cố, mở rộng quy mô sản xuất: {support.content}", support.date


def new_subject(subject: Any, product: Any) -> Evidence:
    text = f"Năm tham gia Chương trình OCOP: {subject.first_year_in_programme}"
    if product is not None:
        text += f"; sản phẩm: {product.name}"
    return text, None


def traceability(product: Any, record: Any) -> Evidence:
    return (f"Truy xuất nguồn gốc: {record}", record.started_on) if record else ("", None)


def linkage(subject: Any, link: Any) -> Evidence:
    if link is None:
        return "", None
    signed = f" ngày {link.contract_date:%d/%m/%Y}" if link.contract_date else ""
    return (f"Hợp đồng liên kết số {link.contract_number or '(không số)'}{signed} với "
            f"{link.partner}", link.valid_from)


def quality(product: Any, certification: Any) -> Evidence:
    if certification is None:
        return "", None
    number = f" số {certification.number}" if certification.number else ""
    return f"Chứng nhận {certification}{number}", certification.issued_on
