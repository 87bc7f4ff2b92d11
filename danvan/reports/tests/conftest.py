"""A hand-counted data set for the first six months of 2026 (15/12/2025–14/06/2026 with the
default cut-off day 15), seen on 1/7/2026. The expected figures are written out in EXPECTED and
were counted by hand from the rows below, not computed."""

import datetime as dt

import pytest
from django.utils import timezone

from danvan.api.tests.conftest import token_for  # noqa: F401  (the API's token fixture)
from danvan.org.models import Membership
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.plans.models import ContentArea, Plan, Task
from danvan.reception.models import ReceptionSession
from danvan.reports import periods

D = dt.date
TODAY = D(2026, 7, 1)
H1 = periods.period_for(periods.HALF, 2026, 1)
R = Membership.Role


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


class Dataset:
    def __init__(self, tree, make_member):
        self.tree = tree
        self.city_leader = make_member(tree.city, R.LEADER)
        self.commune_leader = make_member(tree.commune_pc, R.LEADER)
        self.commune_officer = make_member(tree.commune_pc, R.OFFICER)
        self.dept_officer = make_member(tree.dept_a, R.OFFICER)
        self.front_leader = make_member(tree.front, R.LEADER)
        self.counter = 0
        c, a, f, u = tree.commune_pc, tree.dept_a, tree.front, tree.commune
        self.p1 = self.petition(c, "complaint", "reception", D(2026, 1, 10), u, "resolved")
        self.deadline(self.p1, due=D(2026, 3, 1), met=D(2026, 2, 20))
        self.move(self.p1, "accept", D(2026, 1, 20))
        self.p2 = self.petition(
            c, "complaint", "portal", D(2026, 2, 5), u, "accepted", due_on=D(2026, 5, 1)
        )
        self.deadline(self.p2, due=D(2026, 5, 1), met=None)
        self.move(self.p2, "accept", D(2026, 2, 10))
        self.p3 = self.petition(c, "feedback", "hotline", D(2026, 3, 1), None, "transferred")
        self.move(self.p3, "transfer", D(2026, 3, 3))
        self.p4 = self.petition(
            a, "recommendation", "post", D(2026, 4, 10), u, "resolved", is_mass=True
        )
        Petition.objects.filter(pk=self.p4.pk).update(petitioner_count=12)
        self.deadline(self.p4, due=D(2026, 5, 1), met=D(2026, 5, 20))
        self.move(self.p4, "accept", D(2026, 4, 12))
        self.p5 = self.petition(
            a, "denunciation", "reception", D(2026, 6, 14), u, "received", due_on=D(2026, 6, 30)
        )
        self.p6 = self.petition(a, "complaint", "post", D(2026, 6, 15), u, "received")
        self.p7 = self.petition(c, "complaint", "post", D(2025, 12, 14), u, "filed")
        self.move(self.p7, "file", D(2025, 12, 20))
        self.p8 = self.petition(f, "complaint", "post", D(2026, 2, 1), u, "received")
        self.tasks()
        self.sessions()

    def petition(self, agency, kind, channel, received_on, unit, status, **extra):
        self.counter += 1
        return Petition.objects.create(
            tracking_code=f"T-{self.counter:04d}",
            agency=agency,
            unit=unit,
            kind=kind,
            channel=channel,
            status=status,
            subject=f"Đơn số {self.counter}",
            content="Nội dung",
            received_on=received_on,
            **extra,
        )

    def deadline(self, petition, *, due, met):
        from danvan.core.models import LegalRule

        Deadline.objects.create(
            petition=petition,
            kind=Deadline.Kind.RESOLVE,
            rule=LegalRule.objects.first(),
            start_on=petition.received_on,
            due_on=due,
            days=30,
            met_on=met,
        )

    def move(self, petition, action, day):
        Transition.objects.create(
            petition=petition, action=action, from_status="classified", to_status="x", at=at(day)
        )

    def tasks(self):
        tree = self.tree
        self.plan = Plan.objects.create(
            title="Kế hoạch công tác dân vận chính quyền năm 2026",
            issuing_agency=tree.city,
            year=2026,
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
        )
        one = ContentArea.objects.create(plan=self.plan, number=1, title="Lãnh đạo, chỉ đạo")
        two = ContentArea.objects.create(plan=self.plan, number=2, title="Tiếp dân, đối thoại")
        self.contents = (one, two)
        rows = [
            (one, tree.dept_a, D(2026, 3, 1), 100, D(2026, 2, 25)),  # done on time
            (one, tree.dept_a, D(2026, 4, 1), 100, D(2026, 4, 5)),  # done late
            (two, tree.commune_pc, D(2026, 5, 1), 0, None),  # overdue
            (two, tree.commune_pc, D(2026, 6, 10), 50, None),  # overdue
            (two, tree.dept_a, D(2026, 7, 10), 0, None),  # after the period
        ]
        for i, (content, lead, due, percent, completed) in enumerate(rows, start=1):
            Task.objects.create(
                plan=self.plan,
                content=content,
                title=f"Nhiệm vụ {i}",
                lead_agency=lead,
                due_on=due,
                percent=percent,
                completed_on=completed,
            )

    def sessions(self):
        agency = self.tree.commune_pc
        for day, status in (
            (D(2026, 1, 8), "held"),
            (D(2026, 1, 8), "held"),
            (D(2026, 2, 12), "held"),
            (D(2026, 3, 5), "planned"),
        ):
            ReceptionSession.objects.create(
                agency=agency,
                leader=self.commune_leader,
                role="commune_pc_chair",
                date=day,
                place="Trụ sở",
                status=status,
            )


EXPECTED_CITY = {
    "received": 5,
    "by_kind": {"complaint": 2, "feedback": 1, "recommendation": 1, "denunciation": 1},
    "by_channel": {"reception": 2, "portal": 1, "hotline": 1, "post": 1},
    "outcomes": {"accept": 3, "transfer": 1, "guide": 0, "file": 1},
    "on_time": 1,
    "late": 1,
    "open_overdue": 1,
    "on_time_rate": 33.3,
    "mass": {"petitions": 1, "people": 12},
    "previous_received": 1,
    "tasks": {"done_on_time": 1, "done_late": 1, "in_progress": 0, "not_started": 0}
    | {"overdue": 2},
}


@pytest.fixture
def dataset(org_tree, make_member):
    return Dataset(org_tree, make_member)
