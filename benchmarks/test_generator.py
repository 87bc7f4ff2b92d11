"""The generator writes what the application itself would compute, follows its shares, and gives
the same rows for the same seed (no database needed: ids start at 1)."""

import collections
import datetime as dt
import json
import random

import pytest

from benchmarks import shares
from benchmarks.build import SESSION_COLUMNS, TASK_COLUMNS, Builder, Days, choice_table, weighted
from benchmarks.copy import Table
from benchmarks.petitions import COLUMNS, PetitionRows
from danvan.core.text import fold_text
from danvan.petitions.sealing import match_key
from danvan.plans.models import Task
from danvan.portal.tracking import tracking_hash
from danvan.reception.models import ReceptionSession

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def no_database(monkeypatch, settings):
    settings.DANVAN_MATCH_KEY = "k" * 32
    monkeypatch.setattr(Table, "_max_id", lambda self: 0)


def builder(seed=7, petitions=2_000, tasks=500) -> Builder:
    b = Builder(
        rng=random.Random(seed), today=TODAY, petitions=petitions, tasks=tasks, shares=shares
    )
    b.rules = {
        "petition.process": 1,
        "complaint.resolve.first": 2,
        "denunciation.resolve": 3,
    }

    class Unit:
        def __init__(self, pk, code, name):
            self.pk, self.code, self.name = pk, code, name

    b.provinces = [Unit(1, "01", "Thành phố Hà Nội"), Unit(2, "79", "Thành phố Hồ Chí Minh")]
    b.communes = [(10, 1, "Xã Đông Thạnh"), (11, 1, "Phường Tân An"), (12, 2, "Xã Bình Mỹ")]
    b.province_agencies = {1: [1, 2, 3, 4, 5, 6], 2: [7, 8, 9, 10, 11, 12]}
    b.commune_pc = {10: 13, 11: 14, 12: 15}
    b.leaders = {13: 100, 14: 101, 15: 102}
    return b


def generate(b: Builder) -> dict[str, list[tuple]]:
    """Every streamed table's rows, as the bulk load would receive them."""
    rows: dict[str, list[tuple]] = collections.defaultdict(list)
    b.slots = [(1, 1, 2025, 1), (1, 2, 2025, 1), (2, 3, 2026, 2)]
    rows["task"] = list(b.task_rows(Table(Task, TASK_COLUMNS)))
    b.session_of = {}
    rows["session"] = list(b.session_rows(Table(ReceptionSession, SESSION_COLUMNS)))
    petitions = PetitionRows(b)
    petitions.sealed_blob = b"sealed"  # Fernet draws its IV from the OS, not the seed
    petitions.write({key: rows[key].append for key in COLUMNS})
    rows["duplicates"] = petitions.duplicate_pairs
    return rows


def as_dicts(rows, key):
    return [dict(zip(COLUMNS[key], row, strict=True)) for row in rows[key]]


def test_the_same_seed_gives_the_same_rows(no_database):
    first, again, other = generate(builder()), generate(builder()), generate(builder(seed=8))
    assert first == again
    assert first["petition"] != other["petition"]
    assert len(first["petition"]) == 2_000 and len(first["task"]) == 500
    assert len(first["session"]) == 3 * 62


def test_cached_folding_and_keys_agree_with_the_application(no_database):
    b = builder(petitions=3_000)
    rows = generate(b)
    petitions = as_dicts(rows, "petition")
    assert len(petitions) == 3_000
    for p in petitions:
        assert p["search_text"] == fold_text(f"{p['tracking_code']} {p['subject']} {p['content']}")
        keys = json.loads(p["match_keys"])
        assert keys == sorted(keys) and [k.split(":")[0] for k in keys] == ["id", "phone"]
        if p["channel"] == "portal":
            assert p["tracking_secret_hash"] == tracking_hash(p["tracking_code"], "K7M2P9QX")
        else:
            assert p["tracking_secret_hash"] == ""
    people = as_dicts(rows, "petitioner")
    by_petition = {p["id"]: p for p in petitions}
    for person in people[:200]:
        keys = json.loads(by_petition[person["petition_id"]]["match_keys"])
        assert keys == [match_key("id", person["id_number"]), match_key("phone", person["phone"])]
    for task in rows["task"]:
        assert task[-1] == fold_text(task[3])
    pairs = rows["duplicates"]
    assert pairs and all(copy > original for copy, original in pairs)
    for copy, original in pairs[:50]:
        c, o = by_petition[copy], by_petition[original]
        assert c["match_keys"] == o["match_keys"] and c["subject"] == o["subject"]
        assert c["content"].startswith(o["content"]) and c["agency_id"] == o["agency_id"]
    assert len(set(by_petition)) == len(petitions)
    assert len({p["tracking_code"] for p in petitions}) == len(petitions)


def test_children_follow_their_petitions(no_database):
    b = builder(petitions=3_000)
    rows = generate(b)
    petitions = {p["id"]: p for p in as_dicts(rows, "petition")}
    days = Days(TODAY)
    for p in petitions.values():
        received = dt.date.fromisoformat(p["received_on"])
        assert TODAY - dt.timedelta(days=365 * 5) <= received <= TODAY
        assert p["created_at"] == days.at[days.index(received)]
    sealed = {r[1] for r in rows["sealed"]}
    people = {r[1] for r in rows["petitioner"]}
    assert sealed | people == set(petitions) and not sealed & people
    assert all(petitions[pk]["kind"] == "denunciation" for pk in sealed)
    deadlines = as_dicts(rows, "deadline")
    assert {d["petition_id"] for d in deadlines if d["kind"] == "process"} == set(petitions)
    for d in deadlines:
        start, due = dt.date.fromisoformat(d["start_on"]), dt.date.fromisoformat(d["due_on"])
        assert (due - start).days == d["days"]
        assert d["met_on"] is None or dt.date.fromisoformat(d["met_on"]) <= TODAY
    sessions = {(s[1], s[4][:7]): s[0] for s in rows["session"]}
    for visit in as_dicts(rows, "visit"):
        p = petitions[visit["petition_id"]]
        assert p["channel"] == "reception" and p["kind"] != "unclassified"
        assert visit["session_id"] == sessions.get((visit["agency_id"], visit["visited_on"][:7]))
    for t in as_dicts(rows, "transition"):
        assert dt.date.fromisoformat(t["at"][:10]) <= TODAY


def test_generated_moves_name_real_states():
    from benchmarks.petitions import MOVES
    from danvan.petitions import workflow as wf

    for action, (source, target) in MOVES.items():
        assert action in wf.MOVES and source in wf.STATES and target in wf.STATES


def test_weighted_draws_follow_the_shares():
    rng = random.Random(1)
    draws = [weighted(rng, shares.KINDS) for _ in range(20_000)]
    share = draws.count("complaint") / len(draws)
    assert abs(share - shares.KINDS["complaint"] / sum(shares.KINDS.values())) < 0.02
    assert collections.Counter(choice_table(shares.CHANNELS)) == shares.CHANNELS


def test_generated_petitions_follow_the_shares(no_database):
    petitions = as_dicts(generate(builder(petitions=20_000, tasks=0)), "petition")
    channels = collections.Counter(p["channel"] for p in petitions)
    # Duplicates (3 %) come by post; the rest follow CHANNELS.
    assert abs(channels["portal"] / len(petitions) - 0.20 * 0.97) < 0.015
    assert abs(sum(p["is_mass"] for p in petitions) / len(petitions) - shares.MASS_SHARE) < 0.005
