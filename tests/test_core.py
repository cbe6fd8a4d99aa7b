from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation

from portal.models import Municipality
from tests.factories import MunicipalityFactory, VillageFactory


def test_home_shows_the_municipality_in_kyrgyz(client, municipality):
    response = client.get("/ky/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Биринчи Май" in content
    assert "Ала-Бука району" in content
    assert "0777 787 138" in content
    assert "1-mai_ao@mail.ru" in content


def test_home_in_russian(client, municipality):
    content = client.get("/ru/").content.decode()
    assert "Ала-Букинский район" in content
    assert "Главная" in content
    assert 'lang="ru"' in content


def test_russian_falls_back_to_kyrgyz_when_untranslated(client, db):
    MunicipalityFactory(name_ky="Жаңы Айыл", name_ru="", intro_ky="Кыргызча гана", intro_ru="")
    content = client.get("/ru/").content.decode()
    assert "Жаңы Айыл" in content
    assert "Кыргызча гана" in content


def test_contacts_page_lists_villages_and_phones(client, municipality):
    content = client.get("/ky/contacts/").content.decode()
    assert "Айры-Там" in content
    assert "Ажек" in content
    assert 'href="tel:+996700637912"' in content


def header(content):
    return content.split('<header class="site-header')[1].split("</header>")[0]


def test_municipality_is_resolved_by_host_when_several_exist(client, db, settings):
    settings.ALLOWED_HOSTS = ["birinchi-may.kg", "bagysh.kg"]
    MunicipalityFactory(
        name_ky="Биринчи Май", domain="birinchi-may.kg", district_ky="Ала-Бука району"
    )
    MunicipalityFactory(name_ky="Багыш", domain="bagysh.kg", district_ky="Сузак району")
    for host, wanted, other in (
        ("birinchi-may.kg", "Биринчи Май", "Багыш"),
        ("bagysh.kg", "Багыш", "Биринчи Май"),
        ("BAGYSH.kg:8000", "Багыш", "Биринчи Май"),
    ):
        top = header(client.get("/ky/", headers={"host": host}).content.decode())
        assert f"{wanted} айыл өкмөтү" in top, host
        assert other not in top, host
    assert Municipality.objects.for_host("birinchi-may.kg:8000").name == "Биринчи Май"
    assert Municipality.objects.for_host("BAGYSH.kg").name == "Багыш"


def test_the_only_municipality_answers_every_host(db):
    only = MunicipalityFactory(domain="birinchi-may.kg")
    assert Municipality.objects.for_host("127.0.0.1:8000") == only


def test_home_without_any_municipality_is_a_friendly_404(client, db):
    response = client.get("/ky/")
    assert response.status_code == 404
    assert "Бет табылган жок" in response.content.decode()


def test_village_names_are_unique_within_a_municipality(municipality):
    from django.core.exceptions import ValidationError

    village = VillageFactory.build(municipality=municipality, name_ky="Ажек", name="Ажек")
    with translation.override("ky"), pytest.raises(ValidationError) as error:
        village.validate_constraints()
    assert "Бул айыл аймагында мындай аталыштагы айыл бар" in str(error.value)


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_pages_have_a_content_security_policy_without_inline_scripts(client, municipality):
    response = client.get("/ky/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["home", "contacts"])
def test_pages_request_nothing_from_other_hosts(client, municipality, url_name):
    import re
    from urllib.parse import urlsplit

    content = client.get(reverse(url_name)).content.decode()
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', content):
        # Absolute addresses (the hreflang alternates) stay on this host.
        assert urlsplit(attribute).netloc in ("", "testserver"), attribute


@pytest.mark.parametrize("url", ["/ky/", "/ky/contacts/"])
def test_query_count_does_not_grow_with_villages(
    client, municipality, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(url)
    VillageFactory.create_batch(40, municipality=municipality)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_admin_works_in_both_languages(client, municipality, clerk):
    client.force_login(clerk)
    ky = client.get("/ky/admin/portal/municipality/")
    ru = client.get("/ru/admin/portal/municipality/")
    assert ky.status_code == ru.status_code == 200
    assert "Биринчи Май" in ky.content.decode()
    assert "Айыл аймактары" in ky.content.decode()
    assert "Выберите" in ru.content.decode()


def test_favicon_ico_points_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
