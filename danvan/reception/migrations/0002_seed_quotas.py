"""Seed the statutory reception minimums, transcribed from shared/DOMAIN.md §A.

The rows live here, frozen with the migration (historical models only), so a later edit of the
code cannot change what an old deployment was seeded with. Administrators adjust rows in the
admin. Notes are shown to officials, so they are in Vietnamese (data, not UI strings). An empty
valid_from means "since the law took effect", a date DOMAIN.md does not record.
"""

import datetime as dt

from django.db import migrations

TCD = "Luật Tiếp công dân 42/2013/QH13"
L136 = "Luật 136/2025/QH15 (sửa đổi Luật Tiếp công dân, Luật Khiếu nại, Luật Tố cáo)"
QD11 = "Quy định 11-QĐi/TW, sửa đổi bởi Kết luận 215-KL/TW (23/11/2025)"
NEW_LAW = dt.date(2026, 7, 1)
KL215_SIGNED = dt.date(2025, 11, 23)
KL215_NOTE = (
    "Kết luận 215-KL/TW ký ngày 23/11/2025; ngày có hiệu lực lấy bằng ngày ký "
    "(CHƯA CHẮC CHẮN, DOMAIN.md §0, §A). Tiếp đột xuất khi vụ việc nổi cộm, kéo dài, đông "
    "người, liên quan nhiều cơ quan hoặc đe dọa an ninh, trật tự. Mức trước KL 215 không ghi "
    "trong DOMAIN.md nên không nhập."
)

QUOTAS = [
    {
        "role": "commune_pc_chair",
        "minimum_days": 1,
        "period": "week",
        "valid_to": NEW_LAW - dt.timedelta(days=1),
        "citation": f"{TCD}, Đ15 k2",
        "source_keys": "S1, S2",
        "note": "Tiếp định kỳ ít nhất 1 ngày/tuần, ngoài ra tiếp đột xuất. "
        "Luật 136/2025/QH15 thay bằng ít nhất 2 ngày/tháng từ 1/7/2026.",
    },
    {
        "role": "commune_pc_chair",
        "minimum_days": 2,
        "period": "month",
        "valid_from": NEW_LAW,
        "citation": L136,
        "source_keys": "S5, S6, S7, S8",
        "note": "Ít nhất 2 ngày/tháng tại trụ sở UBND xã hoặc địa điểm Chủ tịch chọn, ngoài ra "
        "tiếp đột xuất; trực tiếp hoặc trực tuyến; không ủy quyền cho cấp phó. Số điều của luật "
        "sửa đổi chưa ghi trong DOMAIN.md.",
    },
    {
        "role": "province_pc_chair",
        "minimum_days": 1,
        "period": "month",
        "citation": f"{TCD}, Đ13",
        "source_keys": "S3",
        "note": "Luật 136/2025/QH15 sửa đổi Luật Tiếp công dân từ 1/7/2026; DOMAIN.md không ghi "
        "thay đổi mức của cấp tỉnh — rà soát khi có văn bản.",
    },
    {
        "role": "province_party_head",
        "minimum_days": 1,
        "period": "month",
        "valid_from": KL215_SIGNED,
        "citation": QD11,
        "source_keys": "S28, S29, S30",
        "note": KL215_NOTE,
        "is_unsure": True,
    },
    {
        "role": "commune_party_head",
        "minimum_days": 2,
        "period": "month",
        "valid_from": KL215_SIGNED,
        "citation": QD11,
        "source_keys": "S28, S29, S30",
        "note": KL215_NOTE,
        "is_unsure": True,
    },
]


def seed(apps, schema_editor):
    ReceptionQuota = apps.get_model("reception", "ReceptionQuota")
    for data in QUOTAS:
        defaults = {k: v for k, v in data.items() if k not in ("role", "valid_from")}
        ReceptionQuota.objects.get_or_create(
            role=data["role"], valid_from=data.get("valid_from"), defaults=defaults
        )


def unseed(apps, schema_editor):
    ReceptionQuota = apps.get_model("reception", "ReceptionQuota")
    for data in QUOTAS:
        ReceptionQuota.objects.filter(role=data["role"], valid_from=data.get("valid_from")).delete()


class Migration(migrations.Migration):
    dependencies = [("reception", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
