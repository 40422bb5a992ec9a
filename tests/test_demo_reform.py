"""The demo shows both worlds: the 2019 story as it was, the 2025 reorganisation applied by the
loader through the service and the data file, and this year lived under Hưng Yên."""

import datetime

from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from communes.demo import DEMO_PASSWORD
from communes.models import AdministrativeUnit, Succession
from dialogues.models import Plan, Session
from feedback.models import Opinion

from .reform import DECISION, EFFECTIVE, HUNG_YEN, XA_TAN_THUAN, XA_VU_THU


def client_of(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_loader_applies_the_reform_of_the_data_file_on_1_july_2025(full_demo):
    links = Succession.objects.all()
    assert links.count() == 32  # 30 old units, the district and the province
    assert {(s.decision, s.effective_on) for s in links} == {(DECISION, EFFECTIVE)}
    assert not AdministrativeUnit.objects.get(code="344").is_active
    assert AdministrativeUnit.objects.get(code=XA_VU_THU).hamlets.count() > 10


def _the_new_demo_users_work_in_the_new_units():
    users = {u.username: (u.role, u.unit.code) for u in User.objects.exclude(unit=None)}
    assert users["bandanvantinh"] == (Role.BOARD_STAFF, HUNG_YEN)
    assert users["xavuthu"] == (Role.COMMUNE_OFFICER, XA_VU_THU)
    assert users["xatanthuan"] == (Role.COMMUNE_OFFICER, XA_TAN_THUAN)
    # The users of the old units went to their successors, with the roles they had.
    assert users["dungnghia"] == (Role.COMMUNE_OFFICER, XA_VU_THU)
    assert users["bachthuan"] == (Role.COMMUNE_OFFICER, XA_TAN_THUAN)
    assert users["bandanvan"] == (Role.BOARD_STAFF, HUNG_YEN)
    assert users["lanhdao"] == (Role.LEADER, HUNG_YEN)
    responder = User.objects.get(username="tnmt")
    assert responder.agency.name == "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên"


def _every_demo_user_logs_in_with_the_demo_password():
    for username in ["bandanvantinh", "xavuthu", "xatanthuan", "dungnghia", "tnmt", "lanhdao"]:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200, username


def _xavuthu_sees_dung_nghias_2019_records_and_xatanthuan_does_not():
    session = Session.objects.filter(host_unit__name="Dũng Nghĩa", starts_at__year=2019).get()
    opinion = Opinion.objects.filter(session=session).first()
    xavuthu, xatanthuan = client_of("xavuthu"), client_of("xatanthuan")
    assert xavuthu.get(f"/sessions/{session.pk}/").status_code == 200
    assert xavuthu.get(f"/opinions/{opinion.pk}/").status_code == 200
    assert xatanthuan.get(f"/sessions/{session.pk}/").status_code == 404
    assert xatanthuan.get(f"/opinions/{opinion.pk}/").status_code == 404
    today = Session.objects.filter(host_unit__code=XA_VU_THU).first()
    assert xatanthuan.get(f"/sessions/{today.pk}/").status_code == 404


def _bandanvantinh_sees_the_whole_province_and_all_its_history():
    staff = User.objects.get(username="bandanvantinh")
    assert Session.objects.visible_to(staff).count() == Session.objects.count()
    assert Opinion.objects.visible_to(staff).count() == Opinion.objects.count()


def _this_years_plan_of_dang_uy_xa_vu_thu_and_a_session_today():
    plan = Plan.objects.get(number="14-KH/ĐU")
    assert plan.unit.code == XA_VU_THU and plan.issuing_body == "Ban Thường vụ Đảng ủy xã Vũ Thư"
    today = timezone.localdate()
    assert plan.sessions.filter(starts_at__date=today).exists()
    assert plan.documents.filter(number="13-HD/BTGDVTU").exists()
    answered = Opinion.objects.filter(
        session__plan=plan, session__starts_at__date__gte=datetime.date(today.year, 1, 1)
    )
    assert answered.filter(status="answered").exists()
    assert answered.exclude(agency=None).filter(agency__unit__code=HUNG_YEN).exists()


def _the_2019_story_is_untouched_by_the_reform():
    held_2019 = Session.objects.held().filter(starts_at__year=2019)
    assert held_2019.count() == 28
    assert held_2019.filter(host_unit__is_active=True).count() == 0
    assert Opinion.objects.filter(session__in=held_2019).count() > 900


def _after_the_reform_pages_show_province_and_commune_levels_only():
    staff = client_of("bandanvantinh")
    home = staff.get("/")
    assert home.status_code == 200
    assert "Cấp xã" in home.text and "Cấp huyện" not in home.text
    plan = Plan.objects.get(number="25-KH/TU")
    coverage = staff.get(f"/plans/{plan.pk}/coverage/")
    assert "Cấp xã" in coverage.text and "Cấp huyện" not in coverage.text
    # The 2019 plan still shows its district level: districts existed then.
    old = staff.get(f"/plans/{Plan.objects.get(number='55-KH/HU').pk}/coverage/")
    assert "Cấp huyện" in old.text and "25/30" in old.text


def test_hung_yens_report_is_headed_by_ban_tuyen_giao_va_dan_van(full_demo, tmp_path):
    from .test_render_report_command import render

    _, text, _ = render(tmp_path, "--unit", HUNG_YEN, "--year", "2019", "--quarter", "2")
    assert "TỈNH ỦY HƯNG YÊN" in text and "BAN TUYÊN GIÁO VÀ DÂN VẬN" in text
    assert "…-BC/BTGDVTU" in text
    # Thái Bình's 2019 sessions, under the province of today, with the line that says so.
    assert "Số liệu trước ngày 01/07/2025 gồm" in text and "tỉnh Thái Bình" in text
    assert "Dũng Nghĩa" in text


# Loading the whole demo is the slow part: each test below loads it once and checks several
# things a person would notice, each written as its own sentence above.


def test_the_demo_users_work_in_the_new_units_and_see_what_the_readme_says(full_demo):
    _the_new_demo_users_work_in_the_new_units()
    _every_demo_user_logs_in_with_the_demo_password()
    _xavuthu_sees_dung_nghias_2019_records_and_xatanthuan_does_not()
    _bandanvantinh_sees_the_whole_province_and_all_its_history()


def test_this_year_is_lived_under_hung_yen_and_2019_is_untouched(full_demo):
    _this_years_plan_of_dang_uy_xa_vu_thu_and_a_session_today()
    _the_2019_story_is_untouched_by_the_reform()
    _after_the_reform_pages_show_province_and_commune_levels_only()
