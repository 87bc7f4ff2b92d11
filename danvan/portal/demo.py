"""Demo portal content for `manage.py load_demo`: news, announcements and public answers."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.org.models import Agency
from danvan.petitions.models import Petition
from danvan.portal.models import Article
from danvan.portal.services_content import public_answer_draft, public_answer_publish

ARTICLES = [
    (
        "announcement",
        "lich-tiep-cong-dan-thang-nay",
        "Lịch tiếp công dân của Chủ tịch UBND phường",
        "Chủ tịch UBND phường Vị Thanh tiếp công dân định kỳ tại trụ sở.",
        "Chủ tịch UBND phường Vị Thanh tiếp công dân định kỳ vào sáng thứ Năm hằng tuần tại trụ sở "
        "UBND phường.\n\nCông dân có thể gửi phản ánh, kiến nghị trực tuyến trên Cổng thông tin "
        "này và theo dõi kết quả bằng mã tra cứu.",
        "ubnd-vi-thanh",
    ),
    (
        "news",
        "hoi-nghi-doi-thoai-voi-nhan-dan",
        "Hội nghị đối thoại giữa chính quyền với Nhân dân",
        "UBND phường phối hợp Ủy ban MTTQ tổ chức hội nghị đối thoại năm nay.",
        "Hội nghị đối thoại giữa chính quyền với Nhân dân được tổ chức theo Luật Tổ chức "
        "chính quyền địa phương. Người dân được thông báo trước về thời gian, địa điểm, "
        "nội dung.\n\n"
        "Các ý kiến, kiến nghị tại hội nghị được ghi nhận và trả lời công khai.",
        "ubnd-vi-thanh",
    ),
    (
        "news",
        "mo-hinh-dan-van-kheo",
        "Nhân rộng mô hình “Dân vận khéo” ở cơ sở",
        "Nhiều mô hình dân vận khéo được ghi nhận trong xây dựng nông thôn mới.",
        "Các mô hình “Dân vận khéo” góp phần tạo đồng thuận trong Nhân dân, nhất là trong làm "
        "đường giao thông nông thôn, giữ gìn vệ sinh môi trường.",
        "ban-tgdv",
    ),
]


def load_demo_portal() -> int:
    """Create the demo articles and publish up to three answers; 0 if already there."""
    if Article.objects.exists():
        return 0
    admin = get_user_model().objects.get(username="admin")
    now = timezone.now()
    for i, (kind, slug, title, summary, body, agency) in enumerate(ARTICLES):
        Article.objects.create(
            kind=kind,
            slug=slug,
            title=title,
            summary=summary,
            body=body,
            agency=Agency.objects.get(code=agency),
            created_by=admin,
            author_name="Ban biên tập",
            view_count=40 - 10 * i,
            published_at=now - dt.timedelta(days=i * 3),
        )
    resolved = Petition.objects.filter(
        status__in=["resolved", "closed"], sealed_identity__isnull=True
    ).order_by("id")[:3]
    for petition in resolved:
        draft = public_answer_draft(actor=admin, petition=petition)
        public_answer_publish(
            actor=admin,
            petition=petition,
            title=draft.title,
            question=draft.question,
            answer=draft.answer or "Cơ quan đã xem xét và giải quyết theo quy định.",
            topic=petition.get_kind_display(),
        )
    return len(ARTICLES)
