"""The statutory time limits danvan starts with, transcribed from shared/DOMAIN.md.

Each entry cites its law and article and the DOMAIN.md source keys. Where DOMAIN.md marks a
point UNSURE, the entry says so in `note`, sets `is_unsure`, and uses DOMAIN.md's stated default
(unqualified "ngày" → calendar days with the Civil Code roll-over, DOMAIN.md §B). A missing
`valid_from` means "since the law took effect": DOMAIN.md does not record that date.
Administrators adjust these rows in the admin; `seed_legal_rules` only adds missing ones.
"""

import datetime as dt

UNQUALIFIED_DAYS = (
    "The article says 'ngày' without 'làm việc'; whether calendar or working days is UNSURE "
    "(DOMAIN.md §B, S26). Default: calendar days with the Civil Code roll-over."
)
AMENDED_2026 = (
    " Luật 136/2025/QH15 amends this law from 1/7/2026; its new limits are not captured in "
    "DOMAIN.md (UNSURE): review this row and add a version valid from 2026-07-01 if it changed."
)
TCD = "Luật Tiếp công dân 42/2013/QH13"
KN = "Luật Khiếu nại 02/2011/QH13"
TC = "Luật Tố cáo 25/2018/QH14"
TC_FROM = dt.date(2019, 1, 1)

SEED_RULES: list[dict] = [
    {
        "code": "reception.answer",
        "title": "Answer a petition received at a reception session",
        "period_days": 10,
        "unit": "working",
        "law": TCD,
        "article": "Đ28 k1",
        "source_keys": "S13",
        "note": "Accept, extend the acceptance review, refuse, or forward." + AMENDED_2026,
    },
    {
        "code": "petition.process",
        "title": "Process (classify and decide on) a received petition",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Thông tư 05/2021/TT-TTCP",
        "article": "(article not read)",
        "source_keys": "S22",
        "valid_from": dt.date(2021, 11, 15),
        "note": "The public-service portal lists 'within 10 days of receipt'; the TT05 article "
        "was not read (UNSURE). " + UNQUALIFIED_DAYS,
    },
    {
        "code": "complaint.file",
        "title": "Time to lodge a first complaint after receiving or learning of the act",
        "period_days": 90,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ9",
        "source_keys": "S23",
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.file.second",
        "title": "Time to lodge a second complaint after the first-instance deadline or decision",
        "period_days": 30,
        "remote_days": 45,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ9 (second complaint, per S23)",
        "source_keys": "S23",
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.accept",
        "title": "Accept (thụ lý) a complaint or refuse it with reasons",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ27",
        "source_keys": "S24",
        "note": "Notify the complainant, the forwarding body and the inspectorate at the same "
        "level. " + UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.resolve.first",
        "title": "Resolve a complaint at first instance (from acceptance)",
        "period_days": 30,
        "complex_days": 45,
        "remote_days": 45,
        "remote_complex_days": 60,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ28",
        "source_keys": "S25",
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.resolve.second",
        "title": "Resolve a complaint at second instance (from acceptance)",
        "period_days": 45,
        "complex_days": 60,
        "remote_days": 60,
        "remote_complex_days": 70,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ37",
        "source_keys": "S25",
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "denunciation.check",
        "title": "Register, classify and check a denunciation and its conditions",
        "period_days": 7,
        "complex_days": 10,
        "unit": "working",
        "law": TC,
        "article": "Đ24",
        "source_keys": "S32",
        "valid_from": TC_FROM,
        "note": "'Complex' here means several places to check or verification delegated: "
        "up to 10 working days." + AMENDED_2026,
    },
    {
        "code": "denunciation.forward",
        "title": "Forward a denunciation outside the agency's competence and notify the denouncer",
        "period_days": 5,
        "unit": "working",
        "law": TC,
        "article": "Đ24",
        "source_keys": "S32",
        "valid_from": TC_FROM,
        "note": "A denunciation is forwarded only once for the same content (TT05/2021)."
        + AMENDED_2026,
    },
    {
        "code": "denunciation.accept.notify",
        "title": "Notify the acceptance decision to the denouncer and the person denounced",
        "period_days": 5,
        "unit": "working",
        "law": TC,
        "article": "Đ29",
        "source_keys": "S33",
        "valid_from": TC_FROM,
        "note": "The person denounced is told the content only, never the denouncer's identity."
        + AMENDED_2026,
    },
    {
        "code": "denunciation.resolve",
        "title": "Resolve a denunciation (from acceptance)",
        "period_days": 30,
        "extension_days": 30,
        "max_extensions": 2,
        "unit": "calendar",
        "is_unsure": True,
        "law": TC,
        "article": "Đ30",
        "source_keys": "S34, S35",
        "valid_from": TC_FROM,
        "note": "Complex cases (NĐ 31/2019 Đ3 k2): one extension of up to 30 days; especially "
        "complex: two (90 days at most). Extensions are decided in writing and notified. "
        + UNQUALIFIED_DAYS
        + AMENDED_2026,
    },
    {
        "code": "denunciation.forwarded.report",
        "title": "Report the result on a denunciation forwarded by the press or an authority",
        "period_days": 20,
        "unit": "calendar",
        "is_unsure": True,
        "law": TC,
        "article": "Đ26 k2",
        "source_keys": "S32",
        "valid_from": TC_FROM,
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "dialogue.results.publish",
        "title": "Publish the results of a commune dialogue conference",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Luật Tổ chức chính quyền địa phương 2025",
        "article": "Đ43",
        "source_keys": "S41",
        "note": "Announce at least 7 days ahead; publish results via media, notice board and "
        "village heads. " + UNQUALIFIED_DAYS,
    },
    {
        "code": "voter_petition.answer",
        "title": "Answer voter petitions forwarded by the National Assembly",
        "period_days": 60,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Quyết định 33/2017/QĐ-TTg (amended by QĐ 30/2020/QĐ-TTg)",
        "article": "(article not recorded)",
        "source_keys": "S65",
        "note": UNQUALIFIED_DAYS,
    },
]
