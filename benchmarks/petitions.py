"""Petitions of the bench data set, generated in date order in chunks: each chunk's petitions and
their petitioners, sealed identities, deadlines and transitions are written before the next chunk
is made, so memory is bounded by the chunk size whatever the total."""

import datetime as dt
import hashlib
import hmac
from collections import deque
from collections.abc import Iterator

from django.conf import settings

from benchmarks.build import (
    BENCH_SECRET,
    DECISIONS,
    OPEN,
    RESOLVE_RULES,
    YEARS,
    at,
    folded,
    weighted,
)
from benchmarks.copy import Table
from danvan.petitions import sealing
from danvan.petitions.models import Deadline, Petition, Petitioner, SealedIdentity, Transition
from danvan.petitions.sealing import seal
from danvan.portal.services_citizen import tracking_hash

CHUNK = 20_000
# (from, to) of each generated move, as the workflow records them.
MOVES = {
    "classify": ("received", "classified"),
    "accept": ("classified", "accepted"),
    "transfer": ("classified", "transferred"),
    "guide": ("classified", "guided"),
    "file": ("classified", "filed"),
    "resolve": ("verifying", "resolved"),
}
RECENT = 3_000  # originals a duplicate may copy (about the last month and a half at 100k)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class PetitionRows:
    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.petition_table = Table(Petition)
        self.petitioner_table = Table(Petitioner)
        self.sealed_table = Table(SealedIdentity)
        self.deadline_table = Table(Deadline)
        self.transition_table = Table(Transition)
        self.sealed_blob = seal([{"full_name": "Người tố cáo", "phone": "0900000000"}])
        self.recent: deque = deque(maxlen=RECENT)
        secret = settings.DANVAN_MATCH_KEY or sealing._derived_key(b"danvan-match").decode()
        self.match_secret = secret.encode()
        self.duplicate_pairs: list[tuple[int, int]] = []
        self.start = builder.today - dt.timedelta(days=365 * YEARS)

    def chunks(self) -> Iterator[tuple[list[dict], dict[str, list]]]:
        """(petitions, their children by table) for CHUNK petitions at a time, in date order."""
        n = self.b.n_petitions
        span = (self.b.today - self.start).days
        for first in range(0, n, CHUNK):
            children: dict[str, list] = {"p": [], "s": [], "d": [], "t": [], "v": []}
            rows = []
            for i in range(first, min(n, first + CHUNK)):
                offset = min(span, i * span // n + self.rng.randrange(2))
                rows.append(self._petition(self.start + dt.timedelta(days=offset), children))
            yield rows, children

    def _petition(self, day: dt.date, children) -> dict:
        rng, shares = self.rng, self.b.shares
        pk = self.petition_table.take_id()
        copy_of = None
        if self.recent and rng.random() < shares.DUPLICATE_SHARE:
            copy_of = rng.choice(self.recent)
        if copy_of:
            agency, unit, kind, channel = (
                copy_of["agency"],
                copy_of["unit"],
                copy_of["kind"],
                "post",
            )
            subject, content = copy_of["subject"], copy_of["content"] + " Đề nghị xem xét sớm."
            search = (folded(subject), copy_of["search"] + " de nghi xem xet som.")
            person = copy_of["person"]
            self.duplicate_pairs.append((pk, copy_of["id"]))
        else:
            agency, unit = self._place()
            kind = weighted(rng, shares.KINDS)
            channel = weighted(rng, shares.CHANNELS)
            topic, detail = rng.choice(shares.TOPICS)
            subject = f"{topic} tại {unit[1]}"
            lead, number = f"Đề nghị giải quyết {detail}, thửa số", rng.randrange(1, 900)
            content = f"{lead} {number}."
            search = (folded(subject), f"{folded(lead)} {number}.")
            person = (self.b._name(), f"0{rng.randrange(3, 10)}{rng.randrange(10**8):08d}",
                      f"0{rng.randrange(10**11):011d}")  # fmt: skip
        age = (self.b.today - day).days
        status = next(weighted(rng, w) for limit, w in shares.STATES_BY_AGE if age < limit)
        if status == "received":
            kind = "unclassified"
        mass = rng.random() < shares.MASS_SHARE
        sealed = kind == "denunciation"
        keys = sorted((self._key("phone", person[1]), self._key("id", person[2])))
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(10))
        due_on = self._clocks(pk, kind, status, day, children)
        row = {
            "id": pk,
            "tracking_code": code,
            "tracking_secret_hash": tracking_hash(code, BENCH_SECRET)
            if channel == "portal"
            else "",
            "agency_id": agency,
            "unit_id": unit[0],
            "kind": kind,
            "channel": channel,
            "status": status,
            "subject": subject,
            "content": content,
            "received_on": day,
            "petitioner_count": rng.randint(5, 60) if mass else 1,
            "is_mass": mass,
            "due_on": due_on,
            "match_keys": keys,
            "created_at": at(day),
            "search_text": f"{code.lower()} {search[0]} {search[1]}",
        }
        if sealed:
            children["s"].append(
                {"id": self.sealed_table.take_id(), "petition_id": pk,
                 "ciphertext": self.sealed_blob, "sealed_at": at(day)}
            )  # fmt: skip
        else:
            children["p"].append(
                {"id": self.petitioner_table.take_id(), "petition_id": pk, "full_name": person[0],
                 "phone": person[1], "id_number": person[2], "address_unit_id": unit[0]}
            )  # fmt: skip
        if channel == "reception" and kind != "unclassified":
            children["v"].append(self.b.visit_row(pk, agency, day, kind))
        self.recent.append(
            {"id": pk, "agency": agency, "unit": unit, "kind": kind, "subject": subject,
             "content": content, "search": search[1], "person": person}
        )  # fmt: skip
        return row

    def _key(self, kind: str, digits: str) -> str:
        """`sealing.match_key` for the generator's well-formed numbers, without re-reading the
        settings for every row (a test checks both agree)."""
        mac = hmac.new(self.match_secret, digits.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{kind}:{mac}"

    def _place(self) -> tuple[int, tuple[int, str]]:
        unit_id, parent_id, name = self.rng.choice(self.b.communes)
        if self.rng.random() < self.b.shares.PROVINCIAL_SHARE:
            agency = self.rng.choice(self.b.province_agencies[parent_id][:5])
        else:
            agency = self.b.commune_pc[unit_id]
        return agency, (unit_id, name)

    def _clocks(self, pk, kind, status, day, children) -> dt.date | None:
        """Deadlines and transitions of one case; returns its next open deadline."""
        rng = self.rng
        decided = day + dt.timedelta(days=rng.randint(2, 10))
        process_due = day + dt.timedelta(days=10)
        met = None if status in ("received", "classified") else min(decided, self.b.today)
        children["d"].append(
            self._deadline(pk, "process", "petition.process", day, process_due, met)
        )
        if status != "received":
            children["t"].append(self._move(pk, "classify", day + dt.timedelta(days=1)))
        action = DECISIONS.get(status) or ("accept" if status not in OPEN else None)
        if action and status != "withdrawn":
            children["t"].append(self._move(pk, action, min(decided, self.b.today)))
        rule = RESOLVE_RULES.get(kind)
        resolve_due = None
        if rule and status in ("accepted", "verifying", "resolved", "closed"):
            resolve_due = decided + dt.timedelta(days=45 if kind == "complaint" else 60)
            done = status in ("resolved", "closed")
            late = rng.random() < self.b.shares.LATE_SHARE
            met_on = resolve_due + dt.timedelta(
                days=rng.randint(1, 30) if late else -rng.randint(0, 30)
            )
            met_on = min(met_on, self.b.today) if done else None
            children["d"].append(self._deadline(pk, "resolve", rule, decided, resolve_due, met_on))
            if done:
                children["t"].append(self._move(pk, "resolve", met_on))
        if status not in OPEN:
            return None
        return resolve_due if resolve_due else process_due

    def _deadline(self, pk, kind, rule, start, due, met) -> dict:
        return {"id": self.deadline_table.take_id(), "petition_id": pk, "kind": kind,
                "rule_id": self.b.rules[rule], "start_on": start, "due_on": due,
                "days": (due - start).days, "met_on": met}  # fmt: skip

    def _move(self, pk, action, day) -> dict:
        source, target = MOVES[action]
        return {"id": self.transition_table.take_id(), "petition_id": pk, "action": action,
                "from_status": source, "to_status": target, "at": at(day)}  # fmt: skip
