"""An accepted proposal names where it went: the programme's priority, the
budget's line or the project. The database refuses a decision without it (or with the wrong
one), the services say which field is wrong, and the admin's decision forms
offer only the targets that fit."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from hearings import services
from hearings.models import Hearing, Proposal
from tests.factories import (
    BudgetLineFactory,
    DevelopmentProgrammeFactory,
    HearingFactory,
    LocalBudgetFactory,
    MunicipalityFactory,
    PriorityFactory,
    ProjectFactory,
    ProposalFactory,
)
from tests.test_hearing_entry import change_url, existing_rows, hearing_form, row_errors, saved

S = Proposal.Status


@pytest.fixture
def programme(municipality):
    return DevelopmentProgrammeFactory(municipality=municipality, title_ky="СЭӨП 2022–2026")


@pytest.fixture
def priority(programme):
    return PriorityFactory(programme=programme, title_ky="Таза суу")


@pytest.fixture
def line(municipality):
    return BudgetLineFactory(budget__municipality=municipality, name_ky="Китепканалар")


def received(municipality, **fields):
    return ProposalFactory(municipality=municipality, kind="proposal", **fields)


def offered(page, name):
    """The values a select on the page offers, empty choice left out."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1))}


# --- The database -----------------------------------------------------------


def refused_by_the_database(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_the_database_refuses_a_decision_without_its_target_or_with_a_wrong_one(
    municipality, priority, line
):
    proposal = received(municipality)
    row = Proposal.objects.filter(pk=proposal.pk)
    decided = {"decided_on": "2023-01-10"}
    refused_by_the_database(row, status=S.ACCEPTED_PROGRAMME, **decided)
    refused_by_the_database(row, status=S.ACCEPTED_BUDGET, **decided)
    refused_by_the_database(row, status=S.ACCEPTED_PROGRAMME, budget_line=line, **decided)
    refused_by_the_database(
        row, status=S.REJECTED, priority=priority, decision_ky="Каражат жок", **decided
    )
    refused_by_the_database(row, status=S.RECEIVED, budget_line=line)
    refused_by_the_database(row, status=S.PARTLY_ACCEPTED, priority=priority, budget_line=line)
    # The right ones pass, so the refusals above are the rules' doing.
    row.update(status=S.ACCEPTED_PROGRAMME, priority=priority, **decided)
    row.update(status=S.PARTLY_ACCEPTED, priority=None, budget_line=line)
    row.update(budget_line=None)


def test_the_database_refuses_a_programme_or_budget_on_another_kind_of_hearing(
    municipality, programme
):
    budget = LocalBudgetFactory(municipality=municipality)
    hearing = HearingFactory(municipality=municipality, kind="budget")
    row = Hearing.objects.filter(pk=hearing.pk)
    refused_by_the_database(row, programme=programme)
    refused_by_the_database(row.all(), kind="other", budget=budget)
    row.update(budget=budget)
    row.update(kind="programme", budget=None, programme=programme)


# --- The services -----------------------------------------------------------


def test_a_decision_names_a_target_of_its_own_municipality(municipality, clerk):
    proposal = received(municipality)
    elsewhere = PriorityFactory(programme__municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, S.ACCEPTED_PROGRAMME, target=elsewhere, by=clerk)
    assert list(error.value.message_dict) == ["priority"]
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, S.ACCEPTED_PROGRAMME, by=clerk)
    assert list(error.value.message_dict) == ["priority"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.priority) == (S.RECEIVED, None)
    assert not proposal.events.exclude(to_status=S.RECEIVED).exists()


@pytest.mark.parametrize(
    ("status", "target", "field"),
    [
        (S.ACCEPTED_PROGRAMME, "line", "budget_line"),
        (S.ACCEPTED_BUDGET, "priority", "priority"),
        (S.ACCEPTED_PROJECT, "line", "budget_line"),
        (S.DEFERRED, "priority", "priority"),
    ],
)
def test_a_decision_refuses_the_wrong_kind_of_target(
    municipality, clerk, priority, line, status, target, field
):
    proposal = received(municipality)
    chosen = {"priority": priority, "line": line}[target]
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, status, target=chosen, by=clerk)
    assert list(error.value.message_dict) == [field]
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED


@pytest.mark.parametrize("status", [S.ACCEPTED_BUDGET, S.PARTLY_ACCEPTED])
def test_a_proposal_goes_to_an_expenditure_line_never_a_revenue_one(
    municipality, clerk, line, status
):
    revenue = BudgetLineFactory(budget=line.budget, kind="revenue", code="1131")
    proposal = received(municipality)
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, status, target=revenue, by=clerk)
    assert list(error.value.message_dict) == ["budget_line"]
    proposal.refresh_from_db()
    assert proposal.budget_line is None
    # The admin's select does not offer it either.
    from hearings.admin_forms import budget_lines_for

    assert list(budget_lines_for(municipality.pk)) == [line]


@pytest.mark.parametrize("target", ["priority", "line", None])
def test_partly_accepted_may_name_either_target_or_none(
    municipality, clerk, priority, line, target
):
    proposal = received(municipality)
    chosen = {"priority": priority, "line": line, None: None}[target]
    services.record_decision(proposal, S.PARTLY_ACCEPTED, target=chosen, by=clerk)
    proposal.refresh_from_db()
    assert proposal.status == S.PARTLY_ACCEPTED
    assert proposal.target == chosen


def test_a_correction_moves_the_target_with_the_decision(municipality, clerk, priority, line):
    proposal = received(municipality)
    services.record_decision(proposal, S.ACCEPTED_BUDGET, target=line, by=clerk)
    with pytest.raises(ValidationError) as error:
        services.correct_decision(
            proposal, kind="proposal", status=S.ACCEPTED_PROGRAMME, reason="Ката", by=clerk
        )
    assert list(error.value.message_dict) == ["priority"]
    services.correct_decision(
        proposal,
        kind="proposal",
        status=S.ACCEPTED_PROGRAMME,
        target=priority,
        reason="Программага кирген",
        by=clerk,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.priority, proposal.budget_line) == (
        S.ACCEPTED_PROGRAMME,
        priority,
        None,
    )
    services.correct_decision(
        proposal, kind="proposal", status=S.DEFERRED, reason="Кийинки жылга", by=clerk
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.target) == (S.DEFERRED, None)


# --- The hearing's page: decisions in one pass ------------------------------


@pytest.fixture
def programme_hearing(municipality, programme):
    hearing = HearingFactory(
        municipality=municipality, kind="programme", programme=programme, status="held"
    )
    ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        protocol_number=1,
        kind="proposal",
        text_ky="Айры-Тамга суу түтүгү керек.",
    )
    return hearing


def programme_form(hearing, per_row):
    return hearing_form(
        hearing.municipality,
        existing_rows(hearing, per_row),
        kind="programme",
        programme=hearing.programme_id,
    )


def test_accepted_into_the_programme_without_a_priority_is_refused_on_its_row(
    client, clerk, programme_hearing
):
    client.force_login(clerk)
    data = programme_form(programme_hearing, {1: {"new_status": S.ACCEPTED_PROGRAMME}})
    response = client.post(change_url(programme_hearing), data)
    assert response.status_code == 200
    assert set(row_errors(response, 0)) == {"decision_priority"}
    page = response.content.decode()
    assert gettext("Choose the programme priority that took this proposal in.") in page
    item = programme_hearing.proposals.get()
    assert (item.status, item.priority) == (S.RECEIVED, None)
    assert not item.events.exclude(to_status=S.RECEIVED).exists()


def test_accepted_into_the_programme_names_the_priority_chosen(
    client, clerk, programme_hearing, priority
):
    client.force_login(clerk)
    row = {"new_status": S.ACCEPTED_PROGRAMME, "decision_priority": priority.pk}
    data = programme_form(programme_hearing, {1: row})
    assert saved(client.post(change_url(programme_hearing), data))
    item = programme_hearing.proposals.get()
    assert (item.status, item.priority, item.decided_by) == (S.ACCEPTED_PROGRAMME, priority, clerk)
    # The decided row shows its priority, no longer to be changed there.
    page = client.get(change_url(programme_hearing)).content.decode()
    field = re.search(r'<select name="proposals-0-decision_priority"[^>]*>', page).group(0)
    assert "disabled" in field
    assert offered(page, "proposals-0-decision_priority") == {priority.pk}


def test_the_rows_offer_only_this_municipalitys_targets_and_the_hearings_programme(
    client, municipality, clerk, programme_hearing, priority, line
):
    other_programme = PriorityFactory(programme__municipality=municipality)
    elsewhere = PriorityFactory(programme__municipality=MunicipalityFactory())
    other_line = BudgetLineFactory(budget__municipality=MunicipalityFactory())
    client.force_login(clerk)
    page = client.get(change_url(programme_hearing)).content.decode()
    assert offered(page, "proposals-0-decision_priority") == {priority.pk}
    assert offered(page, "proposals-0-decision_budget_line") == {line.pk}
    # A hearing that names no programme: every programme of the municipality's.
    Hearing.objects.filter(pk=programme_hearing.pk).update(programme=None)
    page = client.get(change_url(programme_hearing)).content.decode()
    assert offered(page, "proposals-0-decision_priority") == {priority.pk, other_programme.pk}
    assert elsewhere.pk not in offered(page, "proposals-1-decision_priority")  # the empty row
    assert other_line.pk not in offered(page, "proposals-0-decision_budget_line")
    # One posted anyway is refused next to its field.
    row = {"new_status": S.ACCEPTED_PROGRAMME, "decision_priority": elsewhere.pk}
    data = programme_form(programme_hearing, {1: row})
    data["programme"] = ""
    response = client.post(change_url(programme_hearing), data)
    assert set(row_errors(response, 0)) == {"decision_priority"}
    assert programme_hearing.proposals.get().status == S.RECEIVED


def test_a_priority_and_a_line_together_are_refused(
    client, clerk, programme_hearing, priority, line
):
    client.force_login(clerk)
    row = {
        "new_status": S.PARTLY_ACCEPTED,
        "decision_priority": priority.pk,
        "decision_budget_line": line.pk,
    }
    response = client.post(
        change_url(programme_hearing), programme_form(programme_hearing, {1: row})
    )
    assert set(row_errors(response, 0)) == {"decision_budget_line"}
    # A target with no decision to go with it is refused too.
    row = {"decision_priority": priority.pk}
    response = client.post(
        change_url(programme_hearing), programme_form(programme_hearing, {1: row})
    )
    assert set(row_errors(response, 0)) == {"new_status"}
    assert programme_hearing.proposals.get().status == S.RECEIVED


@pytest.mark.parametrize("items", [3, 30])
def test_the_hearings_page_with_targets_keeps_its_query_budget(
    client, municipality, clerk, programme, django_assert_max_num_queries, items
):
    hearing = HearingFactory(municipality=municipality, kind="programme", programme=programme)
    for number in range(1, items + 1):
        proposal = ProposalFactory(
            municipality=municipality, hearing=hearing, origin="hearing", protocol_number=number
        )
        target = PriorityFactory(programme=programme)
        services.record_decision(proposal, S.ACCEPTED_PROGRAMME, target=target, by=clerk)
    BudgetLineFactory.create_batch(items, budget__municipality=municipality)
    client.force_login(clerk)
    with django_assert_max_num_queries(20):
        page = client.get(change_url(hearing)).content.decode()
    assert len(offered(page, f"proposals-{items}-decision_priority")) == items


# --- Accepted into a project -------------------------------------------------


@pytest.fixture
def project(municipality):
    return ProjectFactory(municipality=municipality, title_ky="Айры-Тамга таза ичүүчү суу")


@pytest.fixture
def project_hearing(municipality):
    hearing = HearingFactory(municipality=municipality, kind="other", status="held")
    ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        protocol_number=1,
        kind="proposal",
        text_ky="Айры-Тамга суу түтүгү керек.",
    )
    return hearing


def project_form(hearing, per_row):
    return hearing_form(hearing.municipality, existing_rows(hearing, per_row), kind="other")


def test_accepted_into_a_project_without_the_project_is_refused_on_its_row(
    client, clerk, project_hearing, project
):
    client.force_login(clerk)
    data = project_form(project_hearing, {1: {"new_status": S.ACCEPTED_PROJECT}})
    response = client.post(change_url(project_hearing), data)
    assert response.status_code == 200
    assert set(row_errors(response, 0)) == {"decision_project"}
    assert gettext("Choose the project that took this proposal in.") in response.content.decode()
    item = project_hearing.proposals.get()
    assert (item.status, item.project) == (S.RECEIVED, None)
    assert not item.events.exclude(to_status=S.RECEIVED).exists()


def test_accepted_into_a_project_names_the_project_chosen(
    client, municipality, clerk, project_hearing, project
):
    elsewhere = ProjectFactory(municipality=MunicipalityFactory())
    client.force_login(clerk)
    page = client.get(change_url(project_hearing)).content.decode()
    assert offered(page, "proposals-0-decision_project") == {project.pk}
    assert offered(page, "proposals-1-decision_project") == {project.pk}  # the empty row
    row = {"new_status": S.ACCEPTED_PROJECT, "decision_project": project.pk}
    assert saved(client.post(change_url(project_hearing), project_form(project_hearing, {1: row})))
    item = project_hearing.proposals.get()
    assert (item.status, item.project, item.decided_by) == (S.ACCEPTED_PROJECT, project, clerk)
    # The decided row shows its project, no longer to be changed there.
    page = client.get(change_url(project_hearing)).content.decode()
    field = re.search(r'<select name="proposals-0-decision_project"[^>]*>', page).group(0)
    assert "disabled" in field
    assert offered(page, "proposals-0-decision_project") == {project.pk}
    assert elsewhere.pk not in offered(page, "proposals-1-decision_project")


def test_another_municipalitys_project_or_a_second_target_is_refused_on_its_row(
    client, clerk, project_hearing, project, line
):
    elsewhere = ProjectFactory(municipality=MunicipalityFactory())
    client.force_login(clerk)
    row = {"new_status": S.ACCEPTED_PROJECT, "decision_project": elsewhere.pk}
    response = client.post(change_url(project_hearing), project_form(project_hearing, {1: row}))
    assert set(row_errors(response, 0)) == {"decision_project"}
    row = {
        "new_status": S.PARTLY_ACCEPTED,
        "decision_project": project.pk,
        "decision_budget_line": line.pk,
    }
    response = client.post(change_url(project_hearing), project_form(project_hearing, {1: row}))
    assert set(row_errors(response, 0)) == {"decision_project"}
    # A project with a decision that takes none.
    row = {
        "new_status": S.ACCEPTED_BUDGET,
        "decision_project": project.pk,
        "decision_text_ky": "Бюджетке кирди",
    }
    response = client.post(change_url(project_hearing), project_form(project_hearing, {1: row}))
    assert set(row_errors(response, 0)) == {"decision_project"}
    assert project_hearing.proposals.get().status == S.RECEIVED


@pytest.mark.parametrize("items", [3, 30])
def test_the_hearings_page_with_projects_keeps_its_query_budget(
    client, municipality, clerk, django_assert_max_num_queries, items
):
    hearing = HearingFactory(municipality=municipality, kind="other")
    for number in range(1, items + 1):
        proposal = ProposalFactory(
            municipality=municipality, hearing=hearing, origin="hearing", protocol_number=number
        )
        target = ProjectFactory(municipality=municipality)
        services.record_decision(proposal, S.ACCEPTED_PROJECT, target=target, by=clerk)
    client.force_login(clerk)
    with django_assert_max_num_queries(20):
        page = client.get(change_url(hearing)).content.decode()
    assert len(offered(page, f"proposals-{items}-decision_project")) == items


def test_the_proposals_page_and_its_correction_name_the_project(
    client, municipality, clerk, project, line
):
    proposal = received(municipality)
    url = f"/ky/admin/hearings/proposal/{proposal.pk}/change/"
    client.force_login(clerk)
    assert offered(client.get(url).content.decode(), "decision_project") == {project.pk}
    response = client.post(url, proposal_page_form(proposal, new_status=S.ACCEPTED_PROJECT))
    assert set(response.context["adminform"].form.errors) == {"decision_project"}
    data = proposal_page_form(proposal, new_status=S.ACCEPTED_PROJECT, decision_project=project.pk)
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.project) == (S.ACCEPTED_PROJECT, project)
    # Corrected: the project moves to the budget line.
    correct = f"/ky/admin/hearings/proposal/{proposal.pk}/correct/"
    page = client.get(correct).content.decode()
    assert re.search(rf'<option value="{project.pk}" selected>', page)
    form = {
        "kind": "proposal",
        "status": S.ACCEPTED_BUDGET,
        "decided_on": proposal.decided_on.isoformat(),
        "project": project.pk,
        "budget_line": line.pk,
        "reason": "Бюджетке кирген.",
    }
    response = client.post(correct, form)
    assert set(response.context["adminform"].form.errors) == {"project"}
    assert client.post(correct, {**form, "project": ""}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.budget_line, proposal.project) == (
        S.ACCEPTED_BUDGET,
        line,
        None,
    )


# --- The hearing itself ------------------------------------------------------


def test_the_hearing_names_what_it_discussed_when_it_fits_the_kind(
    client, municipality, clerk, programme
):
    budget = LocalBudgetFactory(municipality=municipality)
    elsewhere = DevelopmentProgrammeFactory(municipality=MunicipalityFactory())
    hearing = HearingFactory(municipality=municipality, kind="budget", status="held")
    client.force_login(clerk)
    page = client.get(change_url(hearing)).content.decode()
    assert offered(page, "programme") == {programme.pk}
    assert offered(page, "budget") == {budget.pk}
    data = hearing_form(municipality, programme=programme.pk, budget=budget.pk)
    response = client.post(change_url(hearing), data)
    assert set(response.context["adminform"].form.errors) == {"programme"}
    response = client.post(change_url(hearing), {**data, "programme": elsewhere.pk})
    assert "programme" in response.context["adminform"].form.errors
    assert saved(client.post(change_url(hearing), {**data, "programme": ""}))
    hearing.refresh_from_db()
    assert (hearing.budget, hearing.programme) == (budget, None)


# --- A proposal's own page and its correction --------------------------------


def proposal_page_form(proposal, **fields):
    return {
        "municipality": proposal.municipality_id,
        "kind": proposal.kind,
        "topic": proposal.topic,
        "text_ky": proposal.text_ky,
        "text_ru": proposal.text_ru,
        "origin": proposal.origin,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **fields,
    }


def test_the_proposals_page_asks_for_the_budget_line(client, municipality, clerk, line):
    proposal = received(municipality)
    elsewhere = BudgetLineFactory(budget__municipality=MunicipalityFactory())
    url = f"/ky/admin/hearings/proposal/{proposal.pk}/change/"
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert offered(page, "decision_budget_line") == {line.pk}
    assert elsewhere.pk not in offered(page, "decision_budget_line")
    response = client.post(url, proposal_page_form(proposal, new_status=S.ACCEPTED_BUDGET))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"decision_budget_line"}
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED
    data = proposal_page_form(proposal, new_status=S.ACCEPTED_BUDGET, decision_budget_line=line.pk)
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.budget_line) == (S.ACCEPTED_BUDGET, line)


def test_the_correction_form_moves_the_target(client, municipality, clerk, priority, line):
    proposal = received(municipality)
    proposal = services.record_decision(proposal, S.ACCEPTED_BUDGET, target=line, by=clerk)
    url = f"/ky/admin/hearings/proposal/{proposal.pk}/correct/"
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert offered(page, "priority") == {priority.pk}
    assert re.search(rf'<option value="{line.pk}" selected>', page)
    form = {
        "kind": "proposal",
        "status": S.ACCEPTED_PROGRAMME,
        "decided_on": proposal.decided_on.isoformat(),
        "budget_line": line.pk,
        "reason": "Программага кирген.",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"budget_line"}
    response = client.post(url, {**form, "budget_line": ""})
    assert set(response.context["adminform"].form.errors) == {"priority"}
    proposal.refresh_from_db()
    assert (proposal.status, proposal.budget_line) == (S.ACCEPTED_BUDGET, line)
    assert client.post(url, {**form, "budget_line": "", "priority": priority.pk}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.priority, proposal.budget_line) == (
        S.ACCEPTED_PROGRAMME,
        priority,
        None,
    )


# --- The demo ------------------------------------------------------------------


def test_the_demo_hearings_name_what_they_discussed_and_where_items_went(client, demo, clerk):
    programme_hearing = Hearing.objects.get(kind="programme")
    budget_hearing = Hearing.objects.get(kind="budget", starts_at__year=2022)
    assert (programme_hearing.programme.first_year, programme_hearing.programme.last_year) == (
        2022,
        2026,
    )
    assert budget_hearing.budget.year == 2023
    accepted = programme_hearing.proposals.filter(status=S.ACCEPTED_PROGRAMME)
    assert accepted.count() == 8
    assert not accepted.exclude(priority__programme=programme_hearing.programme).exists()
    accepted = budget_hearing.proposals.filter(status=S.ACCEPTED_BUDGET)
    assert accepted.count() == 7
    assert not accepted.exclude(budget_line__budget=budget_hearing.budget).exists()
    # Its page offers the 2022–2026 programme's priorities only, not 2018–2022's.
    client.force_login(clerk)
    page = client.get(change_url(programme_hearing)).content.decode()
    rows = programme_hearing.proposals.public().count()
    wanted = set(programme_hearing.programme.priorities.values_list("pk", flat=True))
    assert offered(page, f"proposals-{rows}-decision_priority") == wanted


def test_the_hearings_own_check_names_each_field_that_does_not_fit(municipality):
    elsewhere = MunicipalityFactory()
    hearing = HearingFactory.build(
        municipality=municipality,
        kind="other",
        budget=LocalBudgetFactory(municipality=municipality),
        programme=DevelopmentProgrammeFactory(municipality=elsewhere),
    )
    with pytest.raises(ValidationError) as error:
        hearing.clean()
    assert error.value.message_dict == {
        "programme": [gettext("This belongs to another municipality.")],
        "budget": [gettext("Only a hearing on the budget names a budget.")],
    }


def test_a_target_is_a_priority_or_a_budget_line_and_nothing_else(municipality, clerk):
    proposal = received(municipality)
    with pytest.raises(TypeError):
        services.record_decision(proposal, S.PARTLY_ACCEPTED, target=proposal, by=clerk)
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED
