import datetime
import io
import unicodedata

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from dialogues.models import SessionStatus
from reports import demo as reports_demo
from reports.charts import Bar, bar_chart
from reports.figures import report_figures
from reports.models import Letterhead, PeriodKind, Report, ReportStage
from reports.pdf import (
    fonts_only_fetcher,
    letterhead_for,
    report_number_suffix,
    report_render_pdf,
    session_minutes_pdf,
    session_notice_pdf,
)
from reports.typeface import FAMILY, FONT_DIR, font_faces

from .factories import agency, district, make_opinion, make_plan, make_session, unit

# Every test here counts as a database test, the ones reading the module's report too, so they
# all run before the transactional tests, which empty the reference data the demo needs.
pytestmark = pytest.mark.django_db

D = datetime.date
A4 = (595.28, 841.89)


def vi(number: int) -> str:
    """A whole number as Vietnamese documents write it: 1.070."""
    return f"{number:,}".replace(",", ".")


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # One space for every run of blanks: a phrase may wrap at the end of a line.
    return reader, " ".join(unicodedata.normalize("NFC", text).split())


def fonts(reader: PdfReader) -> set[str]:
    """The fonts embedded, by their base name without subset prefix or hyphens."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # a composite font: the descriptor is on its descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]  # embedded
            names.add(str(font["/BaseFont"]).split("+")[-1].replace("-", ""))
    return names


def only_the_shipped_serif(reader: PdfReader) -> bool:
    """Every font embedded is Liberation Serif from reports/fonts/: WeasyPrint names a font loaded
    through @font-face after the family the documents give it, which no machine's font has."""
    names = fonts(reader)
    family = FAMILY.replace(" ", "")
    return bool(names) and all(name.startswith(family) for name in names)


def report_of(unit_, *, kind, year, start, end, report_date, quarter=None, **fields):
    letterhead = letterhead_for(unit_)
    return Report(
        unit=unit_, period_kind=kind, year=year, quarter=quarter, start=start, end=end,
        stage=ReportStage.ISSUED, number=fields.pop("number", "12-BC/BDVHU"),
        place=letterhead.place, report_date=report_date, signing=letterhead.signing,
        signer_authority=letterhead.signer_authority,
        signer_title=letterhead.signer_title, signer_name=letterhead.signer_name,
        recipients=letterhead.recipients, **fields,
    )  # fmt: skip


@pytest.fixture(scope="module")
def first_half_2019(django_db_setup, django_db_blocker):
    """The demo's report for the first half of 2019, made once for this module's tests.

    The whole demo is loaded in a transaction that is rolled back once the PDF is made.
    """
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        report = report_of(
            district(), kind=PeriodKind.SIX_MONTHS, year=2019, start=D(2019, 1, 1),
            end=D(2019, 6, 30), report_date=D(2019, 6, 30),
            strengths="Các cấp ủy đã chủ động tổ chức hội nghị.\nMột số xã còn chậm.",
        )  # fmt: skip
        with translation.override("vi"):
            figures = report_figures(unit=report.unit, start=report.start, end=report.end)
        reader, text = read(report_render_pdf(report=report))
        transaction.set_rollback(True)
    return report, figures, reader, text


def test_report_pdf_carries_the_letterhead_number_place_and_date(first_half_2019):
    _, _, _, text = first_half_2019
    for expected in ["HUYỆN ỦY VŨ THƯ", "BAN DÂN VẬN", "12-BC/BDVHU",
                     "Vũ Thư, ngày 30 tháng 6 năm 2019", "TRƯỞNG BAN",
                     "Phạm Thị Minh Hằng", "Lưu Ban Dân vận"]:  # fmt: skip
        assert expected in text, expected


def test_report_pdf_has_the_party_document_headings(first_half_2019):
    _, _, _, text = first_half_2019
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 12-BC/BDVHU", "BÁO CÁO", "Nơi nhận",
                     "6 tháng đầu năm 2019", "ĐÁNH GIÁ"]:  # fmt: skip
        assert expected in text, expected


def test_report_pdf_prints_the_figures_and_the_sessions_behind_them(first_half_2019):
    _, figures, _, text = first_half_2019
    for line in figures.coverage:
        assert line.headline in text
    # By mid-2019, as the district reported: 25 of 30 communes and towns, 3 district sessions.
    assert "25/30 xã, thị trấn" in text
    assert "3/3" in text
    for row in figures.sessions:
        assert row.starts_at.strftime("%d/%m/%Y") in text
    assert f"{vi(figures.answered)}/{vi(figures.opinions)}" in text
    assert f"{vi(figures.resolved)}/{vi(figures.forwarded)}" in text
    for row in figures.overdue:
        assert row.code in text
    assert "Các cấp ủy đã chủ động tổ chức hội nghị." in text


def test_report_pdf_keeps_vietnamese_letters(first_half_2019):
    _, _, _, text = first_half_2019
    for expected in ["Dũng Nghĩa", "Đất đai", "Chế độ chính sách", "Bách Thuận", "Hòa Bình"]:
        assert expected in text, expected


def test_report_pdf_is_a4_with_the_shipped_liberation_serif_embedded(first_half_2019):
    _, _, reader, _ = first_half_2019
    assert len(reader.pages) > 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    assert only_the_shipped_serif(reader), fonts(reader)


def test_the_fonts_come_from_the_repository_with_their_licence():
    from django.conf import settings

    for face in font_faces():
        path = FONT_DIR / face["url"].rsplit("/", 1)[-1]
        assert path.is_relative_to(settings.BASE_DIR) and path.stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_DIR / "OFL.txt").read_text()


def test_the_pdf_fetcher_reads_the_fonts_and_nothing_else():
    fetcher = fonts_only_fetcher()
    fetched = fetcher.fetch(font_faces()[0]["url"])
    assert fetched.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    fetched.close()
    for url in [
        FONT_DIR.as_uri() + "/../../../etc/passwd",
        FONT_DIR.as_uri() + "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        FONT_DIR.as_uri() + "-other/LiberationSerif-Regular.ttf",
        (FONT_DIR / "OFL.txt").as_uri(),
        "file://example.com" + FONT_DIR.as_posix() + "/LiberationSerif-Regular.ttf",
        "https://example.com/font.ttf",
    ]:
        with pytest.raises(ValueError, match="nothing but their fonts"):
            fetcher.fetch(url)


def test_report_pdf_numbers_pages_from_the_second(first_half_2019):
    _, _, reader, _ = first_half_2019
    assert not reader.pages[0].extract_text().strip().endswith("1")
    assert reader.pages[1].extract_text().strip().splitlines()[-1].strip() == "2"


def test_report_without_sessions_says_so_and_still_renders(demo):
    reports_demo.load()
    report = report_of(
        unit("Dũng Nghĩa"), kind=PeriodKind.QUARTER, year=2019, quarter=2, start=D(2019, 4, 1),
        end=D(2019, 6, 30), report_date=D(2019, 6, 30),
    )  # fmt: skip
    reader, text = read(report_render_pdf(report=report))
    # A commune without a letterhead of its own reports under its own Party committee's, not
    # under the district board's.
    assert "ĐẢNG ỦY XÃ DŨNG NGHĨA" in text and "BAN DÂN VẬN" not in text
    assert "Dũng Nghĩa" in text
    assert len(reader.pages) >= 1


# --- letterhead --------------------------------------------------------------------------------


def test_letterhead_is_the_units_or_the_nearest_above(demo):
    reports_demo.load()
    assert letterhead_for(district()).unit == district()
    assert letterhead_for(unit("Dũng Nghĩa")).issuing_body == "ĐẢNG ỦY XÃ DŨNG NGHĨA"
    own = Letterhead.objects.create(
        unit=unit("Bách Thuận"), parent_body="ĐẢNG BỘ HUYỆN VŨ THƯ",
        issuing_body="ĐẢNG ỦY XÃ BÁCH THUẬN", place="Bách Thuận", signer_authority="T/M ĐẢNG ỦY",
        signer_title="BÍ THƯ", recipients="- Lưu.",
    )  # fmt: skip
    assert letterhead_for(unit("Bách Thuận")) == own


def test_unit_without_any_letterhead_gets_one_from_its_name(demo):
    letterhead = letterhead_for(district())
    assert letterhead.pk is None
    assert letterhead.parent_body == "HUYỆN VŨ THƯ"
    assert letterhead.place == "Vũ Thư"
    assert letterhead.issuing_body and letterhead.signer_title and letterhead.recipients


def test_a_commune_without_a_letterhead_is_headed_by_its_party_committee(demo):
    """Kết luận 215-KL/TW: the commune's Party committee reports, on behalf of its standing
    board, to the provincial secretary, Ban Nội chính and Ban Tuyên giáo và Dân vận."""
    letterhead = letterhead_for(unit("Dũng Nghĩa"))
    assert (letterhead.parent_body, letterhead.issuing_body) == (
        "ĐẢNG BỘ HUYỆN VŨ THƯ",
        "ĐẢNG ỦY XÃ DŨNG NGHĨA",
    )
    assert letterhead.signing == "tm" and letterhead.signer_authority == "BAN THƯỜNG VỤ"
    assert letterhead.recipient_lines[:3] == [
        "- Thường trực Tỉnh ủy (để báo cáo),",
        "- Ban Nội chính Tỉnh ủy,",
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy,",
    ]


@pytest.mark.parametrize(
    ("parent", "body", "number"),
    [
        ("HUYỆN ỦY VŨ THƯ", "BAN DÂN VẬN", "-BC/BDVHU"),
        ("TỈNH ỦY THÁI BÌNH", "BAN DÂN VẬN", "-BC/BDVTU"),
        ("ĐẢNG ỦY XÃ DŨNG NGHĨA", "BAN DÂN VẬN", "-BC/BDVĐU"),
        ("XÃ DŨNG NGHĨA", "BAN DÂN VẬN", "-BC/BDV"),
        ("TỈNH ỦY HƯNG YÊN", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "-BC/BTGDVTU"),
        # A commune's Party committee issues in its own name: …-BC/ĐU.
        ("ĐẢNG BỘ TỈNH HƯNG YÊN", "ĐẢNG ỦY XÃ VŨ THƯ", "-BC/ĐU"),
    ],
)
def test_report_number_follows_party_numbering(parent, body, number):
    assert report_number_suffix(Letterhead(parent_body=parent, issuing_body=body)) == number


# --- a session's minutes and notice ------------------------------------------------------------


@pytest.fixture
def held_session(demo):
    session = make_session(
        plan=make_plan(number="55-KH/HU"), host=unit("Dũng Nghĩa"), day="15/05/2019",
        status=SessionStatus.HELD, topic="Đối thoại về quản lý đất đai và giải phóng mặt bằng",
        venue="Hội trường UBND xã Dũng Nghĩa", attendance_residents=180, attendance_cadres=25,
        minutes_text="Đồng chí Bí thư Đảng ủy khai mạc hội nghị.\nNhân dân phát biểu ý kiến.",
    )  # fmt: skip
    make_opinion(
        session=session, content="Đề nghị sửa đường trục thôn Đông", outcome="answered",
        field_name="Giao thông", raised_by="Ông Trần Văn Hải",
        session_answer="Xã sẽ sửa trong quý III", answered_by="Chủ tịch UBND xã",
    )  # fmt: skip
    make_opinion(session=session, content="Phản ánh ô nhiễm nguồn nước ở thôn Tây",
                 outcome="forwarded", field_name="Môi trường", deadline=D(2019, 6, 5))  # fmt: skip
    return session


def test_minutes_hold_the_session_its_chairs_and_its_opinions(held_session):
    reader, text = read(session_minutes_pdf(session=held_session))
    for expected in ["Đối thoại về quản lý đất đai và giải phóng mặt bằng", "15/05/2019", "08:00",
                     "11:00", "Hội trường UBND xã Dũng Nghĩa", "180", "25",
                     "Đồng chí Bí thư Đảng ủy khai mạc hội nghị.",
                     "Đề nghị sửa đường trục thôn Đông",
                     "Xã sẽ sửa trong quý III", "Giao thông",
                     "Phản ánh ô nhiễm nguồn nước ở thôn Tây", "Môi trường", agency().name,
                     "05/06/2019"]:  # fmt: skip
        assert expected in text, expected
    # A printed report never carries the person's name (feedback/personal.py).
    assert "Trần Văn Hải" not in text
    for chair in held_session.chairs.select_related("person", "position"):
        assert chair.person.full_name in text
        assert chair.position.name in text
    assert abs(float(reader.pages[0].mediabox.height) - A4[1]) <= 1


def test_minutes_are_headed_as_a_party_document(held_session):
    _, text = read(session_minutes_pdf(session=held_session))
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN", "XÃ DŨNG NGHĨA",
                     "Dũng Nghĩa, ngày 15 tháng 5 năm 2019"]:  # fmt: skip
        assert expected in text, expected


def test_notice_holds_the_topic_date_venue_and_chairs(held_session):
    held_session.notice_date = D(2019, 5, 3)
    held_session.invited_organisations = "Ủy ban MTTQ, Hội Nông dân"
    held_session.save()
    reader, text = read(session_notice_pdf(session=held_session))
    for expected in ["Đối thoại về quản lý đất đai và giải phóng mặt bằng", "15/05/2019", "08:00",
                     "Hội trường UBND xã Dũng Nghĩa", "55-KH/HU", "Ủy ban MTTQ, Hội Nông dân",
                     "THÔNG BÁO", "Dũng Nghĩa, ngày 03 tháng 5 năm 2019"]:  # fmt: skip
        assert expected in text, expected
    for chair in held_session.chairs.select_related("person"):
        assert chair.person.full_name in text
    assert only_the_shipped_serif(reader), fonts(reader)


def test_notice_of_a_cancelled_session_says_so(demo):
    from accounts.models import User
    from dialogues.services import session_cancel

    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2030")
    session_cancel(session=session, by=User.objects.get(username="dungnghia"),
                   reason="Trùng lịch họp của Huyện ủy")  # fmt: skip
    _, text = read(session_notice_pdf(session=session))
    assert "Trùng lịch họp của Huyện ủy" in text


# --- charts ------------------------------------------------------------------------------------


def test_chart_escapes_labels_and_describes_itself():
    with translation.override("vi"):
        svg = bar_chart(
            [Bar("Đất đai <b>", 274, 28.8), Bar("Môi trường", 0, 0.0)],
            title="Ý kiến theo lĩnh vực", chart_id="fields",
        )  # fmt: skip
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="fields-title">Ý kiến theo lĩnh vực</title>' in svg
    assert "Đất đai &lt;b&gt;" in svg and "<b>" not in svg
    assert "274 (28,8%)" in svg
    assert 'width="160mm"' in svg
    assert "<script" not in svg
