"""The completeness of a producer's dossier: each item's rule, the page, the list's column and
filter (in the officer's district), the dashboards' district average and its drill-through."""

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subjects import completeness
from subjects.models import SubjectType
from tests.factories import SubjectFactory, district


def _full(**fields):
    values = {"registration_number": f"47{SubjectFactory._meta.model.objects.count():08d}",
              "legal_representative": "Hoàng Văn Sơn", "phone": "0209 3870 123",
              "address": "Thôn Nà Pài", **fields}
    return SubjectFactory(**values)


def _dossier(subject):
    return completeness.subject_dossier(subject)


def test_a_full_record_is_complete(reference_data):
    dossier = _dossier(_full())
    assert dossier.complete
    assert dossier.score == 100
    assert len(dossier.lines) == 4


@pytest.mark.parametrize(("field", "value", "label"), [
    ("registration_number", "", "Mã số thuế/ĐKKD"),
    ("legal_representative", "", "Người đại diện"),
    ("phone", "", "Điện thoại"),
    ("address", "", "Địa chỉ (thôn, bản và xã)"),
    ("commune", None, "Địa chỉ (thôn, bản và xã)"),
])
def test_each_missing_item_is_named(reference_data, field, value, label):
    dossier = _dossier(_full(**{field: value}))
    assert dossier.missing == [label]
    assert dossier.score == 75


def test_a_cooperation_group_needs_no_registration_number(reference_data):
    dossier = _dossier(_full(subject_type=SubjectType.COOPERATIVE_GROUP, registration_number=""))
    assert dossier.complete
    assert len(dossier.lines) == 3


def test_the_page_names_the_missing_items(client, district_officer, reference_data):
    subject = _full(phone="", legal_representative="")
    client.force_login(district_officer)
    html = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "Hồ sơ: 50% đầy đủ" in html
    assert "Người đại diện; Điện thoại" in html


@pytest.fixture
def mixed(reference_data):
    return {
        "complete": [_full() for _ in range(2)],
        "incomplete": [SubjectFactory(), _full(phone="")],
        "other": [SubjectFactory(district=district("066"))],
    }


def _listed(client, query):
    response = client.get(f"/subjects/?{query}")
    assert response.status_code == 200
    return {subject.pk for subject in response.context["page_obj"].paginator.object_list}


def test_the_list_shows_and_filters_by_completeness(client, province_staff, mixed):
    client.force_login(province_staff)
    assert _listed(client, "complete=1") == {s.pk for s in mixed["complete"]}
    assert _listed(client, "complete=0") == {s.pk for s in mixed["incomplete"] + mixed["other"]}
    html = client.get("/subjects/").content.decode()
    assert 'data-completeness="100"' in html
    assert 'data-completeness="75"' in html


def test_an_officers_filter_stays_in_their_district(client, district_officer, mixed):
    client.force_login(district_officer)
    assert _listed(client, "complete=0") == {s.pk for s in mixed["incomplete"]}
    assert _listed(client, "complete=0&district=066") == set()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/subjects/", "/subjects/?complete=0&sort=completeness"])
def test_the_list_costs_the_same_with_3_or_30_producers(client, province_staff,
                                                        reference_data, url):
    client.force_login(province_staff)
    for _ in range(3):
        SubjectFactory()
    few = _queries(client, url)
    for _ in range(27):
        _full(phone="")
    assert _queries(client, url) == few


def test_the_dashboard_averages_the_districts_producers(client, leader, mixed):
    client.force_login(leader)
    context = client.get("/dashboard/?year=2024").context
    row = next(r for r in context["completeness"]["rows"] if r["district"].code == "064")
    cell = next(c for c in row["cells"] if c["kind"] == "subjects")
    scores = [_dossier(s).score for s in mixed["complete"] + mixed["incomplete"]]
    assert cell["average"] == sum(scores) // len(scores)
    assert cell["tally"].incomplete == 2
    assert cell["url"] == "/subjects/?district=064&complete=0"
    assert _listed(client, urlsplit(cell["url"]).query) == {s.pk for s in mixed["incomplete"]}
