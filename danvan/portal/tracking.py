"""Following a case by code: one query, one keyed-hash check, the public view of the case.

A wrong code and a wrong second factor get the same answer after the same work (one query, one
keyed hash), so codes cannot be enumerated. The public view shows the status, the public steps,
the open deadline and the published answer: never the content, a petitioner or an officer.

The keyed hash of the submitted code and secret is computed before the query and sent with it:
the statement returns the case's public view only where it equals the stored hash, so a lookup
by secret is one round trip in all, and the view is never read for a wrong secret. A lookup by
phone digits (checked after unsealing, in Python) or against a hash of the older scheme reads
the view in a second query once the factor is known to match.
"""

import datetime as dt
import functools
import hashlib
import hmac
from dataclasses import dataclass, field

from django.contrib.auth.hashers import check_password
from django.urls import NoReverseMatch, reverse

from danvan.core import prepared, ratelimit
from danvan.core.models import LegalRule
from danvan.org.models import Agency
from danvan.petitions import sealing
from danvan.petitions import workflow as wf
from danvan.petitions.messaging import STEP_LABELS
from danvan.petitions.models import Deadline, Petition, Petitioner, SealedIdentity, Transition
from danvan.portal.models import PublicAnswer

TRACKING_HASH_PREFIX = "hmac-sha256$"


def tracking_hash(code: str, secret: str) -> str:
    """The stored form of a tracking secret: HMAC-SHA256 of code and secret under a server key.

    Not a slow password hash, on purpose: the secret is random (8 characters of 32, 40 bits), so
    a slow hash adds nothing against online guessing, which the rate limit stops; and without the
    key (derived from SECRET_KEY, never in the database) a stolen database gives no way to test
    guesses offline. A fast check lets the portal answer a lookup in well under a millisecond
    instead of the ~0.3 s of PBKDF2 per request (benchmarks: tracking throughput)."""
    key = sealing._derived_key(b"danvan-tracking")
    digest = hmac.new(key, f"{code}:{secret.upper()}".encode(), hashlib.sha256).hexdigest()
    return TRACKING_HASH_PREFIX + digest


def tracking_check(code: str, secret: str, stored: str) -> bool:
    """Whether `secret` matches `stored`; always one keyed hash (also for unknown codes).
    Hashes written before this scheme (Django password hashes) are still accepted."""
    return _secret_matches(tracking_hash(code, secret), secret, stored)


def _secret_matches(expected: str, secret: str, stored: str) -> bool:
    """Whether `stored` is `expected` (the keyed hash of the submitted code and secret) or, for a
    hash of the older scheme, a Django password hash of `secret`."""
    if stored.startswith(TRACKING_HASH_PREFIX):
        return hmac.compare_digest(stored, expected)
    return bool(stored) and check_password(secret.upper(), stored)


@dataclass(frozen=True)
class TrackingRow:
    """What a lookup reads of a case to check its second factor and show its status."""

    pk: int
    tracking_code: str
    tracking_secret_hash: str
    status: str
    answer_id: int | None
    answer_withdrawn: bool


@dataclass
class Tracked:
    """The public view of a found case, as the result template shows it."""

    code: str = ""
    status: str = ""
    steps: list = field(default_factory=list)
    due_on: dt.date | None = None
    citation: str = ""
    answer_url: str = ""


# Hand-written rather than built by the ORM on each request: compiling the equivalent querysets
# cost more CPU than PostgreSQL spends answering them, on the one page the public can call at will.
# Few joins on purpose: PostgreSQL plans every statement afresh unless the deployment allows
# prepared statements (core.prepared), and each joined table adds ~0.1 ms of planning, more than
# the whole execution.
@functools.cache
def _sql() -> tuple[str, str]:
    """The case by code (with its answer's state) and, where its stored hash is the one sent, its
    open deadline and public steps (one row per step, or one row; the view's columns NULL where
    the hash differs); and the public view alone, by case id, for the other second factors."""
    tables = {
        model.__name__: model._meta.db_table
        for model in (Petition, PublicAnswer, Deadline, LegalRule, Transition, Agency)
    }
    # Portable SQL (no LATERAL, for SQLite). The hash test sits in the outer joins' conditions:
    # an existing code costs the same index probes whatever the secret, so timing tells no more
    # than the answer does.
    case = (
        "SELECT p.id, p.tracking_code, p.tracking_secret_hash, p.status, "
        "a.id, a.is_withdrawn, d.due_on, r.article, r.law, t.at, t.action, t.to_status, g.name, "
        "t.id FROM {Petition} p LEFT JOIN {PublicAnswer} a ON a.petition_id = p.id "
        "LEFT JOIN {Deadline} d ON p.tracking_secret_hash = %s AND d.id = (SELECT n.id "
        "FROM {Deadline} n WHERE n.petition_id = p.id AND n.met_on IS NULL "
        "ORDER BY n.due_on, n.id LIMIT 1) "
        "LEFT JOIN {LegalRule} r ON r.id = d.rule_id "
        "LEFT JOIN {Transition} t ON p.tracking_secret_hash = %s AND t.petition_id = p.id "
        "AND t.is_public = %s "
        "LEFT JOIN {Agency} g ON g.id = t.target_agency_id "
        "WHERE p.tracking_code = %s"
    )
    view = (
        "SELECT d.due_on, r.article, r.law, t.at, t.action, t.to_status, g.name, t.id "
        "FROM (SELECT CAST(%s AS BIGINT) AS pid) x "
        "LEFT JOIN {Deadline} d ON d.id = (SELECT n.id FROM {Deadline} n "
        "WHERE n.petition_id = x.pid AND n.met_on IS NULL ORDER BY n.due_on, n.id LIMIT 1) "
        "LEFT JOIN {LegalRule} r ON r.id = d.rule_id "
        "LEFT JOIN {Transition} t ON t.petition_id = x.pid AND t.is_public = %s "
        "LEFT JOIN {Agency} g ON g.id = t.target_agency_id "
        "ORDER BY t.at, t.id"
    )
    return case.format(**tables), view.format(**tables)


def _date(value):
    # SQLite hands dates back as text; PostgreSQL as dates.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value):
    # SQLite stores aware datetimes as naive UTC text (USE_TZ); PostgreSQL returns them aware.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


CASE_COLUMNS = 6  # the case's columns in a row of the case statement; its public view follows


def _case_params(code: str, expected: str) -> list:
    return [expected, expected, True, code]


def _tracking_row(rows: list[tuple]) -> TrackingRow | None:
    if not rows:
        return None
    *head, answer_withdrawn = rows[0][:CASE_COLUMNS]
    return TrackingRow(*head, answer_withdrawn=bool(answer_withdrawn))


@dataclass(frozen=True)
class Found:
    """A case whose second factor matched, and its public view's rows when the lookup read them
    (a match by secret); None for the rows means `portal_track` reads them."""

    case: TrackingRow
    view_rows: list[tuple] | None = None


def _phone_matches(case: TrackingRow | None, digits: str) -> bool:
    """Whether `digits` are the last 4 of a phone given at submission (unsealed in memory)."""
    if case is None or len(digits) != 4 or not digits.isdigit():
        return False
    sealed = SealedIdentity.objects.filter(petition_id=case.pk).values_list("ciphertext", flat=True)
    if sealed:
        phones = [p.get("phone", "") for p in sealing.unseal(sealed[0])]
    else:
        phones = Petitioner.objects.filter(petition_id=case.pk).values_list("phone", flat=True)
    return any(len(phone) >= 4 and phone[-4:] == digits for phone in phones)


def _matched(rows: list[tuple], expected: str, factor: str) -> Found | None:
    """The case of `rows` if `factor` is its secret (`expected` its keyed hash; the rows then
    carry its public view) or its phone's last 4; None otherwise."""
    case = _tracking_row(rows)
    stored = case.tracking_secret_hash if case and case.tracking_secret_hash else ""
    if case and stored and _secret_matches(expected, factor, stored):
        # The statement read the view where the stored hash is the keyed one sent with it.
        read_with_it = stored.startswith(TRACKING_HASH_PREFIX)
        return Found(case, [row[CASE_COLUMNS:] for row in rows] if read_with_it else None)
    return Found(case) if case and _phone_matches(case, factor) else None


def portal_find(*, code: str, factor: str) -> Found | None:
    """The case (and its public view, for a secret) if `code` and its second factor (secret, or
    phone's last 4) match.

    Always one query and one keyed hash, found or not, so timing tells nothing."""
    expected = tracking_hash(code, factor)
    return _matched(prepared.fetch_all(_sql()[0], _case_params(code, expected)), expected, factor)


def portal_find_counted(
    *, code: str, factor: str, limit: ratelimit.Limit, client: str
) -> tuple[bool, Found | None]:
    """`portal_find` after counting the client's hit of `limit`, both in one statement where the
    counters are in PostgreSQL (`ratelimit.check_then_read`). (False, None) over the limit."""
    expected = tracking_hash(code, factor)
    allowed, rows = ratelimit.check_then_read(
        limit, client, _sql()[0], _case_params(code, expected)
    )
    if not allowed:
        return False, None
    return True, _matched(rows, expected, factor)


def _step_label(action: str, to_status: str) -> str:
    if action in STEP_LABELS:
        return str(STEP_LABELS[action]).capitalize()
    return Petition.Status(to_status).label


def view_rows(found: Found) -> list[tuple]:
    """The rows of the found case's public view: those read with it, or one query."""
    if found.view_rows is not None:
        return found.view_rows
    return prepared.fetch_all(_sql()[1], [found.case.pk, True])


def portal_track(found: Found) -> Tracked:
    """The public view of a found case: public steps, the current deadline, the published answer
    (read with the case, or one query). Nothing else of the case is read: no content, no
    petitioner, no officer."""
    case, rows = found.case, view_rows(found)
    due_on, article, law = rows[0][:3]
    # In the order of the steps (the order of a join's rows is not guaranteed; the id breaks ties).
    steps = sorted(
        (_moment(at), step_id, action, to_status, agency)
        for *_deadline, at, action, to_status, agency, step_id in rows
        if action is not None
    )
    return Tracked(
        code=case.tracking_code,
        status=Petition.Status(case.status).label,
        steps=[
            {"at": at, "label": _step_label(action, to_status), "to_agency": agency}
            for at, _id, action, to_status, agency in steps
        ],
        due_on=_date(due_on) if case.status in wf.OPEN_STATES else None,
        citation=LegalRule.cite(article, law) if article else "",
        answer_url=_answer_url(case),
    )


def _answer_url(case: TrackingRow) -> str:
    """The published answer's address, unless it was withdrawn (and if its page exists)."""
    if case.answer_id is None or case.answer_withdrawn:
        return ""
    try:
        return reverse("portal:answer_detail", args=[case.answer_id])
    except NoReverseMatch:
        return ""
