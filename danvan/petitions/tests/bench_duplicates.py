"""Time `find_candidates` on generated petitions against the current DATABASE_URL.

Not collected by pytest (the name does not start with test_). It writes units, agencies and
petitions, so point it at a scratch database that has been migrated:

    createdb -h 127.0.0.1 -U postgres danvan_bench_dup
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_bench_dup
    .venv/bin/python manage.py migrate
    .venv/bin/python -m danvan.petitions.tests.bench_duplicates --petitions 20000
    dropdb -h 127.0.0.1 -U postgres danvan_bench_dup

Half of the queries are retyped copies of stored petitions (words reordered or diacritics
dropped, the same people half of the time); the script reports how often the stored original
comes back, so a faster selection that stops finding duplicates shows up here.
`--reuse` queries the petitions already stored instead of adding more, to compare runs.
`--proposed-indexes` adds, in this database only, the indexes the selection would use at
1M petitions: (agency, received_on), and on PostgreSQL a GIN index on match_keys.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

UNITS, AGENCIES, BATCH = 300, 40, 2000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Mai", "Phúc", "Tâm"]
ACTIONS = [
    "Đề nghị giải quyết",
    "Khiếu nại về",
    "Tố cáo hành vi liên quan",
    "Phản ánh tình trạng",
    "Kiến nghị xem xét",
    "Yêu cầu làm rõ",
]
TOPICS = [
    "tranh chấp đất đai giữa các hộ liền kề",
    "bồi thường giải phóng mặt bằng dự án đường tỉnh",
    "cấp giấy chứng nhận quyền sử dụng đất chậm trễ",
    "ô nhiễm môi trường từ cơ sở chăn nuôi heo",
    "xây dựng nhà ở trái phép lấn chiếm lối đi chung",
    "chế độ chính sách đối với người có công",
    "xét duyệt hộ nghèo không công bằng",
    "tiếng ồn kéo dài từ quán karaoke",
    "sạt lở bờ kênh gây nguy hiểm cho nhà dân",
    "thu hồi đất làm khu tái định cư",
    "cán bộ địa chính gây khó khăn nhũng nhiễu",
    "nợ bảo hiểm xã hội của doanh nghiệp",
    "ngập úng khu dân cư mỗi khi mưa lớn",
    "thu phí vệ sinh môi trường không đúng quy định",
    "cấp phép khai thác cát trên sông",
    "chậm chi trả lương hưu và trợ cấp",
    "hư hỏng tuyến đường liên ấp chưa được sửa chữa",
    "đóng góp xây dựng nông thôn mới không công khai",
    "chuyển mục đích sử dụng đất nông nghiệp",
    "tranh chấp hợp đồng thuê ao nuôi tôm",
    "niêm yết danh sách hỗ trợ thiên tai sai đối tượng",
    "trường học thu các khoản ngoài quy định",
    "bến đò ngang không bảo đảm an toàn",
    "cấp nước sinh hoạt bị gián đoạn nhiều ngày",
    "trạm biến áp đặt sát nhà dân",
]
PLACES = ["ấp", "khu vực", "tổ dân phố", "khóm"]
DETAILS = [
    "Thửa đất số {n}, tờ bản đồ số {m}, diện tích {a} mét vuông.",
    "Gia đình tôi đã gửi đơn nhiều lần từ năm {y} nhưng chưa được trả lời.",
    "Số tiền bồi thường {a} triệu đồng thấp hơn giá thị trường.",
    "Hộ ông {p} đã tự ý xây tường rào lấn sang {m} mét.",
    "Sự việc kéo dài từ tháng {m} năm {y}, ảnh hưởng đến {n} hộ dân.",
    "Chúng tôi đề nghị cơ quan có thẩm quyền kiểm tra, xử lý dứt điểm.",
    "Kèm theo đơn là biên bản hòa giải ngày {m} tháng {n} năm {y}.",
    "Ông {p}, cán bộ phụ trách, hẹn trả lời trong {m} tuần nhưng không thực hiện.",
    "Con đường dẫn vào nhà tôi rộng {m} mét, nay chỉ còn một lối nhỏ.",
    "Vụ lúa năm {y} bị thiệt hại khoảng {a} kilôgam do nước mặn xâm nhập.",
    "Tổ hòa giải ấp đã mời hai bên {m} lần nhưng ông {p} không đến.",
    "Hội nghị dân cư ngày {n} tháng {m} chưa lấy ý kiến đầy đủ của bà con.",
    "Mong lãnh đạo quan tâm để gia đình {p} sớm ổn định cuộc sống.",
    "Nhiều hộ đã ký tên vào đơn, tổng cộng {n} chữ ký.",
]


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _letter(rng: random.Random) -> tuple[str, str]:
    """A subject and a 3–6 sentence content in everyday petition Vietnamese."""
    place = f"{rng.choice(PLACES)} {rng.randint(1, 12)}"
    subject = f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)} tại {place}"
    filler = {"y": rng.randint(2015, 2025), "m": rng.randint(1, 12)}
    sentences = [
        d.format(n=rng.randint(1, 900), a=rng.randint(20, 900), p=_person(rng), **filler)
        for d in rng.sample(DETAILS, rng.randint(3, 6))
    ]
    return subject, f"Tôi tên {_person(rng)}, ngụ tại {place}. " + " ".join(sentences)


def _org(tag: str):
    """UNITS communes under one province and AGENCIES agencies, all named by `tag`."""
    from danvan.org.models import TWO_TIER_START, AdministrativeUnit, Agency

    def unit(code, name, level, parent=None):
        return AdministrativeUnit.objects.create(
            scheme="2025",
            level=level,
            code=code,
            name=name,
            parent=parent,
            valid_from=TWO_TIER_START,
        )

    province = unit(f"b{tag[:6]}", "Tỉnh thử", "province")
    units = [unit(f"b{tag[:6]}{i}", f"Xã thử {i}", "commune", province) for i in range(UNITS)]
    agencies = [
        Agency.objects.create(
            code=f"b{tag}-{i}", name=f"Cơ quan thử {i}", kind="department", unit=province
        )
        for i in range(AGENCIES)
    ]
    return units, agencies


def _people_keys(rng: random.Random, citizens: int) -> list[str]:
    from danvan.petitions.sealing import match_key

    roll = rng.random()
    if roll < 0.07:  # anonymous: no keys at all
        return []
    count = rng.randint(5, 30) if roll > 0.97 else 1  # ~3% mass petitions (đông người)
    keys = set()
    for _ in range(count):
        n = rng.randrange(citizens)
        keys |= {match_key("id", f"079{n:09d}"), match_key("phone", f"09{n:08d}")}
    return sorted(k for k in keys if k)


def _generate(*, total: int, tag: str, rng: random.Random) -> list[dict]:
    """Bulk-insert `total` petitions over three years; return a sample to query with."""
    from danvan.petitions.models import Petition

    units, agencies = _org(tag)
    today = dt.date.today()
    sample: list[dict] = []
    for start in range(0, total, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, total)):
            subject, content = _letter(rng)
            keys = _people_keys(rng, citizens=max(total // 3, 10))
            # a quarter to the provincial People's Committee, the rest spread out
            agency = agencies[0] if rng.random() < 0.25 else rng.choice(agencies[1:])
            petition = Petition(
                tracking_code=f"B{tag[:5].upper()}{i:09d}",
                agency=agency,
                unit=rng.choice(units),
                channel="post",
                subject=subject,
                content=content,
                received_on=today - dt.timedelta(days=rng.randint(0, 3 * 365)),
                match_keys=keys,
                petitioner_count=max(1, len(keys) // 2),
                is_mass=len(keys) >= 10,
                status=rng.choice(["received", "accepted", "resolved", "closed", "filed"]),
            )
            petition.refresh_search_text()
            rows.append(petition)
        Petition.objects.bulk_create(rows)
        sample.extend(_as_query(p) for p in rng.sample(rows, min(5, len(rows))))
        print(f"  {min(start + BATCH, total)} petitions", end="\r", flush=True)
    print()
    return sample


def _as_query(p) -> dict:
    return {
        "code": p.tracking_code,
        "text": f"{p.subject} {p.content}",
        "unit_id": p.unit_id,
        "agency_id": p.agency_id,
        "keys": p.match_keys,
        "received_on": p.received_on,
    }


def _stored_sample(size: int, rng: random.Random) -> list[dict]:
    """Queries drawn from petitions already in the database (`--reuse`)."""
    from django.db.models import Max, Min

    from danvan.petitions.models import Petition

    bounds = Petition.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(size)]
    return [_as_query(p) for p in Petition.objects.filter(pk__in=ids)]


def _retyped(query: dict, rng: random.Random) -> dict:
    """The same letter typed again: reordered sentences or no diacritics; same people or not."""
    from danvan.core.text import fold_text

    sentences = query["text"].split(". ")
    rng.shuffle(sentences)
    text = ". ".join(sentences)
    text = fold_text(text) if rng.random() < 0.5 else text
    keys = query["keys"] if rng.random() < 0.5 else []
    days = rng.randint(0, 60)
    return {
        **query,
        "text": text,
        "keys": keys,
        "received_on": query["received_on"] + dt.timedelta(days),
    }


def _proposed_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_petition_agency_date "
            "ON petitions_petition (agency_id, received_on)"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS bench_petition_keys "
                "ON petitions_petition USING gin (match_keys)"
            )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(queries: list[dict], rng: random.Random, *, label: str) -> None:
    from danvan.petitions.duplicates import find_candidates

    timings, found, sizes = [], 0, []
    for n, query in enumerate(queries):
        probe = _retyped(query, rng) if n % 2 == 0 else query | {"code": None}
        if probe["code"] is None:
            probe = {**probe, "text": " ".join(_letter(rng)), "keys": []}
        started = time.perf_counter()
        result = find_candidates(
            text=probe["text"],
            unit_id=probe["unit_id"],
            agency_id=probe["agency_id"],
            match_keys=probe["keys"],
            received_on=probe["received_on"],
        )
        timings.append((time.perf_counter() - started) * 1000)
        sizes.append(len(result))
        found += probe["code"] in [c.petition.tracking_code for c in result[:3]]
    cuts = statistics.quantiles(timings, n=100)
    print(
        f"{label}: find_candidates over {len(timings)} queries: p50 {cuts[49]:.1f} ms, "
        f"p95 {cuts[94]:.1f} ms, max {max(timings):.1f} ms; "
        f"mean candidates {statistics.mean(sizes):.1f}; "
        f"retyped originals in the top 3: {found}/{len(timings[::2])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--proposed-indexes", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="query the petitions already stored; add none"
    )
    args = parser.parse_args()
    _setup_django()
    from django.db import connection

    from danvan.petitions.models import Petition

    rng = random.Random(args.seed)
    if args.reuse:
        sample = _stored_sample(args.queries, rng)
    else:
        print(f"{connection.vendor}: generating {args.petitions} petitions")
        started = time.perf_counter()
        sample = _generate(total=args.petitions, tag=uuid.uuid4().hex[:8], rng=rng)
        print(f"generated in {time.perf_counter() - started:.1f} s")
    if args.proposed_indexes:
        _proposed_indexes()
    _analyze()
    print(f"{connection.vendor}: {Petition.objects.count()} petitions stored")
    queries = [rng.choice(sample) for _ in range(args.queries)]
    _measure(queries[:10], rng, label="warm-up")  # connection, caches
    _measure(queries, rng, label="measured")


if __name__ == "__main__":
    main()
