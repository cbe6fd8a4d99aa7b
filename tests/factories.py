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
