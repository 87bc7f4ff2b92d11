"""The shares the bench data follows. Assumptions, not statistics: no national breakdown of
petitions by kind or channel was read (DOMAIN.md has none), so these are plausible round figures,
stated here so that a reader can change them."""

KINDS = {
    "complaint": 30,
    "denunciation": 10,
    "recommendation": 25,
    "feedback": 30,
    "multiple": 2,
    "unclassified": 3,
}
CHANNELS = {
    "reception": 35,
    "post": 25,
    "portal": 20,
    "hotline": 8,
    "email": 5,
    "forwarded_agency": 4,
    "forwarded_front": 2,
    "forwarded_deputy": 1,
}
# States by the case's age in days: (younger than, {state: weight}).
STATES_BY_AGE = [
    (30, {"received": 35, "classified": 25, "accepted": 25, "transferred": 5, "guided": 5}
     | {"filed": 5}),
    (120, {"accepted": 30, "verifying": 20, "resolved": 25, "transferred": 8, "guided": 7}
     | {"filed": 5, "classified": 5}),
    (10**6, {"closed": 45, "resolved": 20, "filed": 10, "transferred": 8, "guided": 7}
     | {"withdrawn": 3, "accepted": 4, "verifying": 3}),
]  # fmt: skip
DUPLICATE_SHARE = 0.03  # a copy of an earlier petition by the same person, within 40 days
MASS_SHARE = 0.02
PROVINCIAL_SHARE = 0.30  # petitions handled by provincial agencies rather than communes
LATE_SHARE = 0.15  # resolution clocks met after their due day

TOPICS = [
    ("Tranh chấp đất đai", "tranh chấp ranh giới thửa đất với hộ liền kề"),
    ("Bồi thường giải phóng mặt bằng", "mức bồi thường khi thu hồi đất làm đường"),
    ("Ô nhiễm môi trường", "cơ sở chăn nuôi xả nước thải ra kênh"),
    ("Chính sách người có công", "chậm giải quyết chế độ trợ cấp"),
    ("Cấp giấy chứng nhận", "chậm cấp giấy chứng nhận quyền sử dụng đất"),
    ("Trật tự xây dựng", "xây dựng lấn chiếm hành lang lộ giới"),
    ("Cán bộ nhũng nhiễu", "cán bộ địa chính đòi tiền khi làm hồ sơ"),
    ("Hộ nghèo", "việc bình xét hộ nghèo chưa công khai"),
    ("Giao thông nông thôn", "đường liên ấp xuống cấp, ngập nước"),
    ("An sinh xã hội", "chưa nhận được tiền hỗ trợ"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Thảo"]
