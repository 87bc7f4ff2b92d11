"""Throughput of the portal's tracking lookup under gunicorn, against a Django hello-world view
under the same server, with a bounded load generator on loopback."""

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.measure import Result

ROOT = Path(__file__).resolve().parents[1]
THREADS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _hammer(make_request, seconds: float) -> tuple[int, int]:
    """Run `make_request()` from THREADS threads for `seconds`; (successes, failures)."""
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        request = make_request()
        while time.monotonic() < stop:
            ok = request()
            with lock:
                (done if ok else failed)[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], failed[0]


def hello_client(base: str):
    def make():
        def request() -> bool:
            return urllib.request.urlopen(base + "/bench/hello/", timeout=10).read() == b"hello"  # noqa: S310

        return request

    return make


def tracking_client(base: str, cases: list[tuple[str, str]]):
    """Each thread takes the form once (CSRF cookie and token), then looks cases up in turn."""

    def make():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/portal/track/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        position = [0]

        def request() -> bool:
            code, secret = cases[position[0] % len(cases)]
            position[0] += 1
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "code": code, "factor": secret}
            ).encode()
            req = urllib.request.Request(  # noqa: S310
                base + "/portal/track/", data=body, headers={"Referer": base + "/portal/track/"}
            )
            answer = opener.open(req, timeout=10).read().decode()
            return '<ol class="timeline">' in answer  # only a found case has its steps

        return request

    return make


def server_notes() -> dict:
    """How the server under test counts rate limits, caches results and sends its lookups: the
    benchmark settings read from the same environment the server gets."""
    from benchmarks import settings as server

    database = server.DATABASES["default"]
    return {
        "limiter": "redis" if server.DANVAN_RATELIMIT_REDIS_URL else "database",
        "cache": server.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "prepared_statements": database.get("OPTIONS", {}).get("prepare_threshold") is not None,
        "conn_health_checks": bool(database.get("CONN_HEALTH_CHECKS")),
    }


def tracking_throughput(
    cases: list[tuple[str, str]], *, seconds: float, workers: int, rounds: int = 3
) -> Result:
    """Hello-world and the tracking lookup in turns, `rounds` times, `seconds` of each in all:
    a machine whose speed drifts (seen: ±30 % within a minute) slows both alike. The rates are
    the medians over the rounds."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, workers)
    share = seconds / rounds
    hello_rates, track_rates, failed, looked_up = [], [], 0, 0
    try:
        for _ in range(rounds):
            hello_ok, hello_failed = _hammer(hello_client(base), share)
            track_ok, track_failed = _hammer(tracking_client(base, cases), share)
            hello_rates.append(hello_ok / share)
            track_rates.append(track_ok / share)
            failed += hello_failed + track_failed
            looked_up += track_ok
    finally:
        stop_server(server)
    by_round = [round(t / h, 3) for t, h in zip(track_rates, hello_rates, strict=True)]
    return Result(
        name="portal tracking lookup (gunicorn)",
        unit="req/s",
        p50=round(statistics.median(track_rates), 1),
        baseline=round(statistics.median(hello_rates), 1),
        baseline_name="hello-world view, same server",
        runs=looked_up,
        target="≥ 0.5× hello-world",
        notes={"failed": failed, "workers": workers, "threads": THREADS}
        | {"seconds": seconds, "rounds": rounds, "cases": len(cases)}
        | {"ratio_by_round": by_round}
        | server_notes(),
    )
