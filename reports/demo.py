"""The letterheads of the demo reports (Hướng dẫn 36-HD/VPTW): the district, and Hưng Yên."""

from communes.models import AdministrativeUnit

from .models import Letterhead

RECIPIENTS = """- Ban Dân vận Tỉnh ủy (để báo cáo),
- Thường trực Huyện ủy (để báo cáo),
- Các đồng chí Ủy viên Ban Thường vụ Huyện ủy,
- Đảng ủy các xã, thị trấn,
- Lưu Ban Dân vận."""


PROVINCE_RECIPIENTS = """- Ban Tuyên giáo và Dân vận Trung ương (để báo cáo),
- Thường trực Tỉnh ủy (để báo cáo),
- Đảng ủy các xã, phường,
- Lưu Ban Tuyên giáo và Dân vận."""


def load(stdout=None):
    # After the 2025 reorganisation (when the demo has applied it): Hưng Yên's board.
    province = AdministrativeUnit.objects.filter(code="33").first()
    if province is not None:
        Letterhead.objects.get_or_create(
            unit=province,
            defaults={
                "parent_body": "TỈNH ỦY HƯNG YÊN",
                "issuing_body": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
                "place": "Hưng Yên",
                "signer_authority": "T/M BAN TUYÊN GIÁO VÀ DÂN VẬN",
                "signer_title": "TRƯỞNG BAN",
                "signer_name": "Nguyễn Thị Thu Hà",
                "recipients": PROVINCE_RECIPIENTS,
            },
        )
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
