"""Every allowed and every forbidden move of the workflow table. No database."""

import datetime as dt
import itertools

import pytest

from danvan.petitions import workflow as wf

# The expected table, written out independently of workflow.MOVES: (action, state, kind) allowed.
HANDLED = {wf.COMPLAINT, wf.DENUNCIATION, wf.RECOMMENDATION, wf.FEEDBACK}
CASES_ = {wf.COMPLAINT, wf.DENUNCIATION}
EXPECTED = {
    "classify": ({wf.RECEIVED, wf.CLASSIFIED}, set(wf.KINDS)),
    "split": ({wf.CLASSIFIED}, {wf.MULTIPLE}),
    "accept": ({wf.CLASSIFIED}, HANDLED),
    "transfer": ({wf.CLASSIFIED}, HANDLED),
    "guide": ({wf.CLASSIFIED}, HANDLED),
    "file": ({wf.CLASSIFIED}, HANDLED | {wf.MULTIPLE}),
    "start_verification": ({wf.ACCEPTED}, CASES_),
    "extend": ({wf.ACCEPTED, wf.VERIFYING}, {wf.DENUNCIATION}),
    "suspend": ({wf.ACCEPTED, wf.VERIFYING}, CASES_),
    "resume": ({wf.SUSPENDED}, CASES_),
    "resolve": ({wf.ACCEPTED, wf.VERIFYING}, HANDLED),
    "withdraw": ({wf.RECEIVED, wf.CLASSIFIED, wf.ACCEPTED, wf.VERIFYING, wf.SUSPENDED}, CASES_),
    "withdraw_partially": ({wf.ACCEPTED, wf.VERIFYING}, {wf.COMPLAINT}),
    "close": ({wf.RESOLVED, wf.TRANSFERRED, wf.GUIDED, wf.FILED}, set(wf.KINDS)),
    "second_instance": ({wf.RESOLVED, wf.CLOSED}, {wf.COMPLAINT}),
}
AFTER_1_7_2026 = dt.date(2026, 7, 1)


def test_the_table_has_exactly_the_expected_actions():
    assert set(wf.MOVES) == set(EXPECTED)


@pytest.mark.parametrize(
    ("action", "state", "kind"), list(itertools.product(EXPECTED, wf.STATES, wf.KINDS))
)
def test_every_move_is_allowed_or_refused_as_the_law_says(action, state, kind):
    states, kinds = EXPECTED[action]
    args = {"action": action, "state": state, "kind": kind, "reason": "Lý do", "on": AFTER_1_7_2026}
    if state in states and kind in kinds:
        wf.check_move(**args)
    else:
        with pytest.raises(wf.MoveError) as exc:
            wf.check_move(**args)
        assert exc.value.code in {"state", "kind"}


@pytest.mark.parametrize("action", [a for a, m in wf.MOVES.items() if m.needs_reason])
def test_decisions_need_a_reason(action):
    states, kinds = EXPECTED[action]
    with pytest.raises(wf.MoveError) as exc:
        wf.check_move(
            action=action,
            state=sorted(states)[0],
            kind=sorted(kinds)[0],
            reason="  ",
            on=AFTER_1_7_2026,
        )
    assert exc.value.code == "reason"


def test_partial_withdrawal_only_from_1_july_2026():
    with pytest.raises(wf.MoveError) as exc:
        wf.check_move(
            action="withdraw_partially",
            state=wf.ACCEPTED,
            kind=wf.COMPLAINT,
            reason="Rút một phần",
            on=dt.date(2026, 6, 30),
        )
    assert exc.value.code == "date"
    wf.check_move(
        action="withdraw_partially",
        state=wf.ACCEPTED,
        kind=wf.COMPLAINT,
        reason="Rút một phần",
        on=dt.date(2026, 7, 1),
    )


def test_at_most_two_extensions_and_no_third_instance():
    args = {"action": "extend", "state": wf.VERIFYING, "kind": wf.DENUNCIATION, "reason": "x"}
    wf.check_move(**args, extensions=1)
    with pytest.raises(wf.MoveError):
        wf.check_move(**args, extensions=2)
    with pytest.raises(wf.MoveError):
        wf.check_move(
            action="second_instance", state=wf.RESOLVED, kind=wf.COMPLAINT, reason="x", instance=2
        )


def test_final_states_allow_nothing_but_a_second_instance():
    assert wf.allowed_actions(state=wf.WITHDRAWN, kind=wf.COMPLAINT) == []
    assert wf.allowed_actions(state=wf.CLOSED, kind=wf.COMPLAINT) == ["second_instance"]
    assert wf.allowed_actions(state=wf.CLOSED, kind=wf.FEEDBACK) == []
