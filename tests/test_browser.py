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
