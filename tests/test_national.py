"""One installation for the whole country: the national root domain
(PORTAL_ROOT_DOMAIN) lists the municipalities, each linking to its own
portal; every other page there, and every host that names no
municipality, answers 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Municipality
from portal.views import DIRECTORY_PAGE_SIZE
from tests import pagecheck
from tests.factories import MunicipalityFactory

ROOT = "ayil.kg"

PLACES = {
    # (name ky, name ru, district ky, district ru, region ky, region ru, domain)
    "birinchi-may": (
        "Биринчи Май",
        "Биринчи Май",
        "Ала-Бука району",
        "Ала-Букинский район",
        "Жалал-Абад облусу",
        "Джалал-Абадская область",
        "birinchi-may.kg",
    ),
    "bagysh": (
        "Багыш",
        "Багыш",
        "Сузак району",
        "Сузакский район",
        "Жалал-Абад облусу",
        "Джалал-Абадская область",
        "Bagysh.kg",
    ),
    "kochkor": (
        "Көк-Жар",
        "Кок-Жар",
        "Кочкор району",
        "Кочкорский район",
        "Нарын облусу",
        "Нарынская область",
        "kok-jar.kg",
    ),
}


def place(key, **fields):
    name_ky, name_ru, district_ky, district_ru, region_ky, region_ru, domain = PLACES[key]
    return MunicipalityFactory(
        name_ky=name_ky,
        name_ru=name_ru,
        district_ky=district_ky,
        district_ru=district_ru,
        region_ky=region_ky,
        region_ru=region_ru,
        domain=domain,
        address_ky="Борбордук көчө, 1",
        phones=["0312 555 101"],
        email=f"{key}@mail.kg",
        head_name="Асанов Үсөн",
        **fields,
    )


@pytest.fixture
def national(db, settings):
    settings.PORTAL_ROOT_DOMAIN = ROOT
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ROOT, f"www.{ROOT}", "example.kg"]
    settings.ALLOWED_HOSTS += [place_[6].lower() for place_ in PLACES.values()]
    return {key: place(key) for key in PLACES}


def directory(client, path="/ky/", host=ROOT, **kwargs):
    response = client.get(path, headers={"host": host}, **kwargs)
    assert response.status_code == 200
    return response


def listed(response):
    """The list itself, without the filter form's options."""
    return response.content.decode().split('class="col-lg-8 municipality-directory"')[1]


def links(response):
    import re

    content = response.content.decode()
    return re.findall(
        r'<li class="py-1 directory-municipality"><a href="([^"]+)">([^<]+)</a>', content
    )


def test_the_root_domain_lists_every_municipality_with_a_link_to_its_portal(client, national):
    response = directory(client)
    assert links(response) == [
        # Regions, then districts, then names, in Kyrgyz order.
        ("http://birinchi-may.kg/ky/", "Биринчи Май"),
        ("http://bagysh.kg/ky/", "Багыш"),
        ("http://kok-jar.kg/ky/", "Көк-Жар"),
    ]
    content = listed(response)
    for heading in ("Жалал-Абад облусу", "Нарын облусу", "Ала-Бука району", "Кочкор району"):
        assert heading in content
    assert content.count("Жалал-Абад облусу") == 1  # one heading for its two


def test_the_directory_in_russian_links_to_the_russian_pages(client, national):
    response = directory(client, "/ru/", secure=True)
    assert ("https://kok-jar.kg/ru/", "Кок-Жар") in links(response)
    content = listed(response)
    assert "Нарынская область" in content and "Кочкорский район" in content
    assert "Нарын облусу" not in content


def test_the_directory_keeps_the_port_of_a_local_server(client, national, settings):
    response = directory(client, host=f"{ROOT}:8000")
    assert ("http://bagysh.kg:8000/ky/", "Багыш") in links(response)


@pytest.mark.parametrize("host", [f"www.{ROOT}", "AYIL.kg", f"www.{ROOT}."])
def test_www_and_any_case_of_the_root_domain_list_them_too(client, national, settings, host):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, f"www.{ROOT}."]
    assert len(links(directory(client, host=host))) == 3


def test_the_directory_shows_names_and_places_only(client, national):
    content = directory(client).content.decode()
    for private in ("0312 555 101", "@mail.kg", "Борбордук көчө", "Асанов Үсөн"):
        assert private not in content


def test_a_municipality_without_a_domain_is_not_listed(client, national):
    MunicipalityFactory(name_ky="Домени жок", domain="")
    assert "Домени жок" not in directory(client).content.decode()


def test_the_directory_filters_by_region_in_either_language(client, national):
    response = directory(client, data={"region": "Нарын облусу"})
    assert [name for _, name in links(response)] == ["Көк-Жар"]
    # The same filter in Russian (the language switch keeps the query).
    response = directory(client, "/ru/", data={"region": "Нарын облусу"})
    assert [name for _, name in links(response)] == ["Кок-Жар"]
    options = response.context["form"].fields["region"].choices
    assert ("Нарын облусу", "Нарынская область") in options


@pytest.mark.parametrize(
    ("words", "found"), [("жар", "Көк-Жар"), ("КОК", "Көк-Жар"), ("баг", "Багыш")]
)
def test_the_directory_finds_a_municipality_by_its_name(client, national, words, found):
    assert [name for _, name in links(directory(client, data={"q": words}))] == [found]


def test_a_filter_that_matches_nothing_says_so(client, national):
    response = directory(client, data={"q": "Ысык-Ата"})
    assert links(response) == []
    assert response.context["page"].paginator.count == 0


def test_an_unknown_region_is_an_error_not_another_list(client, national):
    response = directory(client, data={"region": "Марс"})
    assert response.context["form"].errors["region"]
    assert len(links(response)) == 3


def many_municipalities(count, start=0):
    Municipality.objects.bulk_create(
        MunicipalityFactory.build(
            name_ky=f"Айыл {number:03}",
            name_ru=f"Село {number:03}",
            district_ky=f"{number // 20:02} району",
            district_ru=f"Район {number // 20:02}",
            region_ky=f"{number // 100} облусу",
            region_ru=f"Область {number // 100}",
            domain=f"ayil-{number:03}.kg",
        )
        for number in range(start, start + count)
    )


def test_the_directory_is_paginated_for_the_whole_country(client, db, settings):
    settings.PORTAL_ROOT_DOMAIN = ROOT
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ROOT]
    many_municipalities(451)
    first = directory(client)
    assert len(links(first)) == DIRECTORY_PAGE_SIZE
    assert links(first)[0] == ("http://ayil-000.kg/ky/", "Айыл 000")
    last = directory(client, data={"page": 5})
    assert [name for _, name in links(last)][-1] == "Айыл 450"
    assert len(links(last)) == 451 - 4 * DIRECTORY_PAGE_SIZE
    # 171 names hold a "1": the search stays in the pagination's links.
    narrowed = directory(client, data={"q": "1"})
    assert len(links(narrowed)) == DIRECTORY_PAGE_SIZE
    assert 'href="?q=1&amp;page=2"' in narrowed.content.decode()
    narrowed = directory(client, data={"q": "1", "page": 2})
    assert len(links(narrowed)) == 171 - DIRECTORY_PAGE_SIZE
    assert all("1" in name for _, name in links(narrowed))


def test_the_directory_costs_as_many_queries_for_3_municipalities_as_for_451(client, db, settings):
    settings.PORTAL_ROOT_DOMAIN = ROOT
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ROOT]

    def queries(**data):
        directory(client, data=data)  # the first request may differ (sessions, ...)
        with CaptureQueriesContext(connection) as captured:
            directory(client, data=data)
        return len(captured)

    many_municipalities(3)
    few = [queries(), queries(region="0 облусу", q="айыл")]
    many_municipalities(448, start=3)
    many = [queries(), queries(region="0 облусу", q="айыл"), queries(page=4)]
    assert few[0] == many[0] == many[2] == 3
    assert few[1] == many[1] == 3


@pytest.mark.parametrize(
    "path",
    [
        "/ky/groups/",
        "/ky/hearings/",
        "/ky/proposals/",
        "/ky/proposals/new/",
        "/ky/proposals/track/",
        "/ky/contacts/",
        "/ky/programmes/",
        "/ky/budget/",
        "/ky/projects/",
        "/ru/contacts/",
    ],
)
def test_other_pages_of_the_root_domain_answer_404(client, national, path):
    content = client.get(path, headers={"host": ROOT})
    assert content.status_code == 404
    for _key, (name_ky, *_rest) in PLACES.items():
        assert name_ky not in content.content.decode()


def test_a_proposal_sent_to_the_root_domain_is_not_saved(client, national):
    from hearings.models import Proposal

    response = client.post(
        "/ky/proposals/new/",
        {
            "kind": "proposal",
            "topic": "roads",
            "text": "Көчөгө жарык орнотуу керек, кечинде караңгы.",
            "consent": "on",
            "website": "",
        },
        headers={"host": ROOT},
    )
    assert response.status_code == 404
    assert not Proposal.objects.exists()


def test_an_unknown_host_is_still_a_404_beside_the_root_domain(client, national):
    for path in ("/ky/", "/ru/", "/ky/contacts/"):
        assert client.get(path, headers={"host": "example.kg"}).status_code == 404


def test_each_municipality_keeps_its_own_home_page(client, national):
    response = client.get("/ky/", headers={"host": "bagysh.kg"})
    assert response.status_code == 200
    assert response.context["municipality"] == national["bagysh"]
    assert links(response) == []


def test_with_one_municipality_the_root_domain_still_lists_it(client, db, settings):
    settings.PORTAL_ROOT_DOMAIN = ROOT
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ROOT]
    place("bagysh")
    assert links(directory(client)) == [("http://bagysh.kg/ky/", "Багыш")]
    # Any other host is still the only municipality's, as without a root domain.
    assert client.get("/ky/contacts/").status_code == 200


def test_without_a_root_domain_its_host_is_an_unknown_one(client, national, settings):
    settings.PORTAL_ROOT_DOMAIN = ""
    assert client.get("/ky/", headers={"host": ROOT}).status_code == 404


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected into the page, which the portal's CSP would refuse.
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not pagecheck.AXE.exists(), reason="run `make test`: it installs axe")
def test_the_directory_passes_the_page_checks(page, live_server, settings, tmp_path):
    """axe-core, the Nu Html Checker, a keyboard and a 360 px phone, in both
    languages, as every public page (tests/test_accessibility.py)."""
    settings.PORTAL_ROOT_DOMAIN = "localhost"
    for key in PLACES:
        place(key)
    many_municipalities(150)
    failures, saved = {}, []
    for language in ("ky", "ru"):
        for path in (f"/{language}/", f"/{language}/?q=zz", f"/{language}/?region=x"):
            url = live_server.url.replace("127.0.0.1", "localhost") + path
            response = page.goto(url)
            assert response.status == 200, path
            saved.append(tmp_path / f"{pagecheck.slug(path) or 'page'}.html")
            saved[-1].write_text(response.text(), encoding="utf-8")
            found = pagecheck.axe_violations(page)
            found += pagecheck.boundary_failures(page)
            found += pagecheck.focus_failures(page)
            page.set_viewport_size({"width": 360, "height": 740})
            found += pagecheck.narrow_failures(page)
            page.set_viewport_size({"width": 1280, "height": 800})
            if found:
                failures[path] = found
    for file_name, errors in pagecheck.nu_errors(saved).items():
        failures.setdefault(file_name, []).extend(errors)
    assert not failures, failures
