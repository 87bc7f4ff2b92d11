"""The petition workflow as one table. Pure Python: no ORM, testable without a database.

States follow Thông tư 05/2021/TT-TTCP and the complaint/denunciation laws (DOMAIN.md §A–C):
received → classified → accepted | transferred | guided | filed → verifying → resolved → closed,
plus withdrawal (any open state), suspension and resumption, extensions (denunciations), partial
withdrawal (from 1/7/2026, Luật 136/2025) and a second-instance complaint (a new linked case).
`check_move` is the only judge of whether a move is allowed; `services.petition_move` the only
code that performs one.
"""

import datetime as dt
from dataclasses import dataclass

RECEIVED = "received"
CLASSIFIED = "classified"
ACCEPTED = "accepted"
TRANSFERRED = "transferred"
GUIDED = "guided"
FILED = "filed"
VERIFYING = "verifying"
SUSPENDED = "suspended"
RESOLVED = "resolved"
WITHDRAWN = "withdrawn"
CLOSED = "closed"

STATES = (
    RECEIVED,
    CLASSIFIED,
    ACCEPTED,
    TRANSFERRED,
    GUIDED,
    FILED,
    VERIFYING,
    SUSPENDED,
    RESOLVED,
    WITHDRAWN,
    CLOSED,
)
OPEN_STATES = frozenset({RECEIVED, CLASSIFIED, ACCEPTED, VERIFYING, SUSPENDED})
FINAL_STATES = frozenset({CLOSED, WITHDRAWN})

COMPLAINT = "complaint"
DENUNCIATION = "denunciation"
RECOMMENDATION = "recommendation"
FEEDBACK = "feedback"
MULTIPLE = "multiple"
UNCLASSIFIED = "unclassified"
KINDS = (COMPLAINT, DENUNCIATION, RECOMMENDATION, FEEDBACK, MULTIPLE, UNCLASSIFIED)

# Luật 136/2025/QH15: partial withdrawal of a complaint allowed from this date (DOMAIN.md §B).
PARTIAL_WITHDRAWAL_FROM = dt.date(2026, 7, 1)


@dataclass(frozen=True)
class Move:
    """One allowed action: from which states, to which state, for which kinds of petition."""

    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (extension, partial withdrawal, split)
    kinds: frozenset[str] = frozenset(KINDS)
    needs_reason: bool = False
    public: bool = True  # the petitioner is told (portal timeline, notice)


def _m(action, sources, target, kinds=KINDS, needs_reason=False, public=True) -> Move:
    return Move(action, frozenset(sources), target, frozenset(kinds), needs_reason, public)


HANDLED_KINDS = (COMPLAINT, DENUNCIATION, RECOMMENDATION, FEEDBACK)
MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        _m("classify", {RECEIVED, CLASSIFIED}, CLASSIFIED, public=False),
        _m("split", {CLASSIFIED}, None, kinds=(MULTIPLE,), needs_reason=True, public=False),
        _m("accept", {CLASSIFIED}, ACCEPTED, kinds=HANDLED_KINDS),
        _m("transfer", {CLASSIFIED}, TRANSFERRED, kinds=HANDLED_KINDS, needs_reason=True),
        _m("guide", {CLASSIFIED}, GUIDED, kinds=HANDLED_KINDS, needs_reason=True),
        _m("file", {CLASSIFIED}, FILED, kinds=(*HANDLED_KINDS, MULTIPLE), needs_reason=True),
        _m(
            "start_verification",
            {ACCEPTED},
            VERIFYING,
            kinds=(COMPLAINT, DENUNCIATION),
            public=False,
        ),
        _m("extend", {ACCEPTED, VERIFYING}, None, kinds=(DENUNCIATION,), needs_reason=True),
        _m(
            "suspend",
            {ACCEPTED, VERIFYING},
            SUSPENDED,
            kinds=(COMPLAINT, DENUNCIATION),
            needs_reason=True,
        ),
        _m("resume", {SUSPENDED}, VERIFYING, kinds=(COMPLAINT, DENUNCIATION)),
        _m("resolve", {ACCEPTED, VERIFYING}, RESOLVED, kinds=HANDLED_KINDS, needs_reason=True),
        _m("withdraw", OPEN_STATES, WITHDRAWN, kinds=(COMPLAINT, DENUNCIATION), needs_reason=True),
        _m(
            "withdraw_partially", {ACCEPTED, VERIFYING}, None, kinds=(COMPLAINT,), needs_reason=True
        ),
        _m("close", {RESOLVED, TRANSFERRED, GUIDED, FILED}, CLOSED, public=False),
        _m("second_instance", {RESOLVED, CLOSED}, None, kinds=(COMPLAINT,), needs_reason=True),
    ]
}


class MoveError(ValueError):
    """The move is not allowed; `code` says why (unknown, state, kind, reason, date, limit)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def check_move(
    *,
    action: str,
    state: str,
    kind: str,
    reason: str = "",
    on: dt.date | None = None,
    instance: int = 1,
    extensions: int = 0,
    max_extensions: int = 2,
) -> Move:
    """Return the Move if `action` is allowed for a petition in `state` of `kind`, else raise."""
    move = MOVES.get(action)
    if move is None:
        raise MoveError("unknown", f"unknown action {action!r}")
    if state not in move.sources:
        raise MoveError("state", f"{action} is not allowed from {state}")
    if kind not in move.kinds:
        raise MoveError("kind", f"{action} is not allowed for a {kind}")
    if move.needs_reason and not reason.strip():
        raise MoveError("reason", f"{action} needs a reason")
    if action == "withdraw_partially" and (on is None or on < PARTIAL_WITHDRAWAL_FROM):
        raise MoveError("date", "partial withdrawal is allowed from 1/7/2026")
    if action == "second_instance" and instance != 1:
        raise MoveError("limit", "a second-instance complaint cannot be appealed again")
    if action == "extend" and extensions >= max_extensions:
        raise MoveError("limit", "no more extensions are allowed")
    return move


def allowed_actions(*, state: str, kind: str) -> list[str]:
    """Actions whose state and kind conditions hold (reason/date/limit checked at move time)."""
    return [a for a, m in MOVES.items() if state in m.sources and kind in m.kinds]
