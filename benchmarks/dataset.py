"""A national-scale registry, built in bulk from a fixed seed (issue 12, DOMAIN.md §7).

`build(products)` adds, on the configured database, `products` products with half as many
producers, about three evaluations a product and a media item for every four products, spread
over the districts and communes of `load_backan_2024` and the years 2019-2024: first
recognitions, upgrades (re-rated with more stars), re-recognitions about 36 months after a
decision, certificates superseded, expired and revoked, 2-star evaluations that grant nothing,
the cycle participations behind every decision and the 2024 cycle still open, quality
standards, traceability, production-and-sale linkages, support records and the district quotas
of plan 180. 20,000 products take about a minute on PostgreSQL.

The rows are what the services would have left (products.services.product_refresh_history:
evaluation kinds, certificate statuses, `superseded_by`, `ended_on`, `Product.current_certificate`;
participation_sync: how each participation ended; the folded `name_key` / `search_text` /
`url_key`), but they are written with `bulk_create` and explicit primary keys, without the
services, their history rows or their signals. `clear()` empties the registry first.

    from benchmarks import dataset
    dataset.clear()
    summary = dataset.build(2000)  # {"products": 2000, "evaluations": ..., "seconds": ...}
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

FIRST_YEAR, LAST_YEAR = 2019, 2024
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
PLAN_YEAR = 2024
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 2000

# National mixes (DOMAIN.md §7, Dec 2024): producers 32% HTX, 22% DN, 32% households and
# establishments, the rest THT; first recognitions about 3/4 three stars.
SUBJECT_TYPES = (("htx", 32), ("dn", 22), ("hkd", 20), ("cssx", 12), ("tht", 14))
FIRST_STARS = ((2, 18), (3, 60), (4, 20), (5, 2))
START_YEARS = ((2019, 30), (2020, 22), (2021, 17), (2022, 13), (2023, 10), (2024, 8))
TYPE_WORDS = {"htx": "Hợp tác xã", "dn": "Công ty TNHH", "hkd": "Hộ kinh doanh",
              "cssx": "Cơ sở sản xuất", "tht": "Tổ hợp tác"}
SUBJECT_WORDS = ("Nông nghiệp", "Chè", "Dược liệu", "Miến dong", "Gạo nếp", "Thủ công",
                 "Mật ong", "Rượu men lá", "Cam quýt", "Du lịch cộng đồng", "Thảo dược")
PRODUCT_WORDS = ("Trà Shan tuyết", "Miến dong", "Gạo nếp Tài", "Mật ong bạc hà", "Cam sành",
                 "Hồng không hạt", "Rượu men lá", "Tinh dầu sả", "Giảo cổ lam", "Bánh gio",
                 "Măng khô", "Thịt lợn gác bếp", "Khẩu nua lếch", "Gừng đá", "Nghệ viên",
                 "Túi thổ cẩm", "Homestay", "Cá suối sấy")
PLACES = ("Bằng Phúc", "Ba Bể", "Na Rì", "Pác Nặm", "Bạch Thông", "Chợ Đồn", "Chợ Mới",
          "Ngân Sơn", "Nam Mẫu", "Hảo Nghĩa", "Đồng Lạc", "Yên Thịnh")
PARTNERS = ("Công ty CP Thực phẩm Bắc Kạn", "Siêu thị Co.opmart Thái Nguyên",
            "Công ty TNHH Nông sản Việt", "HTX Dịch vụ Nông nghiệp Quảng Khê",
            "Công ty CP Dược liệu Việt Nam")
STANDARDS = (("vietgap", 30), ("huu_co", 10), ("iso22000", 12), ("haccp", 10), ("iso9001", 6),
             ("globalgap", 3), ("vietgahp", 8), ("gmp", 4), ("fssc22000", 2), ("khac", 15))
SUPPORT_KINDS = (("cung_co", 40), ("chu_the_moi", 15), ("dao_tao", 20), ("xuc_tien", 15),
                 ("khac", 10))
MEDIA_KINDS = (("tin", 45), ("bai", 30), ("phong_su", 10), ("video", 15))


@dataclass
class Counts:
    """How many of each record to build for `products` products (every count by the same
    scale, so that 2,000 products are the national set divided by ten)."""

    products: int
    subjects: int = 0
    evaluations: int = 0  # about: the histories are drawn, not counted out
    media_items: int = 0

    def __post_init__(self):
        self.subjects = self.subjects or max(1, self.products // 2)
        self.evaluations = self.evaluations or self.products * 3
        self.media_items = self.media_items or max(1, self.products // 4)


@dataclass
class Rows:
    subjects: list = field(default_factory=list)
    products: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    standards: list = field(default_factory=list)
    traceability: list = field(default_factory=list)
    linkages: list = field(default_factory=list)
    supports: list = field(default_factory=list)
    media_items: list = field(default_factory=list)
    media_products: list = field(default_factory=list)
    media_subjects: list = field(default_factory=list)


def _weighted(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _months(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def registry_models() -> list:
    """The models the builder writes (and `clear` empties), children first."""
    from communications.models import MediaItem
    from ocop_portal.models import Job
    from products.models import (
        Certificate,
        CycleParticipation,
        Evaluation,
        ExpiryNotice,
        ImportBatch,
        Product,
        QualityCertification,
        Traceability,
    )
    from subjects.models import Linkage, Subject, SupportRecord
    from targets.models import MonthlyReport

    return [MediaItem.products.through, MediaItem.subjects.through, MediaItem,
            CycleParticipation, QualityCertification, Traceability, Certificate, Evaluation,
            Product, Linkage, SupportRecord, Subject, ImportBatch, ExpiryNotice, MonthlyReport,
            Job]


def clear() -> None:
    """Empty the registry (records, their history, import batches, reports and jobs); the
    reference data of load_backan_2024 and the users stay."""
    tables = []
    for model in registry_models():
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    with transaction.atomic():
        statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True,
                                              allow_cascade=False)
        connection.ops.execute_sql_flush(statements)


def ensure_reference_data() -> None:
    """Districts, communes, product groups, outlets and plan 180 (idempotent)."""
    from ocop_portal.models import Commune

    if not Commune.objects.exists():
        call_command("load_backan_2024", verbosity=0, stdout=_Null())


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


class _Ids:
    """Primary keys handed out ahead of the inserts, so that rows can point at rows not yet
    written (a product at its current certificate, a certificate at its successor); the
    foreign keys are checked at commit."""

    def __init__(self, models):
        from django.db.models import Max

        self.next = {model: (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
                     for model in models}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class Builder:
    def __init__(self, counts: Counts, seed: int):
        from communications.models import Outlet
        from ocop_portal.models import Commune
        from ocop_portal.units import DISTRICTS_END
        from products.models import (
            Certificate,
            CriteriaVersion,
            CycleParticipation,
            Evaluation,
            Product,
            ProductGroup,
        )
        from subjects.models import Subject

        self.counts = counts
        self.rng = random.Random(seed)
        from django.utils import timezone

        self.today = timezone.localdate()
        # The 2020-2025 layout, which the data set's dates (2019-2025) fall in.
        self.communes = list(Commune.objects.valid_on(DISTRICTS_END).select_related("district")
                             .order_by("code"))
        self.districts = sorted({c.district for c in self.communes}, key=lambda d: d.code)
        groups = list(ProductGroup.objects.all())
        self.groups_148 = [g for g in groups if g.criteria_version == CriteriaVersion.QD_148_2023]
        self.groups_1048 = [g for g in groups
                            if g.criteria_version == CriteriaVersion.QD_1048_2019]
        self.outlets = list(Outlet.objects.order_by("pk"))
        self.ids = _Ids([Subject, Product, Evaluation, Certificate, CycleParticipation])
        self.rows = Rows()
        self.decision_serial = 0
        self.histories: list[tuple] = []

    # Producers and products ---------------------------------------------------------------

    def subjects(self):
        from ocop_portal.text import name_key, search_key
        from subjects.models import Subject

        rng = self.rng
        for n in range(self.counts.subjects):
            pk = self.ids.take(Subject)
            kind = _weighted(rng, SUBJECT_TYPES)
            commune = rng.choice(self.communes)
            name = f"{TYPE_WORDS[kind]} {rng.choice(SUBJECT_WORDS)} {rng.choice(PLACES)} {pk}"
            registration = f"47{pk:08d}" if rng.random() < 0.85 else ""
            person = f"Nông Văn {rng.choice(PLACES).split()[0]} {n % 97}"
            phone = f"0209{pk % 1000000:06d}"
            workers = rng.randint(3, 80)
            self.rows.subjects.append(Subject(
                pk=pk, name=name, subject_type=kind, registration_number=registration,
                legal_representative=person, phone=phone, address=f"Thôn {n % 23 + 1}",
                district=commune.district, commune=commune,
                founded_year=rng.randint(1995, 2022), members_count=rng.randint(7, 60),
                workers_total=workers, workers_local=rng.randint(0, workers),
                female_led=rng.random() < 0.3, ethnic_minority=rng.random() < 0.7,
                name_key=name_key(name), search_text=search_key(name, registration, person, phone),
            ))

    def products(self):
        from ocop_portal.text import name_key, search_key
        from products.models import Product

        rng = self.rng
        subjects = self.rows.subjects
        first_years: dict[int, int] = {}
        for n in range(self.counts.products):
            # Every producer has a product; the rest go to producers drawn at random.
            subject = subjects[n] if n < len(subjects) else rng.choice(subjects)
            pk = self.ids.take(Product)
            # Most products are made where their producer is.
            commune = subject.commune if rng.random() < 0.9 else rng.choice(self.communes)
            name = f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {pk}"
            product = Product(
                pk=pk, name=name, subject=subject, group=rng.choice(self.groups_148),
                district=commune.district, commune=commune,
                name_key=name_key(name), search_text=search_key(name, subject.name),
                description="",
            )
            self.rows.products.append(product)
            self.history(product)
        self.top_up()
        self.write_histories()
        for product in self.rows.products:
            year, subject_pk = product.first_cycle_year, product.subject.pk
            if year and year < first_years.get(subject_pk, 9999):
                first_years[subject_pk] = year
        for subject in subjects:
            # A producer's first year is its first product's cycle (a few left blank).
            if rng.random() < 0.95:
                subject.first_year_in_programme = first_years.get(subject.pk)

    # A product's history --------------------------------------------------------------------

    def history(self, product):
        """Draw the product's decisions (written later by `write_histories`)."""
        rng = self.rng
        start = _weighted(rng, START_YEARS)
        if rng.random() < 0.08:
            # In the 2024 cycle (or withdrawn from an earlier one), not decided yet.
            product.first_cycle_year = 2024 if rng.random() < 0.8 else rng.randint(2021, 2023)
            self.open_participation(product, product.first_cycle_year, "moi", recognised=False)
            return
        self.histories.append((product, self.decisions(start)))

    def top_up(self):
        """Bring the evaluations to about the count asked for: products evaluated below 3 stars
        in the years before their first recognition (a first try that failed)."""
        rng = self.rng
        missing = self.counts.evaluations - sum(len(events) for _, events in self.histories)
        candidates = [events for _, events in self.histories if events[0][0].year > FIRST_YEAR]
        while missing > 0 and candidates:
            events = candidates.pop(rng.randrange(len(candidates)))
            year = events[0][0].year - 1
            events.insert(0, (_day(rng, dt.date(year, 4, 1), dt.date(year, 12, 10)), 2, None))
            missing -= 1
            if year > FIRST_YEAR:
                candidates.append(events)

    def write_histories(self):
        """Write each product's decisions as the services would have."""
        rng = self.rng
        for product, events in self.histories:
            product.first_cycle_year = events[0][0].year
            if events[0][0] < dt.date(2023, 2, 24) and self.groups_1048 and rng.random() < 0.3:
                product.group = rng.choice(self.groups_1048)  # ranked under QĐ 1048, kept
            self.evaluations(product, events)
            last_year = events[-1][0].year
            if last_year < PLAN_YEAR and rng.random() < 0.12:
                recognised = any(stars >= 3 for _, stars, _ in events)
                kind = rng.choice(["nang_hang", "danh_gia_lai"]) if recognised else "moi"
                self.open_participation(product, PLAN_YEAR, kind, recognised=recognised)

    def decisions(self, start: int) -> list[tuple[dt.date, int, dt.date | None]]:
        """(decision date, stars, revoked on or None), one a cycle year, up to 2024."""
        rng = self.rng
        day = _day(rng, dt.date(start, 3, 1), dt.date(start, 12, 20))
        stars = _weighted(rng, FIRST_STARS)
        events = [(day, stars, None)]
        if stars == 2:
            if rng.random() < 0.25 or day.year == LAST_YEAR:
                return events  # never recognised
            day = _day(rng, dt.date(day.year + 1, 3, 1), dt.date(day.year + 1, 12, 20))
            stars = rng.choice([3, 3, 4])
            events.append((day, stars, None))
        best = stars
        while True:
            roll = rng.random()
            if roll < 0.04:
                # Revoked (a breach found on inspection); the history ends there.
                revoked = _day(rng, _months(day, 4), min(_months(day, 35), LAST_DAY))
                if revoked < _months(day, 36) and revoked <= LAST_DAY:
                    events[-1] = (day, stars, revoked)
                return events
            if best < 5 and roll < 0.45:
                # An upgrade, 10 to 20 months later, with one star more.
                day = _months(day, rng.randint(10, 20))
                stars = best + 1
            elif roll < 0.70:
                # Re-evaluated a year or so later (a failed upgrade, a change of criteria): the
                # same stars, a new certificate that supersedes the previous one.
                day = _months(day, rng.randint(11, 16))
                stars = best
            elif roll < 0.96:
                # Re-recognised at the end of the 36 months, mostly just before the expiry,
                # sometimes after it has lapsed; now and then with a star more.
                day = _months(day, 36) + dt.timedelta(days=rng.randint(-75, 110))
                stars = best + 1 if best < 5 and rng.random() < 0.1 else best
            else:
                return events  # the certificate lapses: expired
            if day > LAST_DAY:
                return events
            if day.year <= events[-1][0].year:
                day = dt.date(events[-1][0].year + 1, rng.randint(2, 5), rng.randint(1, 28))
                if day > LAST_DAY:
                    return events
            events.append((day, stars, None))
            best = max(best, stars)

    def evaluations(self, product, events):
        from ocop_portal.domain import PART_MAXIMA
        from products.models import (
            QD_148_EFFECTIVE,
            Certificate,
            CertificateStatus,
            Evaluation,
            EvaluationKind,
            criteria_version_on,
        )
        from products.rules import certificate_valid_to

        rng = self.rng
        best = 0
        certificates = []
        for day, stars, revoked in events:
            if best < 3:
                kind = EvaluationKind.NEW
            elif stars > best:
                kind = EvaluationKind.UPGRADE
            else:
                kind = EvaluationKind.REEVALUATION
            if stars >= 3:
                best = max(best, stars)
            version = criteria_version_on(day)
            if day < QD_148_EFFECTIVE:
                level = {2: "huyen", 3: "tinh", 4: "tinh", 5: "trung_uong"}[stars]
            else:
                level = {2: "huyen", 3: "huyen", 4: "tinh", 5: "trung_uong"}[stars]
            low, high = {2: (30, 49), 3: (50, 69), 4: (70, 89), 5: (90, 99)}[stars]
            total = Decimal(rng.randint(low * 100, high * 100 + 99)) / 100
            maxima = PART_MAXIMA[version]
            part_a = (total * maxima["a"] / 100).quantize(Decimal("0.01"))
            part_b = (total * maxima["b"] / 100).quantize(Decimal("0.01"))
            self.decision_serial += 1
            authority = {"huyen": f"UBND {product.district.name}", "tinh": "UBND tỉnh Bắc Kạn",
                         "trung_uong": "Bộ Nông nghiệp và PTNT"}[level]
            evaluation = Evaluation(
                pk=self.ids.take(Evaluation), product=product, cycle_year=day.year, kind=kind,
                level=level, score_a=part_a, score_b=part_b, score_c=total - part_a - part_b,
                total_score=total, stars=stars, decision_number=f"{self.decision_serial}/QĐ-UBND",
                decision_date=day, decision_authority=authority, criteria_version=version)
            self.rows.evaluations.append(evaluation)
            self.participation(product, evaluation)
            if stars < 3:
                continue
            certificate = Certificate(
                pk=self.ids.take(Certificate), evaluation=evaluation, product=product,
                number=f"{self.decision_serial}/GCN-OCOP", valid_from=day,
                valid_to=certificate_valid_to(day), status=CertificateStatus.ACTIVE)
            if revoked:
                certificate.status = CertificateStatus.REVOKED
                certificate.ended_on = revoked
                certificate.revocation_decision = f"{self.decision_serial}/QĐ-TH"
                certificate.revocation_reason = "Không duy trì các điều kiện của sản phẩm OCOP."
            certificates.append(certificate)
        # products.services.product_refresh_history: a newer certificate supersedes the one
        # before it (unless revoked); the last one is active or expired; it is the current one.
        for index, certificate in enumerate(certificates):
            following = certificates[index + 1] if index + 1 < len(certificates) else None
            if certificate.status == CertificateStatus.REVOKED:
                continue
            if following is not None:
                certificate.status = CertificateStatus.SUPERSEDED
                certificate.superseded_by_id = following.pk
                certificate.ended_on = following.valid_from
            elif certificate.valid_to < self.today:
                certificate.status = CertificateStatus.EXPIRED
        if certificates:
            product.current_certificate_id = certificates[-1].pk
        self.rows.certificates.extend(certificates)

    def participation(self, product, evaluation):
        """The cycle participation an evaluation closed (products.services.participation_sync)."""
        from products.models import CycleOutcome, CycleParticipation, CycleStage

        rng = self.rng
        decided = evaluation.decision_date
        last_round = decided - dt.timedelta(days=rng.randint(5, 25))
        central = province = None
        if evaluation.level == "trung_uong":
            central = last_round
            province = central - dt.timedelta(days=rng.randint(20, 60))
            district_round = province - dt.timedelta(days=rng.randint(15, 45))
        elif evaluation.level == "tinh":
            province = last_round
            district_round = province - dt.timedelta(days=rng.randint(15, 45))
        else:
            district_round = last_round
        plan = district_round - dt.timedelta(days=rng.randint(15, 45))
        registered = max(plan - dt.timedelta(days=rng.randint(10, 40)),
                         dt.date(decided.year - 1, 1, 1))
        self.rows.participations.append(CycleParticipation(
            pk=self.ids.take(CycleParticipation), product=product,
            cycle_year=evaluation.cycle_year, kind=evaluation.kind, stage=CycleStage.DECISION,
            registered_on=registered, plan_on=plan, district_round_on=district_round,
            province_round_on=province, central_round_on=central, decided_on=decided,
            outcome=(CycleOutcome.RECOGNISED if evaluation.stars >= 3
                     else CycleOutcome.NOT_RECOGNISED),
            ended_on=decided, evaluation=evaluation))

    def open_participation(self, product, year: int, kind: str, *, recognised: bool):
        """A participation not decided yet: at an open stage, or withdrawn."""
        from products.models import (
            OPEN_STAGES,
            STAGE_DATE_FIELDS,
            CycleOutcome,
            CycleParticipation,
        )

        rng = self.rng
        registered = _day(rng, dt.date(year, 1, 5), dt.date(year, 6, 30))
        participation = CycleParticipation(
            pk=self.ids.take(CycleParticipation), product=product, cycle_year=year, kind=kind,
            registered_on=registered)
        reached = rng.randint(0, len(OPEN_STAGES) - 1)
        if not recognised and reached == len(OPEN_STAGES) - 1:
            reached -= 1  # a new product's central round needs a province one first: fine
        day = registered
        for stage in OPEN_STAGES[1:reached + 1]:
            day += dt.timedelta(days=rng.randint(15, 50))
            setattr(participation, STAGE_DATE_FIELDS[stage], day)
        participation.stage = OPEN_STAGES[reached]
        if rng.random() < 0.2 or year < PLAN_YEAR:
            participation.outcome = CycleOutcome.WITHDRAWN
            participation.ended_on = day + dt.timedelta(days=rng.randint(5, 40))
            participation.withdrawal_reason = "Chủ thể chưa hoàn thiện hồ sơ, xin rút."
        self.rows.participations.append(participation)

    # Quality, traceability, linkages, support, media ----------------------------------------

    def quality_and_traceability(self):
        from products.models import QualityCertification, Traceability

        rng = self.rng
        for product in self.rows.products:
            start = dt.date(product.first_cycle_year or PLAN_YEAR, 1, 1)
            if rng.random() < 0.32:
                # Sorted: a set's order changes from one process to the next.
                drawn = {_weighted(rng, STANDARDS) for _ in range(rng.randint(1, 2))}
                for standard in sorted(drawn):
                    issued = _day(rng, _months(start, -12), LAST_DAY)
                    expires = _months(issued, 36) if rng.random() < 0.8 else None
                    self.rows.standards.append(QualityCertification(
                        product=product, standard=standard, number=f"QC-{product.pk}-{standard}",
                        issuer="Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
                        issued_on=issued, expires_on=expires,
                        standard_detail="Tiêu chuẩn cơ sở" if standard == "khac" else ""))
            if rng.random() < 0.35:
                started = _day(rng, start, LAST_DAY)
                ended = (_day(rng, started, _months(started, 30)) if rng.random() < 0.25
                         else None)
                self.rows.traceability.append(Traceability(
                    product=product, system=rng.choice(["Cổng truy xuất nguồn gốc tỉnh Bắc Kạn",
                                                        "iCheck", "Check Vàng"]),
                    code=f"BK-{product.pk:06d}", started_on=started, ended_on=ended))

    def linkages_and_support(self):
        from subjects.models import Linkage, SupportRecord

        rng = self.rng
        for subject in self.rows.subjects:
            first = subject.first_year_in_programme or rng.randint(FIRST_YEAR, LAST_YEAR)
            if rng.random() < 0.4:
                for n in range(rng.randint(1, 2)):
                    signed = _day(rng, dt.date(first, 1, 1), LAST_DAY)
                    open_ended = not n and rng.random() >= 0.7
                    valid_to = None if open_ended else _months(signed, rng.choice([12, 24, 36]))
                    self.rows.linkages.append(Linkage(
                        subject=subject,
                        kind=rng.choice(["sx_tt", "sx_tt", "nguyen_lieu", "tieu_thu"]),
                        partner=rng.choice(PARTNERS), contract_number=f"{subject.pk}-{n}/HĐLK",
                        contract_date=signed, valid_from=signed, valid_to=valid_to,
                        households=rng.randint(5, 120)))
            if rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    kind = _weighted(rng, SUPPORT_KINDS)
                    self.rows.supports.append(SupportRecord(
                        subject=subject, kind=kind,
                        date=_day(rng, dt.date(first, 1, 1), LAST_DAY),
                        content=f"Hỗ trợ {SupportRecord.Kind(kind).label.lower()}",
                        amount=Decimal(rng.randint(5, 300) * 1_000_000),
                        funding_source="Chương trình MTQG xây dựng nông thôn mới"))

    def media(self):
        from communications.models import MediaItem
        from communications.url_keys import url_key
        from ocop_portal.text import fold

        rng = self.rng
        products = self.rows.products
        through_products = MediaItem.products.through
        through_subjects = MediaItem.subjects.through
        next_pk = (MediaItem.all_objects.order_by("-pk").values_list("pk", flat=True).first()
                   or 0) + 1
        for n in range(self.counts.media_items):
            pk = next_pk + n
            outlet = rng.choice(self.outlets)
            product = rng.choice(products)
            day = _day(rng, dt.date(FIRST_YEAR, 1, 1), LAST_DAY)
            moment = dt.datetime(day.year, day.month, day.day, rng.randint(6, 23),
                                 rng.randint(0, 59), tzinfo=TZ)
            title = f"{product.name}: sản phẩm OCOP {rng.choice(PLACES)} vươn xa ({pk})"
            author = f"Phóng viên {n % 50}"
            url = f"https://tin-ocop.example.vn/{day.year}/{day.month:02d}/bai-{pk}"
            self.rows.media_items.append(MediaItem(
                pk=pk, title=title, kind=_weighted(rng, MEDIA_KINDS), outlet=outlet,
                published_at=moment, url=url, url_key=url_key(url), author=author,
                district=product.district if rng.random() < 0.8 else None,
                search_text=fold(" ".join([title, outlet.name, author]))))
            self.rows.media_products.append(through_products(mediaitem_id=pk,
                                                             product_id=product.pk))
            if rng.random() < 0.3:
                self.rows.media_subjects.append(through_subjects(
                    mediaitem_id=pk, subject_id=product.subject_id))

    def district_quotas(self):
        """Plan 180's provincial quotas split over the districts (the appendices' Kế hoạch)."""
        from targets.models import Plan, Quota

        plan = Plan.objects.filter(year=PLAN_YEAR).first()
        if plan is None:
            return
        Quota.objects.filter(plan=plan, district__isnull=False).delete()
        quotas = []
        for total in Quota.objects.filter(plan=plan, district__isnull=True,
                                          indicator__appendix__isnull=False):
            share, rest = divmod(total.value, len(self.districts))
            for index, district in enumerate(self.districts):
                quotas.append(Quota(plan=plan, indicator_id=total.indicator_id, district=district,
                                    value=share + (1 if index < rest else 0)))
        Quota.objects.bulk_create(quotas)

    # Writing ------------------------------------------------------------------------------

    def write(self) -> dict:
        from communications.models import MediaItem
        from products.models import (
            Certificate,
            CycleParticipation,
            Evaluation,
            Product,
            QualityCertification,
            Traceability,
        )
        from subjects.models import Linkage, Subject, SupportRecord

        rows = self.rows
        plan = [(Subject, rows.subjects), (Product, rows.products),
                (Evaluation, rows.evaluations), (Certificate, rows.certificates),
                (CycleParticipation, rows.participations),
                (QualityCertification, rows.standards), (Traceability, rows.traceability),
                (Linkage, rows.linkages), (SupportRecord, rows.supports),
                (MediaItem, rows.media_items), (MediaItem.products.through, rows.media_products),
                (MediaItem.subjects.through, rows.media_subjects)]
        with transaction.atomic():
            for model, objects in plan:
                model._base_manager.bulk_create(objects, batch_size=BATCH)
            self.district_quotas()
        if connection.vendor == "postgresql":
            # The keys were given explicitly: move the sequences past them.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(
                        no_style(), [model for model, _ in plan]):
                    cursor.execute(statement)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return {model._meta.label: len(objects) for model, objects in plan}


def build(products: int, *, seed: int = 2024, subjects: int | None = None,
          evaluations: int | None = None, media_items: int | None = None) -> dict:
    """Add a registry of `products` products (and, unless given, products/2 producers, about
    3 × products evaluations and products/4 media items) to the configured database, from
    `seed`; returns how many rows of each model were written and the seconds it took."""
    from ocop_portal.figures_cache import retire_version

    started = time.perf_counter()
    ensure_reference_data()
    counts = Counts(products=products, subjects=subjects or 0, evaluations=evaluations or 0,
                    media_items=media_items or 0)
    builder = Builder(counts, seed)
    builder.subjects()
    builder.products()
    builder.quality_and_traceability()
    builder.linkages_and_support()
    builder.media()
    written = builder.write()
    retire_version()
    return {"rows": written, "seconds": round(time.perf_counter() - started, 1)}
