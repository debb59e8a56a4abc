"""`make run`'s settings (the embedded default) show the pages a user really gets: debug off, a
Vietnamese 404 for a missing product, static files served, plain http on this machine. Run in a
fresh interpreter with exactly the environment the Makefile gives `runserver`."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from ocop_portal.models import Role, User

call_command("migrate", verbosity=0)
user = User.objects.create_user("tinh", password="mat-khau-thu-2024", role=Role.PROVINCE_STAFF)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
print("DEBUG", settings.DEBUG, "SECURE", settings.SESSION_COOKIE_SECURE)
page = client.get("/products/999999/")
print("STATUS", page.status_code)
print("STATIC", client.get("/static/vendor/bootstrap/css/bootstrap.min.css").status_code)
print("STYLE", client.get("/static/css/portal.css").status_code)
print(page.content.decode())
"""


def makefile_env() -> dict[str, str]:
    """The variables `make run` sets, read from the Makefile itself."""
    line = re.search(r"^EMBEDDED_ENV := (.+)$", (ROOT / "Makefile").read_text(), re.M)[1]
    return dict(pair.split("=", 1) for pair in line.split())


def test_make_runs_settings_serve_the_vietnamese_404(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))}
    env.update(makefile_env(), DJANGO_ENV_FILE="", DJANGO_SETTINGS_MODULE="ocop_portal.settings",
               DATABASE_URL=f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
               DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    assert env["DJANGO_DEBUG"] == "False"
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "DEBUG False SECURE False" in out  # debug off, yet usable over http://127.0.0.1
    assert "STATUS 404" in out
    assert "STATIC 200" in out
    assert "STYLE 200" in out
    assert "Không tìm thấy trang" in out
    assert "Page not found" not in out
    assert "URLconf" not in out
    # The machine's own key, made on the first run, readable by its owner only.
    key = tmp_path / "secret_key"
    assert len(key.read_text()) >= 50
    assert key.stat().st_mode & 0o077 == 0


def test_the_embedded_mode_refuses_to_run_as_a_server(tmp_path):
    """It turns off HTTPS-only cookies and HSTS: never with Redis, another database or a host
    other than this machine."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))}
    base.update(makefile_env(), DJANGO_ENV_FILE="", DJANGO_SETTINGS_MODULE="ocop_portal.settings",
                DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"),
                DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    for extra in ({"DJANGO_ALLOWED_HOSTS": "ocop.backan.gov.vn"},
                  {"REDIS_URL": "redis://127.0.0.1:6379/0"},
                  {"DATABASE_URL": "postgres://ocop:x@127.0.0.1:5432/ocop"}):
        result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
            [sys.executable, "manage.py", "check"], cwd=ROOT, env={**base, **extra},
            capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode != 0, extra
        assert "DJANGO_EMBEDDED=True chỉ dùng để chạy thử trên một máy" in result.stderr, extra
