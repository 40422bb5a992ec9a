"""The letterheads of the demo reports (Hướng dẫn 36-HD/VPTW): the district, Hưng Yên's board
and, after the reorganisation, the new communes xã Vũ Thư and xã Tân Thuận (each its own Đảng ủy,
sending its reports where Kết luận 215-KL/TW says)."""

from django.utils import timezone

from communes.models import AdministrativeUnit

from .models import Letterhead, SigningConvention

RECIPIENTS = """- Ban Dân vận Tỉnh ủy (để báo cáo),
- Thường trực Huyện ủy (để báo cáo),
- Các đồng chí Ủy viên Ban Thường vụ Huyện ủy,
- Đảng ủy các xã, thị trấn,
- Lưu Ban Dân vận."""


# Kết luận 215-KL/TW: a commune's report goes to the provincial secretary, the provincial Ban Nội
# chính and the provincial Ban Tuyên giáo và Dân vận.
COMMUNE_RECIPIENTS = """- Thường trực Tỉnh ủy Hưng Yên (để báo cáo),
- Ban Nội chính Tỉnh ủy,
- Ban Tuyên giáo và Dân vận Tỉnh ủy,
- Lưu Văn phòng Đảng ủy."""

COMMUNES = [
    ("33801", "ĐẢNG ỦY XÃ VŨ THƯ", "Vũ Thư"),
    ("33803", "ĐẢNG ỦY XÃ TÂN THUẬN", "Tân Thuận"),
]


def _secretary(unit) -> str:
    """The commune's Party secretary today, as the demo's office holders name them."""
    holder = unit.office_holders_on(timezone.localdate()).filter(position__name="Bí thư").first()
    return holder.person.full_name if holder else ""


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
                # A board's report signed by its head: the title alone.
                "signing": SigningConvention.TITLE,
                "signer_authority": "",
                "signer_title": "TRƯỞNG BAN",
                "signer_name": "Nguyễn Thị Thu Hà",
                "recipients": PROVINCE_RECIPIENTS,
            },
        )
        for code, committee, place in COMMUNES:
            commune = AdministrativeUnit.objects.filter(code=code).first()
            if commune is None:
                continue
            # A Party committee is a collective body: T/M its standing board, the secretary signs.
            Letterhead.objects.get_or_create(
                unit=commune,
                defaults={
                    "parent_body": "ĐẢNG BỘ TỈNH HƯNG YÊN",
                    "issuing_body": committee,
                    "place": place,
                    "signing": SigningConvention.ON_BEHALF,
                    "signer_authority": "BAN THƯỜNG VỤ",
                    "signer_title": "BÍ THƯ",
                    "signer_name": _secretary(commune),
                    "recipients": COMMUNE_RECIPIENTS,
                },
            )
    district = AdministrativeUnit.objects.get(code="344")
    Letterhead.objects.get_or_create(
        unit=district,
        defaults={
            "parent_body": "HUYỆN ỦY VŨ THƯ",
            "issuing_body": "BAN DÂN VẬN",
            "place": "Vũ Thư",
            "signing": SigningConvention.TITLE,
            "signer_authority": "",
            "signer_title": "TRƯỞNG BAN",
            "signer_name": "Phạm Thị Minh Hằng",
            "recipients": RECIPIENTS,
        },
    )
