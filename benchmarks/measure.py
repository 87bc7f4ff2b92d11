"""Timing and memory helpers for the benchmarks: repeated runs, percentiles, raw SQL twins."""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    unit: str  # "ms", "rows/s" or "req/s"
    p50: float
    p95: float | None = None
    baseline: float | None = None  # the raw SQL (or hello-world) p50 in the same unit
    baseline_name: str = ""
    peak_mb: float | None = None
    runs: int = 0
    target: str = ""
    met: bool | None = None
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return round(self.p50 / self.baseline, 2)

    def as_dict(self) -> dict:
        return asdict(self) | {"ratio": self.ratio}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timings(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> list[float]:
    """Milliseconds of `repeat` calls of `fn` after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def interleaved_timings(
    first: Callable[[], object], second: Callable[[], object], *, repeat: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Milliseconds of `repeat` calls of each, alternating first and second, after `warmup`
    unmeasured calls of each."""
    for _ in range(warmup):
        first()
        second()
    out: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, times in ((first, out[0]), (second, out[1])):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return out


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak Python heap (tracemalloc) during one call of `fn`, in MiB."""
    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def captured_sql(fn: Callable[[], object]) -> list[str]:
    """The SQL statements `fn` sends, with their parameters inlined by the driver."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def raw(statements: list[tuple[str, list | tuple | None]]) -> Callable[[], None]:
    """A function running `statements` through a bare cursor and fetching every row."""

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def timed_result(name, app, *, baseline=None, baseline_name="raw SQL", repeat=20, **extra):
    """A Result in milliseconds for `app` (and its `baseline`), with the app's peak memory.
    The app and its baseline take turns, run by run, so a machine whose speed drifts during the
    case (seen: ±30 % within a minute) slows both sides alike and the ratio stays fair."""
    if baseline:
        app_ms, base_ms = interleaved_timings(app, baseline, repeat=repeat)
    else:
        app_ms, base_ms = timings(app, repeat=repeat), None
    return Result(
        name=name,
        unit="ms",
        p50=round(statistics.median(app_ms), 2),
        p95=round(percentile(app_ms, 0.95), 2),
        baseline=round(statistics.median(base_ms), 2) if base_ms else None,
        baseline_name=baseline_name if base_ms else "",
        peak_mb=peak_mb(app),
        runs=repeat,
        **extra,
    )


def machine_speed() -> dict:
    """Two fixed yardsticks of how fast this machine is right now, taken before and after the
    cases: the same code ran 2.2× slower on one 2-core machine of this class than on another, so
    results from different sessions are compared through these, not side by side.
    python_ms: a fixed pure-Python workload (best of 5); select1_us: the median round trip of
    `SELECT 1` on the bench's database connection (200 runs)."""
    from django.db import connection

    def workload() -> int:
        total = 0
        for i in range(300_000):
            total += (i * i) % 7
        return total

    python_ms = min(timings(workload, repeat=5))
    with connection.cursor() as cursor:

        def select1() -> None:
            cursor.execute("SELECT 1")
            cursor.fetchall()

        round_trips = timings(select1, repeat=200, warmup=20)
    return {
        "python_ms": round(python_ms, 1),
        "select1_us": round(percentile(round_trips, 50) * 1000),
    }
