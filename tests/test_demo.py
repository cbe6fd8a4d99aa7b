import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from hearings.demo import next_budget_hearing
from hearings.models import Hearing
from portal.models import Municipality, Village


def test_load_demo_creates_birinchi_may_and_is_idempotent(demo):
    # The `demo` fixture ran load_demo twice: the second run added nothing.
    assert demo.counts_second == demo.counts_first
    assert demo.counts_first["hearings.Proposal"] == 37
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


def test_the_demo_always_announces_a_hearing_ahead(demo):
    hearing = Hearing.objects.upcoming().get()
    starts_at = timezone.localtime(hearing.starts_at)
    assert starts_at < timezone.localtime() + datetime.timedelta(days=366)
    assert f"{starts_at.year + 1}-жылдын" in hearing.title_ky


@pytest.mark.parametrize(
    ("now", "announced"),
    [
        ("2026-11-26T10:00:00+06:00", "2026-12-11T14:00:00+06:00"),
        ("2026-12-11T13:59:00+06:00", "2026-12-11T14:00:00+06:00"),
        ("2026-12-11T14:00:00+06:00", "2027-12-11T14:00:00+06:00"),
        ("2026-12-31T22:30:00+06:00", "2027-12-11T14:00:00+06:00"),
        ("2027-01-01T01:30:00+06:00", "2027-12-11T14:00:00+06:00"),  # still 2026 in UTC
    ],
)
def test_the_announced_hearing_is_on_the_next_11_december(now, announced):
    with time_machine.travel(datetime.datetime.fromisoformat(now), tick=False):
        assert next_budget_hearing() == datetime.datetime.fromisoformat(announced)
