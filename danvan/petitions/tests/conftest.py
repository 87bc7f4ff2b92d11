import datetime as dt

import pytest

from danvan.org.models import Membership
from danvan.petitions.services import PetitionerData, petition_move, petition_receive

R = Membership.Role


def eligible(kind: str) -> list[str]:
    """Every eligibility item of `kind` ticked, as an officer does for a complete petition."""
    from danvan.petitions.eligibility import CHECKLISTS

    return [key for key, _label in CHECKLISTS.get(kind, [])]


SECRET_NAME = "Nguyễn Văn Bímật"
SECRET_ID = "079123456789"
SECRET_PHONE = "0987654321"


class Desk:
    """A commune People's Committee taking petitions: clerk, officer, leader, and outsiders."""

    def __init__(self, org_tree, make_member):
        self.tree = org_tree
        self.agency = org_tree.commune_pc
        self.clerk = make_member(self.agency, R.CLERK)
        self.officer = make_member(self.agency, R.OFFICER)
        self.officer2 = make_member(self.agency, R.OFFICER)
        self.leader = make_member(self.agency, R.LEADER)
        self.viewer = make_member(self.agency, R.VIEWER)
        self.city_leader = make_member(org_tree.city, R.LEADER)
        self.outsider = make_member(org_tree.front, R.LEADER)

    def receive(
        self, *, kind="unclassified", received_on=dt.date(2026, 2, 10), people=None, **extra
    ):
        people = (
            people
            if people is not None
            else [
                PetitionerData(
                    full_name="Trần Văn Dân", id_number="079000111222", phone="0911222333"
                )
            ]
        )
        return petition_receive(
            actor=self.clerk,
            agency=self.agency,
            channel=extra.pop("channel", "reception"),
            subject=extra.pop("subject", "Tranh chấp ranh giới đất"),
            content=extra.pop("content", "Hộ ông A lấn chiếm 2 mét đất."),
            received_on=received_on,
            petitioners=people,
            kind=kind,
            unit=self.tree.commune,
            **extra,
        )

    def denunciation(self, **extra):
        return self.receive(
            kind="denunciation",
            subject="Tố cáo cán bộ địa chính",
            content="Cán bộ X nhận tiền để cấp giấy chứng nhận.",
            people=[
                PetitionerData(
                    full_name=SECRET_NAME, id_number=SECRET_ID, phone=SECRET_PHONE, address="Ấp 3"
                )
            ],
            **extra,
        )

    def move(self, petition, action, actor=None, **kwargs):
        petition.refresh_from_db()
        if action == "classify" and "eligibility" not in kwargs:
            kwargs["eligibility"] = eligible(kwargs.get("kind", petition.kind))
        return petition_move(
            actor=actor or self.officer,
            petition=petition,
            action=action,
            expected_version=petition.version,
            **kwargs,
        )


@pytest.fixture
def desk(org_tree, make_member):
    return Desk(org_tree, make_member)
