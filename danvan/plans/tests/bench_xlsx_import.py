"""Time `import_tasks` on a generated XLSX file against the current DATABASE_URL.

Not collected by pytest (the name does not start with test_). It writes a plan, agencies and
tasks, so point it at a scratch database that has been migrated:

    createdb -h 127.0.0.1 -U postgres danvan_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python -m danvan.plans.tests.bench_xlsx_import --rows 5000 --recurring-every 0
    dropdb -h 127.0.0.1 -U postgres danvan_bench

`--recurring-every K` makes every K-th row a quarterly task (0: all one-off).
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from io import BytesIO
from pathlib import Path

AGENCIES = 300
CONTENTS = 7


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# What the fixtures are named by (benchmarks/cases.py removes them after its run).
PLAN_PREFIX = "Kế hoạch thử "
USER_PREFIX = "bench-import-"


def _fixtures(tag: str):
    """A user, AGENCIES agencies and a 2026 plan with CONTENTS contents, all named by `tag`."""
    from django.contrib.auth import get_user_model

    from danvan.org.models import TWO_TIER_START, AdministrativeUnit, Agency
    from danvan.plans.services import content_add, plan_create

    actor = get_user_model().objects.create(username=f"{USER_PREFIX}{tag}")
    unit = AdministrativeUnit.objects.create(
        scheme="2025",
        level="province",
        code=f"b{tag[:8]}",
        name="Tỉnh thử",
        valid_from=TWO_TIER_START,
    )
    agencies = [
        Agency(code=f"b{tag}-{i}", name=f"Cơ quan thử {tag} số {i}", kind="department", unit=unit)
        for i in range(AGENCIES)
    ]
    for agency in agencies:
        agency.refresh_search_text()
    Agency.objects.bulk_create(agencies)
    plan = plan_create(
        actor=actor,
        issuing_agency=Agency.objects.get(code=f"b{tag}-0"),
        title=f"{PLAN_PREFIX}{tag}",
        year=2026,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    for number in range(1, CONTENTS + 1):
        content_add(actor=actor, plan=plan, number=number, title=f"Nội dung {number}")
    return actor, plan, [a.code for a in agencies]


def _workbook(rows: int, recurring_every: int, codes: list[str]) -> bytes:
    from openpyxl import Workbook

    from danvan.plans.xlsx import TEMPLATE_COLUMNS

    rng = random.Random(42)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    sheet.append(list(TEMPLATE_COLUMNS))
    for i in range(1, rows + 1):
        recurring = recurring_every and i % recurring_every == 0
        due = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        sheet.append(
            [
                rng.randint(1, CONTENTS),
                f"NV-{i}",
                f"Nhiệm vụ thử số {i}: tuyên truyền, vận động nhân dân thực hiện chính sách",
                "Mô tả ngắn của nhiệm vụ",
                "Báo cáo kết quả",
                rng.choice(codes),
                ", ".join(rng.sample(codes, 2)),
                "31/12/2026" if recurring else f"{due:%d/%m/%Y}",
                "hằng quý" if recurring else "không",
                15 if recurring else None,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--recurring-every", type=int, default=0)
    args = parser.parse_args()
    _setup_django()
    from django.db import connection

    from danvan.plans.xlsx_import import import_tasks, parse_rows

    tag = uuid.uuid4().hex[:10]
    actor, plan, codes = _fixtures(tag)
    data = _workbook(args.rows, args.recurring_every, codes)
    started = time.perf_counter()
    parsed = parse_rows(data, plan=plan)
    parse_seconds = time.perf_counter() - started
    assert parsed.ok, [str(e) for e in parsed.errors[:5]]
    started = time.perf_counter()
    result = import_tasks(actor=actor, plan=plan, data=data)
    seconds = time.perf_counter() - started
    assert result.ok, [str(e) for e in result.errors[:5]]
    print(
        f"{connection.vendor}: {result.created} rows ({result.occurrences} occurrences), "
        f"file {len(data) / 1024:.0f} KiB; parse only {parse_seconds:.2f} s; "
        f"import_tasks (parse + save) {seconds:.2f} s = {result.created / seconds:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
