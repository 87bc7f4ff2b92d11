"""Two officers act on the same case at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from danvan.core.errors import ConcurrentChangeError
from danvan.petitions.models import Petition, Transition
from danvan.petitions.services import petition_move


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_on_one_case_one_wins_the_other_is_told(desk):
    petition = desk.receive()
    version = petition.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, actor, kind):
        barrier.wait()
        try:
            petition_move(
                actor=actor,
                petition=petition,
                action="classify",
                expected_version=version,
                kind=kind,
            )
            outcomes[name] = "won"
        except ConcurrentChangeError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("a", desk.officer, "complaint")),
        threading.Thread(target=act, args=("b", desk.officer2, "feedback")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["ConcurrentChangeError", "str"]
    winner = next(n for n, o in outcomes.items() if o == "won")
    loser_error = next(o for o in outcomes.values() if o != "won")
    winner_user = desk.officer if winner == "a" else desk.officer2
    assert str(winner_user) in " ".join(loser_error.messages)
    stored = Petition.objects.get(pk=petition.pk)
    assert stored.version == version + 1
    assert stored.kind == ("complaint" if winner == "a" else "feedback")
    assert Transition.objects.filter(petition=stored, action="classify").count() == 1
