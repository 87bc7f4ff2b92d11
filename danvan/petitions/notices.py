"""Notices answering a petition, and the identity-free copy for verifiers, as DOCX files.

Four notices (thông báo) answer a petition (TCD Đ28 k1; Luật Khiếu nại Đ27; Luật Tố cáo Đ24, Đ29;
DOMAIN.md §A–C): accepted for resolution, not accepted, transferred to the competent body, or the
petitioner guided elsewhere. Each is drawn from the case: its handling agency and that agency's
parent as the issuing bodies, its tracking code and subject, and the case's latest Transition of
the matching action for the reason, legal basis and target agency; an acceptance also states the
resolution deadline and the rule it comes from. What the officer still has to supply (the number
from the register, the signer) is left as "…": these are drafts for signature.

Sealed denunciations (Luật Tố cáo Đ47, Đ56): the notice never names the denouncer, and every free
text printed (subject, reason, content) is scrubbed of the sealed name, ID number, phone, e-mail
and address. The identity is decrypted in memory only to find what to remove; none of it reaches
the document or the audit log. The verification copy scrubs any petition, sealed or not.

Body text is Vietnamese written directly: these are official documents, not UI strings.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone

from danvan.core.audit import audit_log
from danvan.core.docx_layout import OfficialDocument
from danvan.core.text import fold_text, normalize_text
from danvan.org.models import Agency
from danvan.petitions import sealing
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition, Petitioner, Transition

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# notice → the workflow action whose latest Transition it reports
NOTICE_ACTIONS = {
    "acceptance": "accept",
    "refusal": "file",
    "transfer": "transfer",
    "guidance": "guide",
}
NOTICE_KINDS = tuple(NOTICE_ACTIONS)
SUBJECT_VERBS = {
    "acceptance": "thụ lý",
    "refusal": "không thụ lý",
    "transfer": "chuyển",
    "guidance": "hướng dẫn gửi",
}
REASON_LABELS = {
    "acceptance": "Lý do",
    "refusal": "Lý do không thụ lý",
    "transfer": "Lý do chuyển đơn",
    "guidance": "Nội dung hướng dẫn",
}
FILE_SLUGS = {
    "acceptance": "thu-ly",
    "refusal": "khong-thu-ly",
    "transfer": "chuyen-don",
    "guidance": "huong-dan",
}
KIND_WORDS = {
    wf.COMPLAINT: "khiếu nại",
    wf.DENUNCIATION: "tố cáo",
    wf.RECOMMENDATION: "kiến nghị",
    wf.FEEDBACK: "phản ánh",
    wf.MULTIPLE: "có nhiều nội dung",
}
UNIT_WORDS = {"working": "ngày làm việc", "calendar": "ngày"}
# Appendix III abbreviation of "thông báo"; the register fills in the number and the issuer.
NOTICE_NUMBER = "…/TB-…"
BLANK = "…"
SIGNER_BLANK = "…………………………"
SEALED_ADDRESSEE = "Người tố cáo (thông tin được bảo mật theo Luật Tố cáo)"
REDACTED = "[đã lược bỏ]"
# How the signing block reads for collective bodies; others: the head of the agency signs.
SIGNING = {
    Agency.Kind.PEOPLES_COMMITTEE: (("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH"),
}
DEFAULT_SIGNING = ((), "THỦ TRƯỞNG CƠ QUAN")
# The place name is the unit's name without its type word ("Thành phố Cần Thơ" → "Cần Thơ"),
# except units named by a number ("Phường 1"), which keep it (ND 30/2020, Appendix I).
PLACE_PREFIXES = ("thành phố ", "tỉnh ", "đặc khu ", "phường ", "xã ", "thị trấn ", "thị xã ")
REVIEW_NOTE = (
    "Bản này đã tự động lược bỏ họ tên, số định danh, số điện thoại, thư điện tử và địa chỉ "
    "của người gửi đơn. Người lập bản sao đọc lại toàn văn và lược bỏ mọi chi tiết khác có thể "
    "làm lộ danh tính người gửi đơn trước khi chuyển cho người xác minh."
)


@dataclass
class _Case:
    """What every document about one petition needs, with the scrubber for its free texts."""

    petition: Petition
    agency: Agency
    petition_words: str  # "đơn khiếu nại"
    addressee: str
    sender: str
    address: str
    patterns: list[re.Pattern] = field(default_factory=list)
    redactions: int = 0

    def text(self, value: str) -> str:
        cleaned, count = _scrub(value or "", self.patterns)
        self.redactions += count
        return cleaned


def build_notice(*, petition: Petition, notice: str, actor) -> tuple[str, bytes]:
    """Return (filename, DOCX bytes) of the `notice` for `petition`; writes an audit event."""
    if notice not in NOTICE_ACTIONS:
        raise ValueError(f"unknown notice {notice!r}; expected one of {NOTICE_KINDS}")
    case = _case(petition, scrub=petition.is_sealed)
    move = _latest(petition, NOTICE_ACTIONS[notice])
    subject = f"Về việc {SUBJECT_VERBS[notice]} {case.petition_words}"
    doc = _document(case, number=NOTICE_NUMBER, title="Thông báo", subject=subject)
    _notice_body(doc, case, notice, move)
    doc.add_recipients(_recipients(notice, case, move))
    _sign(doc, case.agency)
    data = doc.to_bytes()
    audit_log(
        actor=actor,
        action="petitions.notice_generate",
        obj=petition,
        agency=petition.agency,
        changes={"notice": notice, "transition": move.pk if move else None},
        sensitive_read=petition.is_sealed,  # the sealed identity was decrypted to scrub it
    )
    return f"thong-bao-{FILE_SLUGS[notice]}-{petition.tracking_code}.docx", data


def build_verification_copy(*, petition: Petition, actor) -> tuple[str, bytes]:
    """Return (filename, DOCX bytes): the petition's content without the sender's identity, for
    the people verifying it (Luật Tố cáo Đ56). Writes an audit event."""
    case = _case(petition, scrub=True)
    doc = _document(
        case,
        number="",
        title=f"Nội dung {case.petition_words}",
        subject="(Bản dùng cho việc xác minh, đã lược bỏ thông tin người gửi đơn)",
    )
    _verification_body(doc, case)
    doc.add_recipients(["Người được giao xác minh", f"Lưu: VT, hồ sơ {petition.tracking_code}"])
    _sign(doc, case.agency)
    data = doc.to_bytes()
    audit_log(
        actor=actor,
        action="petitions.verification_copy",
        obj=petition,
        agency=petition.agency,
        changes={"redactions": case.redactions},
        sensitive_read=petition.is_sealed,
    )
    return f"ban-xac-minh-{petition.tracking_code}.docx", data


# -- the case ---------------------------------------------------------------------------------


def _case(petition: Petition, *, scrub: bool) -> _Case:
    people = _people(petition)
    addressee, sender = _addressee(petition, people)
    first = people[0] if people and not petition.is_sealed else {}
    return _Case(
        petition=petition,
        agency=petition.agency,
        petition_words=f"đơn {KIND_WORDS.get(petition.kind, '')}".strip(),
        addressee=addressee,
        sender=sender,
        address=first.get("address", ""),
        patterns=_identity_patterns(people) if scrub else [],
    )


def _people(petition: Petition) -> list[dict]:
    """The senders as dicts: decrypted from the sealed store, or the plain rows."""
    if petition.is_sealed:
        return sealing.unseal(petition.sealed_identity.ciphertext)
    keys = ("full_name", "id_number", "phone", "email", "address", "kind")
    return [{k: getattr(p, k) for k in keys} for p in petition.petitioners.all()]


def _addressee(petition: Petition, people: list[dict]) -> tuple[str, str]:
    """(the "Kính gửi" line, how sentences name the sender)."""
    if petition.is_sealed:
        return SEALED_ADDRESSEE, "người tố cáo"
    if not people:
        return "Người gửi đơn", "người gửi đơn"
    names = ", ".join(
        p["full_name"]
        if p.get("kind") == Petitioner.Kind.ORGANISATION
        else f"Ông/Bà {p['full_name']}"
        for p in people
    )
    if petition.petitioner_count > len(people):
        names += " và những người cùng gửi đơn"
    return names, names


def _latest(petition: Petition, action: str) -> Transition | None:
    return (
        petition.transitions.filter(action=action)
        .select_related("target_agency")
        .order_by("-at", "-id")
        .first()
    )


def place_name(unit) -> str:
    """The place written before the date: the unit's name without its type word."""
    name = normalize_text(getattr(unit, "name", ""))
    for prefix in PLACE_PREFIXES:
        rest = name[len(prefix) :]
        if name.lower().startswith(prefix) and rest and not rest[0].isdigit():
            return rest
    return name or BLANK


def _document(case: _Case, *, number: str, title: str, subject: str) -> OfficialDocument:
    agency = case.agency
    return OfficialDocument(
        parent_body=agency.parent.name if agency.parent_id else "",
        issuing_body=agency.name,
        number=number,
        place=place_name(agency.unit),
        date=timezone.localdate(),
        doc_type_title=title,
        subject=subject,
    )


def _sign(doc: OfficialDocument, agency: Agency) -> None:
    prefixes, position = SIGNING.get(agency.kind, DEFAULT_SIGNING)
    doc.add_signature(prefixes=prefixes, position=position, signer=SIGNER_BLANK)


# -- notice body ------------------------------------------------------------------------------


def _notice_body(doc: OfficialDocument, case: _Case, notice: str, move: Transition | None) -> None:
    petition, agency = case.petition, case.agency.name
    doc.add_paragraph(f"Kính gửi: {case.addressee}", align="center", indent=False)
    if case.address:
        doc.add_paragraph(f"Địa chỉ: {case.address}", align="center", indent=False)
    basis = case.text(move.legal_basis) if move and move.legal_basis else BLANK
    doc.add_paragraph(f"Căn cứ {basis};")
    doc.add_paragraph(
        f"Ngày {petition.received_on:%d/%m/%Y}, {agency} nhận được {case.petition_words} của "
        f"{case.sender} (mã số theo dõi {petition.tracking_code}) về việc: "
        f"{case.text(petition.subject)}."
    )
    doc.add_paragraph(_decision(notice, case, move))
    reason = _sentence(case.text(move.reason)) if move and move.reason else BLANK
    doc.add_paragraph(f"{REASON_LABELS[notice]}: {reason}")
    if notice == "acceptance" and (deadline := _deadline_text(petition)):
        doc.add_paragraph(deadline)
    doc.add_paragraph(f"{agency} thông báo để {case.sender} được biết.")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _decision(notice: str, case: _Case, move: Transition | None) -> str:
    agency, words = case.agency.name, case.petition_words
    target = move.target_agency.name if move and move.target_agency_id else BLANK
    if notice == "acceptance":
        return f"{agency} thụ lý giải quyết {words} nêu trên."
    if notice == "refusal":
        return f"{agency} không thụ lý giải quyết {words} nêu trên."
    if notice == "transfer":
        return (
            f"{agency} chuyển {words} nêu trên đến {target} là cơ quan có thẩm quyền để xem xét, "
            "giải quyết theo quy định của pháp luật."
        )
    return (
        f"{agency} hướng dẫn {case.sender} gửi đơn đến {target} là cơ quan có thẩm quyền để được "
        "xem xét, giải quyết theo quy định của pháp luật."
    )


def _deadline_text(petition: Petition) -> str | None:
    """The resolution deadline with the rule it was computed from (shown with every deadline)."""
    deadline = petition.deadlines.filter(kind=Deadline.Kind.RESOLVE).select_related("rule").first()
    if deadline is None:
        return None
    unit = UNIT_WORDS.get(deadline.rule.unit, "ngày")
    return (
        f"Thời hạn giải quyết là {deadline.days} {unit} kể từ ngày thụ lý "
        f"({deadline.start_on:%d/%m/%Y}), đến hết ngày {deadline.due_on:%d/%m/%Y} "
        f"(theo {deadline.rule.citation})."
    )


def _recipients(notice: str, case: _Case, move: Transition | None) -> list[str]:
    items = ["Như trên"]
    if notice == "transfer" and move and move.target_agency_id:
        items.append(f"{move.target_agency.name} (kèm theo đơn)")
    if case.petition.forwarded_by:
        items.append(f"{case.text(case.petition.forwarded_by)} (cơ quan chuyển đơn)")
    items.append(f"Lưu: VT, hồ sơ {case.petition.tracking_code}")
    return items


# -- verification copy ------------------------------------------------------------------------


def _verification_body(doc: OfficialDocument, case: _Case) -> None:
    petition = case.petition
    sender = (
        "Thông tin được bảo mật theo Luật Tố cáo, không ghi trong bản này"
        if petition.is_sealed
        else "Không ghi trong bản này"
    )
    facts = [
        ("Mã số theo dõi", petition.tracking_code),
        ("Loại đơn", case.petition_words.capitalize()),
        ("Ngày nhận đơn", f"{petition.received_on:%d/%m/%Y}"),
        ("Nơi phát sinh", petition.unit.name if petition.unit_id else "—"),
        ("Cơ quan xử lý", case.agency.name),
        ("Người gửi đơn", sender),
    ]
    doc.add_table(["Thông tin", "Nội dung"], facts, widths_mm=(50, 115))
    doc.add_heading("Trích yếu")
    doc.add_paragraph(case.text(petition.subject))
    doc.add_heading("Nội dung đơn")
    for line in case.text(petition.content).splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    count = petition.attachments.count()
    if count:
        doc.add_paragraph(
            f"Tài liệu kèm theo đơn: {count} tệp, chỉ chuyển cho người xác minh sau khi đã lược "
            "bỏ thông tin nhận diện người gửi đơn."
        )
    doc.add_paragraph(REVIEW_NOTE, italic=True)


# -- scrubbing --------------------------------------------------------------------------------


def _fold_char(char: str) -> str:
    """Fold one character to one character (so spans in the folded text match the original)."""
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def _digits_pattern(digits: str, *, phone: bool) -> re.Pattern:
    """Digits however written: '0912 345 678', '0912.345.678', '+84 912345678'."""
    sep = r"[\s.\-]?"
    if phone and digits.startswith("84"):
        digits = "0" + digits[2:]
    if phone and digits.startswith("0"):
        return re.compile(r"(?<!\d)(?:(?:\+|00)?84|0)" + sep + sep.join(digits[1:]) + r"(?!\d)")
    return re.compile(r"(?<!\d)" + sep.join(digits) + r"(?!\d)")


def _identity_patterns(people: list[dict]) -> list[re.Pattern]:
    """Patterns, over folded text, for each sender's name, ID, phone, e-mail and address."""
    patterns = []
    for person in people:
        for key in ("id_number", "phone"):
            digits = re.sub(r"\D", "", person.get(key) or "")
            if len(digits) >= 6:
                patterns.append(_digits_pattern(digits, phone=key == "phone"))
        for key in ("full_name", "email", "address"):
            words = fold_text(person.get(key) or "").split()
            if len("".join(words)) >= 4:
                body = r"\s+".join(re.escape(word) for word in words)
                patterns.append(re.compile(r"(?<!\w)" + body + r"(?!\w)"))
    return patterns


def _scrub(text: str, patterns: list[re.Pattern]) -> tuple[str, int]:
    """Replace every match (found case- and accent-insensitively) with REDACTED."""
    text = normalize_text(text)
    if not patterns:
        return text, 0
    folded = "".join(_fold_char(char) for char in text)
    spans = sorted(match.span() for pattern in patterns for match in pattern.finditer(folded))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + REDACTED + text[end:]
    return text, len(merged)
