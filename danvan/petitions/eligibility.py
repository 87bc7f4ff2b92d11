"""What makes a petition eligible for handling, per kind (Thông tư 05/2021/TT-TTCP Đ6 k2).

Pure data + one check. The officer ticks the items at classification; acceptance is refused
while an item of the case's kind is unticked (an ineligible petition is filed, TT 05 Đ28).
An anonymous denunciation is not handled under the Law on Denunciations (Đ25): it may only be
inspected within competence when it names the violator with concrete, verifiable evidence.
"""

from django.utils.translation import gettext_lazy as _

from danvan.petitions import workflow as wf

COMMON = [
    ("language", _("Written in Vietnamese, or with a notarised translation")),
    ("dated_signed", _("Dated, with the writer's name, address and signature or fingerprint")),
]
CHECKLISTS: dict[str, list[tuple[str, object]]] = {
    wf.COMPLAINT: [
        *COMMON,
        ("complained_act", _("Names the decision or act complained about")),
        ("reasons", _("Gives the content, reasons, documents and the request")),
        ("within_time", _("Lodged within the time allowed (90 days, KN Đ9)")),
    ],
    wf.DENUNCIATION: [
        *COMMON,
        ("denounced_person", _("Names the person or body denounced")),
        ("violation", _("Describes the violation")),
        ("contact", _("Gives a way to contact the denouncer")),
    ],
    wf.RECOMMENDATION: [*COMMON, ("content", _("States the recommendation or feedback"))],
    wf.FEEDBACK: [*COMMON, ("content", _("States the recommendation or feedback"))],
}


def all_items() -> list[tuple[str, object]]:
    """Every item once, for the classification form."""
    seen: dict[str, object] = {}
    for items in CHECKLISTS.values():
        for key, label in items:
            seen.setdefault(key, label)
    return list(seen.items())


def missing_items(kind: str, ticked: list[str]) -> list[str]:
    """Labels of the items of `kind` that are not ticked."""
    return [str(label) for key, label in CHECKLISTS.get(kind, []) if key not in set(ticked)]
