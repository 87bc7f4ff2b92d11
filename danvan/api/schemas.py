"""Input and output schemas of API v1: one per endpoint, never a model's full field list."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, create_model

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it as invalid input rather than fail later.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def Text(max_length: int = 300, min_length: int = 0):
    return Annotated[
        str, Field(max_length=max_length, min_length=min_length), AfterValidator(_no_nul)
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Limit = Annotated[int, Field(ge=1, le=200)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]


class PageQuery(Schema):
    cursor: Text(200) | None = None
    limit: Limit | None = None


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page schema: items of `item` and the opaque cursor of the next page (null at the end)."""
    return create_model(
        name, __base__=Schema, items=(list[item], ...), next_cursor=(str | None, None)
    )


# --- reference data -------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    scheme: str
    level: str
    code: str
    name: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitFilters(PageQuery):
    level: Text(16) | None = None
    parent: Id | None = None
    q: Text(100) | None = None


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    unit_id: int | None
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class AgencyFilters(PageQuery):
    kind: Text(32) | None = None
    q: Text(100) | None = None


class LegalDocumentOut(Schema):
    id: int
    doc_type: str
    number: str
    issued_on: dt.date | None
    issuer: str
    title: str
    url: str


class LegalDocumentFilters(PageQuery):
    q: Text(100) | None = None


# --- plans ----------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    number: str
    title: str
    issuing_agency_id: int
    issued_on: dt.date | None
    year: int
    period_start: dt.date
    period_end: dt.date
    status: str
    parent_id: int | None
    version: int


class ContentOut(Schema):
    id: int
    number: int
    title: str
    description: str


class PlanDetailOut(PlanOut):
    purpose: str
    contents: list[ContentOut]
    legal_basis_ids: list[int]


class PlanFilters(PageQuery):
    year: Annotated[int, Field(ge=1900, le=2999)] | None = None


class TaskOut(Schema):
    id: int
    plan_id: int
    content_id: int
    code: str
    title: str
    lead_agency_id: int
    due_on: dt.date
    status: str
    percent: int
    started_on: dt.date | None
    completed_on: dt.date | None
    parent_id: int | None
    occurrence_of_id: int | None


class TaskFilters(PageQuery):
    plan: Id | None = None
    lead_agency: Id | None = None
    status: Text(16) | None = None
    due_from: Day | None = None
    due_to: Day | None = None


class ProgressOut(Schema):
    id: int
    task_id: int
    agency_id: int
    text: str
    percent: int
    created_at: dt.datetime
    review: str


class ProgressIn(Schema):
    agency_id: Id
    text: Text(5000, 1)
    percent: Annotated[int, Field(ge=0, le=100)]


# --- petitions ------------------------------------------------------------------------------


class PetitionOut(Schema):
    id: int
    tracking_code: str
    agency_id: int
    unit_id: int | None
    kind: str
    channel: str
    status: str
    instance: int
    subject: str
    received_on: dt.date
    due_on: dt.date | None
    is_anonymous: bool
    is_sealed: bool
    petitioner: str = Field(description='Who sent it; "[Bảo mật]" for a sealed denouncer.')
    petitioner_count: int
    assigned_to_id: int | None
    version: int


class DeadlineOut(Schema):
    kind: str
    due_on: dt.date
    start_on: dt.date
    days: int
    met_on: dt.date | None
    citation: str


class PetitionDetailOut(PetitionOut):
    content: str
    is_mass: bool
    is_complex: bool
    is_remote: bool
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]


class PetitionFilters(PageQuery):
    kind: Text(16) | None = None
    status: Text(16) | None = None
    channel: Text(24) | None = None
    unit: Id | None = None
    received_from: Day | None = None
    received_to: Day | None = None
    overdue: bool = False
    mine: bool = False
    q: Text(100) | None = None


class PetitionerIn(Schema):
    full_name: Text(200, 1)
    id_number: Text(20) = ""
    phone: Text(20) = ""
    email: Text(254) = ""
    address: Text(300) = ""


class PetitionIn(Schema):
    agency_id: Id
    channel: Text(24)
    subject: Text(300, 1)
    content: Text(20000, 1)
    received_on: Day
    kind: Text(16) = "unclassified"
    unit_id: Id | None = None
    is_anonymous: bool = False
    petitioners: list[PetitionerIn] = Field(default_factory=list, max_length=50)
    petitioner_count: Annotated[int, Field(ge=1, le=100000)] | None = None
    forwarded_by: Text(300) = ""


class MoveIn(Schema):
    action: Text(32, 1)
    version: Annotated[int, Field(ge=1, le=2**31)]
    reason: Text(5000) = ""
    legal_basis: Text(300) = ""
    target_agency_id: Id | None = None
    kind: Text(16) | None = Field(None, description="classify only")
    is_complex: bool | None = Field(None, description="classify only")
    is_remote: bool | None = Field(None, description="classify only")
    eligibility: list[Text(64)] | None = Field(None, description="classify only", max_length=50)


class TransitionOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str
    legal_basis: str
    target_agency_id: int | None
    is_public: bool = Field(
        description="False for an internal step: its reason is not shown to the petitioner."
    )


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class IdentityOut(Schema):
    full_name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


# --- reception ------------------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    agency_id: int
    session_id: int | None
    visited_on: dt.date
    citizen_name: str
    content: str
    kind: str
    people_count: int
    action: str
    petition_id: int | None


class VisitFilters(PageQuery):
    agency: Id
    start: Day
    end: Day


class VisitIn(Schema):
    agency_id: Id
    visited_on: Day
    citizen_name: Text(200, 1)
    content: Text(20000, 1)
    kind: Text(16)
    action: Text(16)
    address: Text(300) = ""
    id_number: Text(20) = ""
    people_count: Annotated[int, Field(ge=1, le=100000)] = 1
    representatives: list[Text(200)] = Field(default_factory=list, max_length=50)
    session_id: Id | None = None
    handled_by: Text(300) = ""
    forwarded_to: Text(300) = ""
    result: Text(5000) = ""
    notes: Text(5000) = ""
    subject: Text(300) = ""
