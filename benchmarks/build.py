"""The bench data set, table by table. Every row is produced lazily and streamed with COPY."""

import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from benchmarks.copy import Table, bulk_load
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


_CUMULATIVE: dict[int, tuple[list, list]] = {}


def weighted(rng: random.Random, weights: dict):
    """A key of `weights` drawn with its weight (cumulative weights cached per table)."""
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        table = _CUMULATIVE[id(weights)] = (
            list(weights),
            list(itertools.accumulate(weights.values())),
        )
    return rng.choices(table[0], cum_weights=table[1])[0]


@functools.lru_cache(maxsize=4096)
def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@functools.lru_cache(maxsize=200_000)
def folded(text: str) -> str:
    """`fold_text` of the generator's recurring phrases, computed once each."""
    return fold_text(text)


class Builder:
    def __init__(self, *, rng, today, petitions, tasks, shares):
        self.rng, self.today, self.shares = rng, today, shares
        self.n_petitions, self.n_tasks = petitions, tasks
        self.counts: dict[str, int] = {}
        self.duplicate_pairs: list[tuple[int, int]] = []

    def already_generated(self) -> bool:
        return Agency.objects.filter(code__startswith=PREFIX).exists()

    def run(self) -> dict[str, int]:
        if not AdministrativeUnit.objects.filter(scheme="2025", level="commune").exists():
            call_command("import_units", "--all", verbosity=0)
        self.rules = {r.code: r.pk for r in LegalRule.objects.order_by("valid_from")}
        self.org()
        with bulk_load([Task, ReceptionSession]):
            self.plans()
            self.sessions()
        children = [Petitioner, SealedIdentity, Deadline, Transition, ReceptionVisit]
        with bulk_load([Petition, *children]):
            self.petitions()
        for model in (Agency, User, Membership, Plan, ContentArea, Task, Petition, Petitioner):
            Table(model).reset_sequence()
        for model in (SealedIdentity, Deadline, Transition, ReceptionSession, ReceptionVisit):
            Table(model).reset_sequence()
        with connection.cursor() as cursor:
            # Statistics and the visibility map, as autovacuum would leave them on a live
            # database (index-only scans need the map).
            cursor.execute("VACUUM ANALYZE")
        return self.counts

    def _copy(self, model, rows: Iterator[dict], table: Table | None = None) -> None:
        table = table or Table(model)
        self.counts[table.name] = self.counts.get(table.name, 0) + table.copy(rows)

    # -- organisation --------------------------------------------------------------------------

    def org(self) -> None:
        units = AdministrativeUnit.objects.filter(scheme="2025")
        self.provinces = list(units.filter(level="province").order_by("code"))
        communes = units.filter(level="commune").order_by("code")
        self.communes = list(communes.values_list("pk", "parent_id", "name"))
        agencies = Table(Agency)
        self.province_agencies: dict[int, list[int]] = {}
        self.commune_pc: dict[int, int] = {}
        rows = []
        for province in self.provinces:
            ids = []
            for slug, name, kind in PROVINCE_AGENCIES:
                pk = agencies.take_id()
                ids.append(pk)
                full = f"{name} {province.name}"
                parent = ids[0] if kind == Agency.Kind.DEPARTMENT else None
                rows.append(
                    self._agency(pk, f"{slug}-{province.code}", full, kind, province.pk, parent)
                )
            self.province_agencies[province.pk] = ids
        for unit_id, parent_id, name in self.communes:
            pk = agencies.take_id()
            self.commune_pc[unit_id] = pk
            rows.append(
                self._agency(
                    pk,
                    f"pc-{unit_id}",
                    f"Ủy ban nhân dân {name}",
                    Agency.Kind.PEOPLES_COMMITTEE,
                    unit_id,
                    self.province_agencies[parent_id][0],
                )
            )
        self._copy(Agency, iter(rows), agencies)
        self.agency_ids = [r["id"] for r in rows]
        self._people()

    @staticmethod
    def _agency(pk, code, name, kind, unit_id, parent_id) -> dict:
        return {
            "id": pk,
            "code": PREFIX + code,
            "name": name,
            "kind": kind,
            "unit_id": unit_id,
            "parent_id": parent_id,
            "search_text": fold_text(name),
        }

    def _people(self) -> None:
        users, members = Table(User), Table(Membership)
        password = make_password("bench-password-2026")
        self.officers: dict[int, int] = {}
        self.leaders: dict[int, int] = {}
        user_rows, member_rows = [], []
        for agency_id in self.agency_ids:
            for role in ("officer", "leader"):
                pk = users.take_id()
                user_rows.append(
                    {
                        "id": pk,
                        "username": f"{PREFIX}{role}-{agency_id}",
                        "password": password,
                        "full_name": self._name(),
                        "is_active": True,
                        "date_joined": timezone.now(),
                    }
                )
                member_rows.append(
                    {"id": members.take_id(), "user_id": pk, "agency_id": agency_id, "role": role}
                )
                (self.officers if role == "officer" else self.leaders)[agency_id] = pk
        self._copy(User, iter(user_rows), users)
        self._copy(Membership, iter(member_rows), members)

    def _name(self) -> str:
        s = self.shares
        r = self.rng
        return f"{r.choice(s.FAMILY)} {r.choice(s.MIDDLE)} {r.choice(s.GIVEN)}"

    # -- plans and tasks -----------------------------------------------------------------------

    def plans(self) -> None:
        plans, contents = Table(Plan), Table(ContentArea)
        plan_rows, content_rows, slots = [], [], []
        for province in self.provinces:
            issuer = self.province_agencies[province.pk][0]
            for year in range(self.today.year - YEARS + 1, self.today.year + 1):
                pk = plans.take_id()
                title = f"Kế hoạch công tác dân vận chính quyền năm {year} — {province.name}"
                plan_rows.append(
                    {
                        "id": pk,
                        "title": title,
                        "number": f"{pk}/KH-UBND",
                        "issuing_agency_id": issuer,
                        "year": year,
                        "period_start": dt.date(year, 1, 1),
                        "period_end": dt.date(year, 12, 31),
                        "status": "in_progress",
                        "search_text": fold_text(title),
                    }
                )
                for number in range(1, 8):
                    cid = contents.take_id()
                    content_rows.append(
                        {"id": cid, "plan_id": pk, "number": number, "title": f"Nội dung {number}"}
                    )
                    slots.append((pk, cid, year, province.pk))
        self._copy(Plan, iter(plan_rows), plans)
        self._copy(ContentArea, iter(content_rows), contents)
        tasks = Table(Task)  # made before the COPY: no other query may run during one
        self._copy(Task, self._tasks(slots, tasks), tasks)

    def _tasks(self, slots, table: Table) -> Iterator[dict]:
        communes_of: dict[int, list[int]] = {}
        for unit_id, parent_id, _name in self.communes:
            communes_of.setdefault(parent_id, []).append(self.commune_pc[unit_id])
        rng = self.rng
        for i in range(self.n_tasks):
            plan_id, content_id, year, province = slots[i % len(slots)]
            lead = rng.choice(self.province_agencies[province][:5] + communes_of.get(province, []))
            due = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            done = due < self.today and rng.random() < 0.8
            completed = due + dt.timedelta(days=rng.randint(-20, 10)) if done else None
            title = f"Nhiệm vụ {i + 1}: {rng.choice(self.shares.TOPICS)[0].lower()}"
            yield {
                "id": table.take_id(),
                "plan_id": plan_id,
                "content_id": content_id,
                "title": title,
                "lead_agency_id": lead,
                "due_on": due,
                "percent": 100 if done else rng.choice((0, 0, 20, 50, 80)),
                "completed_on": completed,
                "search_text": fold_text(title),
            }

    # -- petitions -----------------------------------------------------------------------------

    def petitions(self) -> None:
        from benchmarks.petitions import PetitionRows

        rows = PetitionRows(self)
        children = {
            "p": (Petitioner, rows.petitioner_table),
            "s": (SealedIdentity, rows.sealed_table),
            "d": (Deadline, rows.deadline_table),
            "t": (Transition, rows.transition_table),
            "v": (ReceptionVisit, self.visit_table),
        }
        for petitions, kids in rows.chunks():
            self._copy(Petition, iter(petitions), rows.petition_table)
            for key, (model, table) in children.items():
                self._copy(model, iter(kids[key]), table)
        self.duplicate_pairs = rows.duplicate_pairs

    # -- reception -----------------------------------------------------------------------------

    def sessions(self) -> None:
        """A regular reception day a month for every commune's People's Committee."""
        sessions = Table(ReceptionSession)
        self.session_of: dict[tuple[int, int, int], int] = {}
        self.visit_table = Table(ReceptionVisit)

        def rows():
            start = self.today.replace(day=1) - dt.timedelta(days=365 * YEARS + 31)
            for unit_id, _parent, _name in self.communes:
                agency = self.commune_pc[unit_id]
                day = start
                while day <= self.today:
                    pk = sessions.take_id()
                    self.session_of[(agency, day.year, day.month)] = pk
                    yield {
                        "id": pk,
                        "agency_id": agency,
                        "leader_id": self.leaders[agency],
                        "role": "commune_pc_chair",
                        "date": day + dt.timedelta(days=self.rng.randrange(25)),
                        "place": "Trụ sở Ủy ban nhân dân",
                        "status": "held",
                    }
                    day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

        self._copy(ReceptionSession, rows(), sessions)

    def visit_row(self, petition_id, agency, day, kind) -> dict:
        """The reception log row of a petition brought to the desk (Form 03)."""
        return {
            "id": self.visit_table.take_id(),
            "agency_id": agency,
            "session_id": self.session_of.get((agency, day.year, day.month)),
            "visited_on": day,
            "citizen_name": "[Bảo mật]" if kind == "denunciation" else self._name(),
            "content": "Trình bày nội dung đơn",
            "kind": kind if kind in VISIT_KINDS else "feedback",
            "action": "accepted",
            "petition_id": petition_id,
        }
