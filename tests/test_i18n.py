import subprocess

import pytest
from django.conf import settings
from django.utils import translation


def test_login_page_is_in_vietnamese_by_default(anonymous, db):
    response = anonymous.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text


def test_login_page_is_in_english_after_switching(anonymous, db):
    response = anonymous.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text
    assert "Username" in response.text
    assert "Đăng nhập" not in response.text


def test_wrong_password_is_told_in_vietnamese_and_the_username_kept(anonymous, demo):
    response = anonymous.post(
        "/accounts/login/", {"username": "dungnghia", "password": "sai-mat-khau"}
    )
    assert response.status_code == 200
    assert "không đúng" in response.text
    assert 'value="dungnghia"' in response.text


def test_a_forms_error_summary_is_announced_to_screen_readers(anonymous, demo):
    response = anonymous.post(
        "/accounts/login/", {"username": "dungnghia", "password": "sai-mat-khau"}
    )
    alert = response.text.split('role="alert"', 1)
    assert len(alert) == 2, "the form's errors are not in a role=alert region"
    assert "không đúng" in alert[1].split("</div>", 1)[0]


def test_dates_are_shown_as_day_month_year(officer, demo):
    from communes.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(name="Dũng Nghĩa")
    response = officer.get(f"/units/{unit.pk}/", {"on": "26/09/2018"})
    assert "26/09/2018" in response.text
    assert "01/01/2016" in response.text  # the demo office holders' start date


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_translates_every_message_with_nothing_fuzzy(language):
    po = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        # msgattrib (gettext) prints the matching entries; only the header may come out.
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        entries = [
            line for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
        ]
        assert entries == [], (language, flag, entries[:10])


def test_english_is_available():
    with translation.override("en"):
        assert translation.gettext("Units") == "Units"
    with translation.override("vi"):
        assert translation.gettext("Units") != "Units"


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(anonymous, db):
    response = anonymous.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.text
