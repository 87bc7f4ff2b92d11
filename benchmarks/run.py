"""`make bench`: every key operation through the application's code beside the raw SQL of the same
work (or a hello-world view for HTTP), on the bench data set in PostgreSQL. Prints a table and
writes benchmarks/results/latest.json.

Usage: python -m benchmarks.run [--quick] [--only inbox,search,...]
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import django

# The application with production-like settings (DEBUG off) plus a hello-world URL.
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
RESULTS = Path(__file__).resolve().parent / "results"


def _cases(quick: bool) -> dict:
    from benchmarks import cases

    repeat = 5 if quick else 30
    return {
        "inbox": lambda: cases.inbox_officer(repeat),
        "inbox_province": lambda: cases.inbox_province(repeat),
        "search": lambda: cases.search(repeat),
        "dashboard": lambda: cases.dashboard(3 if quick else 10),
        "dashboard_province": lambda: cases.dashboard_province(3 if quick else 10),
        "case": lambda: cases.case_page(repeat),
        "duplicates": lambda: cases.duplicate_check(40 if quick else 200),
        "report": cases.annual_report,
        "import": lambda: cases.xlsx_import(2_000 if quick else 50_000),
        "tracking": lambda: _tracking(quick),
    }


def _tracking(quick: bool):
    from benchmarks.build import BENCH_SECRET
    from benchmarks.load import tracking_throughput
    from danvan.petitions.models import Petition

    codes = list(
        Petition.objects.filter(channel="portal")
        .exclude(tracking_secret_hash="")
        .order_by("-pk")
        .values_list("tracking_code", flat=True)[:500]
    )
    return tracking_throughput(
        [(code, BENCH_SECRET) for code in codes], seconds=3 if quick else 15, workers=2
    )


def _judge(result) -> None:
    """Whether the issue's target is met (None where the target is not a number)."""
    t = result.name
    if t.startswith("inbox"):
        result.met = result.p50 <= 30 and (result.ratio or 0) <= 1.5
    elif t.startswith("search"):
        result.met = result.p50 <= 100
    elif t.startswith("dashboard"):
        result.met = result.notes.get("first_call_ms", 1e9) <= 300
    elif t.startswith("duplicate"):
        result.met = result.p95 <= 50 and result.notes["recall_top3"] >= 0.9
    elif t.startswith("annual report"):
        result.met = result.p50 <= 3000
    elif t.startswith("XLSX"):
        result.met = result.p50 >= 5000
    elif t.startswith("portal tracking"):
        result.met = (result.ratio or 0) >= 0.5


def _cell(value, unit: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}"


def table(results) -> str:
    """The results as a fixed-width table (units: ms unless the row says rows/s or req/s)."""
    columns = ("operation", "p50", "p95", "baseline", "ratio", "peak MiB", "target", "met")
    rows = [columns]
    for r in results:
        unit = "" if r.unit == "ms" else f" {r.unit}"
        met = "yes" if r.met else ("NO" if r.met is False else "—")
        rows.append(
            (r.name, _cell(r.p50, unit), _cell(r.p95), _cell(r.baseline, unit),
             _cell(r.ratio), _cell(r.peak_mb), r.target, met)
        )  # fmt: skip
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(columns))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI)")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    django.setup()
    from django.conf import settings
    from django.db import connection

    from benchmarks.measure import machine_speed
    from danvan.core.runtime import freeze_startup_objects

    # What config/wsgi.py does in every web worker, so in-process cases run as a worker would.
    freeze_startup_objects()

    if connection.vendor != "postgresql":
        print("make bench measures PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    manifest_path = Path(settings.VAR_DIR) / "bench" / "dataset.json"
    if not manifest_path.exists():
        print("no bench data: run `make bench-data SIZE=100k` first", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text())
    chosen = [c for c in args.only.split(",") if c] or list(_cases(args.quick))
    results = []
    speed_before = machine_speed()
    started = time.perf_counter()
    for name in chosen:
        print(f"… {name}", file=sys.stderr, flush=True)
        result = _cases(args.quick)[name]()
        _judge(result)
        results.append(result)
    print(table(results))
    speed = {"before": speed_before, "after": machine_speed()}
    print(
        "machine speed (lower is faster), before / after: Python workload "
        f"{speed['before']['python_ms']} / {speed['after']['python_ms']} ms, SELECT 1 "
        f"{speed['before']['select1_us']} / {speed['after']['select1_us']} µs"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0]
    out = {
        "dataset": manifest,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "postgres": pg}
        | {"speed": speed},
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "results": [r.as_dict() for r in results],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(f"→ {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
