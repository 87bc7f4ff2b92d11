"""The statutory time limits danvan starts with, transcribed from shared/DOMAIN.md.

Each entry cites its law and article and the DOMAIN.md source keys. Where DOMAIN.md marks a
point UNSURE, the entry says so in `note`, sets `is_unsure`, and uses DOMAIN.md's stated default
(unqualified "ngày" → calendar days with the Civil Code roll-over, DOMAIN.md §B). A missing
`valid_from` means "since the law took effect": DOMAIN.md does not record that date.
Administrators adjust these rows in the admin; `core.services.legal_rules_seed` only adds
missing ones.
"""

import datetime as dt

# Titles and notes are shown to officials, so they are in Vietnamese (data, not UI strings).
UNQUALIFIED_DAYS = (
    "Điều luật ghi “ngày”, không ghi “ngày làm việc”; có hai cách hiểu "
    "(DOMAIN.md §B, S26). Mặc định: ngày theo lịch, nếu ngày cuối là ngày nghỉ thì lùi sang "
    "ngày làm việc tiếp theo (BLDS 2015 Đ148)."
)
AMENDED_2026 = (
    " Luật 136/2025/QH15 sửa đổi luật này từ 1/7/2026; thời hạn mới chưa được cập nhật "
    "(CHƯA CHẮC CHẮN): rà soát và thêm phiên bản có hiệu lực từ 2026-07-01 nếu thay đổi."
)
TCD = "Luật Tiếp công dân 42/2013/QH13"
KN = "Luật Khiếu nại 02/2011/QH13"
TC = "Luật Tố cáo 25/2018/QH14"
TC_FROM = dt.date(2019, 1, 1)

SEED_RULES: list[dict] = [
    {
        "code": "reception.answer",
        "title": "Trả lời đơn tiếp nhận qua tiếp công dân",
        "period_days": 10,
        "unit": "working",
        "law": TCD,
        "article": "Đ28 k1",
        "source_keys": "S13",
        "note": "Thông báo thụ lý, gia hạn xem xét thụ lý, từ chối, hoặc chuyển đơn."
        + AMENDED_2026,
    },
    {
        "code": "petition.process",
        "title": "Xử lý đơn (phân loại và đề xuất xử lý) kể từ ngày nhận",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Thông tư 05/2021/TT-TTCP",
        "article": "(chưa đọc được điều khoản)",
        "source_keys": "S22",
        "valid_from": dt.date(2021, 11, 15),
        "note": "Cổng dịch vụ công ghi “trong 10 ngày kể từ ngày nhận”; chưa đọc được điều "
        "khoản của TT05 (CHƯA CHẮC CHẮN). " + UNQUALIFIED_DAYS,
    },
    {
        "code": "complaint.file",
        "title": "Thời hiệu khiếu nại lần đầu kể từ khi nhận hoặc biết quyết định, hành vi",
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
        "title": "Thời hạn khiếu nại lần hai sau khi hết hạn hoặc nhận quyết định lần đầu",
        "period_days": 30,
        "remote_days": 45,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ9 (khiếu nại lần hai, theo S23)",
        "source_keys": "S23",
        "note": UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.accept",
        "title": "Thụ lý giải quyết khiếu nại hoặc từ chối có nêu lý do",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": KN,
        "article": "Đ27",
        "source_keys": "S24",
        "note": "Thông báo bằng văn bản cho người khiếu nại, cơ quan chuyển đơn và thanh tra "
        "cùng cấp. " + UNQUALIFIED_DAYS + AMENDED_2026,
    },
    {
        "code": "complaint.resolve.first",
        "title": "Giải quyết khiếu nại lần đầu (kể từ ngày thụ lý)",
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
        "title": "Giải quyết khiếu nại lần hai (kể từ ngày thụ lý)",
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
        "title": "Vào sổ, phân loại, kiểm tra thông tin người tố cáo và điều kiện thụ lý",
        "period_days": 7,
        "complex_days": 10,
        "unit": "working",
        "law": TC,
        "article": "Đ24",
        "source_keys": "S32",
        "valid_from": TC_FROM,
        "note": "“Phức tạp” ở đây là phải kiểm tra ở nhiều địa điểm hoặc ủy quyền xác minh: "
        "tối đa 10 ngày làm việc." + AMENDED_2026,
    },
    {
        "code": "denunciation.forward",
        "title": "Chuyển đơn tố cáo không thuộc thẩm quyền và thông báo cho người tố cáo",
        "period_days": 5,
        "unit": "working",
        "law": TC,
        "article": "Đ24",
        "source_keys": "S32",
        "valid_from": TC_FROM,
        "note": "Đơn tố cáo cùng nội dung chỉ được chuyển một lần (TT05/2021)." + AMENDED_2026,
    },
    {
        "code": "denunciation.accept.notify",
        "title": "Thông báo quyết định thụ lý cho người tố cáo và người bị tố cáo",
        "period_days": 5,
        "unit": "working",
        "law": TC,
        "article": "Đ29",
        "source_keys": "S33",
        "valid_from": TC_FROM,
        "note": "Người bị tố cáo chỉ được thông báo nội dung tố cáo, không bao giờ biết danh "
        "tính người tố cáo." + AMENDED_2026,
    },
    {
        "code": "denunciation.resolve",
        "title": "Giải quyết tố cáo (kể từ ngày thụ lý)",
        "period_days": 30,
        "extension_days": 30,
        "max_extensions": 2,
        "unit": "calendar",
        "is_unsure": True,
        "law": TC,
        "article": "Đ30",
        "source_keys": "S34, S35",
        "valid_from": TC_FROM,
        "note": "Vụ việc phức tạp (NĐ 31/2019 Đ3 k2): gia hạn một lần, không quá 30 ngày; "
        "đặc biệt phức tạp: hai lần (tối đa 90 ngày). Gia hạn bằng văn bản và thông báo. "
        + UNQUALIFIED_DAYS
        + AMENDED_2026,
    },
    {
        "code": "denunciation.forwarded.report",
        "title": (
            "Báo cáo kết quả giải quyết tố cáo do cơ quan báo chí, cơ quan có thẩm quyền chuyển đến"
        ),
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
        "title": "Công khai kết quả hội nghị đối thoại cấp xã",
        "period_days": 10,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Luật Tổ chức chính quyền địa phương 2025",
        "article": "Đ43",
        "source_keys": "S41",
        "note": "Thông báo trước ít nhất 7 ngày; công khai kết quả qua phương tiện thông tin, "
        "bảng tin trụ sở và trưởng thôn, tổ dân phố. " + UNQUALIFIED_DAYS,
    },
    {
        "code": "voter_petition.answer",
        "title": "Trả lời kiến nghị cử tri do Quốc hội chuyển đến",
        "period_days": 60,
        "unit": "calendar",
        "is_unsure": True,
        "law": "Quyết định 33/2017/QĐ-TTg (amended by QĐ 30/2020/QĐ-TTg)",
        "article": "(chưa ghi nhận điều khoản)",
        "source_keys": "S65",
        "note": UNQUALIFIED_DAYS,
    },
]
