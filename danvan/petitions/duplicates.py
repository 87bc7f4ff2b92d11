"""Duplicate and repeat detection at intake (TT 05/2021/TT-TTCP Đ28: repeat petitions).

Three parts:
- `score_pair`: pure scoring of two petitions (no database), so the weighting is tested alone;
- `find_candidates`: a bounded database selection (indexed filters first, at most ~500 rows
  scanned, a fixed number of queries) scored in Python with rapidfuzz;
- `petition_link` / `repeat_suggestion`: the officer's decision and the "file without action"
  hint for a repeat of a settled matter.

Sealed petitions (denunciations) take part through their keyed hashes (`match_keys`) and their
folded text only: nothing here reads `Petitioner` rows or the sealed store.
"""

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, utils

from danvan.core.audit import audit_log
from danvan.core.errors import ConcurrentChangeError
from danvan.core.text import fold_text
from danvan.petitions import workflow as wf
from danvan.petitions.models import Petition, SealedIdentity
from danvan.petitions.selectors import petition_queryset

DUPLICATE_WINDOW_DAYS = 180  # default; `settings.DANVAN_DUPLICATE_WINDOW_DAYS` overrides
LIKELY = 70  # at or above: shown to the officer as a likely duplicate or repeat
POSSIBLE = 40  # below: not worth the officer's attention, not returned

# Weights (see `score_pair`).
ID_POINTS, PHONE_POINTS, BOTH_KEYS_POINTS = 75, 70, 85
TEXT_WEIGHT, TEXT_FLOOR, SIMILAR_TEXT = 0.6, 50.0, 75.0
MIN_COVERAGE = 0.3  # share of the longer text's distinct words that must be shared
UNIT_POINTS, RECENT_POINTS = 15, 10

# Bounds of the database selection: rows scanned per query, and text compared per petition.
UNIT_CAP, AGENCY_CAP, KEY_CAP = 300, 150, 50
# The window reaches this far past the received date too: a paper petition entered weeks late
# still meets the cases filed since. Not the full window: newest-first caps would fill with
# cases far after it.
LATE_ENTRY_DAYS = 30
MAX_KEYS = 40  # a mass petition's keys beyond this add little and lengthen the query
# Subject and opening of the letter: enough to tell a copy, and rapidfuzz's cost grows faster
# than linearly with length (≈30 µs per pair at 600 characters, ≈60 µs at 1,000).
TEXT_CHARS = 600
SCAN_FIELDS = ("id", "tracking_code", "unit_id", "received_on", "match_keys")
# What an intake page shows of a candidate: no letter text, nobody's identity.
SHOW_FIELDS = ("id", "tracking_code", "subject", "kind", "status", "received_on", "agency")
SHOW_FIELDS += ("unit", "is_mass", "petitioner_count", "duplicate_of", "repeat_of", "version")
SETTLED_STATES = frozenset({wf.RESOLVED, wf.CLOSED, wf.FILED})
DECISION_ACTIONS = ("resolve", "file")
RELATIONS = {"duplicate": "duplicate_of", "repeat": "repeat_of"}


@dataclass(frozen=True)
class Score:
    value: int
    reasons: list[str] = field(default_factory=list)
    text_similarity: float = 0.0

    @property
    def is_likely(self) -> bool:
        return self.value >= LIKELY


@dataclass(frozen=True)
class Candidate:
    """A possible earlier case. Carries case data only, never who sent it."""

    petition: Petition
    score: Score
    sealed: bool = False

    def __repr__(self) -> str:
        # Petition.__repr__ shows the subject; keep logs to the code and the score.
        return f"Candidate({self.petition.tracking_code}, {self.score.value}, {self.score.reasons})"


@dataclass(frozen=True)
class Suggestion:
    action: str
    reason: str
    earlier_code: str
    legal_basis: str = ""


def window_days() -> int:
    """Return the look-back window in days (read at call time, not import time)."""
    return int(getattr(settings, "DANVAN_DUPLICATE_WINDOW_DAYS", DUPLICATE_WINDOW_DAYS))


class _Text(NamedTuple):  # a tuple: built for every scanned row, cheaper than a dataclass
    """Folded text without punctuation, cut to TEXT_CHARS, and its distinct words."""

    clean: str
    words: frozenset[str]


def _prepare(value: str, *, folded: bool = False) -> _Text:
    # `search_text` is stored folded already; folding is the costly step, so skip it there.
    # default_process (C++) turns punctuation into spaces: "so 5," and "so 5" are one text.
    clean = utils.default_process((value if folded else fold_text(value))[: TEXT_CHARS + 100])
    clean = clean[:TEXT_CHARS]
    return _Text(clean, frozenset(clean.split()))


def _coverage(a: _Text, b: _Text) -> float:
    """Share of the longer text's distinct words that the other text also has."""
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / max(len(a.words), len(b.words))


def _damped(coverage: float, a: _Text, b: _Text, *, bound: bool = False) -> float:
    """The similarity, or with `bound` a cheap upper bound of it (the fuzzy ratio taken as 100)."""
    if coverage < MIN_COVERAGE:
        # Too few shared words to be the same letter; skip the costlier fuzzy comparison.
        return round(100 * coverage, 1)
    ratio = 100.0 if bound else fuzz.token_set_ratio(a.clean, b.clean)
    return round(ratio * (0.5 + 0.5 * coverage), 1)


def text_similarity(a: str, b: str) -> float:
    """Return 0–100: rapidfuzz token_set_ratio on folded text, damped by word coverage.

    token_set_ratio ignores word order and repeated words, which suits retyped letters, but it
    gives 100 whenever one text's words are a subset of the other's: "tranh chap dat dai"
    would match every long land-dispute letter. So it is scaled by how many of the longer
    text's distinct words are shared (0.5 + 0.5 × coverage): a full copy keeps 100, a short
    subset falls to about half, and unrelated letters that share only stock phrases ("de nghi
    xem xet giai quyet") land near 35 instead of 60. Below MIN_COVERAGE shared words the
    result is just that share (< 30): such texts are not copies, and the costlier fuzzy ratio
    is skipped for them.
    """
    a_text, b_text = _prepare(a), _prepare(b)
    return _damped(_coverage(a_text, b_text), a_text, b_text)


def score_pair(
    *,
    a_text: str,
    b_text: str,
    a_keys: list[str],
    b_keys: list[str],
    same_unit: bool,
    days_apart: int,
    window: int = DUPLICATE_WINDOW_DAYS,
) -> Score:
    """Return how likely two petitions are the same matter from the same people (0–100).

    Weighting, so that LIKELY (70) is reached by either kind of evidence alone:
    - the same citizen ID (75) or phone (70) — keyed hashes, so sealed cases count too — makes
      a likely duplicate on its own: the same person writing again is exactly what the officer
      must see, whatever the wording (both: 85);
    - text similarity s counts 0.6 × s once s ≥ 50 (below that it is the noise of shared stock
      phrases); the same place (+15) and a date inside the window (+10) add context, so similar
      text (s ≥ 75) in the same unit within the window reaches 70, while the context alone
      (25) never does.
    """
    return _score(
        similarity=text_similarity(a_text, b_text),
        shared=set(a_keys) & set(b_keys),
        same_unit=same_unit,
        recent=abs(days_apart) <= window,
    )


def _score(*, similarity: float, shared: set[str], same_unit: bool, recent: bool) -> Score:
    same_id = any(k.startswith("id:") for k in shared)
    same_phone = any(k.startswith("phone:") for k in shared)
    points = BOTH_KEYS_POINTS if same_id and same_phone else 0.0
    points = points or (ID_POINTS if same_id else PHONE_POINTS if same_phone else 0.0)
    points += TEXT_WEIGHT * similarity if similarity >= TEXT_FLOOR else 0.0
    points += (UNIT_POINTS if same_unit else 0) + (RECENT_POINTS if recent else 0)
    flags = {
        "same_id": same_id,
        "same_phone": same_phone,
        "similar_text": similarity >= SIMILAR_TEXT,
        "same_unit": same_unit,
        "recent": recent,
    }
    reasons = [code for code, on in flags.items() if on]
    return Score(value=min(100, round(points)), reasons=reasons, text_similarity=similarity)


def _key_filter(keys: list[str], *, vendor: str) -> Q:
    """Any petition holding one of `keys`, written so each backend can answer it.

    PostgreSQL: `match_keys ?| array[...]` (a GIN index on match_keys serves it). SQLite has no
    JSON containment; the keys are fixed-format hex, so a quoted substring test is exact there.
    """
    keys = sorted(set(keys))[:MAX_KEYS]
    if vendor == "postgresql":
        return Q(match_keys__has_any_keys=keys)
    query = Q()
    for key in keys:
        query |= Q(match_keys__icontains=f'"{key}"')
    return query


def _scan(
    base: QuerySet[Petition],
    *,
    unit_id,
    agency_id,
    match_keys: list[str],
    received_on: dt.date,
    window: int,
) -> list:
    """Load at most UNIT_CAP + AGENCY_CAP + KEY_CAP thin rows, newest first, in ≤ 3 queries.

    Same unit and same agency are separate queries so that a busy provincial agency cannot
    crowd out the same commune's cases; each is served by an index on (unit, received_on) or
    agency. Shared keys are looked up at any date: a repeat of a settled case can be old.
    Rows are tuples, not models: building hundreds of model instances costs more than scoring.
    """
    rows = (
        base.annotate(head=Substr("search_text", 1, TEXT_CHARS + 100))
        .order_by("-received_on", "-id")
        .values_list(*SCAN_FIELDS, "head", named=True)
    )
    span = (received_on - dt.timedelta(days=window), received_on + dt.timedelta(LATE_ENTRY_DAYS))
    batches = []
    if unit_id:
        batches.append(rows.filter(unit_id=unit_id, received_on__range=span)[:UNIT_CAP])
    if agency_id:
        same_agency = rows.filter(agency_id=agency_id, received_on__range=span)
        if unit_id:
            same_agency = same_agency.exclude(unit_id=unit_id)
        batches.append(same_agency[:AGENCY_CAP])
    if match_keys:
        vendor = connections[base.db].vendor
        # any date before the window's end: a repeat of a long-settled case is still a repeat
        shared = rows.filter(_key_filter(match_keys, vendor=vendor), received_on__lte=span[1])
        batches.append(shared[:KEY_CAP])
    seen: dict[int, tuple] = {}
    for batch in batches:
        for row in batch:
            seen.setdefault(row.id, row)
    return list(seen.values())


def _facts(row, *, unit_id, keys: set[str], received_on: dt.date, window: int) -> dict:
    return {
        "shared": keys.intersection(row.match_keys or ()),
        "same_unit": bool(unit_id) and row.unit_id == unit_id,
        "recent": abs((received_on - row.received_on).days) <= window,
    }


def _head(row) -> _Text:
    # search_text starts with the folded tracking code (upper-case ASCII, so folded = lower):
    # not part of what the petition says
    code, _sep, rest = row.head.partition(" ")
    return _prepare(rest if code == row.tracking_code.lower() else row.head, folded=True)


def _rank(score: Score, row) -> tuple:
    # Scores cap at 100 (an ID match plus any similar text gets there): text breaks the tie,
    # then the newer case.
    return (-score.value, -score.text_similarity, -row.received_on.toordinal(), -row.id)


def _best(rows: list, *, text: _Text, limit: int, **context) -> list[tuple[Score, object]]:
    """Return the `limit` best (score, row) pairs scoring ≥ POSSIBLE, best first.

    Branch and bound: keys, place, date and word coverage are cheap and bound each score from
    above (the fuzzy ratio taken as 100); rows are scored exactly best bound first, and the
    loop stops once the `limit`-th exact score beats every remaining bound. The result is the
    same as scoring every row, with a fraction of the rapidfuzz calls.
    """
    bounded = []
    for row in rows:
        words, facts = _head(row), _facts(row, **context)
        coverage = _coverage(text, words)
        bound = _score(similarity=_damped(coverage, text, words, bound=True), **facts)
        if bound.value >= POSSIBLE:
            bounded.append((_rank(bound, row), coverage, words, facts, row))
    bounded.sort(key=lambda item: item[0])
    best: list[tuple] = []
    for rank, coverage, words, facts, row in bounded:
        if len(best) >= limit and rank > best[limit - 1][0]:
            break
        score = _score(similarity=_damped(coverage, text, words), **facts)
        if score.value >= POSSIBLE:
            bisect.insort(best, (_rank(score, row), score, row), key=lambda item: item[0])
    return [(score, row) for _, score, row in best[:limit]]


def find_candidates(
    *,
    text: str,
    unit_id,
    agency_id,
    match_keys: list[str],
    received_on: dt.date,
    exclude_id=None,
    limit: int = 10,
    user=None,
) -> list[Candidate]:
    """Return up to `limit` earlier cases scoring ≥ POSSIBLE, best first, in ≤ 4 queries.

    `text` is the new petition's subject and content. Pass `user` from views: candidates are
    then limited to cases that user may see (`petition_queryset`); without it (intake jobs,
    benchmarks) every agency's cases are considered.
    """
    window = window_days()
    base = Petition.objects.all() if user is None else petition_queryset(user=user)
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)
    where = {"unit_id": unit_id, "received_on": received_on, "window": window}
    rows = _scan(base, agency_id=agency_id, match_keys=match_keys, **where)
    top = _best(rows, text=_prepare(text), limit=limit, keys=set(match_keys), **where)
    shown = (
        Petition.objects.filter(pk__in=[r.id for _, r in top])
        .select_related("agency", "unit")
        .only(*SHOW_FIELDS)
        .annotate(has_seal=Exists(SealedIdentity.objects.filter(petition=OuterRef("pk"))))
        .in_bulk()
    )
    return [Candidate(shown[r.id], s, shown[r.id].has_seal) for s, r in top if r.id in shown]


def repeat_suggestion(candidate_petition: Petition) -> Suggestion | None:
    """Suggest filing without action when the earlier case is already settled (TT 05 Đ28)."""
    earlier = candidate_petition
    if earlier.status not in SETTLED_STATES:
        return None
    steps = list(
        earlier.transitions.order_by("-at", "-id").values("action", "reason", "legal_basis")[:20]
    )
    decision = next((s for s in steps if s["action"] in DECISION_ACTIONS), None)
    decision = decision or (steps[0] if steps else {"reason": "", "legal_basis": ""})
    basis = decision["legal_basis"] or "—"
    reason = _(
        "Repeat of case %(code)s, already settled (%(status)s) on the basis of %(basis)s: "
        "%(decision)s. Unless it brings new facts or evidence, file it without action "
        "(Thông tư 05/2021/TT-TTCP, Điều 28)."
    ) % {
        "code": earlier.tracking_code,
        "status": earlier.get_status_display(),
        "basis": basis,
        "decision": (decision["reason"] or "—")[:300],
    }
    return Suggestion("file", reason, earlier.tracking_code, decision["legal_basis"])


def _check_link(petition: Petition, other: Petition | None, relation: str) -> None:
    if other is None:
        raise ValidationError({"other": _("That case does not exist or is not one you can see.")})
    if other.pk == petition.pk:
        raise ValidationError({"other": _("A case cannot be linked to itself.")})
    if petition.pk in (other.duplicate_of_id, other.repeat_of_id):
        raise ValidationError(
            {"other": _("That case is already linked to this one; link the later case instead.")}
        )
    if relation == "repeat" and (other.received_on, other.pk) > (petition.received_on, petition.pk):
        raise ValidationError({"other": _("A repeat petition is linked to an earlier case.")})


def petition_link(
    *, actor, petition: Petition, other: Petition, relation: str, expected_version: int
) -> Petition:
    """Mark `petition` as a duplicate or a repeat of `other`; one audit event."""
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation!r}")
    name = RELATIONS[relation]
    visible = petition_queryset(user=actor)
    with transaction.atomic():
        locked = visible.select_for_update(of=("self",)).filter(pk=petition.pk).first()
        if locked is None:
            raise PermissionDenied
        if locked.version != expected_version:
            raise ConcurrentChangeError(
                _("Someone changed this case while you were working on it. Reload the page.")
            )
        earlier = visible.filter(pk=other.pk).first()
        _check_link(locked, earlier, relation)
        before = getattr(locked, f"{name}_id")
        setattr(locked, name, earlier)
        locked.version += 1
        locked.save(update_fields=[name, "version"])
        audit_log(
            actor=actor,
            action=f"petitions.link_{relation}",
            obj=locked,
            agency=locked.agency,
            changes={
                "before": {name: before},
                "after": {name: earlier.pk, "tracking_code": earlier.tracking_code},
            },
        )
    return locked


def mass_petition_counts(qs: QuerySet[Petition]) -> dict[str, int]:
    """Return {"petitions": mass petitions in `qs`, "people": petitioners in them}; one query."""
    mass = Q(is_mass=True)
    totals = qs.aggregate(
        petitions=Count("pk", filter=mass),
        people=Coalesce(Sum("petitioner_count", filter=mass), 0),
    )
    return {"petitions": int(totals["petitions"]), "people": int(totals["people"])}
