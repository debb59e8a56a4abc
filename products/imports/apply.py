"""Applying checked rows with the registry's rules: the same code previews (stopped before the
writes) and imports (written in one transaction).

The rows are applied in memory, in the file's order, against what `Loaded` read of the registry
up front, through the services' own rules (products.services builds, checks and derives
without the database; subjects are built as subjects.services.subject_create does); a refused
row is undone in memory as its savepoint once undid it. When no row is refused, `Writes`
writes it all in bulk: the number of queries does not grow with the rows.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection
from django.utils import timezone

from ocop_portal.archive import archived_message
from ocop_portal.period_lock import closed_months, require_open
from ocop_portal.permissions import can_edit_district
from ocop_portal.progress import Reporter
from products.imports.columns import title
from products.imports.compare import compare_evaluation, compare_product, compare_subject
from products.imports.loaded import Loaded, ProductRecords
from products.imports.references import decision_key
from products.imports.refusals import (
    CYCLE_COLUMNS,
    EVALUATION_COLUMNS,
    EXTRA_COLUMNS,
    PRODUCT_COLUMNS,
    SUBJECT_COLUMNS,
    RowRefused,
    label,
    located,
)
from products.imports.report import Action, ImportReport, Issue, RowResult
from products.imports.rows import RowData
from products.imports.writes import Writes, clean_in_memory
from products.models import (
    QD_148_EFFECTIVE,
    STAGE_ORDER,
    Certificate,
    CycleOutcome,
    CycleParticipation,
    CycleStage,
    Evaluation,
    EvaluationKind,
    EvaluationLevel,
    Product,
    QualityCertification,
    Standard,
    Traceability,
)
from products.services import (
    evaluation_build,
    evaluation_warnings,
    history_derive,
    participation_build,
    participation_move,
    product_build,
    quality_certification_build,
    recognised_before,
    refuse_archived_twin,
    traceability_build,
)
from subjects.models import Subject
from subjects.services import SubjectFields, subject_build

# Template v1 has no column for the traceability system; the record says where it came from.
TRACEABILITY_SYSTEM = "Chưa ghi rõ hệ thống (khai báo qua nhập Excel)"


WRITTEN_TABLES = [model._meta.db_table for model in (
    Subject, Product, Evaluation, Certificate, CycleParticipation, QualityCertification,
    Traceability)]


class Applier:
    """Applies the rows of one import for one user and reports, row by row, what changes."""

    def __init__(self, user, report: ImportReport, *, history_user=None,
                 progress: Reporter | None = None):
        self.user = user
        self.report = report
        self.progress = progress
        self.today = timezone.localdate()
        self.writes = Writes(history_user)
        # Read once: a row dated in a closed month (chốt số liệu) is refused like any other.
        self.closed_months = closed_months()
        self._new_evaluations: list[tuple[RowResult, int, Evaluation]] = []

    def apply(self, rows: list[RowData], *, lock: bool = False):
        """Apply every row in memory, reporting what each does or why it is refused; with
        `lock` (an import, not its preview) the products read stay locked until it commits."""
        # Rows are applied in the file's order: the first row of a producer or a product
        # creates it with that row's details. Kinds, supersession and the current certificate
        # are derived from the whole history, so the order of decisions does not matter.
        self._traceability_start = self._earliest_traceability(rows)
        self.loaded = Loaded(rows, self.writes, lock=lock)
        for data in rows:
            self._apply_one(data)
            if self.progress is not None:
                self.progress.advance()
        self._describe_kinds()

    def write(self):
        """Write what the rows did (called only when none was refused)."""
        try:
            self.writes.flush()
            # The foreign keys are checked at commit, outside this report: checked here, a row
            # pointing at a record deleted meanwhile is reported instead of failing the batch.
            connection.check_constraints(table_names=WRITTEN_TABLES)
        except IntegrityError:
            self.report.error("dữ liệu vừa bị thay đổi cùng lúc bởi người khác; hãy nhập lại "
                              "tệp.")

    def _apply_one(self, data: RowData):
        """One row, as its own savepoint once: all of it, or (refused) none of it."""
        result = RowResult(row=data.row, product=data.product_name,
                           subject=data.subject_name, district=str(data.district))
        marks = (self.writes.mark(), self.loaded.mark(), len(self._new_evaluations))
        self._touched: tuple[ProductRecords, object] | None = None
        try:
            self._apply_row(data, result)
        except (RowRefused, PermissionDenied) as refused:
            self.writes.undo(marks[0])
            self.loaded.undo(marks[1])
            del self._new_evaluations[marks[2]:]
            if self._touched is not None:
                records, snapshot = self._touched
                records.restore(snapshot)
            if isinstance(refused, RowRefused):
                self.report.errors += refused.issues
            else:
                self.report.error(str(refused), data.row, title("district"))
        else:
            self.report.rows.append(result)

    def _earliest_traceability(self, rows: list[RowData]) -> dict:
        """For each product, the earliest day a row marks its traceability “Có”: the decision
        it was evaluated at (traceability is evidence in the dossier), else the import day."""
        start = {}
        for data in rows:
            if data.traceability:
                day = data.decision_date or self.today
                start[data.product_key] = min(day, start.get(data.product_key, day))
        return start

    def _apply_row(self, data: RowData, result: RowResult):
        subject = self._subject(data, result)
        result.subject = subject.name
        records, created = self._product(data, subject, result)
        self._participation(data, records, result)
        self._evaluation(data, records, result)
        self._traceability(data, records, result)
        self._standards(data, records, result)
        if created:
            result.action = Action.CREATE
        elif result.changes:
            result.action = Action.UPDATE

    # Subject ---------------------------------------------------------------------------------

    def _subject(self, data: RowData, result: RowResult) -> Subject:
        subject = self.loaded.subject(name=data.subject_name, district=data.district,
                                      registration_number=data.registration_number)
        if subject is None:
            with located(data.row, SUBJECT_COLUMNS):
                # subject_create's duplicate guard is the lookup that found no producer.
                subject = subject_build(user=self.user, fields=SubjectFields(
                    name=data.subject_name, subject_type=data.subject_type,
                    registration_number=data.registration_number, district=data.district,
                    commune=data.commune, first_year_in_programme=data.first_year))
                subject.unit_dated = data.unit_span  # the row's date, checked by the row
                clean_in_memory(subject)
                if self.writes.review_user is not None and subject.first_year_in_programme:
                    # It counts a new producer: held for the province's review.
                    self.writes.hold_first_year(subject, subject.first_year_in_programme)
                    subject.held_first_year = subject.first_year_in_programme
                    subject.first_year_in_programme = None
            self.writes.create(subject)
            self.loaded.add_subject(subject)
            self.report.created["subjects"] += 1
            result.changes.append(f"Tạo chủ thể mới “{subject.name}” "
                                  f"({subject.get_subject_type_display()})")
            if data.registration_was_number:
                self.report.warn("ô đang ở dạng số nên Excel đã bỏ các số 0 ở đầu mã (nếu có); "
                                 "hãy định dạng cột là Văn bản nếu mã bắt đầu bằng 0.",
                                 data.row, title("registration_number"))
            return subject
        by_number = bool(data.registration_number) and (
            subject.registration_number == data.registration_number)
        if not can_edit_district(self.user, subject.district_id):
            column = "registration_number" if by_number else "subject_name"
            # Not named: an officer may not see another district's producers.
            raise RowRefused(Issue(
                f"{'mã số này' if by_number else 'tên này'} đã được đăng ký cho một chủ thể của "
                "huyện khác, ngoài phạm vi của bạn; không thêm sản phẩm cho chủ thể của huyện "
                "khác.", data.row, title(column)))
        if subject.is_archived:
            column = "registration_number" if by_number else "subject_name"
            raise RowRefused(Issue(archived_message("chủ thể", subject.name), data.row,
                                   title(column)))
        compare_subject(self.report, data, subject, by_number)
        return subject

    # Product ---------------------------------------------------------------------------------

    def _product(self, data: RowData, subject: Subject, result: RowResult):
        records = self.loaded.product(subject, data.product_name)
        if records is None:
            first_year = data.first_year or (data.decision_date.year if data.decision_date
                                             else None)
            with located(data.row, PRODUCT_COLUMNS):
                product = product_build(
                    user=self.user, name=data.product_name, subject=subject, group=data.group,
                    district=data.district, commune=data.commune, first_cycle_year=first_year)
                product.unit_dated = data.unit_span
                # product_create's archived twin, looked up in what was loaded.
                refuse_archived_twin(self.loaded.archived_twin(product))
                clean_in_memory(product)
            self.writes.create(product)
            records = ProductRecords(product)
            self.loaded.add_product(records)
            self._touched = (records, records.snapshot())
            self.report.created["products"] += 1
            result.changes.append(f"Tạo sản phẩm mới “{product.name}” ({data.group.name})")
            return records, True
        product = records.product
        if not can_edit_district(self.user, product.district_id):
            raise RowRefused(Issue(
                f"sản phẩm “{product.name}” thuộc {product.district}, ngoài phạm vi của bạn.",
                data.row, title("district")))
        self._touched = (records, records.snapshot())
        compare_product(self.report, data, product)
        return records, False

    # Evaluation, cycle, traceability, standards ----------------------------------------------

    def _evaluation(self, data: RowData, records: ProductRecords, result: RowResult):
        if not data.stars:
            return
        existing = next((evaluation for evaluation in records.evaluations
                         if decision_key(evaluation.decision_number) == data.decision_key), None)
        if existing is not None:
            compare_evaluation(self.report, data, existing)
            return
        evaluation, certificate = self._record_evaluation(data, records)
        self.report.created["evaluations"] += 1
        change = (f"Thêm quyết định {data.decision_number} ngày {data.decision_date:%d/%m/%Y}: "
                  f"{data.stars} sao, {label(EvaluationLevel, data.level).lower()}")
        if certificate:
            self.report.created["certificates"] += 1
            change += f"; giấy chứng nhận hiệu lực đến {certificate.valid_to:%d/%m/%Y}"
        result.changes.append(change)
        self._new_evaluations.append((result, len(result.changes) - 1, evaluation))
        closed = next((p for p in records.participations if _closed_by(p, evaluation)), None)
        if closed is not None:
            result.changes.append(f"Kết thúc chu trình {closed.cycle_year}: "
                                  f"{closed.get_outcome_display().lower()}")
        # The level warning is about QĐ 148; decisions issued before it followed QĐ 1048.
        if data.level_given and data.decision_date >= QD_148_EFFECTIVE:
            for warning in evaluation_warnings(evaluation):
                self.report.warn(warning, data.row, title("level"))

    def _record_evaluation(self, data: RowData, records: ProductRecords):
        """products.services.evaluation_record in memory: build and check, then derive the
        product's history again, saving (in `writes`) what the service would save."""
        with located(data.row, EVALUATION_COLUMNS):
            require_open(data.decision_date, "kết quả đánh giá, phân hạng",
                         field="decision_date", months=self.closed_months)
            evaluation, certificate = evaluation_build(
                product=records.product, user=self.user,
                cycle_year=data.cycle_year or data.decision_date.year, level=data.level,
                stars=data.stars, total_score=data.score, score_a=data.score_a,
                score_b=data.score_b, score_c=data.score_c,
                decision_number=data.decision_number, decision_date=data.decision_date)
            clean_in_memory(evaluation)  # evaluation_record cleans the evaluation only
        records.evaluations.append(evaluation)
        self.writes.create(evaluation)
        if certificate is not None:
            records.certificates.append(certificate)
            self.writes.create(certificate)
        with located(data.row, EVALUATION_COLUMNS):
            changes = history_derive(
                records.product, evaluations=records.evaluations,
                certificates=records.certificates, participations=records.participations,
                today=self.today)
        # Kind changes and detached participations are update()s: no history, as before.
        for changed_certificate, fields in changes.certificates:
            if "ended_on" in fields:
                with located(data.row, EVALUATION_COLUMNS):
                    require_open(changed_certificate.ended_on, "giấy chứng nhận OCOP",
                                 field="decision_date", months=self.closed_months)
            self.writes.save(changed_certificate)
        if changes.current_certificate:
            self.writes.save(records.product)
        for participation in changes.participations:
            self.writes.save(participation)
        return evaluation, certificate

    def _participation(self, data: RowData, records: ProductRecords, result: RowResult):
        """A row without a decision registers the product in its cycle, or moves it on to the
        row's stage, dated the day of the import (the template carries no stage dates); a
        decision ends the cycle when it is recorded (evaluation_record)."""
        if data.cycle_year is None or data.stars:
            return
        stage = data.stage or CycleStage.REGISTERED
        existing = next((p for p in records.participations if p.cycle_year == data.cycle_year),
                        None)
        label = CycleStage(stage).label.lower()
        if existing is None:
            self._register(data, records, stage)
            self.report.created["participations"] += 1
            result.changes.append(f"Đăng ký chu trình {data.cycle_year}, giai đoạn {label} "
                                  f"(ghi ngày nhập {self.today:%d/%m/%Y})")
            return
        if not existing.is_open:
            self.report.warn(f"chu trình {data.cycle_year} của sản phẩm đã kết thúc "
                             f"({existing.get_outcome_display().lower()}); giữ nguyên.",
                             data.row, title("stage"))
            return
        if STAGE_ORDER.index(stage) < STAGE_ORDER.index(existing.stage):
            self.report.warn(f"sản phẩm đã ở giai đoạn {existing.get_stage_display().lower()} "
                             f"của chu trình {data.cycle_year}; giữ nguyên.", data.row,
                             title("stage"))
        elif stage != existing.stage:
            with located(data.row, CYCLE_COLUMNS):
                participation_move(existing, user=self.user, stage=stage, on=self.today)
                clean_in_memory(existing)
            self.writes.save(existing)
            result.changes.append(f"Chuyển sang giai đoạn {label} của chu trình "
                                  f"{data.cycle_year} (ghi ngày nhập {self.today:%d/%m/%Y})")

    def _register(self, data: RowData, records: ProductRecords, stage: str):
        """products.services.participation_register in memory: registered on the import day,
        then moved on to the row's stage (two saves, two history records)."""
        with located(data.row, CYCLE_COLUMNS):
            participation = participation_build(
                product=records.product, user=self.user, cycle_year=data.cycle_year,
                registered_on=self.today,
                open_elsewhere=next((p for p in records.participations
                                     if p.outcome == CycleOutcome.OPEN
                                     and p.cycle_year != data.cycle_year), None),
                recognised=recognised_before(records.evaluations, self.today))
            clean_in_memory(participation)
        records.add_participation(participation)
        self.writes.create(participation)
        if stage != CycleStage.REGISTERED:
            with located(data.row, CYCLE_COLUMNS):
                participation_move(participation, user=self.user, stage=stage, on=self.today)
                clean_in_memory(participation)
            self.writes.save(participation)

    def _traceability(self, data: RowData, records: ProductRecords, result: RowResult):
        if not data.traceability or records.has_traceability:
            return
        started_on = self._traceability_start[data.product_key]
        with located(data.row, EXTRA_COLUMNS):
            require_open(started_on, "thông tin truy xuất nguồn gốc", field="started_on",
                         months=self.closed_months)
            record = traceability_build(product=records.product, user=self.user,
                                        system=TRACEABILITY_SYSTEM, started_on=started_on)
            clean_in_memory(record)
        self.writes.create(record)
        records.has_traceability = True
        self.report.created["traceability"] += 1
        result.changes.append(f"Ghi nhận truy xuất nguồn gốc, áp dụng từ {started_on:%d/%m/%Y}")

    def _standards(self, data: RowData, records: ProductRecords, result: RowResult):
        if not data.standards:
            return
        issued_on = data.decision_date or self.today
        for standard in data.standards:
            if standard in records.standards:
                continue
            with located(data.row, EXTRA_COLUMNS):
                require_open(issued_on, "chứng nhận tiêu chuẩn chất lượng", field="issued_on",
                             months=self.closed_months)
                record = quality_certification_build(product=records.product, user=self.user,
                                                     standard=standard, issued_on=issued_on)
                clean_in_memory(record)
            self.writes.create(record)
            records.standards.add(standard)
            self.report.created["quality_certifications"] += 1
            result.changes.append(f"Thêm tiêu chuẩn {Standard(standard).label} "
                                  f"(ngày cấp ghi {issued_on:%d/%m/%Y})")

    def _describe_kinds(self):
        """Name each new evaluation's kind, known once the whole history is in."""
        for result, index, evaluation in self._new_evaluations:
            label = EvaluationKind(evaluation.kind).label.lower()
            result.changes[index] += f" ({label})"


def _closed_by(participation, evaluation: Evaluation) -> bool:
    """Whether recording `evaluation` (new, so attached in memory) closed `participation`."""
    field = participation._meta.get_field("evaluation")
    return field.is_cached(participation) and participation.evaluation is evaluation
