"""Kinds of legal and Party documents a plan cites as its basis (căn cứ). Pure data."""

from django.utils.translation import gettext_lazy as _

# (key, Vietnamese name as written in citations, English label for the UI catalogue)
DOC_TYPES: list[tuple[str, str]] = [
    ("ket_luan", "Kết luận"),
    ("quyet_dinh", "Quyết định"),
    ("chi_thi", "Chỉ thị"),
    ("chuong_trinh_phoi_hop", "Chương trình phối hợp"),
    ("chuong_trinh", "Chương trình"),
    ("nghi_quyet_lien_tich", "Nghị quyết liên tịch"),
    ("nghi_quyet", "Nghị quyết"),
    ("ke_hoach", "Kế hoạch"),
    ("luat", "Luật"),
    ("nghi_dinh", "Nghị định"),
    ("thong_tu", "Thông tư"),
    ("quy_dinh", "Quy định"),
    ("huong_dan", "Hướng dẫn"),
    ("cong_van", "Công văn"),
    ("thong_bao", "Thông báo"),
    ("other", "Khác"),
]

DOC_TYPE_LABELS = {
    "ket_luan": _("Conclusion (Kết luận)"),
    "quyet_dinh": _("Decision (Quyết định)"),
    "chi_thi": _("Directive (Chỉ thị)"),
    "chuong_trinh_phoi_hop": _("Coordination programme (Chương trình phối hợp)"),
    "chuong_trinh": _("Programme (Chương trình)"),
    "nghi_quyet_lien_tich": _("Joint resolution (Nghị quyết liên tịch)"),
    "nghi_quyet": _("Resolution (Nghị quyết)"),
    "ke_hoach": _("Plan (Kế hoạch)"),
    "luat": _("Law (Luật)"),
    "nghi_dinh": _("Decree (Nghị định)"),
    "thong_tu": _("Circular (Thông tư)"),
    "quy_dinh": _("Regulation (Quy định)"),
    "huong_dan": _("Guidance (Hướng dẫn)"),
    "cong_van": _("Official letter (Công văn)"),
    "thong_bao": _("Notice (Thông báo)"),
    "other": _("Other"),
}

# Longest names first, so "Chương trình phối hợp" wins over "Chương trình".
VIETNAMESE_NAMES = sorted(DOC_TYPES, key=lambda item: -len(item[1]))
