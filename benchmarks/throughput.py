"""Dashboard throughput under concurrent clients, against /healthz, on gunicorn.

gunicorn serves the bench's database from a subprocess on a free loopback port; the bench's
logged-in session cookie is sent by every client. Each of `clients` threads opens a connection
per request (gunicorn's sync workers close it) for `seconds`, first on /healthz, then on the
dashboard, after a warm-up that lets every worker compute the figures once, as on a server that
has been up a while."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped at start-up")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def drive(port: int, path: str, cookie: str, *, clients: int, seconds: float) -> dict:
    """`clients` threads requesting `path` for `seconds`: requests per second answered 200."""
    done, failed = [0] * clients, [0] * clients
    stop_at = time.monotonic() + seconds

    def client(index: int):
        while time.monotonic() < stop_at:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                connection.close()
            except OSError:
                failed[index] += 1
                continue
            if response.status == 200:
                done[index] += 1
            else:
                failed[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": sum(done), "failed": sum(failed), "seconds": round(elapsed, 2),
            "per_second": sum(done) / elapsed}


def measure(client, *, clients: int = 50, seconds: float = 5.0, workers: int | None = None):
    """Start gunicorn, drive /healthz then the province dashboard, stop it."""
    from django.conf import settings

    workers = workers or 2 * (os.cpu_count() or 1) + 1
    port = _free_port()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [str(gunicorn), "ocop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=os.environ.copy())
    try:
        _wait_until_up(port, process)
        health = drive(port, "/healthz", cookie, clients=clients, seconds=seconds)
        # Steady state, as a server that has been up a while: every worker has computed the
        # figures once (without Redis each keeps its own local-memory cache).
        drive(port, f"/dashboard/?year={YEAR}", cookie, clients=workers, seconds=seconds)
        dashboard = drive(port, f"/dashboard/?year={YEAR}", cookie, clients=clients,
                          seconds=seconds)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"clients": clients, "workers": workers, "healthz": health["per_second"],
            "dashboard": dashboard["per_second"],
            "ratio": dashboard["per_second"] / health["per_second"] if health["per_second"]
            else 0.0, "detail": {"healthz": health, "dashboard": dashboard}}
