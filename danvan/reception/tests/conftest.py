import datetime as dt
import zoneinfo

import pytest
import time_machine

from danvan.org.models import Membership

R = Membership.Role
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Tests run on a fixed "today", after the 1/7/2026 switch, so their dates are never "future".
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=VIETNAM), tick=True):
        yield


class Desk:
    """The commune People's Committee's reception desk, and people outside it."""

    def __init__(self, org_tree, make_member):
        self.tree = org_tree
        self.agency = org_tree.commune_pc
        self.chair = make_member(self.agency, R.LEADER)
        self.officer = make_member(self.agency, R.OFFICER)
        self.clerk = make_member(self.agency, R.CLERK)
        self.viewer = make_member(self.agency, R.VIEWER)
        self.other_clerk = make_member(org_tree.dept_b, R.CLERK)
        self.city_leader = make_member(org_tree.city, R.LEADER)


@pytest.fixture
def desk(org_tree, make_member):
    return Desk(org_tree, make_member)


def visit_kwargs(desk, **extra):
    data = {
        "actor": desk.clerk,
        "agency": desk.agency,
        "visited_on": dt.date(2026, 11, 20),
        "citizen_name": "Trần Văn Dân",
        "address": "Ấp 3, phường Vị Thanh",
        "id_number": "079000111222",
        "content": "Khiếu nại việc thu hồi đất",
        "kind": "complaint",
        "action": "guided",
    }
    data.update(extra)
    return data
