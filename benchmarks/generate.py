"""`make bench-data SIZE=100k|1m`: a realistic, deterministic data set in PostgreSQL.

All 34 provinces and their 3,321 communes (import_units --all), a People's Committee per commune
and six agencies per province, an officer per agency and a leader per People's Committee, a plan
per province and year with 100k tasks, SIZE petitions over five years ending today with the
shares in `benchmarks/shares.py` (kinds, channels, states by age, overdue cases, 3 % duplicates
with their ground truth, 2 % mass petitions, sealed denunciations), reception sessions and
visits. Rows go in with COPY (`benchmarks/copy.py`) in streams: memory stays flat.

Usage: python -m benchmarks.generate --size 100k [--seed 2030]
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MANIFEST = "dataset.json"


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in "km" else text
    return int(float(number) * factor)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="number of petitions: 10k, 100k, 1m")
    parser.add_argument("--tasks", default="100k", help="number of plan tasks")
    # Any seed gives the same shares; the benchmarks pick their cases by role, not by luck.
    parser.add_argument("--seed", type=int, default=2030)
    args = parser.parse_args(argv)
    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench-data fills PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    from benchmarks import shares
    from benchmarks.build import Builder

    out = Path(settings.VAR_DIR) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    builder = Builder(
        rng=random.Random(args.seed),
        today=dt.date.today(),
        petitions=parse_size(args.size),
        tasks=parse_size(args.tasks),
        shares=shares,
    )
    if builder.already_generated():
        print("this database already holds a bench data set: use a fresh database")
        return 2
    started = time.perf_counter()
    counts = builder.run()
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    manifest = {
        "seed": args.seed,
        "today": builder.today.isoformat(),
        "counts": counts,
        "seconds": round(seconds, 1),
        "rows_per_second": round(total / seconds),
        "duplicates": "duplicates.json",
        "phases": builder.phases,
        "phases_cpu": builder.cpu,
        "vacuum_and_index_seconds": builder.index_seconds,
    }
    # The dashboard's monthly rollups, as the worker builds them after a bulk load (timed
    # apart: they are not part of the generator's rate).
    from danvan.reports.rollups import refresh

    started = time.perf_counter()
    rolled = refresh(cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY, today=builder.today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_rollup")
        # Write the load's pages out now, so the benchmarks that follow do not share the disk
        # with the checkpoint of six million new rows.
        cursor.execute("CHECKPOINT")
    manifest["rollups"] = {
        "months": rolled.months,
        "rows": rolled.rows,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "duplicates.json").write_text(json.dumps(builder.duplicate_pairs))
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2))
    for table, count in counts.items():
        print(f"  {table:<28} {count:>10,}")
    print(f"{total:,} rows in {seconds:.1f} s = {total / seconds:,.0f} rows/s → {out / MANIFEST}")
    print(
        "  " + ", ".join(f"{k} {v} s (CPU {builder.cpu[k]} s)" for k, v in builder.phases.items())
    )
    r = manifest["rollups"]
    print(f"rollups: {r['months']} months, {r['rows']:,} rows in {r['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
