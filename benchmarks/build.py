"""The bench data set, table by table. Every row is produced lazily and streamed with COPY."""

import datetime as dt
import functools
import time
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from benchmarks.copy import BulkLoad, Table, reset_sequence
from danvan.core.models import LegalRule, User
from danvan.core.text import fold_text
from danvan.org.models import AdministrativeUnit, Agency, Membership
from danvan.petitions.models import (
    Deadline,
    Petition,
    Petitioner,
    SealedIdentity,
    Transition,
)
from danvan.plans.models import ContentArea, Plan, Task
from danvan.reception.models import ReceptionSession, ReceptionVisit

YEARS = 5
PREFIX = "bench-"
BENCH_SECRET = "K7M2P9QX"  # the tracking secret of every generated portal petition (valid format)
OPEN = {"received", "classified", "accepted", "verifying"}
DECISIONS = {"accepted": "accept", "transferred": "transfer", "guided": "guide", "filed": "file"}
RESOLVE_RULES = {"complaint": "complaint.resolve.first", "denunciation": "denunciation.resolve"}
VISIT_KINDS = {"complaint", "denunciation", "recommendation", "feedback"}
PROVINCE_AGENCIES = [
    ("pc", "Ủy ban nhân dân", Agency.Kind.PEOPLES_COMMITTEE),
    ("noi-vu", "Sở Nội vụ", Agency.Kind.DEPARTMENT),
    ("tu-phap", "Sở Tư pháp", Agency.Kind.DEPARTMENT),
    ("thanh-tra", "Thanh tra", Agency.Kind.INSPECTORATE),
    ("tcd", "Ban Tiếp công dân", Agency.Kind.PUBLIC_SERVICE_UNIT),
    ("mttq", "Ủy ban MTTQ Việt Nam", Agency.Kind.FATHERLAND_FRONT),
]
TASK_COLUMNS = (
    "id", "plan_id", "content_id", "title", "lead_agency_id", "due_on", "percent",
    "completed_on", "search_text",
)  # fmt: skip
SESSION_COLUMNS = ("id", "agency_id", "leader_id", "role", "date", "place", "status")
# The trigram index of the petitions' search text is the longest single build after a load
# (43 s at 1M petitions, when the load itself takes about a minute): it is kept through the
# load and filled by the petitions' own COPY, from a pending list merged every 32 MB, alongside
# the generation of the rows.
KEEP_INDEXES = ("petition_search_trgm_idx",)
PETITION_STREAM = ("SET gin_pending_list_limit = '32MB'", "SET work_mem = '64MB'")


def choice_table(weights: dict) -> list:
    """The keys of `weights` (whole numbers), each repeated its weight times: `t[int(random() *
    len(t))]` draws a key with its weight, exactly as `random.choices` would, in one index."""
    return [key for key, weight in weights.items() for _ in range(weight)]


def weighted(rng, weights: dict):
    """A key of `weights` drawn with its weight (see `choice_table`)."""
    table = choice_table(weights)
    return table[int(rng.random() * len(table))]


class Days:
    """Every day the data set may name, from a year before its first to four months after
    `today`, as an index (`index(date)`), its ISO text (`iso[i]`), 09:00 local time of that day
    as ISO text (`at[i]`) and its month (`month[i]`, counted from the first). Rows carry dates as
    text, so PostgreSQL parses them and Python does no date arithmetic per row."""

    def __init__(self, today: dt.date):
        self.first = dt.date(today.year - YEARS - 1, 1, 1)
        self.today = self.index(today)
        tz = timezone.get_current_timezone()
        days = [self.first + dt.timedelta(days=i) for i in range(self.today + 121)]
        self.iso = [d.isoformat() for d in days]
        self.at = [dt.datetime.combine(d, dt.time(9), tzinfo=tz).isoformat() for d in days]
        base = self.first.year * 12
        self.month = [d.year * 12 + d.month - 1 - base for d in days]

    def index(self, day: dt.date) -> int:
        return (day - self.first).days


@functools.lru_cache(maxsize=200_000)
def folded(text: str) -> str:
    """`fold_text` of the generator's recurring phrases, computed once each."""
    return fold_text(text)


class Builder:
    def __init__(self, *, rng, today, petitions, tasks, shares):
        self.rng, self.today, self.shares = rng, today, shares
        self.n_petitions, self.n_tasks = petitions, tasks
        self.days = Days(today)
        self.names = [
            f"{family} {middle} {given}"
            for family in shares.FAMILY
            for middle in shares.MIDDLE
            for given in shares.GIVEN
        ]
        self.counts: dict[str, int] = {}
        # Seconds per step, for the manifest: wall clock, and this process's CPU time (the rest
        # is PostgreSQL's).
        self.phases: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.duplicate_pairs: list[tuple[int, int]] = []

    def already_generated(self) -> bool:
        return Agency.objects.filter(code__startswith=PREFIX).exists()

    @contextmanager
    def phase(self, name: str):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.phases[name] = round(time.perf_counter() - started, 2)
            self.cpu[name] = round(time.process_time() - cpu, 2)

    def run(self) -> dict[str, int]:
        with self.phase("units and organisation"):
            if not AdministrativeUnit.objects.filter(scheme="2025", level="commune").exists():
                call_command("import_units", "--all", verbosity=0)
            self.rules = {r.code: r.pk for r in LegalRule.objects.order_by("valid_from")}
            self.org()
            self.plans()
        children = [Petitioner, SealedIdentity, Deadline, Transition, ReceptionVisit]
        load = BulkLoad([Task, ReceptionSession, Petition, *children], keep=KEEP_INDEXES)
        try:
            with self.phase("rows"):
                self.tasks(load)
                self.sessions(load)
                self.petitions(load)
                load.close_streams()
        except BaseException as exc:
            load.abandon(exc)
            raise
        with self.phase("vacuum and indexes"):
            load.finish()
            small = (Agency, User, Membership, Plan, ContentArea, AdministrativeUnit)
            with connection.cursor() as cursor:
                for model in small:
                    # Statistics and the visibility map, as autovacuum would leave them on a
                    # live database (index-only scans need the map).
                    cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        for name, count in load.counts.items():
            self.counts[name] = self.counts.get(name, 0) + count
        for model in (Agency, User, Membership, Plan, ContentArea, Task, Petition, Petitioner):
            reset_sequence(model)
        for model in (SealedIdentity, Deadline, Transition, ReceptionSession, ReceptionVisit):
            reset_sequence(model)
        self.index_seconds = load.seconds
        return self.counts

    def _copy(self, table: Table, rows) -> None:
        self.counts[table.name] = self.counts.get(table.name, 0) + table.copy(rows)

    def name(self) -> str:
        return self.names[int(self.rng.random() * len(self.names))]

    # -- organisation --------------------------------------------------------------------------

    def org(self) -> None:
        units = AdministrativeUnit.objects.filter(scheme="2025")
        self.provinces = list(units.filter(level="province").order_by("code"))
        communes = units.filter(level="commune").order_by("code")
        self.communes = list(communes.values_list("pk", "parent_id", "name"))
        agencies = Table(
            Agency, ("id", "code", "name", "kind", "unit_id", "parent_id", "search_text")
        )
        self.province_agencies: dict[int, list[int]] = {}
        self.commune_pc: dict[int, int] = {}
        rows = []

        def agency(pk, code, name, kind, unit_id, parent_id):
            rows.append((pk, PREFIX + code, name, kind, unit_id, parent_id, fold_text(name)))

        for province in self.provinces:
            ids = []
            for slug, name, kind in PROVINCE_AGENCIES:
                pk = agencies.take_id()
                ids.append(pk)
                parent = ids[0] if kind == Agency.Kind.DEPARTMENT else None
                code = f"{slug}-{province.code}"
                agency(pk, code, f"{name} {province.name}", kind, province.pk, parent)
            self.province_agencies[province.pk] = ids
        for unit_id, parent_id, name in self.communes:
            pk = agencies.take_id()
            self.commune_pc[unit_id] = pk
            province_pc = self.province_agencies[parent_id][0]
            kind = Agency.Kind.PEOPLES_COMMITTEE
            agency(pk, f"pc-{unit_id}", f"Ủy ban nhân dân {name}", kind, unit_id, province_pc)
        self._copy(agencies, rows)
        self.agency_ids = [r[0] for r in rows]
        self._people()

    def _people(self) -> None:
        users = Table(User, ("id", "username", "password", "full_name", "is_active", "date_joined"))
        members = Table(Membership, ("id", "user_id", "agency_id", "role"))
        password = make_password("bench-password-2026")
        joined = timezone.now()
        self.officers: dict[int, int] = {}
        self.leaders: dict[int, int] = {}
        user_rows, member_rows = [], []
        for agency_id in self.agency_ids:
            for role in ("officer", "leader"):
                pk = users.take_id()
                username = f"{PREFIX}{role}-{agency_id}"
                user_rows.append((pk, username, password, self.name(), True, joined))
                member_rows.append((members.take_id(), pk, agency_id, role))
                (self.officers if role == "officer" else self.leaders)[agency_id] = pk
        self._copy(users, user_rows)
        self._copy(members, member_rows)

    # -- plans and tasks -----------------------------------------------------------------------

    def plans(self) -> None:
        plans = Table(
            Plan,
            (
                *("id", "title", "number", "issuing_agency_id", "year", "period_start"),
                *("period_end", "status", "search_text"),
            ),
        )
        contents = Table(ContentArea, ("id", "plan_id", "number", "title"))
        plan_rows, content_rows = [], []
        self.slots = []
        for province in self.provinces:
            issuer = self.province_agencies[province.pk][0]
            for year in range(self.today.year - YEARS + 1, self.today.year + 1):
                pk = plans.take_id()
                title = f"Kế hoạch công tác dân vận chính quyền năm {year} — {province.name}"
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
                number = f"{pk}/KH-UBND"
                row = (
                    pk,
                    title,
                    number,
                    issuer,
                    year,
                    first,
                    last,
                    "in_progress",
                    fold_text(title),
                )
                plan_rows.append(row)
                for number in range(1, 8):
                    cid = contents.take_id()
                    content_rows.append((cid, pk, number, f"Nội dung {number}"))
                    self.slots.append((pk, cid, year, province.pk))
        self._copy(plans, plan_rows)
        self._copy(contents, content_rows)

    def tasks(self, load: BulkLoad) -> None:
        table = Table(Task, TASK_COLUMNS)
        write = load.stream(table).write
        for row in self.task_rows(table):
            write(row)

    def task_rows(self, table: Table):
        """The plans' tasks, dealt round the plans' content areas in turn."""
        leads_of: dict[int, list[int]] = {p: a[:5] for p, a in self.province_agencies.items()}
        for unit_id, parent_id, _name in self.communes:
            leads_of[parent_id].append(self.commune_pc[unit_id])
        random, take_id, days, today = self.rng.random, table.take_id, self.days, self.days.today
        iso = days.iso
        topics = [(t.lower(), folded(t.lower())) for t, _detail in self.shares.TOPICS]
        percents = (0, 0, 20, 50, 80)
        slots = [
            (plan, content, days.index(dt.date(year, 1, 1)), leads_of[province])
            for plan, content, year, province in self.slots
        ]
        for i in range(self.n_tasks):
            plan_id, content_id, jan1, leads = slots[i % len(slots)]
            lead = leads[int(random() * len(leads))]
            due = jan1 + int(random() * 365)
            done = due < today and random() < 0.8
            completed = iso[due - 20 + int(random() * 31)] if done else None
            topic, topic_folded = topics[int(random() * len(topics))]
            percent = 100 if done else percents[int(random() * 5)]
            yield (
                take_id(), plan_id, content_id, f"Nhiệm vụ {i + 1}: {topic}", lead, iso[due],
                percent, completed, f"nhiem vu {i + 1}: {topic_folded}",
            )  # fmt: skip

    # -- reception -----------------------------------------------------------------------------

    def sessions(self, load: BulkLoad) -> None:
        """A regular reception day a month for every commune's People's Committee; their ids by
        (agency, month) in `session_of` for the visits."""
        table = Table(ReceptionSession, SESSION_COLUMNS)
        self.session_of: dict[int, int] = {}
        write = load.stream(table).write
        for row in self.session_rows(table):
            write(row)

    def session_rows(self, table: Table):
        days, random = self.days, self.rng.random
        start = self.today.replace(day=1) - dt.timedelta(days=365 * YEARS + 31)
        firsts = []  # `start`, then the first day of each month up to this one
        day = start
        while day <= self.today:
            firsts.append(days.index(day))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        iso, month, session_of = days.iso, days.month, self.session_of
        place = "Trụ sở Ủy ban nhân dân"
        for unit_id, _parent, _name in self.communes:
            agency = self.commune_pc[unit_id]
            leader = self.leaders[agency]
            for first in firsts:
                pk = table.take_id()
                session_of[agency * 4096 + month[first]] = pk
                date = iso[first + int(random() * 25)]
                yield (pk, agency, leader, "commune_pc_chair", date, place, "held")

    # -- petitions -----------------------------------------------------------------------------

    def petitions(self, load: BulkLoad) -> None:
        from benchmarks.petitions import PetitionRows

        rows = PetitionRows(self)
        settings = {"petition": PETITION_STREAM}
        rows.write(
            {
                key: load.stream(table, settings.get(key, ())).write
                for key, table in rows.tables.items()
            }
        )
        self.duplicate_pairs = rows.duplicate_pairs
