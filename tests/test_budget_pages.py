"""The public pages of the programmes and the citizen's budget: the figures a
resident reads, the charts and their tables, the openness of the budget
documents, and the way from a proposal to where it went and back."""

import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from budget import demo as budget_demo
from budget.models import BudgetLine, DevelopmentProgramme, LocalBudget, Priority
from hearings.models import Hearing, Proposal
from portal.choices import Topic
from tests.factories import (
    BudgetLineFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    HearingFactory,
    InitiativeGroupFactory,
    LocalBudgetFactory,
    MunicipalityFactory,
    PriorityFactory,
    ProposalFactory,
    VillageFactory,
)

S = Proposal.Status
LIBRARIES = "Китепканалардын ишин жакшыртуу"
WATER = "Айры-Там айылына таза ичүүчү суунун түтүгүн тартуу"


def t(message, **values):
    """A sentence of the page in the current language, as the template writes it."""
    return gettext(message) % values if values else gettext(message)


def spend(year, total, per):
    return t(
        "In %(year)s the ayil okmotu planned to spend %(total)s som: %(per)s som per resident.",
        year=year,
        total=total,
        per=per,
    )


def text(response):
    """The page as a resident reads it: tags out, entities and spaces plain."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = html.unescape(re.sub(r"<[^>]+>", " ", content)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", content)


def plain(fragment):
    return (
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))
        .replace("\xa0", " ")
        .strip()
    )


def grouped(value, decimals=0):
    """A figure as the page writes it: "22 000 000", "44,5"."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{number:f}".partition(".")
    whole = f"{int(whole):,}".replace(",", " ")
    return f"{whole},{fraction}" if fraction else whole


def demo_planned(year, kind):
    """The demo budget's planned total, from budget/demo.py's own figures."""
    growth = budget_demo.BUDGETS[year][3]
    return sum(
        (Decimal(planned) * growth / 1000).quantize(Decimal("1")) * 1000
        for _code, line_kind, _topic, _ky, _ru, planned in budget_demo.LINES
        if line_kind == kind
    )


def section(content, element_id):
    """The HTML of the <section> whose heading has `element_id`."""
    start = content.index(f'id="{element_id}"')
    start = content.rindex("<section", 0, start)
    return content[start : content.index("</section>", start)]


def row_of(content, css_class):
    start = content.index(f'class="{css_class}"')
    return content[start : content.index("</tr>", start)]


# --- Figures -------------------------------------------------------------


def test_the_current_budget_is_the_latest_approved_year(client, demo):
    page = text(client.get("/ky/budget/"))
    total = demo_planned(2025, "expenditure")
    assert total == Decimal("25520000")
    population = LocalBudget.objects.get(year=2025).population
    assert spend(2025, grouped(total), "2 514") in page
    assert grouped(total / population) == "2 514"


def test_totals_shares_and_per_resident_of_2023(client, demo):
    response = client.get("/ky/budget/2023/")
    page = text(response)
    content = response.content.decode()
    per_resident = grouped(Decimal(22_000_000) / 9870)
    assert per_resident == "2 229"
    assert spend(2023, "22 000 000", per_resident) in page
    assert t("It planned to receive %(total)s som of revenue.", total="22 000 000") in page
    # The equalisation grant: 9 800 000 of 22 000 000 is 44,5 % of the revenue.
    grant = BudgetLine.objects.get(budget__year=2023, code="1311")
    row = plain(content.split(f'id="line-{grant.pk}"', 1)[1].split(">", 1)[1].split("</tr>", 1)[0])
    share = grouped(Decimal(9_800_000) * 100 / 22_000_000, 1)
    assert share == "44,5"
    assert row.startswith(f"1311 {grant.name} 9 800 000 {share} ")
    # Executed: 96 % of everything but the reserve fund (40 % of 700 000).
    executed = (Decimal(22_000_000) - 700_000) * Decimal("0.96") + 700_000 * Decimal("0.40")
    figures = plain(content.split('class="figure-grid', 1)[1].split("</dl>", 1)[0])
    assert f"{grouped(executed)} ({grouped(executed * 100 / 22_000_000, 1)} %)" in figures
    # 2022 has no budget: no comparison with a year before.
    assert 'id="change-title"' not in content


def test_the_change_from_the_previous_year_in_total_and_per_line(client, demo):
    content = client.get("/ky/budget/2024/").content.decode()
    change = plain(section(content, "change-title"))
    before, now = demo_planned(2023, "expenditure"), demo_planned(2024, "expenditure")
    assert (
        f"{grouped(before)} {grouped(now)} +{grouped(now - before)} "
        f"+{grouped((now - before) * 100 / before, 1)}" in change
    )
    libraries = BudgetLine.objects.get(budget__year=2024, code="2311")
    row = plain(content.split(f'id="line-{libraries.pk}"', 1)[1].split("</tr>", 1)[0])
    # 600 000 in 2023, 648 000 in 2024 (the plan grew by 8 %).
    assert row.endswith("+48 000")


def test_a_line_without_a_match_a_year_before_is_new(client, demo):
    budget = LocalBudget.objects.get(year=2024)
    BudgetLineFactory(budget=budget, code="2999", planned=5000)
    content = client.get("/ky/budget/2024/").content.decode()
    line = BudgetLine.objects.get(budget=budget, code="2999")
    row = plain(content.split(f'id="line-{line.pk}"', 1)[1].split("</tr>", 1)[0])
    assert row.endswith(t("new"))


def test_a_line_changes_from_the_last_published_year_not_a_draft_between(client, municipality):
    resolution = CouncilResolutionFactory(municipality=municipality)
    plans = {2020: ("approved", 400000), 2021: ("draft", 999000), 2022: ("approved", 450000)}
    for year, (status, planned) in plans.items():
        budget = LocalBudgetFactory(
            municipality=municipality,
            year=year,
            status=status,
            resolution=None if status == "draft" else resolution,
        )
        BudgetLineFactory(budget=budget, code="2311", planned=planned)
    # The same code in another municipality's budget of 2021 changes nothing.
    BudgetLineFactory(budget__year=2021, budget__status="discussion", code="2311", planned=1)
    content = client.get("/ky/budget/2022/").content.decode()
    line = BudgetLine.objects.get(budget__year=2022, budget__municipality=municipality)
    row = plain(content.split(f'id="line-{line.pk}"', 1)[1].split("</tr>", 1)[0])
    assert row.endswith(f"2311 {line.name_ky} 450 000 100,0 +50 000")
    assert t("Compared with %(year)s", year=2020) in text(client.get("/ky/budget/2022/"))


def test_the_charts_draw_the_numbers_of_their_tables(client, demo):
    content = client.get("/ky/budget/2023/").content.decode()
    for chart_id in ("chart-revenue", "chart-expenditure"):
        chart = content.split(f'id="{chart_id}"', 1)[1].split("</svg>", 1)[0]
        table = content.split(f'id="{chart_id}"', 1)[1].split("</table>", 1)[0]
        table = table.split("<tbody>", 1)[1]
        figures = [plain(f) for f in re.findall(r'class="chart-figure"[^>]*>(.*?)</text>', chart)]
        labels = [plain(f) for f in re.findall(r'class="chart-label"[^>]*>(.*?)</text>', chart)]
        rows = [
            [plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        ]
        assert len(rows) == len(figures) == len(labels) > 1
        for label, figure, (name, planned, share) in zip(labels, figures, rows, strict=True):
            assert name.startswith(label.rstrip("…"))
            assert figure == f"{planned} · {share} %"
    assert 'role="img"' in content and '<title id="chart-revenue-title">' in content


def test_the_revenue_chart_shows_the_eight_largest_lines_and_the_rest_together(
    client, municipality
):
    budget = LocalBudgetFactory(
        municipality=municipality,
        year=2024,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    for n in range(10):
        BudgetLineFactory(
            budget=budget,
            kind="revenue",
            code=f"{n:05d}",
            name_ky=f"Киреше {n}",
            planned=1000 * (n + 1),
        )
    # As large as "00002": the code decides which of the two is among the eight.
    BudgetLineFactory(budget=budget, kind="revenue", code="Z", name_ky="Киреше Z", planned=3000)
    content = client.get("/ky/budget/2024/").content.decode()
    table = content.split('id="chart-revenue"', 1)[1].split("</table>", 1)[0]
    rows = [
        [plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], flags=re.S)
    ]
    assert [row[0] for row in rows[:8]] == [f"Киреше {n}" for n in (9, 8, 7, 6, 5, 4, 3, 2)]
    # Z, 1 and 0: 3 000 + 2 000 + 1 000 of 58 000.
    assert rows[8] == [
        t("Other revenue (%(count)s lines)", count=3),
        "6 000",
        grouped(Decimal(6000) * 100 / 58000, 1),
    ]
    assert len(rows) == 9


def test_a_line_links_its_public_proposals_shortened_and_in_their_language(client, municipality):
    budget = LocalBudgetFactory(
        municipality=municipality,
        year=2024,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    line = BudgetLineFactory(budget=budget, kind="expenditure", code="2111", planned=5000)
    long_text = "Айыл ичиндеги жолду оңдоо керек, " * 5
    long = ProposalFactory(
        municipality=municipality, status=S.ACCEPTED_BUDGET, budget_line=line, text_ky=long_text
    )
    russian = ProposalFactory(
        municipality=municipality,
        status=S.ACCEPTED_BUDGET,
        budget_line=line,
        text_ky="",
        text_ru="Отремонтировать дорогу у школы",
    )
    content = client.get("/ky/budget/2024/").content.decode()
    proposals = section(content, "expenditure-title").split(
        'class="small mb-0 ps-3 line-proposals">'
    )[1]
    assert f'<a href="/ky/proposals/{long.pk}/">{long_text[:89]}…</a>' in proposals
    assert long_text.strip() not in proposals
    assert (
        f'<a href="/ky/proposals/{russian.pk}/" lang="ru">Отремонтировать дорогу у школы</a>'
        in proposals
    )


def test_programme_texts_written_in_one_language_show_in_the_other(client, municipality):
    programme = DevelopmentProgrammeFactory(
        municipality=municipality,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
        first_year=2022,
        last_year=2026,
    )
    PriorityFactory(
        programme=programme,
        number=3,
        title_ky="",
        title_ru="Ремонт <моста>",
        topic="roads",
        planned_cost=1_250_000,
        first_year=2023,
        last_year=None,
        expected_result_ky="",
        expected_result_ru="Мост открыт",
    )
    HearingFactory(
        municipality=municipality,
        kind="programme",
        programme=programme,
        title_ky="",
        title_ru="Слушания по программе",
    )
    listed = text(client.get("/ky/programmes/"))
    detail = text(client.get(programme.get_absolute_url()))
    for page in (listed, detail):
        assert "3. Ремонт <моста>" in page
        assert f"{Topic.ROADS.label} · 1 250 000 {t('som')} · 2023–2026" in page
        assert "Слушания по программе" in page
    assert "Мост открыт" in detail and "Мост открыт" not in listed


def test_the_planned_and_spent_chart_matches_its_table(client, demo):
    content = client.get("/ky/budget/2023/").content.decode()
    chart = content.split('id="chart-execution"', 1)[1].split("</svg>", 1)[0]
    table = content.split('id="chart-execution"', 1)[1].split("</table>", 1)[0]
    table = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    figures = [plain(f) for f in re.findall(r'class="chart-figure"[^>]*>(.*?)</text>', chart)]
    rows = [
        [plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    ]
    expected = []
    for _topic, planned, executed, percent in rows:
        expected += [planned, f"{executed} · {percent} %"]
    assert figures == expected
    # The reserve fund alone spent 40 % of its plan.
    assert [str(Topic.DISASTER.label), "700 000", "280 000", "40,0"] in rows


def test_no_per_resident_figure_without_the_population(client, demo):
    LocalBudget.objects.filter(year=2023).update(population=None)
    response = client.get("/ky/budget/2023/")
    assert 'class="figure-value fs-5 mb-0 per-resident"' not in response.content.decode()
    page = text(response)
    assert spend(2023, "22 000 000", "2 229") not in page
    assert (
        t(
            "In %(year)s the ayil okmotu planned to spend %(total)s som.",
            year=2023,
            total="22 000 000",
        )
        in page
    )


# --- Openness ------------------------------------------------------------


def test_openness_shows_the_dates_of_2023_and_the_missing_citizens_budget_of_2025(client, demo):
    content = client.get("/ky/budget/2023/").content.decode()
    table = section(content, "openness-title")
    for kind, day in budget_demo.BUDGETS[2023][5].items():
        row = row_of(table, f"openness-{kind}")
        assert f'datetime="{day:%Y-%m-%d}"' in row
        assert "missing" not in row
    hearing = Hearing.objects.get(budget__year=2023)
    row = row_of(table, "openness-hearing")
    assert hearing.get_absolute_url() in row
    assert f'datetime="{timezone.localtime(hearing.starts_at):%Y-%m-%d}"' in row

    table = section(client.get("/ky/budget/").content.decode(), "openness-title")
    assert "missing" in row_of(table, "openness-citizens")
    assert t("Not published") in plain(row_of(table, "openness-citizens"))
    assert 'datetime="2024-12-26"' in row_of(table, "openness-approved")


# --- Years and drafts ----------------------------------------------------


def test_draft_and_unknown_years_are_not_found(client, demo):
    municipality = LocalBudget.objects.get(year=2025).municipality
    LocalBudgetFactory(municipality=municipality, year=2026, status="draft")
    assert client.get("/ky/budget/2026/").status_code == 404
    assert client.get("/ky/budget/1999/").status_code == 404
    content = client.get("/ky/budget/").content.decode()
    assert 'href="/ky/budget/2026/"' not in content
    for year in (2023, 2024):
        assert f'href="/ky/budget/{year}/"' in content


def test_a_budget_under_discussion_is_shown_but_not_as_the_current_one(client, demo):
    municipality = LocalBudget.objects.get(year=2025).municipality
    LocalBudgetFactory(municipality=municipality, year=2026, status="discussion")
    assert '<h1 class="h2 mb-2">' + t("Citizen's budget %(year)s", year=2025) in (
        client.get("/ky/budget/").content.decode()
    )
    response = client.get("/ky/budget/2026/")
    assert response.status_code == 200
    assert str(LocalBudget.Status.DISCUSSION.label) in text(response)


def test_without_an_approved_budget_the_page_says_so(client, municipality):
    LocalBudgetFactory(municipality=municipality, year=2026, status="discussion")
    response = client.get("/ky/budget/")
    assert response.status_code == 200
    assert t("No approved budget is published yet.") in text(response)
    assert 'href="/ky/budget/2026/"' in response.content.decode()


def test_draft_programmes_are_not_shown(client, municipality):
    draft = DevelopmentProgrammeFactory(municipality=municipality, status="draft")
    priority = PriorityFactory(programme=draft)
    assert draft.title not in text(client.get("/ky/programmes/"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(priority.get_absolute_url()).status_code == 404


# --- Programmes ----------------------------------------------------------


def test_the_programmes_page_lists_priorities_resolutions_hearings_and_counts(client, demo):
    content = client.get("/ky/programmes/").content.decode()
    page = text(client.get("/ky/programmes/"))
    programme = DevelopmentProgramme.objects.get(first_year=2022)
    card = plain(content.split(f'id="programme-{programme.pk}"', 1)[1].split("</article>", 1)[0])
    assert "№1/5" in card and "24.12.2021" in card
    assert str(programme.resolution) in card
    hearing = programme.hearings.get()
    assert hearing.get_absolute_url() in content
    # The seed: 8 proposals taken into the programme.
    assert f"{t('Proposals taken in')} 8" in card
    water = programme.priorities.get(number=1)
    assert f"1. {water.title}" in card
    assert f"{grouped(water.planned_cost)} {t('som')}" in card
    taken = ngettext("%(counter)s proposal taken in", "%(counter)s proposals taken in", 2)
    assert "2022–2025" in card and taken % {"counter": 2} in card
    assert "2018–2022" in page


def test_a_programme_page_shows_its_priorities_expected_results(client, demo):
    programme = DevelopmentProgramme.objects.get(first_year=2022)
    page = text(client.get(programme.get_absolute_url()))
    for priority in programme.priorities.all():
        assert priority.expected_result in page
    total = sum(p.planned_cost for p in programme.priorities.all())
    assert f"{t('Planned cost of the priorities')} {grouped(total)} {t('som')}" in page


# --- From a proposal to where it went, and back ---------------------------


def test_from_the_libraries_proposal_to_its_budget_line_and_back(client, demo):
    proposal = Proposal.objects.get(text_ky__startswith=LIBRARIES)
    line = proposal.budget_line
    response = client.get(proposal.get_absolute_url())
    content = response.content.decode()
    assert f'href="/ky/budget/2023/#line-{line.pk}"' in content
    assert t("Taken into the local budget %(year)s:", year=2023) + " " + t(
        "line %(code)s %(name)s", code="2311", name=line.name
    ) in text(response)

    budget_page = client.get("/ky/budget/2023/").content.decode()
    row = budget_page.split(f'id="line-{line.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'href="{proposal.get_absolute_url()}"' in row
    assert LIBRARIES in plain(row)


def test_from_a_programme_proposal_to_its_priority_and_back(client, demo):
    proposal = Proposal.objects.get(text_ky__startswith=WATER)
    priority = proposal.priority
    response = client.get(proposal.get_absolute_url())
    assert f'href="{priority.get_absolute_url()}"' in response.content.decode()
    assert t(
        "Taken into the development programme %(first)s–%(last)s:", first=2022, last=2026
    ) + " " + t("priority %(number)s. %(title)s", number=1, title=priority.title) in text(response)
    response = client.get(priority.get_absolute_url())
    content = response.content.decode()
    assert f'href="{proposal.get_absolute_url()}"' in content
    assert t("You asked — this is where it went") in text(response)
    took_in = ngettext(
        "This priority took in %(counter)s proposal of residents:",
        "This priority took in %(counter)s proposals of residents:",
        2,
    )
    assert took_in % {"counter": 2} in text(response)
    # Back up to its programme.
    assert f'href="{priority.programme.get_absolute_url()}"' in content


def test_the_tracking_page_says_where_the_proposal_went(client, demo):
    proposal = Proposal.objects.get(text_ky__startswith=LIBRARIES)
    response = client.get(f"/ky/proposals/track/{proposal.tracking_code}/")
    assert proposal.budget_line.get_absolute_url() in response.content.decode()


def test_a_proposal_into_a_draft_budget_names_the_line_without_a_link(client, municipality):
    line = BudgetLineFactory(budget__municipality=municipality, budget__status="draft")
    proposal = ProposalFactory(
        municipality=municipality, status=S.ACCEPTED_BUDGET, budget_line=line
    )
    response = client.get(proposal.get_absolute_url())
    assert t("line %(code)s %(name)s", code=line.code, name=line.name) in text(response)
    assert "#line-" not in response.content.decode()


# --- Private data, languages ---------------------------------------------


def test_no_private_data_on_the_budget_and_programme_pages(client, demo):
    for start in (LIBRARIES, WATER):
        Proposal.objects.filter(text_ky__startswith=start).update(
            author_name="Асан Үсөнов",
            show_author_name=False,
            author_phone="0555 987 654",
            author_email="asan@example.kg",
        )
    water = Proposal.objects.get(text_ky__startswith=WATER)
    for url in (
        "/ky/budget/2023/",
        "/ky/programmes/",
        water.priority.programme.get_absolute_url(),
        water.priority.get_absolute_url(),
    ):
        page = text(client.get(url))
        for private in ("Асан Үсөнов", "0555 987 654", "987 654", "asan@example.kg"):
            assert private not in page, (url, private)


@pytest.mark.parametrize(
    "path", ["/budget/", "/budget/2023/", "/programmes/", "programme", "priority"]
)
def test_both_languages_render(client, demo, path):
    priority = Priority.objects.get(programme__first_year=2022, number=1)
    path = {
        "programme": f"/programmes/{priority.programme_id}/",
        "priority": f"/programmes/priorities/{priority.pk}/",
    }.get(path, path)
    pages = {}
    for language in ("ky", "ru"):
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200
        pages[language] = response.content.decode()
        assert f'<html lang="{language}">' in pages[language]
    if "budget" in path:
        assert "Китепканалар" in pages["ky"] and "Библиотеки" in pages["ru"]
        assert "22 000 000" in text_of(pages["ru"]) or "25 520 000" in text_of(pages["ru"])
    else:
        assert priority.title_ky in pages["ky"] and priority.title_ru in pages["ru"]


def text_of(content):
    return html.unescape(content).replace("\xa0", " ")


def test_the_menu_links_to_the_budget_and_the_programmes(client, demo):
    content = client.get("/ru/").content.decode()
    assert 'href="/ru/budget/"' in content and 'href="/ru/programmes/"' in content
    with translation.override("ru"):
        budget_page = client.get("/ru/budget/").content.decode()
    assert 'class="nav-link active" href="/ru/budget/"' in budget_page


# --- Query counts --------------------------------------------------------


def budget_with_lines(municipality, year, lines, proposals_per_line=0):
    resolution = CouncilResolutionFactory(municipality=municipality)
    budget = LocalBudgetFactory(
        municipality=municipality, year=year, status="executed", resolution=resolution
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            kind="revenue" if n % 4 == 0 else "expenditure",
            code=f"{n:05d}",
            name_ky=f"Сап {n}",
            name_ru=f"Строка {n}",
            topic=["water", "roads", "culture", ""][n % 4],
            planned=1000 * (n + 1),
            executed=900 * (n + 1),
        )
        for n in range(lines)
    )
    for line in BudgetLine.objects.filter(budget=budget, kind="expenditure")[:10]:
        ProposalFactory.create_batch(
            proposals_per_line,
            municipality=municipality,
            status=S.ACCEPTED_BUDGET,
            budget_line=line,
        )
    return budget


@pytest.mark.parametrize("lines, proposals", [(20, 1), (400, 3)])
def test_the_budget_page_costs_the_same_with_20_or_400_lines(
    client, municipality, lines, proposals, django_assert_max_num_queries
):
    budget_with_lines(municipality, 2023, lines)
    budget = budget_with_lines(municipality, 2024, lines, proposals_per_line=proposals)
    HearingFactory(municipality=municipality, budget=budget)
    for url in ("/ky/budget/", "/ky/budget/2024/"):
        with django_assert_max_num_queries(6):
            response = client.get(url)
        content = response.content.decode()
        assert content.count('class="budget-line"') == lines
        assert section(content, "expenditure-title").count('href="/ky/proposals/') == 10 * proposals


@pytest.mark.parametrize("many", [False, True])
def test_the_programme_pages_cost_the_same_with_few_or_many_rows(
    client, municipality, many, django_assert_max_num_queries
):
    count = 12 if many else 1
    programmes = []
    for n in range(count):
        programme = DevelopmentProgrammeFactory(
            municipality=municipality,
            status="approved",
            resolution=CouncilResolutionFactory(municipality=municipality),
            first_year=2000 + n,
            last_year=2004 + n,
        )
        hearing = HearingFactory(municipality=municipality, kind="programme", programme=programme)
        for priority in PriorityFactory.create_batch(5 if many else 1, programme=programme):
            # A card names its village, group and hearing: none costs a query.
            ProposalFactory.create_batch(
                4 if many else 1,
                municipality=municipality,
                status=S.ACCEPTED_PROGRAMME,
                priority=priority,
                origin="hearing",
                hearing=hearing,
                village=VillageFactory(municipality=municipality),
                group=InitiativeGroupFactory(municipality=municipality),
            )
        programmes.append(programme)
    priority = programmes[0].priorities.first()
    for url, limit in [
        ("/ky/programmes/", 4),
        (programmes[0].get_absolute_url(), 4),
        (priority.get_absolute_url(), 4),
    ]:
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200
    content = response.content.decode()
    proposal = priority.proposals.select_related("village", "group", "hearing").first()
    for shown in (proposal.village.name, proposal.group.name, proposal.hearing.title):
        assert html.escape(shown) in content


@pytest.mark.parametrize("target", ["priority", "budget_line"])
def test_a_proposal_page_with_its_target_costs_no_more_queries(
    client, municipality, target, django_assert_max_num_queries
):
    status = S.ACCEPTED_PROGRAMME if target == "priority" else S.ACCEPTED_BUDGET
    if target == "budget_line":
        line = BudgetLineFactory(budget__municipality=municipality, budget__status="discussion")
        proposal = ProposalFactory(municipality=municipality, status=status, budget_line=line)
    else:
        programme = DevelopmentProgrammeFactory(municipality=municipality, status="discussion")
        proposal = ProposalFactory(
            municipality=municipality, status=status, priority=PriorityFactory(programme=programme)
        )
    for url in (proposal.get_absolute_url(), f"/ky/proposals/track/{proposal.tracking_code}/"):
        with django_assert_max_num_queries(4):
            response = client.get(url)
        assert getattr(proposal, target).get_absolute_url() in response.content.decode()


def test_a_line_lists_its_first_proposals_and_links_the_rest(client, municipality):
    """Under a line, the first five proposals it took in and a link to all
    of them: the proposals list, filtered by the line, says which line."""
    budget = LocalBudgetFactory(
        municipality=municipality,
        year=2024,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    line = BudgetLineFactory(
        budget=budget, kind="expenditure", code="2111", name_ky="Жолдор", planned=5000
    )
    taken = [
        ProposalFactory(
            municipality=municipality,
            status=S.ACCEPTED_BUDGET,
            budget_line=line,
            text_ky=f"Жолду оңдоо {n}",
            submitted_at=timezone.make_aware(timezone.datetime(2023, 10, n + 1)),
        )
        for n in range(7)
    ]
    ProposalFactory(municipality=municipality, text_ky="Башка сунуш")
    content = client.get("/ky/budget/2024/").content.decode()
    links = section(content, "expenditure-title").split('class="small mb-0 ps-3 line-proposals">')[
        1
    ]
    links = links.split("</ul>")[0]
    for proposal in taken[:5]:
        assert f'href="/ky/proposals/{proposal.pk}/"' in links
    assert f'href="/ky/proposals/{taken[5].pk}/"' not in links
    more = ngettext("and %(counter)s more proposal", "and %(counter)s more proposals", 2) % {
        "counter": 2
    }
    assert f'<a href="/ky/proposals/?line={line.pk}">{more}</a>' in links

    listed = client.get("/ky/proposals/", {"line": line.pk}).content.decode()
    assert listed.count('class="proposal card') == 7 and "Башка сунуш" not in listed
    note = gettext("Taken into the line %(code)s “%(name)s” of the %(year)s budget.") % {
        "code": "2111",
        "name": "Жолдор",
        "year": 2024,
    }
    assert html.escape(note, quote=False) in listed
    assert f'href="/ky/budget/2024/#line-{line.pk}"' in listed
    # The other filters keep the line; "Filters" counts only theirs.
    assert f'<input type="hidden" name="line" value="{line.pk}"' in listed
    assert f"{gettext('Filters')} (" not in listed
    # The printed register holds the same rows.
    assert client.get("/ky/proposals/register.pdf", {"line": line.pk}).status_code == 200


@pytest.mark.parametrize("whose", ["another municipality", "a draft budget"])
def test_a_line_not_published_here_filters_nothing_and_says_so(client, municipality, whose):
    budget = LocalBudgetFactory(
        municipality=municipality if whose == "a draft budget" else MunicipalityFactory(),
        year=2024,
        status="draft",
    )
    line = BudgetLineFactory(budget=budget, kind="expenditure", code="2111")
    ProposalFactory(municipality=municipality, text_ky="Башка сунуш")
    response = client.get("/ky/proposals/", {"line": line.pk})
    content = response.content.decode()
    assert (
        gettext("This line is in none of the municipality's published budgets.").replace(
            "'", "&#x27;"
        )
        in content
    )
    assert "Башка сунуш" in content and "line-filter" not in content
