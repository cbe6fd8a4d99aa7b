"""The public pages of the community projects and the awards: each project's
funding told honestly (an undisclosed amount is never a 0, and every total it
would be part of says so), what it achieved and for whom, and the way from a
project to its groups and proposals and back."""

import datetime
import html
import re

import pytest
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from groups.models import InitiativeGroup
from hearings.models import Proposal
from projects.models import Award, FundingContribution, Output, Project, ProjectGroup
from tests.factories import (
    FundingContributionFactory,
    InitiativeGroupFactory,
    ProjectFactory,
    ProposalFactory,
    VillageFactory,
)

S = Proposal.Status
K = FundingContribution.Kind
WATER, SCHOOL = "ayry-tam-taza-suu", "mektepke-tashuu"
WOMEN = "ayry-tam-ayaldary"


def t(message, **values):
    return gettext(message) % values if values else gettext(message)


def counted(singular, plural, number, shown=None):
    """A counted phrase as the page writes it: "143 households"."""
    return ngettext(singular, plural, number) % {"number": shown or number}


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


def section(content, element_id):
    start = content.rindex("<section", 0, content.index(f'id="{element_id}"'))
    return content[start : content.index("</section>", start)]


def cards(response):
    """The titles of the project cards on a list page."""
    return [
        plain(title)
        for title in re.findall(
            r'<h3 class="h5 card-title"[^>]*>(.*?)</h3>', response.content.decode(), flags=re.S
        )
    ]


def rows_of(table):
    return [
        [plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    ]


# --- The demo's projects -------------------------------------------------


def test_the_airy_tam_water_project_shows_what_it_built_and_for_whom(client, demo):
    response = client.get(f"/ky/projects/{WATER}/")
    assert response.status_code == 200
    page = text(response)
    pipeline = Output.objects.get(project__slug=WATER)
    assert f"4,5 {pipeline.unit}" in page
    for singular, plural, number in [
        ("%(number)s household", "%(number)s households", 143),
        ("%(number)s woman", "%(number)s women", 109),
        ("%(number)s man", "%(number)s men", 155),
        ("%(number)s child", "%(number)s children", 85),
    ]:
        assert counted(singular, plural, number) in page
    # The donor's investment is not disclosed: said so, and never a 0.
    content = response.content.decode()
    row = content.split('class="contribution contribution-donor"', 1)[1].split("</tr>", 1)[0]
    assert "Бүткүл дүйнөлүк азык-түлүк программасы" in plain(row)
    assert t("not disclosed") in plain(row)
    assert not re.search(r"(?<![\d ])0(?![\d,])", plain(row))
    assert t("No amount of this project's funding is disclosed.") in page
    assert t("Total known funding: %(total)s som.", total="0") not in page
    # Nothing to draw without a known amount: the table alone tells it.
    assert 'id="chart-funding"' not in content


def test_from_the_water_project_to_the_women_who_cooked_and_back(client, demo):
    content = client.get(f"/ky/projects/{WATER}/").content.decode()
    groups = section(content, "groups-title")
    assert f'href="/ky/groups/{WOMEN}/"' in groups
    women = InitiativeGroup.objects.get(slug=WOMEN)
    assert f"{women.name} — {t('Took part').lower()}" in plain(groups)
    # The food they cooked is in the funding, in kind, with no amount invented.
    row = content.split('class="contribution contribution-food"', 1)[1].split("</tr>", 1)[0]
    assert "Жумушчулар үчүн тамак" in plain(row) and t("amount not given") in plain(row)

    group_page = client.get(f"/ky/groups/{WOMEN}/").content.decode()
    projects = section(group_page, "projects-title")
    water = Project.objects.get(slug=WATER)
    assert f'href="/ky/projects/{WATER}/"' in projects
    assert f"{water.title} — {t('Took part').lower()}" in plain(projects)


def test_the_school_transport_project_shows_its_sums_and_co_financing(client, demo):
    response = client.get(f"/ky/projects/{SCHOOL}/")
    page = text(response)
    content = response.content.decode()
    table = content.split('class="table table-sm chart-data contributions"', 1)[1]
    rows = rows_of(table.split("</table>", 1)[0])[1:]
    assert [row[1:] for row in rows] == [["250 000", "250 000"], ["50 000", "50 000"]]
    assert rows[0][0].startswith("Жергиликтүү бюджет")
    assert rows[1][0].startswith("Ата-энелер")
    assert t("Total known funding: %(total)s som.", total="300 000") in page
    assert (
        plain(
            gettext(
                "Co-financing: for each som of the local budget, %(ratio)s som came from "
                "other sources."
            )
            % {"ratio": "0,2"}
        )
        in page
    )
    assert counted("%(number)s pupil", "%(number)s pupils", 85) in page
    shares = rows_of(section(content, "funding-title").split('class="table table-sm shares', 1)[1])
    assert [str(K.LOCAL_BUDGET.label), "250 000", "83,3"] in shares
    assert [str(K.RESIDENTS.label), "50 000", "16,7"] in shares
    # It implements the 2023 budget's line: a link to the line on the citizen's budget.
    line = Project.objects.get(slug=SCHOOL).budget_line
    assert f'href="/ky/budget/2023/#line-{line.pk}"' in content


def test_the_project_lists_the_proposals_behind_it_and_they_link_back(client, demo):
    water = Project.objects.get(slug=WATER)
    behind = Proposal.objects.filter(priority=water.priority).public()
    assert behind.count() == 2
    content = client.get(water.get_absolute_url()).content.decode()
    proposals = section(content, "proposals-title")
    for proposal in behind:
        assert f'href="{proposal.get_absolute_url()}"' in proposals
    assert f'href="{water.priority.get_absolute_url()}"' in content

    # A proposal accepted into the project itself: named on both pages.
    accepted = ProposalFactory(
        municipality=water.municipality, status=S.ACCEPTED_PROJECT, project=water
    )
    content = client.get(water.get_absolute_url()).content.decode()
    assert f'href="{accepted.get_absolute_url()}"' in section(content, "proposals-title")
    for url in (accepted.get_absolute_url(), f"/ky/proposals/track/{accepted.tracking_code}/"):
        response = client.get(url)
        assert f"{t('Taken into the project:')} {water.title}" in text(response)
        assert f'href="{water.get_absolute_url()}"' in response.content.decode()


def test_the_proposals_behind_a_project_come_twenty_a_page(client, municipality):
    """A budget line may stand behind hundreds of proposals: the page shows
    them twenty at a time, oldest first, and links to the rest."""
    project = ProjectFactory(municipality=municipality)
    behind = ProposalFactory.create_batch(
        23, municipality=municipality, status=S.ACCEPTED_PROJECT, project=project
    )
    first = client.get(project.get_absolute_url()).content.decode()
    proposals = section(first, "proposals-title")
    assert proposals.count('class="proposal card') == 20
    assert f'href="{behind[0].get_absolute_url()}"' in proposals
    assert f'href="{behind[20].get_absolute_url()}"' not in proposals
    assert 'href="?page=2#proposals-title"' in proposals
    second = section(
        client.get(project.get_absolute_url(), {"page": 2}).content.decode(), "proposals-title"
    )
    assert [f'href="{p.get_absolute_url()}"' in second for p in behind[20:]] == [True] * 3
    assert second.count('class="proposal card') == 3
    # The rest of the page stays whole on the second page.
    assert (
        'id="funding-title"' in client.get(project.get_absolute_url(), {"page": 2}).content.decode()
    )


def test_a_proposal_not_taken_into_a_project_names_none(client, demo):
    proposal = Proposal.objects.filter(status=S.ACCEPTED_PROGRAMME).first()
    assert t("Taken into the project:") not in text(client.get(proposal.get_absolute_url()))


# --- Totals and shares with undisclosed amounts ----------------------------


@pytest.fixture
def funded(municipality):
    """One project with 100 000 from the local budget, 50 000 of residents and
    an undisclosed donor; one with nothing but an undisclosed donor."""
    known = ProjectFactory(municipality=municipality, households=40, women=20)
    FundingContributionFactory(project=known, kind=K.LOCAL_BUDGET, planned=100_000)
    FundingContributionFactory(
        project=known, kind=K.RESIDENTS, source_name_ky="Тургундар", planned=50_000, actual=None
    )
    FundingContributionFactory(
        project=known, kind=K.DONOR, source_name_ky="Донор", planned=None, disclosed=False
    )
    hidden = ProjectFactory(municipality=municipality, households=10)
    FundingContributionFactory(
        project=hidden, kind=K.DONOR, source_name_ky="Донор", planned=None, disclosed=False
    )
    return {"known": known, "hidden": hidden}


def test_totals_and_shares_leave_undisclosed_amounts_out_and_say_so(client, funded):
    response = client.get(funded["known"].get_absolute_url())
    page = text(response)
    content = response.content.decode()
    assert t("Total known funding: %(total)s som.", total="150 000") in page
    note = ngettext(
        "The amount of %(counter)s source is not disclosed. It is not counted as zero: it is "
        "left out of the total and the shares, so the real funding is higher.",
        "The amounts of %(counter)s sources are not disclosed. They are not counted as zero: "
        "they are left out of the total and the shares, so the real funding is higher.",
        1,
    ) % {"counter": 1}
    assert note in page
    # Shares of the known 150 000; the donor has a row, not disclosed, no share.
    shares = rows_of(content.split('class="table table-sm shares', 1)[1].split("</table>")[0])
    assert [str(K.LOCAL_BUDGET.label), "100 000", "66,7"] in shares
    assert [str(K.RESIDENTS.label), "50 000", "33,3"] in shares
    assert [str(K.DONOR.label), t("not disclosed"), "—"] in shares
    # Co-financing from the known amounts only: 50 000 per 100 000.
    assert "0,5" in plain(content.split('class="cofinancing"', 1)[1].split("</p>")[0])


def test_the_municipality_totals_say_what_they_leave_out(client, funded):
    response = client.get("/ky/projects/")
    content = response.content.decode()
    totals = content.split('class="card mb-4 municipality-totals"', 1)[1].split("</section>")[0]
    table = rows_of(totals.split("<table", 1)[1])
    assert [str(K.LOCAL_BUDGET.label), "100 000", "66,7"] in table
    assert [str(K.DONOR.label), t("not disclosed"), "—"] in table
    plus_two = ngettext("+ %(counter)s not disclosed", "+ %(counter)s not disclosed", 2) % {
        "counter": 2
    }
    assert [t("Total known"), f"150 000 {plus_two}", "100"] in table
    left_out = ngettext(
        "The amount of %(counter)s contribution (in %(projects)s of the projects) is not "
        "disclosed: it is not included in these sums, so the real funding is higher.",
        "The amounts of %(counter)s contributions (in %(projects)s of the projects) are not "
        "disclosed: they are not included in these sums, so the real funding is higher.",
        2,
    ) % {"counter": 2, "projects": 2}
    assert left_out in plain(totals)
    assert counted("%(number)s household", "%(number)s households", 50) in plain(totals)
    # The project with no known amount: never "0 som" on its card.
    card = content.split(f'id="project-{funded["hidden"].pk}"', 1)[1].split("</article>")[0]
    funding = plain(card.split('class="col-sm-8 mb-1 project-funding">', 1)[1].split("</dd>")[0])
    assert funding == ngettext(
        "Amount not disclosed (%(counter)s source)",
        "Amounts not disclosed (%(counter)s sources)",
        1,
    ) % {"counter": 1}
    card = content.split(f'id="project-{funded["known"].pk}"', 1)[1].split("</article>")[0]
    funding = plain(card.split('class="col-sm-8 mb-1 project-funding">', 1)[1].split("</dd>")[0])
    assert funding.startswith(f"150 000 {t('som')} +")


def test_the_chart_draws_the_numbers_of_its_table(client, funded):
    content = client.get(funded["known"].get_absolute_url()).content.decode()
    chart = content.split('id="chart-funding"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in content and '<title id="chart-funding-title">' in chart
    figures = [plain(f) for f in re.findall(r'class="chart-figure"[^>]*>(.*?)</text>', chart)]
    labels = [plain(f) for f in re.findall(r'class="chart-label"[^>]*>(.*?)</text>', chart)]
    table = content.split('class="table table-sm chart-data contributions"', 1)[1]
    rows = rows_of(table.split("<tbody>", 1)[1].split("</tbody>")[0])
    assert len(rows) == len(figures) == len(labels) == 3
    for label, figure, (source, *amounts) in zip(labels, figures, rows, strict=True):
        assert source.startswith(label)
        # The figure is what counts: the actual amount, else the planned one.
        numbers = [a for a in amounts if re.fullmatch(r"[\d ]+", a)]
        assert figure == (numbers[-1] if numbers else amounts[0])
    assert figures == ["100 000", "50 000", t("not disclosed")] or sorted(figures) == sorted(
        ["100 000", "50 000", t("not disclosed")]
    )
    # The text alternative names every source with its figure.
    desc = plain(chart.split("<desc", 1)[1].split("</desc>")[0].split(">", 1)[1])
    assert "Тургундар: 50 000" in desc and f"Донор: {t('not disclosed')}" in desc


def test_a_project_without_known_amounts_never_shows_a_zero(client, funded, municipality):
    empty = ProjectFactory(municipality=municipality)
    page = text(client.get(empty.get_absolute_url()))
    assert (
        t("No funding is recorded.") in page
        and t("Total known funding: %(total)s som.", total="0") not in page
    )
    response = client.get(funded["hidden"].get_absolute_url())
    assert t("No amount of this project's funding is disclosed.") in text(response)
    assert 'id="chart-funding"' not in response.content.decode()
    assert 'class="cofinancing"' not in response.content.decode()


def test_the_project_page_sums_as_the_list_and_the_admin_do(client, funded, municipality):
    """The page sums a project's contributions in its own query: the same
    figures as ProjectQuerySet.with_funding, which the list, the admin and
    the report use."""
    both = ProjectFactory(municipality=municipality)
    FundingContributionFactory(project=both, kind=K.LOCAL_BUDGET, planned=30_000, actual=40_000)
    FundingContributionFactory(project=both, kind=K.LABOUR, planned=None, estimated_value=9_000)
    FundingContributionFactory(project=both, kind=K.DONOR, planned=None)
    for project in Project.objects.filter(municipality=municipality).with_funding():
        content = client.get(project.get_absolute_url()).content.decode()
        total = plain(content.split('class="lead mb-2 project-total">', 1)[1].split("</p>")[0])
        if project.funding_known:
            known = f"{project.funding_known:,.0f}".replace(",", " ")
            assert total == t("Total known funding: %(total)s som.", total=known)
        ratio = (
            content.split('class="cofinancing">', 1)[1].split("</p>")[0]
            if project.cofinancing
            else ""
        )
        if project.cofinancing:
            assert f"{project.cofinancing.normalize()}".replace(".", ",") in ratio
        else:
            assert 'class="cofinancing"' not in content
        notes = re.findall(r'class="alert alert-warning py-2 undisclosed-note-full"', content)
        assert len(notes) == (1 if project.funding_undisclosed else 0)
    # 40 000 actual + 9 000 in kind, the donor's amount not given.
    assert "49 000" in text(client.get(both.get_absolute_url()))


def test_names_missing_in_russian_are_shown_in_kyrgyz(client, municipality):
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу", name_ru="")
    named = VillageFactory(municipality=municipality, name_ky="Бакай", name_ru="Бакай-Ата")
    project = ProjectFactory(municipality=municipality, started_on=datetime.date(2024, 1, 1))
    project.villages.set([named, village])
    Award.objects.create(
        municipality=municipality,
        competition_ky="Сынак",
        competition_ru="",
        year=2024,
        project=project,
    )
    for url in ("/ru/projects/", "/ru" + project.get_absolute_url()[3:]):
        assert " · Ак-Суу, Бакай-Ата" in text(client.get(url)), url
    awards = section(
        client.get("/ru" + project.get_absolute_url()[3:]).content.decode(), "awards-title"
    )
    assert "Сынак, 2024" in plain(awards)


def test_a_municipality_without_projects_shows_empty_totals(client, municipality):
    response = client.get("/ky/projects/")
    assert response.status_code == 200
    page = text(response)
    assert ngettext("%(counter)s project", "%(counter)s projects", 0) % {"counter": 0} in page
    assert t("No project matches these filters.") in page
    assert response.context["form"].fields["year"].choices == [("", t("Any year"))]


# --- Filters ---------------------------------------------------------------


@pytest.fixture
def filtered(municipality):
    first, second = municipality.villages.order_by("pk")[:2]
    rows = {
        "water": ProjectFactory(
            municipality=municipality,
            title_ky="Суу",
            status="completed",
            started_on=datetime.date(2021, 3, 1),
            ended_on=datetime.date(2022, 6, 1),
        ),
        "road": ProjectFactory(
            municipality=municipality,
            title_ky="Жол",
            status="in_progress",
            started_on=datetime.date(2023, 5, 1),
            ended_on=None,
        ),
        "club": ProjectFactory(
            municipality=municipality,
            title_ky="Клуб",
            status="planned",
            started_on=datetime.date(2025, 1, 1),
            ended_on=datetime.date(2025, 12, 1),
        ),
    }
    rows["water"].villages.set([first])
    rows["road"].villages.set([first, second])
    rows["club"].villages.set([second])
    FundingContributionFactory(project=rows["water"], kind=K.DONOR, planned=10)
    FundingContributionFactory(project=rows["water"], kind=K.LOCAL_BUDGET, planned=10)
    FundingContributionFactory(project=rows["road"], kind=K.LOCAL_BUDGET, planned=10)
    FundingContributionFactory(project=rows["club"], kind=K.PRIZE, planned=10)
    return rows, first, second


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"Суу", "Жол", "Клуб"}),
        ({"status": "completed"}, {"Суу"}),
        ({"status": "planned"}, {"Клуб"}),
        ({"village": "first"}, {"Суу", "Жол"}),
        ({"village": "second"}, {"Жол", "Клуб"}),
        ({"kind": "local_budget"}, {"Жол", "Суу"}),
        ({"kind": "prize"}, {"Клуб"}),
        ({"kind": "labour"}, set()),
        # A project runs every year from its start to its end.
        ({"year": "2022"}, {"Суу"}),
        ({"year": "2021"}, {"Суу"}),
        # Still in progress: it runs on after its start.
        ({"year": "2024"}, {"Жол"}),
        ({"year": "2025"}, {"Жол", "Клуб"}),
        ({"village": "first", "kind": "donor", "year": "2022"}, {"Суу"}),
    ],
)
def test_each_filter_selects_its_projects(client, filtered, query, expected):
    _rows, first, second = filtered
    query = {
        key: {"first": first.pk, "second": second.pk}.get(value, value)
        for key, value in query.items()
    }
    response = client.get("/ky/projects/", query)
    assert set(cards(response)) == expected
    count = ngettext("%(counter)s project", "%(counter)s projects", len(expected))
    assert count % {"counter": len(expected)} in text(response)


def test_a_filter_keeps_each_projects_funding_whole(client, filtered):
    """Filtering by a source kind must not cut the other kinds out of the sums."""
    rows, _first, _second = filtered
    content = client.get("/ky/projects/", {"kind": "donor"}).content.decode()
    card = content.split(f'id="project-{rows["water"].pk}"', 1)[1].split("</article>")[0]
    assert "20 " + t("som") in plain(card)


def test_the_years_offered_span_the_projects(client, filtered):
    form = client.get("/ky/projects/").context["form"]
    years = [value for value, _label in form.fields["year"].choices if value]
    assert years == [2025, 2024, 2023, 2022, 2021]


def test_another_municipalitys_village_is_no_filter(client, filtered):
    other = VillageFactory()
    response = client.get("/ky/projects/", {"village": other.pk})
    assert not response.context["form"].is_valid()


# --- Awards ------------------------------------------------------------------


def test_the_awards_page_shows_the_competitions_prizes_and_links(client, demo):
    water = Project.objects.get(slug=WATER)
    Award.objects.filter(year=2014).update(project=water)
    response = client.get("/ky/awards/")
    content = response.content.decode()
    page = text(response).replace(" ,", ",")
    assert "«Жергиликтүү демилгелер» сынагы, 2014" in page
    assert "Таза суунун башаты таза болсун" in page
    assert f"100 000 {t('som')}" in page and f"170 000 {t('som')}" in page
    assert "Бала бакча үчүн эмерек" in page
    assert t("Place %(place)s", place=1) in page
    assert 'href="/ky/groups/taza-suunun-bashaty/"' in content
    assert f'href="{water.get_absolute_url()}"' in content
    assert client.get("/ru/awards/").content.decode().count('class="card mb-3 award"') == 2


# --- Languages, private data -------------------------------------------------


@pytest.mark.parametrize("path", ["/projects/", f"/projects/{WATER}/", "/awards/"])
def test_both_languages_render(client, demo, path):
    water = Project.objects.get(slug=WATER)
    pages = {}
    for language in ("ky", "ru"):
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200
        pages[language] = response.content.decode()
        assert f'<html lang="{language}">' in pages[language]
    if "awards" in path:
        assert "Жергиликтүү демилгелер" in pages["ky"] and "Местные инициативы" in pages["ru"]
    else:
        assert water.title_ky in pages["ky"] and water.title_ru in pages["ru"]


def test_no_private_data_on_the_project_pages(client, demo):
    water = Project.objects.get(slug=WATER)
    Proposal.objects.filter(priority=water.priority).update(
        author_name="Асан Үсөнов",
        show_author_name=False,
        author_phone="0555 987 654",
        author_email="asan@example.kg",
    )
    women = InitiativeGroup.objects.get(slug=WOMEN)
    people = [m.person for m in women.memberships.select_related("person")]
    private = ["Асан Үсөнов", "0555 987 654", "asan@example.kg"]
    private += [p.phone for p in people if getattr(p, "phone", "")]
    for url in ("/ky/projects/", water.get_absolute_url(), "/ky/awards/", "/ru/projects/"):
        page = text(client.get(url))
        for word in private:
            assert word not in page, (url, word)
        for person in people:
            assert person.full_name not in page, (url, person.full_name)


def test_the_menu_links_to_the_projects(client, demo):
    content = client.get("/ru/").content.decode()
    assert 'href="/ru/projects/"' in content
    projects = client.get("/ru/projects/").content.decode()
    assert 'class="nav-link active" href="/ru/projects/"' in projects


def test_an_unknown_project_is_not_found(client, demo):
    assert client.get("/ky/projects/no-such-project/").status_code == 404


# --- Query counts ------------------------------------------------------------


def many_projects(municipality, count):
    villages = list(municipality.villages.all())
    group = InitiativeGroupFactory(municipality=municipality)
    for n in range(count):
        project = ProjectFactory(
            municipality=municipality, households=n, started_on=datetime.date(2020 + n % 5, 1, 1)
        )
        project.villages.set(villages)
        ProjectGroup.objects.create(project=project, group=group, role="participant")
        FundingContributionFactory(project=project, kind=K.LOCAL_BUDGET, planned=1000 + n)
        FundingContributionFactory(project=project, kind=K.DONOR, planned=None, disclosed=False)
        FundingContributionFactory(project=project, kind=K.FOOD, planned=None, description="Аш")
    return group


@pytest.mark.parametrize("count", [5, 150])
def test_the_pages_cost_the_same_with_5_or_150_projects(
    client, municipality, count, django_assert_max_num_queries
):
    group = many_projects(municipality, count)
    project = Project.objects.filter(municipality=municipality).first()
    for n in range(count):
        Output.objects.create(project=project, quantity=n, unit="м", description="түтүк")
        Award.objects.create(
            municipality=municipality, competition="Сынак", year=2000 + n % 20, group=group
        )
    ProposalFactory.create_batch(
        3 if count > 5 else 1, municipality=municipality, status=S.ACCEPTED_PROJECT, project=project
    )
    village = municipality.villages.first()
    for url, limit in [
        ("/ky/projects/", 5),
        ("/ky/projects/?page=2", 5),
        ("/ky/projects/?kind=donor&year=2022&status=in_progress", 6),
        (f"/ky/projects/?village={village.pk}", 7),
        # The municipality, the project with its short lists and counts,
        # its contributions with their sums, a page of proposals.
        (project.get_absolute_url(), 4),
        ("/ru" + project.get_absolute_url()[3:], 4),
        ("/ky/awards/", 3),
        (group.get_absolute_url(), 3),
    ]:
        with django_assert_max_num_queries(limit, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
    content = client.get("/ky/projects/").content.decode()
    assert content.count('class="card mb-3 project-card"') == min(count, 20)


def test_a_proposal_page_with_its_project_costs_no_more_queries(
    client, municipality, django_assert_max_num_queries
):
    project = ProjectFactory(municipality=municipality)
    proposal = ProposalFactory(
        municipality=municipality, status=S.ACCEPTED_PROJECT, project=project
    )
    for url in (proposal.get_absolute_url(), f"/ky/proposals/track/{proposal.tracking_code}/"):
        with django_assert_max_num_queries(4):
            response = client.get(url)
        assert project.get_absolute_url() in response.content.decode()


# --- In the browser ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_resident_walks_from_the_water_project_to_the_women_who_cooked_and_back(
    page, live_server, demo
):
    water = Project.objects.get(slug=WATER)
    women = InitiativeGroup.objects.get(slug=WOMEN)
    page.goto(live_server.url + "/ky/projects/")
    page.get_by_role("link", name=water.title_ky).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(water.title_ky)
    expect(page.locator(".contribution-donor")).to_contain_text(t("not disclosed"))

    page.get_by_role("region", name=t("Initiative groups")).get_by_role(
        "link", name=women.name_ky
    ).click()
    expect(page).to_have_url(re.compile(rf"/ky/groups/{WOMEN}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(women.name_ky)

    page.get_by_role("region", name=t("Projects")).get_by_role("link", name=water.title_ky).click()
    expect(page).to_have_url(re.compile(rf"/ky/projects/{WATER}/$"))
    # In Russian too.
    page.get_by_role("link", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(water.title_ru)
