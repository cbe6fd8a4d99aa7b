from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.models import Municipality, Village


def test_load_demo_creates_birinchi_may_and_is_idempotent(db):
    call_command("load_demo")
    call_command("load_demo")
    municipality = Municipality.objects.get()
    assert municipality.name_ky == "Биринчи Май"
    assert municipality.district_ru == "Ала-Букинский район"
    assert municipality.region_ky == "Жалал-Абад облусу"
    assert municipality.email == "1-mai_ao@mail.ru"
    assert len(municipality.phones) == 3
    villages = set(Village.objects.values_list("name_ky", flat=True))
    assert {"Айры-Там", "Ажек"} <= villages
    assert Village.objects.count() == len(villages)
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff
    assert user.check_password("demo-portal-2026")
