"""What a row says of a producer, a product or a decision already in the portal that differs
from it: the import keeps the portal's record and warns, or (a decision contradicted)
refuses the row."""

from products.imports.columns import title
from products.imports.references import name_key
from products.imports.refusals import RowRefused, label
from products.imports.report import ImportReport, Issue
from products.imports.rows import RowData
from products.models import Evaluation, EvaluationLevel, Product
from subjects.models import Subject, SubjectType


def compare_subject(report: ImportReport, data: RowData, subject: Subject, by_number: bool):
    """The producer the row names is in the portal: what the file says otherwise is kept out."""
    keep = "nhập Excel không sửa thông tin chủ thể đã có; nếu cần, hãy sửa trên trang chủ thể."
    row = data.row
    if by_number and name_key(subject.name) != name_key(data.subject_name):
        report.warn(f"mã số này là của chủ thể “{subject.name}” trong cổng; dòng được "
                    f"gắn với chủ thể đó (tệp ghi “{data.subject_name}”).", row,
                    title("registration_number"))
    if (data.registration_number and subject.registration_number
            and not by_number):
        report.warn(f"chủ thể “{subject.name}” đã có mã số "
                    f"{subject.registration_number}, tệp ghi "
                    f"{data.registration_number}; {keep}", row,
                    title("registration_number"))
    if subject.subject_type != data.subject_type:
        report.warn(
            f"chủ thể “{subject.name}” đã có với loại hình "
            f"“{label(SubjectType, subject.subject_type)}”, tệp ghi "
            f"“{label(SubjectType, data.subject_type)}”; {keep}", row,
            title("subject_type"))
    # A first year held for the province's review (this import's new producer) is its own.
    first_year = subject.first_year_in_programme or getattr(subject, "held_first_year", None)
    if data.first_year and first_year != data.first_year:
        current = first_year or "chưa ghi"
        report.warn(f"chủ thể “{subject.name}” đã có với năm tham gia {current}, tệp "
                    f"ghi {data.first_year}; năm tham gia chỉ ghi khi tạo chủ thể mới; "
                    f"{keep}", row, title("first_year"))


def compare_product(report: ImportReport, data: RowData, product: Product):
    """The product is in the portal: what the file says otherwise is kept out."""
    keep = ("nhập Excel không sửa thông tin sản phẩm đã có; nếu cần, hãy sửa trên trang sản "
            "phẩm.")
    if product.group.top_group != data.group:
        report.warn(f"sản phẩm đã có với nhóm “{product.group}”, tệp ghi "
                    f"“{data.group.name}”; {keep}", data.row, title("group"))
    if product.district_id != data.district.pk:
        report.warn(f"sản phẩm đã có, sản xuất tại {product.district}; tệp ghi "
                    f"{data.district}; {keep}", data.row, title("district"))
    elif data.commune and product.commune_id != data.commune.pk:
        current = product.commune or "chưa ghi xã"
        report.warn(f"sản phẩm đã có, xã sản xuất: {current}; tệp ghi {data.commune}; "
                    f"{keep}", data.row, title("commune"))


def compare_evaluation(report: ImportReport, data: RowData, existing: Evaluation):
    """The same decision again: identical changes nothing, a contradiction is an error."""
    issues = []
    head = f"quyết định {existing.decision_number} của sản phẩm này đã có trong cổng với"
    fix = "hãy sửa tệp, hoặc sửa đánh giá trong cổng trước khi nhập."
    if existing.stars != data.stars:
        issues.append(Issue(f"{head} {existing.stars} sao, tệp ghi {data.stars} sao; {fix}",
                            data.row, title("stars")))
    if existing.decision_date != data.decision_date:
        shown = f"{existing.decision_date:%d/%m/%Y}" if existing.decision_date else "không"
        issues.append(Issue(f"{head} ngày {shown}, tệp ghi "
                            f"{data.decision_date:%d/%m/%Y}; {fix}", data.row,
                            title("decision_date")))
    if issues:
        raise RowRefused(*issues)
    if data.score is not None and existing.total_score != data.score:
        current = existing.total_score if existing.total_score is not None else "chưa ghi"
        report.warn(f"{head} điểm {current}, tệp ghi {data.score}; giữ điểm trong "
                    "cổng.", data.row, title("score"))
    if data.level_given and existing.level != data.level:
        report.warn(f"{head} {existing.get_level_display().lower()}, tệp ghi "
                    f"{label(EvaluationLevel, data.level).lower()}; giữ cấp trong "
                    "cổng.", data.row, title("level"))
