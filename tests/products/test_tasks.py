import datetime as dt

import pytest
from django.core import mail

from products.models import Certificate, CertificateStatus, ExpiryNotice
from products.services import certificates_daily_check
from products.tasks import certificates_check_expiry
from tests.factories import ProductFactory, recognise

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 12, 1)


@pytest.fixture
def certificates(reference_data):
    expired = recognise(ProductFactory(name="Cam sành"), 3, dt.date(2021, 11, 20)).certificate
    soon = recognise(ProductFactory(name="Quýt Quang Thuận"), 4,
                     dt.date(2021, 12, 20)).certificate
    later = recognise(ProductFactory(name="Mật ong"), 3, dt.date(2022, 2, 20)).certificate
    # As if the daily check had never run: the stored status still says active.
    Certificate.objects.update(status=CertificateStatus.ACTIVE)
    return expired, soon, later


def test_daily_check_marks_expired_and_mails_those_expiring_within_30_days(settings,
                                                                          certificates):
    settings.PROVINCE_OFFICE_EMAILS = ["vpdp@backan.gov.vn"]
    expired, soon, later = certificates
    outcome = certificates_daily_check(TODAY)
    assert outcome.marked_expired == 1
    assert [c.pk for c in outcome.expiring] == [soon.pk]
    expired.refresh_from_db()
    assert expired.status == CertificateStatus.EXPIRED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vpdp@backan.gov.vn"]
    assert "1 giấy chứng nhận OCOP hết hạn trong 30 ngày tới" in message.subject
    assert "Quýt Quang Thuận (4 sao)" in message.body
    assert "hết hạn ngày 20/12/2024 (còn" in message.body
    assert "Mật ong" not in message.body


def test_running_the_daily_check_twice_sends_one_mail(settings, certificates):
    settings.PROVINCE_OFFICE_EMAILS = ["vpdp@backan.gov.vn"]
    certificates_daily_check(TODAY)
    second = certificates_daily_check(TODAY)
    assert second.marked_expired == 0
    assert second.emailed is False
    assert len(mail.outbox) == 1
    notice = ExpiryNotice.objects.get()
    assert notice.certificate_count == 1
    assert notice.sent_at is not None


def test_a_failed_mail_is_sent_again_on_the_retry(settings, certificates):
    settings.PROVINCE_OFFICE_EMAILS = ["vpdp@backan.gov.vn"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(ConnectionRefusedError):
        certificates_daily_check(TODAY)
    assert ExpiryNotice.objects.get().sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert certificates_daily_check(TODAY).emailed is True
    assert len(mail.outbox) == 1


def test_no_recipients_configured_sends_nothing(settings, certificates):
    settings.PROVINCE_OFFICE_EMAILS = []
    outcome = certificates_daily_check(TODAY)
    assert outcome.emailed is False
    assert mail.outbox == []


def test_the_task_runs_the_check(settings, certificates):
    settings.PROVINCE_OFFICE_EMAILS = ["vpdp@backan.gov.vn"]
    result = certificates_check_expiry.apply().get()
    # Today's date is after every certificate's end: all three are marked expired.
    assert result["marked_expired"] == 3
    assert Certificate.objects.filter(status=CertificateStatus.EXPIRED).count() == 3
