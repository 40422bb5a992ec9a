import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from communes.models import AdministrativeUnit
from dialogues.forms_plans import validate_scan
from dialogues.models import Document, Plan, SessionStatus

from .factories import district, document_type, make_plan, make_session, unit
from .test_document_numbers import field_error, plan_data

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def province():
    return AdministrativeUnit.objects.get(code="34")


def other_district():
    """A second district of the province: outside everything the demo's district staff see."""
    return AdministrativeUnit.objects.add_child(
        province(), create_kwargs={"name": "Kiến Xương", "kind": "district", "code": "345"}
    )


def communes():
    return list(AdministrativeUnit.objects.get_children(district()))


def make_document(number="830-CV/HU", day=datetime.date(2019, 4, 3), unit_=None):
    return Document.objects.create(
        number=number,
        doc_type=document_type(number.split("-")[1].split("/")[0]),
        issued_on=day,
        issuer="Ban Thường vụ Huyện ủy",
        title="Về việc xây dựng kế hoạch tiếp xúc, đối thoại năm 2019",
        unit=unit_ or district(),
    )


# Who may create and edit plans


def test_board_staff_create_a_plan_with_its_related_documents(board_staff):
    directive = make_document()
    response = board_staff.post("/plans/new/", plan_data(documents=[directive.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.number == "55-KH/HU"
    assert plan.created_by.username == "bandanvan"
    assert list(plan.documents.all()) == [directive]
    assert plan.period_start == datetime.date(2018, 10, 1)


def test_commune_officer_may_not_create_a_plan(officer):
    assert officer.get("/plans/new/").status_code == 403
    assert officer.post("/plans/new/", plan_data()).status_code == 403
    assert not Plan.objects.exists()


def test_leader_may_not_create_or_edit_a_plan(leader):
    plan = make_plan()
    assert leader.post("/plans/new/", plan_data()).status_code == 403
    assert leader.post(f"/plans/{plan.pk}/edit/", plan_data()).status_code == 403
    assert Plan.objects.get().number == plan.number


def test_leader_reads_plans(leader):
    plan = make_plan()
    assert leader.get(f"/plans/{plan.pk}/").status_code == 200


def test_agency_responder_is_refused_the_plan_pages(responder):
    plan = make_plan()
    assert responder.get("/plans/").status_code == 403
    assert responder.get(f"/plans/{plan.pk}/").status_code == 403
    assert responder.get("/documents/").status_code == 403
    assert responder.post("/plans/new/", plan_data()).status_code == 403


def test_plan_unit_must_be_within_the_users_scope(board_staff):
    response = board_staff.post("/plans/new/", plan_data(unit=province().pk))
    assert response.status_code == 200
    assert field_error(response, "id_unit")
    assert not Plan.objects.exists()


def test_board_staff_read_but_cannot_edit_the_provinces_plan(board_staff):
    plan = make_plan(unit_=province(), number="20-KH/TU")
    assert board_staff.get(f"/plans/{plan.pk}/").status_code == 200
    assert board_staff.get(f"/plans/{plan.pk}/edit/").status_code == 403
    response = board_staff.post(f"/plans/{plan.pk}/edit/", plan_data(unit=district().pk))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.unit == province()


def test_board_staff_edit_their_plan_and_the_history_shows_the_change(board_staff):
    board_staff.post("/plans/new/", plan_data())
    plan = Plan.objects.get()
    response = board_staff.post(
        f"/plans/{plan.pk}/edit/", plan_data(title="Kế hoạch đối thoại năm 2019 (sửa đổi)")
    )
    assert response.status_code == 302
    page = board_staff.get(f"/plans/{plan.pk}/")
    history = page.context["history"]
    assert history[0]["record"].history_user.username == "bandanvan"
    change = history[0]["changes"][0]
    assert change["old"].startswith("Kế hoạch tiếp xúc, đối thoại trực tiếp")
    assert change["new"] == "Kế hoạch đối thoại năm 2019 (sửa đổi)"
    assert history[-1]["created"]
    assert "Kế hoạch đối thoại năm 2019 (sửa đổi)" in page.text


def test_history_names_the_units_and_documents_that_changed(board_staff):
    directive = make_document()
    board_staff.post("/plans/new/", plan_data())
    plan = Plan.objects.get()
    board_staff.post(
        f"/plans/{plan.pk}/edit/",
        plan_data(unit=unit("Dũng Nghĩa").pk, documents=[directive.pk]),
    )
    changes = [c for entry in board_staff.get(f"/plans/{plan.pk}/").context["history"]
               for c in entry["changes"]]  # fmt: skip
    shown = {(c["old"], c["new"]) for c in changes}
    assert ("Huyện Vũ Thư", "Xã Dũng Nghĩa") in shown
    assert ("–", "830-CV/HU") in shown


def test_history_does_not_name_documents_outside_the_readers_units(board_staff, officer):
    directive = make_document()
    other_communes = make_document(number="12-CV/ĐU", unit_=unit("Bách Thuận"))
    board_staff.post("/plans/new/", plan_data())
    plan = Plan.objects.get()
    board_staff.post(
        f"/plans/{plan.pk}/edit/", plan_data(documents=[directive.pk, other_communes.pk])
    )

    staff_page = board_staff.get(f"/plans/{plan.pk}/")
    assert "12-CV/ĐU" in staff_page.text
    page = officer.get(f"/plans/{plan.pk}/")
    assert page.status_code == 200
    assert "12-CV/ĐU" not in page.text
    shown = {(c["old"], c["new"]) for entry in page.context["history"] for c in entry["changes"]}
    assert ("–", "830-CV/HU, 1 văn bản ngoài các đơn vị của bạn") in shown


# Validation


def test_period_must_end_after_it_starts(board_staff):
    response = board_staff.post(
        "/plans/new/", plan_data(period_start="01/01/2019", period_end="31/12/2018")
    )
    assert response.status_code == 200
    assert "01/01/2019" in field_error(response, "id_period_end")
    assert 'value="31/12/2018"' in response.text
    assert not Plan.objects.exists()


def test_plan_cannot_be_issued_after_its_period_ends(board_staff):
    response = board_staff.post("/plans/new/", plan_data(issued_on="02/01/2020"))
    assert "31/12/2019" in field_error(response, "id_issued_on")
    assert 'value="02/01/2020"' in response.text
    assert not Plan.objects.exists()


def test_a_malformed_date_is_explained_and_kept(board_staff):
    response = board_staff.post("/plans/new/", plan_data(period_start="31/02/2019"))
    assert field_error(response, "id_period_start")
    assert 'value="31/02/2019"' in response.text


def test_plan_dates_are_held_to_1945_to_2100(board_staff):
    response = board_staff.post(
        "/plans/new/", plan_data(issued_on="26/09/1900", period_end="31/12/9999")
    )
    assert "01/01/1945" in field_error(response, "id_issued_on")
    assert "31/12/2100" in field_error(response, "id_period_end")
    assert 'value="31/12/9999"' in response.text
    assert not Plan.objects.exists()


def test_a_plan_form_with_an_impossible_document_id_is_refused_not_a_crash(board_staff):
    make_document()
    response = board_staff.post("/plans/new/", plan_data(documents=["9223372036854775808"]))
    assert response.status_code == 200
    assert field_error(response, "id_documents")
    assert not Plan.objects.exists()


def test_same_number_on_the_same_day_is_refused_at_the_number_with_a_link(board_staff):
    existing = make_plan(number="55-KH/HU", issued_on=datetime.date(2018, 9, 26))
    response = board_staff.post("/plans/new/", plan_data())
    assert response.status_code == 200
    assert Plan.objects.count() == 1
    errors = response.context["form"].errors
    assert list(errors) == ["number"]
    assert "Kế hoạch 55-KH/HU ngày 26/09/2018 đã được nhập." in errors["number"][0]
    assert f'<a href="/plans/{existing.pk}/">Mở kế hoạch 55-KH/HU</a>' in response.text
    assert 'value="55-KH/HU"' in response.text


def test_editing_a_plan_does_not_count_it_as_its_own_duplicate(board_staff):
    plan = make_plan(number="55-KH/HU", issued_on=datetime.date(2018, 9, 26))
    data = plan_data()
    data["title"] = "Tiêu đề mới"
    response = board_staff.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Tiêu đề mới"


def test_plan_page_schedules_a_session_with_that_plan_chosen(board_staff, officer, leader):
    plan = make_plan(number="12-KH/HU", issued_on=datetime.date(2019, 1, 2))
    year = datetime.date.today().year
    # The plan covering today is what the form offers by default; the link must override it.
    make_plan(number="13-KH/HU", start=f"01/01/{year}", end=f"31/12/{year}")
    page = board_staff.get(f"/plans/{plan.pk}/")
    link = f'href="/sessions/new/?plan={plan.pk}"'
    assert link in page.text and "Lên lịch hội nghị" in page.text
    assert link not in leader.get(f"/plans/{plan.pk}/").text
    # Board staff first choose the host; the plan goes along.
    host_page = board_staff.get(f"/sessions/new/?plan={plan.pk}")
    assert f'<input type="hidden" name="plan" value="{plan.pk}">' in host_page.text
    form_page = board_staff.get(f"/sessions/new/?plan={plan.pk}&host={unit('Dũng Nghĩa').pk}")
    assert form_page.context["form"]["plan"].value() == plan.pk
    # A commune officer has one host: straight to the form, plan chosen.
    own = officer.get(f"/sessions/new/?plan={plan.pk}")
    assert own.context["form"]["plan"].value() == plan.pk


# The scanned document


def test_scan_is_stored_and_served_to_readers_only(board_staff, officer, outsider):
    scan = SimpleUploadedFile("55-KH.pdf", PDF, content_type="application/pdf")
    response = board_staff.post("/plans/new/", {**plan_data(), "attachment": scan})
    assert response.status_code == 302
    plan = Plan.objects.get()
    # A commune officer reads the district's plan and its scan.
    download = officer.get(f"/plans/{plan.pk}/attachment/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "55-KH-HU.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_scan_of_another_communes_plan_is_not_found(board_staff, outsider):
    plan = make_plan(unit_=unit("Dũng Nghĩa"), number="4-KH/ĐU")
    plan.attachment = SimpleUploadedFile("kh.pdf", PDF)
    plan.save()
    assert board_staff.get(f"/plans/{plan.pk}/attachment/").status_code == 200
    assert outsider.get(f"/plans/{plan.pk}/attachment/").status_code == 404


def test_plan_without_a_scan_has_no_download(officer):
    plan = make_plan()
    assert officer.get(f"/plans/{plan.pk}/attachment/").status_code == 404


def test_a_text_file_named_pdf_is_refused(board_staff):
    fake = SimpleUploadedFile(
        "scan.pdf", b"just some text, not a PDF", content_type="application/pdf"
    )
    response = board_staff.post("/plans/new/", {**plan_data(), "attachment": fake})
    assert response.status_code == 200
    assert ".pdf" in field_error(response, "id_attachment")
    assert not Plan.objects.exists()


def test_a_png_scan_is_accepted_and_a_word_file_is_not(board_staff):
    word = SimpleUploadedFile("scan.docx", b"PK\x03\x04")
    response = board_staff.post("/plans/new/", {**plan_data(), "attachment": word})
    assert field_error(response, "id_attachment")
    png = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    response = board_staff.post("/plans/new/", {**plan_data(), "attachment": png})
    assert response.status_code == 302


def test_a_scan_over_twenty_megabytes_is_refused():
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_scan(big)
    assert error.value.code == "scan_size"
    validate_scan(SimpleUploadedFile("scan.pdf", PDF + b"0" * (19 * 1024 * 1024)))


def test_a_request_larger_than_any_form_accepts_is_refused_before_it_is_read(board_staff):
    # The client sends a small body and claims 500 MB: reading it would fail the test client.
    response = board_staff.post(
        "/plans/new/",
        {**plan_data(), "attachment": SimpleUploadedFile("scan.pdf", PDF)},
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "500,0 MB" in response.text and "21 MB" in response.text
    assert not Plan.objects.exists()


# Who reads which plan


def test_commune_officer_reads_the_districts_plan(officer):
    plan = make_plan(number="55-KH/HU")
    assert officer.get(f"/plans/{plan.pk}/").status_code == 200
    listed = officer.get("/plans/")
    assert [p.number for p in listed.context["page"]] == ["55-KH/HU"]


def test_outsider_cannot_see_a_plan_of_another_commune(outsider):
    plan = make_plan(unit_=unit("Dũng Nghĩa"), number="4-KH/ĐU")
    assert outsider.get(f"/plans/{plan.pk}/").status_code == 404
    assert outsider.get(f"/plans/{plan.pk}/coverage/").status_code == 404
    assert outsider.post(f"/plans/{plan.pk}/edit/", plan_data()).status_code == 403
    assert "4-KH/ĐU" not in outsider.get("/plans/").text


def test_board_staff_get_404_for_a_plan_outside_their_district(board_staff):
    other = other_district()
    plan = make_plan(unit_=other, number="40-KH/HU")
    assert board_staff.get(f"/plans/{plan.pk}/").status_code == 404
    assert board_staff.get(f"/plans/{plan.pk}/edit/").status_code == 404


# The list


def test_plan_list_shows_period_unit_and_sessions_held_of_planned(officer):
    plan = make_plan(number="55-KH/HU")
    dung_nghia, bach_thuan = unit("Dũng Nghĩa"), unit("Bách Thuận")
    make_session(plan=plan, host=dung_nghia, status=SessionStatus.HELD)
    make_session(plan=plan, host=dung_nghia, day="20/06/2019")
    make_session(plan=plan, host=dung_nghia, day="21/06/2019", status=SessionStatus.CANCELLED)
    # Another commune's session is outside the officer's scope and not counted.
    make_session(plan=plan, host=bach_thuan, status=SessionStatus.HELD)
    response = officer.get("/plans/")
    row = response.context["page"][0]
    assert (row.sessions_held, row.sessions_planned) == (1, 2)
    assert "01/01/2019 – 31/12/2019" in response.text
    assert "Huyện Vũ Thư" in response.text


def test_plan_list_filters_by_year_and_by_text_without_diacritics(board_staff):
    make_plan(number="55-KH/HU", title="Kế hoạch tiếp xúc, đối thoại năm 2019")
    make_plan(number="12-KH/HU", title="Kế hoạch dân vận năm 2021", start="01/01/2021",
              end="31/12/2021")  # fmt: skip
    numbers = lambda r: [p.number for p in r.context["page"]]  # noqa: E731
    assert numbers(board_staff.get("/plans/", {"year": "2019"})) == ["55-KH/HU"]
    assert numbers(board_staff.get("/plans/", {"q": "doi thoai"})) == ["55-KH/HU"]
    assert numbers(board_staff.get("/plans/", {"q": "12-kh"})) == ["12-KH/HU"]
    assert numbers(board_staff.get("/plans/", {"q": "DÂN VẬN"})) == ["12-KH/HU"]


def test_a_bad_year_is_explained_and_the_list_still_shows(board_staff):
    make_plan()
    response = board_staff.get("/plans/", {"year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert len(response.context["page"]) == 1
    assert board_staff.get("/plans/", {"page": "zzz"}).status_code == 200


def _plans(count, first=0):
    for n in range(first, first + count):
        make_plan(number=f"{n + 1}-KH/HU", issued_on=datetime.date(2018, 12, 1))


def test_plan_list_is_paginated_twenty_to_a_page(board_staff):
    _plans(25)
    first = board_staff.get("/plans/")
    assert len(first.context["page"]) == 20
    second = board_staff.get("/plans/", {"page": 2})
    assert len(second.context["page"]) == 5


def test_plan_list_queries_stay_bounded_as_plans_are_added(
    board_staff, django_assert_max_num_queries
):
    plan = make_plan(number="1-KH/HU")
    make_session(plan=plan, host=unit("Dũng Nghĩa"), status=SessionStatus.HELD)
    with django_assert_max_num_queries(8):
        board_staff.get("/plans/", {"q": "kh"})
    _plans(40, first=1)
    with django_assert_max_num_queries(8):
        board_staff.get("/plans/", {"q": "kh", "year": "2019"})


# The plan's page


def test_plan_page_shows_fields_documents_targets_and_the_first_sessions(board_staff):
    plan = make_plan(number="55-KH/HU", text="Mục đích, yêu cầu của kế hoạch")
    plan.documents.add(make_document())
    hosts = communes()
    for n in range(22):
        make_session(plan=plan, host=hosts[n], day=f"{n + 1:02}/05/2019")
    response = board_staff.get(f"/plans/{plan.pk}/")
    assert response.status_code == 200
    assert "830-CV/HU" in response.text
    assert "Mục đích, yêu cầu của kế hoạch" in response.text
    assert len(response.context["sessions"]) == 20
    assert response.context["session_count"] == 22
    assert f"/sessions/?plan={plan.pk}" in response.text
    # Board staff of the district may set targets here.
    assert "target_form" in response.context


def test_plan_page_of_officer_lists_only_their_communes_sessions(officer):
    plan = make_plan()
    make_session(plan=plan, host=unit("Dũng Nghĩa"))
    make_session(plan=plan, host=unit("Bách Thuận"))
    response = officer.get(f"/plans/{plan.pk}/")
    assert [s.host_unit.name for s in response.context["sessions"]] == ["Dũng Nghĩa"]
    assert "target_form" not in response.context


def test_plan_page_queries_do_not_grow_with_sessions_and_targets(board_staff):
    plan = make_plan()
    hosts = communes()

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert board_staff.get(f"/plans/{plan.pk}/").status_code == 200
        return len(ctx.captured_queries)

    make_session(plan=plan, host=hosts[0])
    few = count_queries()
    for host in hosts[1:25]:
        make_session(plan=plan, host=host)
    board_staff.post(
        f"/plans/{plan.pk}/targets/bulk/",
        {"bulk-unit": district().pk, "bulk-level": "commune", "bulk-sessions_required": 1,
         "bulk-period_start": "01/01/2019", "bulk-period_end": "31/12/2019"},
    )  # fmt: skip
    assert count_queries() == few


# Documents


def test_document_list_is_paginated_with_bounded_queries(
    board_staff, officer, django_assert_max_num_queries
):
    for n in range(25):
        make_document(number=f"{800 + n}-CV/HU")
    make_document(number="07-QC/TU", unit_=province())
    with django_assert_max_num_queries(7):
        first = board_staff.get("/documents/")
    assert len(first.context["page"]) == 20
    assert len(board_staff.get("/documents/", {"page": 2}).context["page"]) == 6
    for n in range(25, 60):
        make_document(number=f"{800 + n}-CV/HU")
    with django_assert_max_num_queries(7):
        board_staff.get("/documents/", {"q": "cv"})
    # A commune officer reads the district's and the province's documents.
    assert officer.get("/documents/").context["page"].paginator.count == 61


def test_board_staff_edit_their_documents_but_not_the_provinces(board_staff):
    own = make_document()
    provinces = make_document(number="07-QC/TU", unit_=province())
    data = {
        "number": "830-CV/HU",
        "issued_on": "04/04/2019",
        "issuer": "Ban Thường vụ Huyện ủy",
        "title": "Sửa ngày ban hành",
        "unit": district().pk,
    }
    assert board_staff.post(f"/documents/{own.pk}/edit/", data).status_code == 302
    own.refresh_from_db()
    assert own.issued_on == datetime.date(2019, 4, 4)
    assert board_staff.get(f"/documents/{provinces.pk}/edit/").status_code == 403
    listed = {d.number: d.can_edit for d in board_staff.get("/documents/").context["page"]}
    assert listed == {"830-CV/HU": True, "07-QC/TU": False}


def test_a_document_dated_9999_is_refused(board_staff):
    data = {"number": "830-CV/HU", "issued_on": "31/12/9999", "issuer": "Huyện ủy",
            "title": "Ngày sai", "unit": district().pk}  # fmt: skip
    response = board_staff.post("/documents/new/", data)
    assert "31/12/2100" in field_error(response, "id_issued_on")
    assert not Document.objects.exists()


def test_document_number_change_changes_its_type(board_staff):
    document = make_document()
    board_staff.post(
        f"/documents/{document.pk}/edit/",
        {"number": "830-TB/HU", "issued_on": "03/04/2019", "issuer": "Huyện ủy",
         "title": "Thông báo", "unit": district().pk},
    )  # fmt: skip
    document.refresh_from_db()
    assert document.doc_type.code == "TB"


def test_commune_officer_may_not_record_documents(officer):
    assert officer.get("/documents/new/").status_code == 403
    assert officer.get("/documents/").status_code == 200


def test_plan_form_offers_only_documents_in_scope(board_staff):
    mine = make_document()
    other = other_district()
    foreign = make_document(number="9-CV/HU", unit_=other)
    choices = board_staff.get("/plans/new/").context["form"].fields["documents"].queryset
    assert mine in choices
    assert foreign not in choices
    response = board_staff.post("/plans/new/", plan_data(documents=[foreign.pk]))
    assert field_error(response, "id_documents")


def test_editing_keeps_links_to_documents_the_editor_cannot_see(board_staff):
    plan = make_plan()
    other = other_district()
    foreign = make_document(number="9-CV/HU", unit_=other)
    plan.documents.add(foreign)
    data = plan_data(number=plan.number, issued_on=plan.issued_on.strftime("%d/%m/%Y"),
                     period_start="01/01/2019")  # fmt: skip
    assert board_staff.post(f"/plans/{plan.pk}/edit/", data).status_code == 302
    assert list(plan.documents.all()) == [foreign]


def test_inactive_users_see_no_plans(db, demo):
    User.objects.filter(username="dungnghia").update(is_active=False)
    assert not Plan.objects.visible_to(User.objects.get(username="dungnghia")).exists()
