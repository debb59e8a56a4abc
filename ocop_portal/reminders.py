"""Reminder e-mails: each person with something to do (ocop_portal.todo) and an e-mail address
gets one plain-text e-mail a run, listing it with the links where it is done.

A run is named by its key, the local date by default: beat runs it on REMINDER_CRONTAB
(weekly, Monday 07:00, unless set), and `send_reminders` runs the same code. Each e-mail is
recorded (ReminderSent, unique on person and key) in the transaction that sends it, so that a
repeated run of the same key (a redelivered job, a second beat tick the same day, the command
after beat) sends nothing twice; an e-mail that fails leaves no record and goes at the next
try. Leaders have nothing to do (their list is to follow) and get no e-mail.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from ocop_portal.models import ReminderSent, Role, User
from ocop_portal.todo import TodoList, todo_lists_for_users

logger = logging.getLogger(__name__)

# Who is asked to do something (a superuser acts as an administrator).
REMINDED = Q(role__in=[Role.PROVINCE_STAFF, Role.DISTRICT_OFFICER, Role.ADMIN]) | Q(
    is_superuser=True)


@dataclass
class ReminderOutcome:
    run_key: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    # With --dry-run: the lists that would be sent, by username.
    would_send: dict[str, TodoList] = field(default_factory=dict)


def run_key_for(now: dt.datetime) -> str:
    return f"{timezone.localdate(now):%Y-%m-%d}"


def reminder_recipients():
    return (User.objects.filter(REMINDED, is_active=True).exclude(email="")
            .order_by("pk"))


def reminders_send(*, run_key: str | None = None, now: dt.datetime | None = None,
                   dry_run: bool = False) -> ReminderOutcome:
    """E-mail each person their to-do list, once per `run_key` (the local date by default)."""
    now = now or timezone.now()
    outcome = ReminderOutcome(run_key=run_key or run_key_for(now))
    users = list(reminder_recipients())
    lists = todo_lists_for_users(users, now=now)
    done = set(ReminderSent.objects.filter(run_key=outcome.run_key, user__in=users)
               .values_list("user_id", flat=True))
    for user in users:
        todo = lists[user.pk]
        if not todo.actionable:
            continue
        if user.pk in done:
            outcome.already_sent.append(user.username)
            continue
        if dry_run:
            outcome.would_send[user.username] = todo
            continue
        try:
            sent = _send_once(user, todo, outcome.run_key)
        except OSError as error:  # smtplib's errors are OSErrors
            logger.warning("Không gửi được e-mail nhắc việc cho %s: %s", user.username, error)
            outcome.failed.append(user.username)
            continue
        (outcome.sent if sent else outcome.already_sent).append(user.username)
    return outcome


def _send_once(user: User, todo: TodoList, run_key: str) -> bool:
    """Record and send in one transaction: a second run of the key finds the record (or waits
    on it and then finds it) and sends nothing; a failed e-mail leaves none."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, run_key=run_key, email=user.email,
                                        line_count=len(todo.actionable))
            subject, body = reminder_message(user, todo)
            send_mail(subject=subject, message=body, from_email=None,
                      recipient_list=[user.email])
    except IntegrityError:
        return False
    return True


def reminder_message(user: User, todo: TodoList) -> tuple[str, str]:
    """The e-mail's subject and plain-text body."""
    lines = todo.actionable
    subject = (f"[OCOP Bắc Kạn] Việc cần làm: {len(lines)} việc đến ngày "
               f"{todo.today:%d/%m/%Y}")
    body = render_to_string("todo/reminder_email.txt", {
        "user": user, "today": todo.today, "lines": lines,
        "base": settings.PUBLIC_BASE_URL.rstrip("/"),
    })
    return subject, body
