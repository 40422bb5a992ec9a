import datetime

from communes.models import AdministrativeUnit, OfficeHolder, Person, Position


def dung_nghia():
    return AdministrativeUnit.objects.get(name="Dũng Nghĩa")


def test_who_holds_an_office_on_a_given_date(demo):
    unit = dung_nghia()
    secretary = Position.objects.get(name="Bí thư")
    old = OfficeHolder.objects.get(unit=unit, position=secretary)
    old.end_date = datetime.date(2020, 9, 30)
    old.save()
    new = OfficeHolder.objects.create(
        unit=unit,
        position=secretary,
        person=Person.objects.create(full_name="Lê Văn Mới"),
        start_date=datetime.date(2020, 10, 1),
    )
    holders = OfficeHolder.objects.filter(unit=unit, position=secretary)
    assert list(holders.holding_on(datetime.date(2019, 6, 1))) == [old]
    assert list(holders.holding_on(datetime.date(2020, 9, 30))) == [old]
    assert list(holders.holding_on(datetime.date(2020, 10, 1))) == [new]
    assert list(holders.holding_on(datetime.date(2015, 1, 1))) == []


def test_unit_page_shows_current_office_holders_and_hamlets(officer):
    unit = dung_nghia()
    response = officer.get(f"/units/{unit.pk}/")
    holder = OfficeHolder.objects.filter(unit=unit, position__name="Chủ tịch UBND").get()
    assert holder.person.full_name in response.text
    for hamlet in unit.hamlets.all():
        assert hamlet.name in response.text


def test_unit_page_shows_holders_on_a_past_date(officer):
    response = officer.get(f"/units/{dung_nghia().pk}/", {"on": "01/06/2015"})
    assert response.status_code == 200
    assert list(response.context["office_holders"]) == []


def test_a_malformed_date_is_explained_in_vietnamese_and_kept(officer):
    response = officer.get(f"/units/{dung_nghia().pk}/", {"on": "31/02/2019"})
    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.text
    assert "Nhập ngày" in response.text
    assert 'value="31/02/2019"' in response.text


def test_merged_unit_stays_visible_under_its_old_name(board_staff):
    from communes.services import reorganisation_apply

    reorganisation_apply(
        mapping="successor_code,successor,kind,parent_code,predecessor_code,predecessor,share\n"
        "34407,Hòa Bình,commune,344,34410,Minh Khai,whole\n",
        decision="99/NQ-UBTVQH15",
        effective_on=datetime.date(2025, 7, 1),
    )
    old = AdministrativeUnit.objects.get(name="Minh Khai")
    new = AdministrativeUnit.objects.get(name="Hòa Bình")
    page = board_staff.get(f"/units/{old.pk}/")
    assert page.status_code == 200
    assert "01/07/2025" in page.text and "Hòa Bình" in page.text
    assert "Minh Khai" in board_staff.get(f"/units/{new.pk}/").text
    assert "Minh Khai" not in board_staff.get("/units/").text
    assert "Minh Khai" in board_staff.get("/units/", {"include_inactive": "on"}).text


def test_unit_tree_filters_by_name(board_staff):
    response = board_staff.get("/units/", {"q": "vũ"})
    names = [unit.name for unit in response.context["page"]]
    assert "Vũ Hội" in names and "Dũng Nghĩa" not in names


def test_unit_tree_keeps_a_bounded_number_of_queries(board_staff, django_assert_max_num_queries):
    district = AdministrativeUnit.objects.get(code="344")
    with django_assert_max_num_queries(8):
        board_staff.get("/units/")
    for n in range(60):
        district.refresh_from_db()
        AdministrativeUnit.objects.add_child(
            district, create_kwargs={"name": f"Thử {n}", "kind": "commune", "code": f"99{n:03d}"}
        )
    with django_assert_max_num_queries(8):
        response = board_staff.get("/units/", {"page": 2})
    assert response.context["page"].paginator.num_pages == 2


def test_units_are_listed_in_the_order_of_the_official_list(board_staff):
    from communes.demo import COMMUNES

    response = board_staff.get("/units/")
    names = [unit.name for unit in response.context["page"]]
    assert names == ["Vũ Thư", "Vũ Thư", *COMMUNES]
