"""The budget's first paths in Debian's Chromium: a resident follows an
accepted proposal to what took it in and back; staff enter a budget with
its lines from the admin's add page."""

import re

import pytest
from playwright.sync_api import expect

from budget.models import BudgetLine, LocalBudget

pytestmark = pytest.mark.django_db(transaction=True)

LIBRARIES = "Китепканалардын ишин жакшыртуу"


def test_a_resident_goes_from_a_proposal_to_its_budget_line_and_back(page, live_server, demo):
    page.goto(live_server.url + "/ky/proposals/?status=accepted")
    page.get_by_role("link", name=re.compile(LIBRARIES)).first.click()
    expect(page.locator(".proposal-target")).to_contain_text("2311")
    page.locator(".proposal-target a").click()
    expect(page).to_have_url(re.compile(r"/ky/budget/2023/#line-\d+$"))
    line = page.locator("tr.budget-line:target")
    expect(line).to_contain_text("Китепканалар")
    # The line is marked where the resident lands.
    colour = line.locator("th").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(255, 243, 205)"
    line.get_by_role("link", name=re.compile(LIBRARIES)).click()
    expect(page).to_have_url(re.compile(r"/ky/proposals/\d+/$"))
    expect(page.locator("blockquote")).to_contain_text(LIBRARIES)


def test_a_resident_goes_from_a_programme_proposal_to_its_priority_and_back(
    page, live_server, demo
):
    page.goto(live_server.url + "/ru/programmes/")
    page.get_by_role("link", name=re.compile("Обеспечение сёл Айры-Там и Ажек")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Обеспечение сёл Айры-Там")
    page.get_by_role("link", name=re.compile("водопровод чистой питьевой воды")).click()
    expect(page.locator(".proposal-target")).to_contain_text("приоритет 1.")
    page.locator(".proposal-target a").click()
    expect(page).to_have_url(re.compile(r"/ru/programmes/priorities/\d+/$"))


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_staff_enter_a_budget_with_its_lines_from_the_add_page(
    page, live_server, municipality, clerk, language
):
    clerk.set_password("secret-2026")
    clerk.save()
    page.goto(f"{live_server.url}/{language}/admin/login/")
    page.locator("#id_username").fill(clerk.username)
    page.locator("#id_password").fill("secret-2026")
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/{language}/admin/budget/localbudget/add/")
    page.locator("#id_year").fill("2027")
    page.locator("#id_population").fill("10300")
    rows = [
        ("revenue", "1131", "Жер салыгы", "Земельный налог", "4 800 000"),
        ("expenditure", "2311", "Китепканалар", "Библиотеки", "700000"),
    ]
    for index, (kind, code, name_ky, name_ru, planned) in enumerate(rows):
        prefix = f"#id_lines-{index}-"
        page.locator(prefix + "kind").select_option(kind)
        page.locator(prefix + "code").fill(code)
        page.locator(prefix + "name_ky").fill(name_ky)
        page.locator(prefix + "name_ru").fill(name_ru)
        page.locator(prefix + "planned").fill(planned.replace(" ", ""))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    budget = LocalBudget.objects.get(municipality=municipality, year=2027)
    assert budget.status == "draft"
    assert set(BudgetLine.objects.filter(budget=budget).values_list("code", "planned")) == {
        ("1131", 4_800_000),
        ("2311", 700_000),
    }
    # A draft is not public yet.
    assert page.request.get(f"{live_server.url}/{language}/budget/2027/").status == 404
