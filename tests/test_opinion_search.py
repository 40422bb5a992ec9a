"""Search ignores diacritics and case, with the same results on PostgreSQL (CI) and SQLite."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from feedback.exports import HEADERS
from feedback.models import Opinion
from feedback.text import fold

from .factories import make_opinion, make_plan, make_session, unit

LIST_URL = reverse("feedback:opinion-list")
XLSX_URL = reverse("feedback:opinion-export-xlsx")
# Looked up by the English header, whatever the catalogue says in Vietnamese.
with translation.override("en"):
    ID_COLUMN = [str(header) for header in HEADERS].index("Opinion code")

# name: (content, raised by)
DUNG_NGHIA = {
    "dat_dai": ("Đất đai", ""),
    "o_nhiem_caps": ("O NHIEM moi truong", ""),
    "o_nhiem_nuoc": ("ô nhiễm nguồn nước", "Lê Thị Hoa"),
    "duong": ("ĐƯỜNG GIAO THÔNG xuống cấp", ""),
    "gcn": ("Đề nghị cấp GCN quyền sử dụng đất", "Nguyễn Văn Đông"),
    "giao_thong": ("Giao thông nông thôn chưa được cứng hóa", ""),
    "dong_tam": ("Hỗ trợ hộ nghèo ở thôn Đồng Tâm", ""),
    "percent": ("Giảm 50% học phí cho con hộ nghèo", ""),
}
BACH_THUAN = {
    "bt_dat_dai": ("Tranh chấp đất đai giữa hai hộ", "Phạm Văn Đông"),
}

# The query, and exactly the opinions it must find.
EXPECTED = [
    ("dat dai", {"dat_dai", "bt_dat_dai"}),
    ("Đất đai", {"dat_dai", "bt_dat_dai"}),
    ("ĐẤT ĐAI", {"dat_dai", "bt_dat_dai"}),
    ("ô nhiễm", {"o_nhiem_caps", "o_nhiem_nuoc"}),
    ("O NHIEM", {"o_nhiem_caps", "o_nhiem_nuoc"}),
    ("duong giao thong", {"duong"}),
    ("giao thong", {"duong", "giao_thong"}),
    ("nguyen van dong", {"gcn"}),
    # Tones are ignored too: "đông" also finds "Đồng Tâm".
    ("đông", {"gcn", "dong_tam", "bt_dat_dai"}),
    ("  Nguồn   NƯỚC ", {"o_nhiem_nuoc"}),
    ("hoa", {"o_nhiem_nuoc", "giao_thong"}),
    ("50%", {"percent"}),
    ("%", {"percent"}),
    ("_", set()),
    ("ho ngheo dong tam", {"dong_tam"}),
    ("xuống cấp đất", set()),
]


@pytest.fixture
def opinions(demo):
    plan = make_plan()
    dung_nghia = make_session(plan=plan, host=unit("Dũng Nghĩa"), day="15/05/2019")
    bach_thuan = make_session(plan=plan, host=unit("Bách Thuận"), day="20/05/2019")
    made = {}
    for session, rows in ((dung_nghia, DUNG_NGHIA), (bach_thuan, BACH_THUAN)):
        for name, (content, raised_by) in rows.items():
            # Field "Khác" keeps the field's name out of these text matches.
            made[name] = make_opinion(
                session=session, content=content, raised_by=raised_by, field_name="Khác"
            )
    return made


def found(client, query, url=LIST_URL):
    response = client.get(url, {"q": query})
    assert response.status_code == 200, response.status_code
    if url == XLSX_URL:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        codes = {row[ID_COLUMN] for row in list(sheet.iter_rows(values_only=True))[1:]}
        return set(Opinion.objects.filter(code__in=codes).values_list("pk", flat=True))
    return {opinion.pk for opinion in response.context["page"]}


def pks(opinions, names):
    return {opinions[name].pk for name in names}


@pytest.mark.parametrize(("query", "names"), EXPECTED)
def test_search_finds_exactly_the_expected_opinions(board_staff, opinions, query, names):
    assert found(board_staff, query) == pks(opinions, names)


@pytest.mark.parametrize(("query", "names"), EXPECTED)
def test_expected_results_are_what_folding_in_python_gives(opinions, query, names):
    words = fold(query).split()
    by_python = {
        opinion.pk
        for opinion in Opinion.objects.all()
        if all(word in fold(f"{opinion.content} {opinion.raised_by}") for word in words)
    }
    assert by_python == pks(opinions, names)
    # As board staff and commune officers search: in the person's name too (feedback/personal.py).
    found_by_db = Opinion.objects.search(query, personal=True).values_list("pk", flat=True)
    assert set(found_by_db) == by_python


def test_search_text_is_kept_up_to_date_when_the_content_changes(board_staff, opinions):
    opinion = opinions["duong"]
    opinion.content = "Cầu Mỹ Lộc bị sạt lở"
    opinion.save()
    assert found(board_staff, "cau my loc") == {opinion.pk}
    assert opinion.pk not in found(board_staff, "duong giao thong")


def test_empty_search_lists_everything(board_staff, opinions):
    assert found(board_staff, "   ") == {opinion.pk for opinion in opinions.values()}


def test_search_is_kept_within_the_officers_commune(officer, opinions):
    assert found(officer, "dat dai") == pks(opinions, {"dat_dai"})
    assert found(officer, "đông") == pks(opinions, {"gcn", "dong_tam"})
    assert found(officer, "dat dai", XLSX_URL) == pks(opinions, {"dat_dai"})


def test_outsider_finds_none_of_dung_nghias_opinions(outsider, opinions):
    dung_nghia = pks(opinions, DUNG_NGHIA)
    for query, _names in EXPECTED:
        assert found(outsider, query).isdisjoint(dung_nghia)
        assert found(outsider, query, XLSX_URL).isdisjoint(dung_nghia)
    assert found(outsider, "nguyen van dong") == set()
    assert found(outsider, "tranh chap dat dai") == pks(opinions, {"bt_dat_dai"})


def test_search_combines_with_the_other_filters(board_staff, opinions):
    response = board_staff.get(LIST_URL, {"q": "dat dai", "unit": unit("Bách Thuận").pk})
    assert {opinion.pk for opinion in response.context["page"]} == pks(opinions, {"bt_dat_dai"})


def test_the_export_finds_what_the_list_finds(board_staff, opinions):
    for query, names in EXPECTED:
        assert found(board_staff, query, XLSX_URL) == pks(opinions, names)


def test_search_also_finds_the_field_and_the_hamlet(board_staff, demo):
    session = make_session(plan=make_plan(), host=unit("Dũng Nghĩa"), day="15/05/2019")
    hamlet = session.host_unit.hamlets.order_by("name").first()
    land = make_opinion(session=session, content="Xin cấp sổ đỏ", field_name="Đất đai")
    other = make_opinion(session=session, content="Đèn đường", field_name="Khác", hamlet=hamlet)
    assert found(board_staff, "dat dai") == {land.pk}
    assert found(board_staff, fold(hamlet.name)) == {other.pk}
