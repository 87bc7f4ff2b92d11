"""Petitions of the bench data set, generated in date order, with their petitioners, sealed
identities, deadlines, transitions and reception visits. Each row is a tuple handed to its
table's writer as soon as it is made (`PetitionRows.write`), so memory does not grow with the
number of petitions.

The loop is written for speed (a million petitions make six million rows): draws are
`random()` indexes into lists (`build.choice_table`), dates are indexes into the day tables of
`build.Days`, text is put together from phrases formatted and folded once, and keyed hashes are
one-shot `hmac.digest` calls. Tests check that the results agree with the application's own
functions (`fold_text`, `match_key`, `tracking_hash`)."""

import datetime as dt
import hmac
import itertools
from collections.abc import Callable

from django.conf import settings

from benchmarks.build import (
    BENCH_SECRET,
    DECISIONS,
    OPEN,
    RESOLVE_RULES,
    VISIT_KINDS,
    YEARS,
    choice_table,
    folded,
)
from benchmarks.copy import Table
from danvan.petitions import sealing
from danvan.petitions.models import Deadline, Petition, Petitioner, SealedIdentity, Transition
from danvan.portal.tracking import TRACKING_HASH_PREFIX
from danvan.reception.models import ReceptionVisit

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
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters: 5 bits each
CODE_PAIRS = [a + b for a in CODE_ALPHABET for b in CODE_ALPHABET]  # 10 bits each
DUPLICATE_TAIL = " Đề nghị xem xét sớm."

COLUMNS = {
    "petition": (
        "id", "tracking_code", "tracking_secret_hash", "agency_id", "unit_id", "kind", "channel",
        "status", "subject", "content", "received_on", "petitioner_count", "is_mass", "due_on",
        "match_keys", "created_at", "search_text",
    ),
    "petitioner": ("id", "petition_id", "full_name", "phone", "id_number", "address_unit_id"),
    "sealed": ("id", "petition_id", "ciphertext", "sealed_at"),
    "deadline": ("id", "petition_id", "kind", "rule_id", "start_on", "due_on", "days", "met_on"),
    "transition": ("id", "petition_id", "action", "from_status", "to_status", "at"),
    "visit": (
        "id", "agency_id", "session_id", "visited_on", "citizen_name", "content", "kind",
        "action", "petition_id",
    ),
}  # fmt: skip
MODELS = {
    "petition": Petition,
    "petitioner": Petitioner,
    "sealed": SealedIdentity,
    "deadline": Deadline,
    "transition": Transition,
    "visit": ReceptionVisit,
}


class PetitionRows:
    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.tables = {key: Table(model, COLUMNS[key]) for key, model in MODELS.items()}
        self.sealed_blob = sealing.seal([{"full_name": "Người tố cáo", "phone": "0900000000"}])
        secret = settings.DANVAN_MATCH_KEY or sealing._derived_key(b"danvan-match").decode()
        self.match_secret = secret.encode()
        self.tracking_key = sealing._derived_key(b"danvan-tracking")
        self.duplicate_pairs: list[tuple[int, int]] = []

    def _key(self, kind: str, digits: str) -> str:
        """`sealing.match_key` for the generator's well-formed numbers, without re-reading the
        settings for every row (a test checks both agree)."""
        return f"{kind}:{hmac.digest(self.match_secret, digits.encode(), 'sha256').hex()[:32]}"

    def _tracking_hash(self, code: str) -> str:
        """`portal.tracking.tracking_hash(code, BENCH_SECRET)` (a test checks both agree)."""
        message = f"{code}:{BENCH_SECRET}".encode()
        return TRACKING_HASH_PREFIX + hmac.digest(self.tracking_key, message, "sha256").hex()

    def write(self, out: dict[str, Callable[[tuple], object]]) -> None:
        """Make every petition and its children, in date order, handing each row to
        `out[table]` (keys of COLUMNS) as soon as it is made."""
        b, shares = self.b, self.b.shares
        random, getrandbits = self.rng.random, self.rng.getrandbits
        days = b.days
        iso, at, month, today = days.iso, days.at, days.month, days.today
        start = days.index(b.today - dt.timedelta(days=365 * YEARS))
        span, n = today - start, b.n_petitions
        ids = {key: itertools.count(table.next_id).__next__ for key, table in self.tables.items()}
        new_petition, new_petitioner, new_sealed = ids["petition"], ids["petitioner"], ids["sealed"]
        new_deadline, new_transition, new_visit = ids["deadline"], ids["transition"], ids["visit"]
        petition_out, petitioner_out, sealed_out = out["petition"], out["petitioner"], out["sealed"]
        deadline_out, transition_out, visit_out = out["deadline"], out["transition"], out["visit"]

        kinds, channels = choice_table(shares.KINDS), choice_table(shares.CHANNELS)
        n_kinds, n_channels = len(kinds), len(channels)
        # The state table of each day, by the case's age.
        state_tables = [(limit, choice_table(w)) for limit, w in shares.STATES_BY_AGE]
        states_on = [
            next(table for limit, table in state_tables if today - day < limit)
            for day in range(start, today + 1)
        ]
        # action, from, to of the decision a state implies (None while undecided or withdrawn).
        decision_of = {}
        for status in {s for _limit, w in shares.STATES_BY_AGE for s in w}:
            action = DECISIONS.get(status) or ("accept" if status not in OPEN else None)
            decision_of[status] = (
                (action, *MOVES[action]) if action and status != "withdrawn" else None
            )
        classify, resolve = ("classify", *MOVES["classify"]), ("resolve", *MOVES["resolve"])
        met_process = {"received": False, "classified": False}
        resolving = {"accepted", "verifying", "resolved", "closed"}
        rules = {kind: (b.rules[rule], 45 if kind == "complaint" else 60)
                 for kind, rule in RESOLVE_RULES.items()}  # fmt: skip
        process_rule = b.rules["petition.process"]
        places = [
            (unit_id, name, folded(name), b.commune_pc[unit_id], b.province_agencies[parent][:5])
            for unit_id, parent, name in b.communes
        ]
        n_places, provincial = len(places), shares.PROVINCIAL_SHARE
        topics = []
        for topic, detail in shares.TOPICS:
            lead = f"Đề nghị giải quyết {detail}, thửa số"
            topics.append((topic, folded(topic), lead, folded(lead)))
        n_topics = len(topics)
        names, n_names = b.names, len(b.names)
        session_of = b.session_of
        key, tracking_hash, blob = self._key, self._tracking_hash, self.sealed_blob
        duplicate_share, mass_share, late_share = (
            shares.DUPLICATE_SHARE, shares.MASS_SHARE, shares.LATE_SHARE)  # fmt: skip
        duplicate_tail, duplicate_tail_folded = DUPLICATE_TAIL, " " + folded(DUPLICATE_TAIL)
        recent: list[tuple] = []  # a ring of the last RECENT originals
        pairs = self.duplicate_pairs

        for i in range(n):
            day = start + i * span // n + (random() < 0.5)
            if day > today:
                day = today
            pk = new_petition()
            if recent and random() < duplicate_share:
                original = recent[int(random() * len(recent))]
                (original_pk, agency, unit_id, kind, subject, subject_folded, content,
                 content_folded, person, phone, id_number, keys) = original  # fmt: skip
                channel = "post"
                content += duplicate_tail
                content_folded += duplicate_tail_folded
                pairs.append((pk, original_pk))
            else:
                unit_id, unit_name, unit_folded, pc, province_five = places[
                    int(random() * n_places)
                ]
                agency = province_five[int(random() * 5)] if random() < provincial else pc
                kind = kinds[int(random() * n_kinds)]
                channel = channels[int(random() * n_channels)]
                topic, topic_folded, lead, lead_folded = topics[int(random() * n_topics)]
                subject = f"{topic} tại {unit_name}"
                subject_folded = f"{topic_folded} tai {unit_folded}"
                number = 1 + int(random() * 899)
                content = f"{lead} {number}."
                content_folded = f"{lead_folded} {number}."
                person = names[int(random() * n_names)]
                phone = f"0{3 + int(random() * 7)}{int(random() * 100_000_000):08d}"
                id_number = f"0{int(random() * 100_000_000_000):011d}"
                # JSON of the sorted keys ("id:…" sorts before "phone:…").
                keys = f'["{key("id", id_number)}", "{key("phone", phone)}"]'
            states = states_on[day - start]
            status = states[int(random() * len(states))]
            if status == "received":
                kind = "unclassified"
            mass = random() < mass_share
            bits = getrandbits(50)
            code = (
                CODE_PAIRS[bits >> 40] + CODE_PAIRS[(bits >> 30) & 1023]
                + CODE_PAIRS[(bits >> 20) & 1023] + CODE_PAIRS[(bits >> 10) & 1023]
                + CODE_PAIRS[bits & 1023]
            )  # fmt: skip

            # Clocks: the processing deadline, the resolution deadline of a complaint or a
            # denunciation taken up, and the moves that got the case to its state.
            decided = day + 2 + int(random() * 9)
            settled = decided if decided < today else today
            process_due = day + 10
            met = iso[settled] if met_process.get(status, True) else None
            deadline_out(
                (new_deadline(), pk, "process", process_rule, iso[day], iso[process_due], 10, met)
            )
            if status != "received":
                classified = day + 1 if day < today else today
                transition_out((new_transition(), pk, *classify, at[classified]))
            decision = decision_of[status]
            if decision:
                transition_out((new_transition(), pk, *decision, at[settled]))
            due_on = iso[process_due] if status in OPEN else None
            rule = rules.get(kind)
            if rule and status in resolving:
                rule_id, length = rule
                resolve_due = decided + length
                late = random() < late_share
                met_on = resolve_due + (1 + int(random() * 30) if late else -int(random() * 31))
                done = status == "resolved" or status == "closed"
                if met_on > today:
                    met_on = today
                deadline_out(
                    (new_deadline(), pk, "resolve", rule_id, iso[decided], iso[resolve_due],
                     length, iso[met_on] if done else None)
                )  # fmt: skip
                if done:
                    transition_out((new_transition(), pk, *resolve, at[met_on]))
                if status in OPEN:
                    due_on = iso[resolve_due]

            petition_out(
                (pk, code, tracking_hash(code) if channel == "portal" else "", agency, unit_id,
                 kind, channel, status, subject, content, iso[day],
                 5 + int(random() * 56) if mass else 1, mass, due_on, keys, at[day],
                 f"{code.lower()} {subject_folded} {content_folded}")
            )  # fmt: skip
            if kind == "denunciation":
                sealed_out((new_sealed(), pk, blob, at[day]))
            else:
                petitioner_out((new_petitioner(), pk, person, phone, id_number, unit_id))
            if channel == "reception" and kind != "unclassified":
                visit_out(
                    (new_visit(), agency, session_of.get(agency * 4096 + month[day]), iso[day],
                     "[Bảo mật]" if kind == "denunciation" else names[int(random() * n_names)],
                     "Trình bày nội dung đơn", kind if kind in VISIT_KINDS else "feedback",
                     "accepted", pk)
                )  # fmt: skip
            entry = (pk, agency, unit_id, kind, subject, subject_folded, content, content_folded,
                     person, phone, id_number, keys)  # fmt: skip
            if len(recent) < RECENT:
                recent.append(entry)
            else:
                recent[i % RECENT] = entry
        for key_, next_id in ids.items():
            self.tables[key_].next_id = next_id()
