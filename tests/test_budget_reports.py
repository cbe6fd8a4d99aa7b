"""The budget's PDF reports, read back: the citizen's budget, a programme's
priorities with the proposals they took in, the session pack's section."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from budget.models import DevelopmentProgramme, LocalBudget
from hearings.models import Proposal
from tests.factories import BudgetLineFactory, LocalBudgetFactory, ProposalFactory
from tests.test_reports import pdf_text, squash


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ky", ["Китепканалар", "Жер салыгы"]),
        ("ru", ["Библиотеки", "Земельный налог"]),
    ],
)
def test_the_citizens_budget_prints_the_years_figures(client, demo, language, words):
    with translation.override(language):
        words = [*words, gettext("Where the money comes from"), gettext("Where the money goes")]
    _reader, text = pdf_text(client.get(f"/{language}/budget/2023/citizens-budget.pdf"))
    text = squash(text)
    # Revenue and expenditure of 2023: 22 000 000 som each, 96 % executed
    # but for three lines (budget/demo.py); 2 229 som per resident.
    assert "22 000 000" in text
    assert "2 229" in text
    assert "600 000" in text and "576 000" in text  # libraries, planned and executed
    assert "44,5" in text  # equalising grants: 9 800 000 of 22 000 000, rounded once
    for word in words:
        assert word in text


def test_a_draft_budget_has_no_public_report(client, municipality):
    LocalBudgetFactory(municipality=municipality, year=2027, status="draft")
    assert client.get("/ky/budget/2027/citizens-budget.pdf").status_code == 404
    assert client.get("/ky/budget/1999/citizens-budget.pdf").status_code == 404


def test_a_programme_report_lists_each_prioritys_proposals(client, demo):
    programme = DevelopmentProgramme.objects.get(first_year=2022)
    _reader, text = pdf_text(client.get(f"/ru/programmes/{programme.pk}/report.pdf"))
    text = squash(text)
    water = Proposal.objects.filter(priority__programme=programme, priority__number=1)
    assert water.count() == 2
    for proposal in water:
        assert proposal.display_code in text
    assert "Места досуга для молодёжи и женщин" in text
    assert text.index("Обеспечение сёл Айры-Там и Ажек") < text.index(water.first().display_code)


def test_a_draft_programme_has_no_public_report(client, municipality):
    from tests.factories import DevelopmentProgrammeFactory

    draft = DevelopmentProgrammeFactory(municipality=municipality)
    assert client.get(f"/ky/programmes/{draft.pk}/report.pdf").status_code == 404


def test_the_session_pack_has_the_budget_section(client, demo, clerk):
    client.force_login(clerk)
    period = "date_from=2022-01-01&date_to=2023-12-31"
    _reader, text = pdf_text(client.get(f"/ru/admin/reports/session.pdf?{period}"))
    text = squash(text)
    with translation.override("ru"):
        named = {year: str(LocalBudget(year=year)) for year in (2022, 2023)}
    # The demo's budgets start in 2023.
    assert named[2023] in text and named[2022] not in text
    # The seven proposals accepted into the 2023 budget, with their lines.
    accepted = Proposal.objects.filter(status="accepted_budget")
    assert accepted.count() == 7
    for proposal in accepted:
        assert proposal.display_code in text
    assert "Подвоз учащихся в школу" in text and "250 000" in text


def test_the_budget_reports_carry_no_private_value(client, demo, clerk):
    budget = LocalBudget.objects.get(year=2023)
    private = ProposalFactory(
        municipality=budget.municipality,
        status="accepted_budget",
        decided_on=datetime.date(2023, 2, 1),
        budget_line=BudgetLineFactory(budget=budget),
        author_name="Тайна Жашыруун",
        author_phone="0555 123 456",
        author_email="secret@example.kg",
    )
    client.force_login(clerk)
    texts = [
        pdf_text(client.get("/ru/budget/2023/citizens-budget.pdf"))[1],
        pdf_text(
            client.get("/ru/admin/reports/session.pdf?date_from=2023-01-01&date_to=2023-12-31")
        )[1],
    ]
    for text in texts:
        for value in (private.author_name, private.author_phone, private.author_email):
            assert value not in text


@pytest.mark.parametrize("lines", [5, 60])
def test_the_citizens_budget_queries_do_not_grow(
    client, municipality, lines, django_assert_max_num_queries
):
    from tests.factories import CouncilResolutionFactory

    budget = LocalBudgetFactory(
        municipality=municipality,
        year=2025,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    for number in range(lines):
        line = BudgetLineFactory(budget=budget, code=f"2{number:03d}")
        ProposalFactory(municipality=municipality, status="accepted_budget", budget_line=line)
    with django_assert_max_num_queries(5):
        pdf_text(client.get("/ky/budget/2025/citizens-budget.pdf"))
