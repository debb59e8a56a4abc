"""The OpenAPI schema against the API itself: schemathesis generates requests for every
operation (valid ones and edge cases) as province staff and none may end in a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from api.services import api_token_create
from ocop_portal.wsgi import application

# Every operation of /api/schema/; schemathesis runs each of them (one test per operation).
OPERATIONS = {
    "POST /api/v1/auth/token/", "GET /api/v1/figures/", "GET /api/v1/media-items/",
    "GET /api/v1/media-items/{id}/", "GET /api/v1/products/", "POST /api/v1/products/",
    "GET /api/v1/products/{id}/", "PUT /api/v1/products/{id}/", "PATCH /api/v1/products/{id}/",
    "GET /api/v1/products/{id}/evaluations/", "POST /api/v1/products/{id}/evaluations/",
    "GET /api/v1/subjects/", "GET /api/v1/subjects/{id}/",
}
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def staff_headers(province_staff):
    _, key = api_token_create(user=province_staff, name="schemathesis")
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def _test_database_connection_kept():
    """Calls straight into the WSGI app must not close the test's database connection at the
    end of each request (Django's test client does the same; on PostgreSQL it would close the
    test transaction's connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(staff_headers, records, settings, _test_database_connection_kept):
    # Generous rates: the run is about server errors, not about the throttles.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "user": "100000/hour", "anon": "100000/hour", "token_create": "100000/hour"}}
    return schemathesis.openapi.from_wsgi("/api/schema/", application, headers=staff_headers)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.django_db
def test_no_operation_ends_in_a_server_error(api_schema, staff_headers, capsys):
    # One Hypothesis run per operation and generation mode, inside one test: the schema is
    # read from the running app with a token, which needs the test database (schemathesis'
    # own lazy pytest loader does not run under this pytest).
    tried = []
    for operation in _operations(api_schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                      database=None, suppress_health_check=list(HealthCheck))
            def run(case):
                response = case.call(headers=staff_headers)
                case.validate_response(response, checks=[not_a_server_error])

            run()
        tried.append(operation.label)
    assert set(tried) == OPERATIONS
    with capsys.disabled():
        print(f"\nschemathesis: {len(tried)} operations, up to {EXAMPLES_PER_OPERATION} "
              "valid and as many invalid examples each, no server error")
