"""What a form, a service or the database accepts: every free text has a maximum length, refused
one character over it with a Vietnamese message naming the field and both lengths, and nothing
saved; a NUL character is refused in Vietnamese; the day something happened (a registration, a
support, a signature, a certification, a revocation, a progress note) is not after today, while
the end of a validity may be."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.utils import timezone

from communications.forms import MediaItemForm, OutletForm
from communications.models import MediaItem
from communications.services import media_item_create
from ocop_portal.models import User
from products.forms import (
    CertificateRevokeForm,
    EvaluationForm,
    ParticipationWithdrawForm,
    ProductForm,
)
from products.models import (
    Certificate,
    CriteriaVersion,
    CycleParticipation,
    Evaluation,
    Product,
    ProductGroup,
    QualityCertification,
    Traceability,
)
from products.services import (
    certificate_revoke,
    evaluation_record,
    participation_register,
    participation_withdraw,
    product_create,
    quality_certification_add,
    traceability_add,
)
from subjects.forms import LinkageForm, SubjectForm, SupportRecordForm
from subjects.models import Linkage, Subject, SupportRecord
from subjects.services import (
    SubjectFields,
    linkage_add,
    subject_create,
    subject_update,
    support_record_add,
)
from targets.forms import PlanTaskForm, PlanTaskUpdateForm, QuotaTableForm
from targets.models import Indicator, Plan, PlanTask, PlanTaskUpdate
from targets.services import plan_task_create, plan_task_note_add
from tests.communications.factories import OutletFactory
from tests.factories import ProductFactory, SubjectFactory, district, recognise
from tests.ocop_portal.test_admin_rules import _form_data

pytestmark = pytest.mark.django_db

NUL_MESSAGE = ("Nội dung có ký tự không hợp lệ (ký tự NUL); hãy gõ lại hoặc dán dạng văn bản "
               "thuần.")
# A Vietnamese letter with its diacritics is one character, whatever its size in bytes.
LETTER = "ệ"


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _too_long(label: str, limit: int) -> str:
    return f"{label} tối đa {_vn(limit)} ký tự (đã nhập {_vn(limit + 1)} ký tự)."


def _today() -> dt.date:
    return timezone.localdate()


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _group() -> ProductGroup:
    return ProductGroup.objects.get(criteria_version=CriteriaVersion.QD_148_2023, code="1.3")


def _plan() -> Plan:
    return Plan.objects.get(year=2024)


def _participation(user: User) -> CycleParticipation:
    today = _today()
    return participation_register(product=ProductFactory(), user=user, cycle_year=today.year,
                                  registered_on=today)


# Services and the model field each writes -------------------------------------------------

@dataclass(frozen=True)
class LongText:
    model: type[models.Model]
    field: str  # the model's field, as the service's error names it
    label: str
    limit: int
    write: Callable[[User, str], models.Model]

    def __str__(self):
        return f"{self.model.__name__}.{self.field}"


def _indicator(definition: str, counting_rule: str) -> Indicator:
    # Indicators are written from the plan's text by plan_180_load, with the model's validation.
    indicator = Indicator(code="chi_tieu_thu", name="Chỉ tiêu thử", short_name="Thử",
                          unit="sản phẩm", definition=definition, counting_rule=counting_rule)
    indicator.full_clean()
    indicator.save()
    return indicator


LONG_TEXTS = [
    LongText(Product, "description", "Mô tả sản phẩm", 10_000, lambda user, text: product_create(
        user=user, name="Miến dong Na Rì", subject=SubjectFactory(), group=_group(),
        district=district("064"), description=text)),
    LongText(Evaluation, "note", "Ghi chú", 10_000, lambda user, text: evaluation_record(
        product=ProductFactory(), user=user, cycle_year=2024, level="huyen", stars=2,
        note=text).evaluation),
    LongText(CycleParticipation, "withdrawal_reason", "Lý do rút", 2_000,
             lambda user, text: participation_withdraw(_participation(user), user=user,
                                                       on=_today(), reason=text)),
    LongText(Certificate, "revocation_reason", "Lý do thu hồi", 10_000,
             lambda user, text: certificate_revoke(
                 recognise(ProductFactory()).certificate, user=user, revoked_on=_today(),
                 decision="15/QĐ-UBND", reason=text)),
    LongText(Subject, "main_markets", "Thị trường, kênh phân phối chính", 10_000,
             lambda user, text: subject_create(user=user, fields=SubjectFields(
                 name="HTX Miến dong Côn Minh", subject_type="htx", district=district("064"),
                 main_markets=text))),
    LongText(Subject, "note", "Ghi chú", 10_000,
             lambda user, text: subject_create(user=user, fields=SubjectFields(
                 name="HTX Miến dong Côn Minh", subject_type="htx", district=district("064"),
                 note=text))),
    LongText(Linkage, "note", "Ghi chú", 10_000, lambda user, text: linkage_add(
        subject=SubjectFactory(), user=user, partner="Công ty Thực phẩm Sạch",
        valid_from=dt.date(2024, 1, 1), note=text)),
    LongText(SupportRecord, "content", "Nội dung hỗ trợ", 10_000,
             lambda user, text: support_record_add(
                 subject=SubjectFactory(), user=user, kind="cung_co", date=dt.date(2024, 5, 2),
                 content=text)),
    LongText(MediaItem, "note", "Ghi chú", 10_000, lambda user, text: media_item_create(
        user=user, title="Hội chợ OCOP Bắc Kạn", kind="tin", outlet=OutletFactory(),
        published_at=timezone.now() - dt.timedelta(days=1), note=text)),
    LongText(PlanTask, "content", "Nội dung chi tiết", 10_000, lambda user, text: plan_task_create(
        plan=_plan(), user=user, number=90, title="Tuyên truyền", lead_units="Sở NN&PTNT",
        content=text)),
    LongText(PlanTask, "lead_units", "Đơn vị chủ trì", 10_000, lambda user, text: plan_task_create(
        plan=_plan(), user=user, number=91, title="Tuyên truyền", lead_units=text)),
    LongText(PlanTask, "cooperating_units", "Đơn vị phối hợp", 10_000,
             lambda user, text: plan_task_create(
                 plan=_plan(), user=user, number=92, title="Tuyên truyền",
                 lead_units="Sở NN&PTNT", cooperating_units=text)),
    LongText(PlanTaskUpdate, "note", "Tiến độ, kết quả", 10_000,
             lambda user, text: plan_task_note_add(task=_plan().tasks.get(number=1), user=user,
                                                   date=dt.date(2024, 5, 2), note=text)),
    LongText(Indicator, "definition", "Nội dung chỉ tiêu trong kế hoạch", 10_000,
             lambda user, text: _indicator(text, "Đếm sản phẩm.")),
    LongText(Indicator, "counting_rule", "Cách đếm", 10_000,
             lambda user, text: _indicator("Sản phẩm mới.", text)),
]


@pytest.mark.parametrize("case", LONG_TEXTS, ids=str)
def test_a_text_one_over_its_limit_is_refused_and_nothing_saved(case, province_staff):
    text = LETTER * (case.limit + 1)

    with pytest.raises(ValidationError) as error:
        case.write(province_staff, text)

    assert error.value.message_dict[case.field] == [_too_long(case.label, case.limit)]
    assert not case.model.objects.filter(**{case.field: text}).exists()


@pytest.mark.parametrize("case", LONG_TEXTS, ids=str)
def test_a_text_at_its_limit_is_saved_whole(case, province_staff):
    text = LETTER * case.limit

    record = case.write(province_staff, text)

    record.refresh_from_db()
    assert getattr(record, case.field) == text


@pytest.mark.parametrize("case", LONG_TEXTS, ids=str)
def test_the_database_refuses_a_text_over_its_limit(case, province_staff):
    record = case.write(province_staff, "Ngắn gọn")

    with pytest.raises(IntegrityError), transaction.atomic():
        case.model.objects.filter(pk=record.pk).update(**{case.field: "x" * (case.limit + 1)})


def test_the_5_mb_description_of_the_report_is_refused(province_staff):
    with pytest.raises(ValidationError) as error:
        LONG_TEXTS[0].write(province_staff, "x" * 5 * 1024 * 1024)

    assert error.value.message_dict["description"] == [
        "Mô tả sản phẩm tối đa 10.000 ký tự (đã nhập 5.242.880 ký tự)."]
    assert not Product.objects.exists()


# Forms -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormText:
    name: str
    make: Callable[[User, dict | None], object]
    field: str
    label: str
    limit: int

    def __str__(self):
        return f"{self.name}.{self.field}"

    def bound(self, user: User, value: str):
        key = self.make(user, None).add_prefix(self.field)
        return self.make(user, {key: value})


def _quota_table(user, data):
    return QuotaTableForm(data, part="khac", indicators=[], districts=[], quotas={})


FORM_TEXTS = [
    FormText("ProductForm", lambda u, d: ProductForm(d, user=u), "description", "Mô tả sản phẩm",
             10_000),
    FormText("ProductForm", lambda u, d: ProductForm(d, user=u), "name", "Tên sản phẩm", 255),
    FormText("EvaluationForm", lambda u, d: EvaluationForm(d), "note", "Ghi chú", 10_000),
    FormText("CertificateRevokeForm", lambda u, d: CertificateRevokeForm(d), "reason",
             "Lý do thu hồi", 10_000),
    FormText("ParticipationWithdrawForm", lambda u, d: ParticipationWithdrawForm(d), "reason",
             "Lý do", 2_000),
    FormText("SubjectForm", lambda u, d: SubjectForm(d, user=u), "name", "Tên chủ thể", 255),
    FormText("SubjectForm", lambda u, d: SubjectForm(d, user=u), "main_markets",
             "Thị trường, kênh phân phối chính", 10_000),
    FormText("SubjectForm", lambda u, d: SubjectForm(d, user=u), "note", "Ghi chú", 10_000),
    FormText("LinkageForm", lambda u, d: LinkageForm(d), "note", "Ghi chú", 10_000),
    FormText("SupportRecordForm", lambda u, d: SupportRecordForm(d), "content",
             "Nội dung hỗ trợ", 10_000),
    FormText("MediaItemForm", lambda u, d: MediaItemForm(d, user=u), "title", "Tiêu đề", 500),
    FormText("MediaItemForm", lambda u, d: MediaItemForm(d, user=u), "note", "Ghi chú", 10_000),
    FormText("OutletForm", lambda u, d: OutletForm(d), "name", "Tên cơ quan báo chí", 255),
    FormText("PlanTaskForm", lambda u, d: PlanTaskForm(d), "content", "Nội dung chi tiết",
             10_000),
    FormText("PlanTaskForm", lambda u, d: PlanTaskForm(d), "lead_units", "Đơn vị chủ trì",
             10_000),
    FormText("PlanTaskForm", lambda u, d: PlanTaskForm(d), "cooperating_units",
             "Đơn vị phối hợp", 10_000),
    FormText("PlanTaskUpdateForm", lambda u, d: PlanTaskUpdateForm(d), "note",
             "Tiến độ, kết quả", 10_000),
    FormText("QuotaTableForm", _quota_table, "reason", "Lý do thay đổi", 500),
]


@pytest.mark.parametrize("case", FORM_TEXTS, ids=str)
def test_a_form_refuses_a_text_one_over_its_limit_in_vietnamese(case, province_staff):
    form = case.bound(province_staff, LETTER * (case.limit + 1))

    assert not form.is_valid()
    assert form.errors[case.field] == [_too_long(case.label, case.limit)]


@pytest.mark.parametrize("case", FORM_TEXTS, ids=str)
def test_a_form_accepts_a_text_at_its_limit(case, province_staff):
    form = case.bound(province_staff, LETTER * case.limit)

    form.is_valid()
    assert case.field not in form.errors


@pytest.mark.parametrize("case", FORM_TEXTS, ids=str)
def test_a_form_refuses_a_nul_character_in_vietnamese(case, province_staff):
    form = case.bound(province_staff, "Miến dong\x00 Na Rì")

    assert not form.is_valid()
    assert form.errors[case.field] == [NUL_MESSAGE]


def test_the_text_areas_tell_the_browser_their_limit(province_staff):
    html = str(ProductForm(user=province_staff)["description"])

    assert 'maxlength="10000"' in html


# Pages, the back office and the login ----------------------------------------------------

@pytest.fixture
def office(province_staff):
    client = Client()
    client.force_login(province_staff)
    return client


def _product_page_data(**changes):
    subject = SubjectFactory()
    data = {"name": "Miến dong Na Rì", "subject": subject.pk, "group": _group().pk,
            "district": subject.district_id, "description": ""}
    data.update(changes)
    return data


def test_the_product_page_refuses_an_overlong_description_and_saves_nothing(office):
    response = office.post("/products/new/", _product_page_data(description="x" * 10_001))

    assert response.status_code == 200
    assert "Mô tả sản phẩm tối đa 10.000 ký tự (đã nhập 10.001 ký tự)." in response.content.decode()
    assert not Product.objects.exists()


def test_the_product_page_refuses_a_nul_character_and_saves_nothing(office):
    response = office.post("/products/new/", _product_page_data(name="Miến\x00dong"))

    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    assert not Product.objects.exists()


def test_the_product_page_saves_a_description_at_the_limit(office):
    response = office.post("/products/new/", _product_page_data(description="x" * 10_000))

    assert response.status_code == 302
    assert len(Product.objects.get().description) == 10_000


def test_the_back_office_refuses_an_overlong_description_and_a_nul_character(office):
    product = ProductFactory(description="Miến dong truyền thống")
    url = f"/admin/products/product/{product.pk}/change/"

    response = office.post(url, _form_data(office, url, name="Miến\x00dong",
                                           description="x" * 10_001))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["name"] == [NUL_MESSAGE]
    assert errors["description"] == [
        "Mô tả sản phẩm tối đa 10.000 ký tự (đã nhập 10.001 ký tự)."]
    product.refresh_from_db()
    assert product.description == "Miến dong truyền thống"


def test_the_back_office_refuses_a_nul_character_in_a_media_item(office):
    response = office.post("/admin/communications/mediaitem/add/", {
        "title": "Hội chợ\x00OCOP", "kind": "tin", "outlet": OutletFactory().pk,
        "published_at_0": "02/05/2024", "published_at_1": "08:00:00", "url": "", "author": "",
        "district": "", "note": "", "products": "", "subjects": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [NUL_MESSAGE]
    assert not MediaItem.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_login_forms_refuse_a_nul_character_in_vietnamese(path, province_staff):
    client = Client()

    response = client.post(path, {"username": "tinh\x00", "password": "mat-khau-thu-2024"})

    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_password_change_form_refuses_a_nul_character_in_vietnamese(office):
    response = office.post("/accounts/password/", {
        "old_password": "mat-khau-thu-2024", "new_password1": "Mo\x00i-2024-rat-dai",
        "new_password2": "Mo\x00i-2024-rat-dai"})

    assert response.status_code == 200
    assert NUL_MESSAGE in response.content.decode()


# Event dates -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EventDate:
    name: str
    model: type[models.Model]
    field: str  # as the service's error names it
    stored_as: str  # the model field that keeps it
    message: str
    write: Callable[[User, dt.date], models.Model]

    def __str__(self):
        return self.name


def _subject_changed(user: User, day: dt.date) -> Subject:
    subject = SubjectFactory(name="HTX Chè Bằng Phúc")
    return subject_update(subject, user=user, fields=SubjectFields(
        name=subject.name, subject_type=subject.subject_type, district=subject.district,
        registration_date=day))


EVENT_DATES = [
    EventDate("subject_create", Subject, "registration_date", "registration_date",
              "Ngày cấp ĐKKD không được sau ngày hôm nay.",
              lambda user, day: subject_create(user=user, fields=SubjectFields(
                  name="HTX Miến dong Côn Minh", subject_type="htx", district=district("064"),
                  registration_date=day))),
    EventDate("subject_update", Subject, "registration_date", "registration_date",
              "Ngày cấp ĐKKD không được sau ngày hôm nay.", _subject_changed),
    EventDate("linkage_add", Linkage, "contract_date", "contract_date",
              "Ngày ký hợp đồng không được sau ngày hôm nay.",
              lambda user, day: linkage_add(
                  subject=SubjectFactory(), user=user, partner="Công ty Thực phẩm Sạch",
                  contract_number="01/HĐ", contract_date=day, valid_from=day)),
    EventDate("support_record_add", SupportRecord, "date", "date",
              "Ngày hỗ trợ không được sau ngày hôm nay.",
              lambda user, day: support_record_add(
                  subject=SubjectFactory(), user=user, kind="cung_co", date=day,
                  content="Hỗ trợ máy sấy")),
    EventDate("quality_certification_add", QualityCertification, "issued_on", "issued_on",
              "Ngày cấp chứng nhận không được sau ngày hôm nay.",
              lambda user, day: quality_certification_add(
                  product=ProductFactory(), user=user, standard="vietgap", issued_on=day)),
    EventDate("traceability_add", Traceability, "started_on", "started_on",
              "Ngày áp dụng truy xuất nguồn gốc không được sau ngày hôm nay.",
              lambda user, day: traceability_add(product=ProductFactory(), user=user,
                                                 system="iCheck", started_on=day)),
    EventDate("certificate_revoke", Certificate, "revoked_on", "ended_on",
              "Ngày thu hồi không được sau ngày hôm nay.",
              lambda user, day: certificate_revoke(
                  recognise(ProductFactory()).certificate, user=user, revoked_on=day,
                  decision="15/QĐ-UBND", reason="Vi phạm an toàn thực phẩm")),
    EventDate("plan_task_note_add", PlanTaskUpdate, "date", "date",
              "Ngày cập nhật tiến độ không được sau ngày hôm nay.",
              lambda user, day: plan_task_note_add(task=_plan().tasks.get(number=1), user=user,
                                                   date=day, note="Đã tổ chức hội nghị")),
]


@pytest.mark.parametrize("case", EVENT_DATES, ids=str)
def test_an_event_dated_tomorrow_is_refused_and_nothing_saved(case, province_staff):
    tomorrow = _tomorrow()

    with pytest.raises(ValidationError) as error:
        case.write(province_staff, tomorrow)

    assert error.value.message_dict[case.field] == [case.message]
    assert not case.model.objects.filter(**{case.stored_as: tomorrow}).exists()


@pytest.mark.parametrize("case", EVENT_DATES, ids=str)
def test_an_event_dated_today_is_saved(case, province_staff):
    record = case.write(province_staff, _today())

    record.refresh_from_db()
    assert getattr(record, case.stored_as) == _today()


def test_the_end_of_a_validity_may_be_ahead(province_staff):
    today, later = _today(), _today() + dt.timedelta(days=365)

    certification = quality_certification_add(product=ProductFactory(), user=province_staff,
                                              standard="vietgap", issued_on=today,
                                              expires_on=later)
    traceability = traceability_add(product=ProductFactory(), user=province_staff,
                                    system="iCheck", started_on=today, ended_on=later)
    linkage = linkage_add(subject=SubjectFactory(), user=province_staff, partner="Công ty Sạch",
                          contract_date=today, valid_from=today, valid_to=later)

    assert certification.expires_on == traceability.ended_on == linkage.valid_to == later


def test_the_support_page_refuses_a_support_dated_2030(office):
    subject = SubjectFactory()

    response = office.post(f"/subjects/{subject.pk}/supports/new/", {
        "kind": "cung_co", "date": "01/01/2030", "content": "Hỗ trợ máy sấy", "amount": "",
        "funding_source": ""})

    assert response.status_code == 200
    assert "Ngày hỗ trợ không được sau ngày hôm nay." in response.content.decode()
    assert not SupportRecord.objects.exists()


def test_the_producer_page_refuses_a_registration_dated_2030(office, cho_don):
    response = office.post("/subjects/new/", {
        "name": "HTX Miến dong Côn Minh", "subject_type": "htx", "district": cho_don.pk,
        "registration_date": "01/01/2030"})

    assert response.status_code == 200
    assert "Ngày cấp ĐKKD không được sau ngày hôm nay." in response.content.decode()
    assert not Subject.objects.exists()


def test_the_back_office_refuses_a_registration_dated_tomorrow(office):
    subject = SubjectFactory()
    url = f"/admin/subjects/subject/{subject.pk}/change/"

    response = office.post(url, _form_data(office, url,
                                           registration_date=f"{_tomorrow():%d/%m/%Y}"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["registration_date"] == [
        "Ngày cấp ĐKKD không được sau ngày hôm nay."]
    subject.refresh_from_db()
    assert subject.registration_date is None


@pytest.mark.parametrize(("field", "what"), [
    ("first_year_in_programme", "Năm tham gia chương trình OCOP"),
    ("founded_year", "Năm thành lập"),
])
def test_a_producers_years_are_this_year_at_the_latest(province_staff, field, what):
    this_year = _today().year
    fields = {"name": "HTX Miến dong Côn Minh", "subject_type": "htx",
              "district": district("064")}
    with pytest.raises(ValidationError) as error:
        subject_create(user=province_staff,
                       fields=SubjectFields(**fields, **{field: this_year + 1}))
    assert error.value.message_dict[field] == [
        f"{what} ({this_year + 1}) không được sau năm nay ({this_year})."]
    assert not Subject.objects.exists()
    subject = subject_create(user=province_staff, fields=SubjectFields(**fields,
                                                                       **{field: this_year}))
    assert getattr(subject, field) == this_year
