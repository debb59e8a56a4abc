"""Production settings: fail loudly without a secret key; pass `check --deploy` cleanly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_production_settings_without_secret_key_refuse_to_start():
    result = _run(["check"], DJANGO_DEBUG="False", DJANGO_ENV_FILE="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "chưa được đặt" in result.stderr


def test_production_settings_with_empty_secret_key_refuse_to_start():
    result = _run(["check"], DJANGO_DEBUG="False", DJANGO_SECRET_KEY="", DJANGO_ENV_FILE="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_prints_no_warning():
    result = _run(
        ["check", "--deploy"], DJANGO_DEBUG="False", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="ocop.example", DJANGO_ENV_FILE="",
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_settings_follow_vietnamese_conventions(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_dates_are_shown_day_first():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(dt.date(2024, 2, 29), "SHORT_DATE_FORMAT") == "29/02/2024"
