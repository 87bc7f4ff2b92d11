import datetime as dt

import pytest

from danvan.org.models import Membership
from danvan.plans.models import Plan
from danvan.plans.services import content_add, plan_create, plan_set_status, task_create

R = Membership.Role
YEAR = 2026


class PlanWorld:
    """The org tree of the root conftest plus: a city plan issued by the city People's
    Committee, content (1), a task led by dept A with dept B coordinating, and one user per
    role in the agencies concerned."""

    def __init__(self, org_tree, make_member):
        self.tree = org_tree
        self.issuer_officer = make_member(org_tree.city, R.OFFICER)
        self.city_leader = make_member(org_tree.city, R.LEADER)
        self.lead_officer = make_member(org_tree.dept_a, R.OFFICER)
        self.lead_leader = make_member(org_tree.dept_a, R.LEADER)
        self.lead_clerk = make_member(org_tree.dept_a, R.CLERK)
        self.lead_viewer = make_member(org_tree.dept_a, R.VIEWER)
        self.coord_officer = make_member(org_tree.dept_b, R.OFFICER)
        self.outsider = make_member(org_tree.front, R.LEADER)
        self.plan = plan_create(
            actor=self.issuer_officer,
            issuing_agency=org_tree.city,
            title="Kế hoạch thử",
            year=YEAR,
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
        )
        self.content = content_add(actor=None, plan=self.plan, number=1, title="Nội dung một")
        self.task = task_create(
            actor=self.issuer_officer,
            plan=self.plan,
            content=self.content,
            title="Nhiệm vụ thử",
            lead_agency=org_tree.dept_a,
            due_on=dt.date(YEAR, 6, 30),
            coordinating=[org_tree.dept_b],
        )
        self.plan = plan_set_status(actor=None, plan=self.plan, status=Plan.Status.ISSUED)
        self.task.refresh_from_db()


@pytest.fixture
def world(org_tree, make_member):
    return PlanWorld(org_tree, make_member)
