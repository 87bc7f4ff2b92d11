"""How many representatives a group of visitors chooses. Pure Python: no ORM.

DOMAIN.md §A: people complaining together choose representatives (Luật Khiếu nại Đ8 k4);
5–10 people → 1–2 representatives; more than 10 → up to 5; representatives must be among the
group and appointed in writing [S15, S16]. UNSURE: the thresholds were read in Nghị định
75/2012/NĐ-CP, since replaced by Nghị định 124/2020/NĐ-CP, whose text was not read.

Why a table in code and not rows of `ReceptionQuota`: a quota is a per-leader schedule minimum
that changes by date and is reported on; this is a validation threshold on one visit with a
different shape (a headcount range → a range of representatives). When NĐ 124/2020 is read,
change `REPRESENTATIVE_RULES` (and its note) here; the form shows the citation and the doubt.
DOMAIN.md reads the rule for complaints; the desk applies it to every group visit as the stated
default, since a group must speak through someone whatever it brings.
"""

from dataclasses import dataclass

CITATION = "Luật Khiếu nại 02/2011/QH13 Đ8 k4; Nghị định 75/2012/NĐ-CP (nay là NĐ 124/2020/NĐ-CP)"
IS_UNSURE = True
NOTE = (
    "Ngưỡng đọc trong Nghị định 75/2012/NĐ-CP, đã được thay thế bởi Nghị định 124/2020/NĐ-CP "
    "(CHƯA CHẮC CHẮN, DOMAIN.md §A, S15–S16)."
)


@dataclass(frozen=True)
class RepresentativeRule:
    min_people: int
    max_people: int | None  # None: no upper bound
    min_representatives: int
    max_representatives: int | None  # None: up to the size of the group


REPRESENTATIVE_RULES: tuple[RepresentativeRule, ...] = (
    RepresentativeRule(1, 4, 0, None),  # fewer than 5: no representative needed
    RepresentativeRule(5, 10, 1, 2),
    RepresentativeRule(11, None, 1, 5),
)


def rule_for(people: int) -> RepresentativeRule:
    """Return the rule for a group of `people` (at least 1)."""
    for rule in REPRESENTATIVE_RULES:
        if people >= rule.min_people and (rule.max_people is None or people <= rule.max_people):
            return rule
    raise ValueError(f"No representative rule for {people} people")


@dataclass(frozen=True)
class RepresentativeProblem:
    """Why a list of representatives does not fit the group; the caller words the message."""

    code: str  # "too_few" | "too_many" | "more_than_group"
    people: int
    given: int
    minimum: int
    maximum: int


def check_representatives(people: int, representatives: int) -> RepresentativeProblem | None:
    """Return the problem with `representatives` for a group of `people`, or None if it fits.

    Only the count can be checked here: whether each representative belongs to the group and
    holds a written appointment is for the officer at the desk.
    """
    rule = rule_for(people)
    maximum = min(rule.max_representatives or people, people)
    problem = None
    if representatives > people:
        problem = "more_than_group"
    elif representatives < rule.min_representatives:
        problem = "too_few"
    elif representatives > maximum:
        problem = "too_many"
    if problem is None:
        return None
    return RepresentativeProblem(
        problem, people, representatives, rule.min_representatives, maximum
    )
