"""The projects-and-funding PDF and the session pack's projects section,
read back: the demo's figures in both languages, undisclosed amounts said."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import FundingContributionFactory, ProjectFactory
from tests.test_reports import pdf_text, squash


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_projects_report_holds_the_demos_figures(client, demo, language):
    _reader, text = pdf_text(client.get(f"/{language}/projects/report.pdf"))
    text = squash(text)
    with translation.override(language):
        not_disclosed = gettext("not disclosed")
    # School transport: 250 000 + 50 000 som; 0,2 som from others per som of the budget.
    assert "250 000" in text and "50 000" in text and "300 000" in text
    assert "0,20" in text
    # Airy-Tam water: the WFP's investment is undisclosed, never a zero.
    assert not_disclosed in text
    for figure in ("4,5", "143", "109", "155", "85", "300", "2 000", "180"):
        assert figure in text, figure
    assert "<svg" not in text
    # The Airy-Tam and Azhek projects have no public amount: no "0 som" for them.
    with translation.override(language):
        none_public = gettext("No amount of this project's funding is disclosed.")
    assert text.count(none_public) == 2


def test_the_session_pack_has_the_projects_section(client, demo, clerk):
    client.force_login(clerk)
    _reader, text = pdf_text(
        client.get("/ru/admin/reports/session.pdf?date_from=2023-01-01&date_to=2023-12-31")
    )
    text = squash(text)
    assert "Подвоз учащихся из приграничных сёл в школу" in text
    assert "Всемирная продовольственная программа ООН" in text


def test_an_empty_municipality_gets_a_projects_report_that_says_so(client, municipality):
    _reader, text = pdf_text(client.get("/ky/projects/report.pdf"))
    assert gettext("No community project is entered yet.") in squash(text)


@pytest.mark.parametrize("projects", [2, 20])
def test_the_projects_reports_queries_do_not_grow(
    client, municipality, projects, django_assert_max_num_queries
):
    for project in ProjectFactory.create_batch(projects, municipality=municipality):
        FundingContributionFactory(project=project)
        FundingContributionFactory(project=project, kind="donor", planned=None, disclosed=False)
    with django_assert_max_num_queries(8):
        pdf_text(client.get("/ky/projects/report.pdf"))
