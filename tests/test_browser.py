"""Journeys in Debian's Chromium through Playwright."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_root_lands_in_kyrgyz_and_switches_to_russian(page, live_server, municipality):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/ky/$"))
    expect(page.locator("header")).to_contain_text("Биринчи Май")
    expect(page.get_by_role("navigation", name="Башкы меню")).to_contain_text("Башкы бет")

    page.get_by_role("link", name="Байланыш").first.click()
    expect(page).to_have_url(re.compile(r"/ky/contacts/$"))

    page.get_by_role("link", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/contacts/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Контакты")
    expect(page.get_by_role("navigation", name="Главное меню")).to_contain_text("Главная")


def test_pages_make_no_request_to_other_hosts(page, live_server, municipality):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/ky/")
    page.goto(live_server.url + "/ru/contacts/")
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_a_resident_submits_a_proposal_and_tracks_it(page, live_server, municipality):
    page.goto(live_server.url + "/ky/proposals/")
    page.get_by_role("link", name="Сунуш берүү").click()
    page.get_by_label("Сунуш", exact=True).check()
    page.get_by_label("Темасы").select_option("roads")
    page.get_by_label("Айыл", exact=True).select_option(label="Ажек")
    page.get_by_label("Сунушуңуз же сурооңуз").fill(
        "Ажектеги көпүрөнүн тосмосу сынган, балдар үчүн коркунучтуу."
    )
    page.get_by_label("Телефон (милдеттүү эмес, жарыяланбайт)").fill("0777 45 67 89")
    page.get_by_label("Бул жерде берген жеке маалыматтарымды", exact=False).check()
    page.get_by_role("button", name="Жөнөтүү").click()

    code = page.locator(".tracking-code strong").inner_text()
    assert len(code) == 9 and code[4] == "-"
    expect(page.locator(".alert-success")).to_contain_text(code)
    expect(page.locator(".alert-info")).to_contain_text("Модератор")

    # Later, on another visit, the resident types the code as on the receipt.
    page.goto(live_server.url + "/ru/proposals/track/")
    page.get_by_label("Код отслеживания").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Найти").click()
    expect(page.locator(".tracking-code")).to_contain_text(code)
    expect(page.locator("body")).not_to_contain_text("0777 45 67 89")


def test_an_unknown_code_gets_a_friendly_answer(page, live_server, municipality):
    page.goto(live_server.url + "/ky/proposals/track/")
    page.get_by_label("Көзөмөл коду").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Табуу").click()
    expect(page.locator(".not-found")).to_contain_text("Бул код менен сунуш табылган жок.")


def test_a_resident_finds_a_proposal_with_a_misspelt_word(page, live_server, municipality):
    from tests.factories import ProposalFactory

    ProposalFactory(
        municipality=municipality,
        text_ky="Мектептин жанындагы трансформаторду алмаштыруу керек.",
        text_ru="Заменить трансформатор возле школы.",
    )
    ProposalFactory(municipality=municipality, text_ky="Бакчага орун.", text_ru="Места в саду.")
    for language, label, button, typed, shown in [
        ("ky", "Издөө", "Көрсөтүү", "трансформатрду", "трансформаторду алмаштыруу"),
        ("ru", "Поиск", "Показать", "трансформтор", "Заменить трансформатор"),
    ]:
        page.goto(f"{live_server.url}/{language}/proposals/")
        page.get_by_label(label, exact=True).fill(typed)
        page.get_by_role("button", name=button).click()
        results = page.locator("section[aria-live]")
        expect(results).to_contain_text(shown)
        expect(results).not_to_contain_text("Бакчага орун")
        expect(results).not_to_contain_text("Места в саду")
        expect(page.get_by_label(label, exact=True)).to_have_value(typed)
