import datetime

import factory
from django.contrib.auth import get_user_model

from portal.models import Municipality, Village


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name_ky = factory.Sequence(lambda n: f"Айыл аймагы {n}")
    name_ru = factory.LazyAttribute(lambda o: o.name_ky)
    district_ky = "Ала-Бука району"
    district_ru = "Ала-Букинский район"
    region_ky = "Жалал-Абад облусу"
    region_ru = "Джалал-Абадская область"
    address_ky = "Айры-Там айылы, С. Жунусов көчөсү"
    address_ru = "село Айры-Там, ул. С. Жунусова"
    phones = factory.LazyFunction(lambda: ["0777 000 000"])
    email = "ao@example.kg"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    municipality = factory.SubFactory(MunicipalityFactory)
    name_ky = factory.Sequence(lambda n: f"Айыл {n}")
    name_ru = factory.LazyAttribute(lambda o: o.name_ky)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password-for-tests")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class InitiativeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.InitiativeGroup"

    municipality = factory.SubFactory(MunicipalityFactory)
    name_ky = factory.Sequence(lambda n: f"Демилгелүү топ {n}")
    name_ru = factory.Sequence(lambda n: f"Инициативная группа {n}")
    founded_on = datetime.date(2014, 3, 1)
    focus_topics = factory.LazyFunction(lambda: ["water"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Person"

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"Асанова Айгүл {n}")
    sex = "f"
    birth_year = 1980
    phone = factory.Sequence(lambda n: f"0555 {n:06d}")
    notes = "Жеке белги"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Membership"

    group = factory.SubFactory(InitiativeGroupFactory)
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..group.municipality")
    )
    role = "member"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Activity"

    group = factory.SubFactory(InitiativeGroupFactory)
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    kind = "meeting"
    title_ky = factory.Sequence(lambda n: f"Жыйын {n}")
    title_ru = factory.Sequence(lambda n: f"Собрание {n}")
    participants = 12
