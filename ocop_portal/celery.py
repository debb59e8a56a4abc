"""The Celery application of the portal.

The broker is Redis (`REDIS_URL`); without it, settings make tasks run in-process
(`CELERY_TASK_ALWAYS_EAGER`), so every feature works on a laptop without services.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")

app = Celery("ocop_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
