import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh process whose database is unreachable: nothing listens on port 1.
BROKEN_DATABASE_PROBE = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(settings):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "in-process")


def test_healthz_answers_503_when_the_database_is_unreachable():
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="ocop_portal.settings",
                       DATABASE_URL="postgres://ocop:ocop@127.0.0.1:1/ocop")
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", BROKEN_DATABASE_PROBE], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["database"] == "error"
    assert outcome["body"]["status"] == "error"
