"""The machinery of the fault drills: a Redis server of the drill's own (so that it can be down),
a Celery worker and a gunicorn server as real processes on the test database, and a way to point
this process's Celery app at a broker. Nothing here is mocked: the drills stop, kill and start
real processes."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from ocop_portal.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
# A drill's wait is a condition polled up to this long; a healthy run takes a few seconds.
WAIT_SECONDS = 60


def missing() -> str:
    """Why the drills cannot run here ("" when they can): they need PostgreSQL (processes sharing
    the test database) and a redis-server binary, as CI has."""
    if connection.vendor != "postgresql":
        return "the fault drills need PostgreSQL (DATABASE_URL), as in CI"
    if not shutil.which("redis-server"):
        return "the fault drills need redis-server (apt-get install redis-server)"
    return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS,
             log: "Process | None" = None):
    """Poll `condition` until it returns something true, and return that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    tail = f"\n--- {log.name} log ---\n{log.tail()}" if log else ""
    raise AssertionError(f"{what}: not within {seconds} s{tail}")


def database_url() -> str:
    """The test database (with pytest-xdist, this worker's own) as a DATABASE_URL."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return (f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}")


class Process:
    """A child process whose output goes to a log file, stopped (and reaped) at the end."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_dir: Path):
        self.name, self.command, self.env = name, command, env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - the drill's own fixed commands
            self.command, env=self.env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if (
            self.log_path.exists()) else ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or `kill -9` would: no shutdown code runs."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=WAIT_SECONDS)

    def stop(self) -> None:
        if not self.running():
            return
        assert self.popen is not None
        # The whole session: a prefork worker's pool children with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=WAIT_SECONDS)


class Drill:
    """The processes of one drill, on the test database and a Redis of its own."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.processes: list[Process] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ocop_portal.settings",
            "DJANGO_ENV_FILE": "",
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": "drill-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "REPORT_RECIPIENTS": "vpdp.ntm@backan.gov.vn",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def _spawn(self, name: str, command: list[str], **extra: str) -> Process:
        process = Process(name, command, self.env(**extra), self.tmp_path).start()
        self.processes.append(process)
        return process

    def redis(self) -> Process:
        """Start the drill's Redis (until then its port is closed: the broker is down)."""
        process = self._spawn("redis", [
            shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1",
            "--port", str(self.redis_port), "--save", "", "--appendonly", "no"])
        wait_for(lambda: _answers(self.redis_port), "redis-server listening", log=process)
        return process

    def worker(self, pool: str = "solo", name: str = "worker") -> Process:
        """A Celery worker as production runs it (`celery -A ocop_portal worker`), ready."""
        process = self._spawn(name, [
            sys.executable, "-m", "celery", "-A", "ocop_portal", "worker", "-P", pool,
            "--concurrency", "1", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel", "INFO", "--hostname", f"{name}@drill"])
        wait_for(lambda: "ready." in process.log(), "the worker ready", log=process)
        return process

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """`python manage.py …` as an operator (or beat) runs it."""
        return subprocess.run(  # noqa: S603 - our own manage.py with the drill's arguments
            [sys.executable, "manage.py", *args], env=self.env(), cwd=BASE_DIR,
            capture_output=True, text=True, timeout=WAIT_SECONDS, check=False)

    def gunicorn(self) -> tuple[Process, int]:
        port = free_port()
        process = self._spawn("gunicorn", [
            sys.executable, "-m", "gunicorn", "ocop_portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
            DJANGO_CONN_MAX_AGE="600", DJANGO_SECURE_SSL_REDIRECT="False")
        wait_for(lambda: _answers(port), "gunicorn listening", log=process)
        return process, port

    def mails(self) -> list[Path]:
        return sorted(self.mail_dir.iterdir())

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def celery_publishing_to(broker_url: str) -> Iterator[None]:
    """This process's Celery app publishes to `broker_url` (instead of running tasks here), as a
    web process configured with REDIS_URL=`broker_url` does."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, celery_app._pool,
             celery_app.amqp._producer_pool)
    conf.task_always_eager = False
    conf.broker_url = broker_url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        # kombu keeps the pools of each URL in a registry of its own: left open, not closed here.
        conf.task_always_eager, conf.broker_url = saved[0], saved[1]
        celery_app._pool, celery_app.amqp._producer_pool = saved[2], saved[3]
