"""The generator writes what the application itself would compute (no database needed)."""

import datetime as dt
import itertools
import random

from benchmarks import shares
from benchmarks.build import Builder, weighted
from benchmarks.petitions import PetitionRows
from danvan.core.text import fold_text
from danvan.petitions.sealing import match_key


class FakeTable:
    """Hands out ids like benchmarks.copy.Table, without a database."""

    def __init__(self, model):
        self.ids = itertools.count(1)

    def take_id(self) -> int:
        return next(self.ids)


def test_cached_folding_and_keys_agree_with_the_application(monkeypatch, settings):
    settings.DANVAN_MATCH_KEY = "k" * 32
    builder = Builder(
        rng=random.Random(7), today=dt.date(2026, 11, 27), petitions=300, tasks=0, shares=shares
    )
    builder.rules = dict.fromkeys(
        ["petition.process", "complaint.resolve.first", "denunciation.resolve"], 1
    )
    builder.communes = [(10, 1, "Xã Đông Thạnh"), (11, 1, "Phường Tân An")]
    builder.province_agencies = {1: [1, 2, 3, 4, 5, 6]}
    builder.commune_pc = {10: 7, 11: 8}
    builder.session_of = {}
    builder.visit_table = FakeTable(None)
    monkeypatch.setattr("benchmarks.petitions.Table", FakeTable)
    rows = PetitionRows(builder)
    petitions = [p for chunk, _kids in rows.chunks() for p in chunk]
    assert len(petitions) == 300
    for p in petitions:
        expected = fold_text(f"{p['tracking_code']} {p['subject']} {p['content']}")
        assert p["search_text"] == expected
        assert all(k.split(":")[0] in ("id", "phone") for k in p["match_keys"])
    sample = rows._key("phone", "0912345678")
    assert sample == match_key("phone", "0912345678")
    assert rows.duplicate_pairs and all(copy > original for copy, original in rows.duplicate_pairs)


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
