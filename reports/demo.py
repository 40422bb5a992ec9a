"""The district's letterhead for the demo reports (Hướng dẫn 36-HD/VPTW)."""

from communes.models import AdministrativeUnit

from .models import Letterhead

RECIPIENTS = """- Ban Dân vận Tỉnh ủy (để báo cáo),
- Thường trực Huyện ủy (để báo cáo),
- Các đồng chí Ủy viên Ban Thường vụ Huyện ủy,
- Đảng ủy các xã, thị trấn,
- Lưu Ban Dân vận."""


def load(stdout=None):
    district = AdministrativeUnit.objects.get(code="344")
    Letterhead.objects.get_or_create(
        unit=district,
        defaults={
            "parent_body": "HUYỆN ỦY VŨ THƯ",
            "issuing_body": "BAN DÂN VẬN",
            "place": "Vũ Thư",
            "signer_authority": "T/M BAN DÂN VẬN",
            "signer_title": "TRƯỞNG BAN",
            "signer_name": "Phạm Thị Minh Hằng",
            "recipients": RECIPIENTS,
        },
    )
