"""A staff member types a whole hearing protocol into the admin, as they
would start: from the admin's front page, in Kyrgyz and again in Russian."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from hearings.models import Hearing, Proposal

pytestmark = pytest.mark.django_db(transaction=True)

# The protocol of a budget hearing: attendance by sex, from initiative groups
# and youth; five proposals and questions, the first from an initiative group.
ITEMS = [
    ("proposal", "culture", "Китепканаларга жаңы китептерди алуу.", "accepted_budget", ""),
    ("proposal", "water", "Ичүүчү суу ташыган унаа сатып алуу.", "partly_accepted", "2024-жылы."),
    ("question", "transport", "Мектеп автобусу качан болот?", "answered", "Сентябрда."),
    ("proposal", "roads", "Ажекке баруучу жолду шагылдоо.", "rejected", "Каражат жок."),
    ("question", "other", "Бюджет качан бекитилет?", "answered", "Декабрда."),
]


def label(status, language):
    """A decision as the public page names it."""
    with translation.override(language):
        return str(Proposal.Status(status).label)


@pytest.fixture
def browser_context_args(browser_context_args):
    # Staff sit in Bishkek, on a laptop.
    return {
        **browser_context_args,
        "timezone_id": "Asia/Bishkek",
        "viewport": {"width": 1366, "height": 768},
    }


def log_in(page, live_server, language):
    page.goto(f"{live_server.url}/{language}/admin/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "password-for-tests")
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_whole_protocol_in_two_submissions(page, live_server, municipality, clerk, language):
    from tests.factories import BudgetLineFactory, InitiativeGroupFactory, LocalBudgetFactory

    group = InitiativeGroupFactory(municipality=municipality, name_ky="Ажек – коопсуз айыл")
    # The budget discussed, and the line that takes the first proposal in.
    budget = LocalBudgetFactory(municipality=municipality, year=2023)
    BudgetLineFactory(budget=budget, code="2411", name_ky="Маданият", name_ru="Культура")
    line = BudgetLineFactory(
        budget=budget, code="2412", name_ky="Китепканалар", name_ru="Библиотеки"
    )
    with translation.override(language):
        budget_name, line_name = str(budget), f"{line.code} {line.name}"
    loads, submissions = [], []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    page.on(
        "request",
        lambda request: (
            submissions.append(request.url)
            if request.method == "POST" and request.is_navigation_request()
            else None
        ),
    )

    log_in(page, live_server, language)
    loads.clear()
    submissions.clear()

    # From the admin's front page to a new hearing.
    page.locator("a[href$='/admin/hearings/hearing/add/']").first.click()
    page.select_option("[name=kind]", "budget")
    page.select_option("[name=budget]", label=budget_name)
    page.select_option("[name=status]", "held")
    page.fill("[name=title_ky]", "2023-жылдын бюджети боюнча угуу")
    page.fill("[name=title_ru]", "Слушания по бюджету на 2023 год")
    page.fill("[name=starts_at_0]", "25.11.2022")
    page.fill("[name=starts_at_1]", "14:00")
    for name, value in [("total", 135), ("women", 57), ("men", 78), ("groups", 25), ("youth", 30)]:
        page.fill(f"[name=attendance_{name}]", str(value))
    for i, (kind, topic, text, _status, _answer) in enumerate(ITEMS):
        page.select_option(f"[name=proposals-{i}-kind]", kind)
        page.select_option(f"[name=proposals-{i}-topic]", topic)
        page.fill(f"[name=proposals-{i}-text_ky]", text)
    group_name = getattr(group, f"name_{language}")
    page.select_option("[name=proposals-0-group]", label=group_name)
    page.locator("[name=_continue]").click()

    # Saved at once: every item has its number and tracking code.
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/hearing/\d+/change/$"))
    hearing = Hearing.objects.get()
    codes = [p.display_code for p in hearing.proposals.order_by("protocol_number")]
    assert len(codes) == 5
    for code in codes:
        expect(page.locator(".hearing-items")).to_contain_text(code)

    # The decisions, all on the same page, and the results published.
    page.select_option("[name=status]", "published")
    for i, (_kind, _topic, _text, status, answer) in enumerate(ITEMS):
        page.select_option(f"[name=proposals-{i}-new_status]", status)
        if status == "accepted_budget":
            page.select_option(f"[name=proposals-{i}-decision_budget_line]", label=line_name)
        if answer:
            page.fill(f"[name=proposals-{i}-decision_text_ky]", answer)
        page.fill(f"[name=proposals-{i}-decision_date]", "20.12.2022")
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert len(submissions) == 2, submissions
    assert hearing.proposals.get(protocol_number=1).budget_line == line
    hearing.refresh_from_db()
    assert hearing.budget == budget
    # After login: three pages (add, change, list) and two submissions.
    assert [url.split("/admin/")[1] for url in loads] == [
        "hearings/hearing/add/",
        f"hearings/hearing/{hearing.pk}/change/",
        "hearings/hearing/",
    ]

    # What residents see.
    page.goto(f"{live_server.url}/{language}/hearings/{hearing.pk}/")
    attendance = page.locator(".attendance")
    for figure in ("135", "57", "42,2 %", "78", "25", "30"):
        expect(attendance).to_contain_text(figure)
    summary = page.locator("table.summary")
    expect(summary).to_contain_text("5")
    for _kind, _topic, text, status, answer in ITEMS:
        card = page.locator(".proposal.card", has_text=text)
        expect(card.locator(".status")).to_have_text(label(status, language))
        if answer:
            expect(card).to_contain_text(answer)
    expect(page.locator(".proposal.card", has_text=ITEMS[0][2])).to_contain_text(group_name)


@pytest.mark.parametrize(("width", "min_text_width"), [(1366, 300), (1024, 250)])
def test_the_hearing_page_fits_the_screen(
    page, live_server, municipality, clerk, width, min_text_width
):
    page.set_viewport_size({"width": width, "height": 768})
    log_in(page, live_server, "ky")
    page.goto(f"{live_server.url}/ky/admin/hearings/hearing/add/")
    # Nothing scrolls sideways: neither the page nor the items' block.
    overflowing = page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll('#content-main *')]
            .filter(el => el.scrollWidth > el.clientWidth + 1
                     && getComputedStyle(el).overflowX !== 'visible'
                     || el === document.documentElement && el.scrollWidth > innerWidth)
            .map(el => el.id || el.className || el.tagName)"""
    )
    assert overflowing == []
    # The Kyrgyz and Russian texts of an item side by side, each wide enough to read.
    ky = page.locator("[name=proposals-0-text_ky]").bounding_box()
    ru = page.locator("[name=proposals-0-text_ru]").bounding_box()
    assert ky["y"] == ru["y"] and ky["x"] + ky["width"] <= ru["x"]
    assert min(ky["width"], ru["width"]) >= min_text_width
    assert ru["x"] + ru["width"] <= width
    # The short fields share a line.
    kind = page.locator("[name=proposals-0-kind]").bounding_box()
    topic = page.locator("[name=proposals-0-topic]").bounding_box()
    assert kind["y"] == topic["y"]
