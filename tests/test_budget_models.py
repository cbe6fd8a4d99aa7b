"""The budget app's rules in the database, and its figures computed there."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budget.models import BudgetLine, DevelopmentProgramme, LocalBudget
from tests.factories import (
    BudgetLineFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    LocalBudgetFactory,
    MunicipalityFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def refused(constraint, make):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


@pytest.mark.parametrize("field", ["planned", "revised", "executed"])
def test_a_budget_amount_is_never_negative(field):
    refused(
        f"budget_line_{field}_not_negative",
        lambda: BudgetLineFactory(**{field: Decimal("-1")}),
    )


def test_a_priority_costs_nothing_negative_and_its_years_run_forward():
    refused("budget_priority_planned_cost_not_negative", lambda: PriorityFactory(planned_cost=-5))
    refused(
        "budget_priority_years_in_order",
        lambda: PriorityFactory(first_year=2025, last_year=2023),
    )


def test_a_programme_runs_forward_and_is_approved_by_a_resolution():
    refused(
        "budget_programme_years_in_order",
        lambda: DevelopmentProgrammeFactory(first_year=2026, last_year=2022),
    )
    refused(
        "budget_programme_approved_has_resolution",
        lambda: DevelopmentProgrammeFactory(status="approved"),
    )
    resolution = CouncilResolutionFactory()
    approved = DevelopmentProgrammeFactory(
        municipality=resolution.municipality, status="approved", resolution=resolution
    )
    assert approved.resolution == resolution


def test_one_budget_a_year_approved_by_a_resolution():
    budget = LocalBudgetFactory(year=2024)
    refused(
        "budget_one_budget_a_year",
        lambda: LocalBudgetFactory(municipality=budget.municipality, year=2024),
    )
    # Another municipality has its own 2024.
    assert LocalBudgetFactory(year=2024).pk
    for status in ("approved", "executed"):
        refused("budget_approved_has_resolution", lambda s=status: LocalBudgetFactory(status=s))
    refused("budget_population_positive", lambda: LocalBudgetFactory(population=0))


def test_a_code_appears_once_per_kind_in_a_budget():
    line = BudgetLineFactory(code="2311")
    refused(
        "budget_line_unique_code",
        lambda: BudgetLineFactory(budget=line.budget, kind=line.kind, code="2311"),
    )
    # The same code on the revenue side is another line.
    assert BudgetLineFactory(budget=line.budget, kind="revenue", code="2311").pk


def test_a_resolution_of_another_municipality_is_refused_with_a_message():
    other = CouncilResolutionFactory()
    budget = LocalBudgetFactory.build(
        municipality=MunicipalityFactory(), year=2025, status="approved", resolution=other
    )
    with pytest.raises(ValidationError) as error:
        budget.full_clean()
    assert "resolution" in error.value.message_dict
    programme = DevelopmentProgrammeFactory.build(
        municipality=budget.municipality, resolution=other
    )
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "resolution" in error.value.message_dict


def test_a_priority_lies_within_its_programmes_years():
    priority = PriorityFactory.build(
        programme=DevelopmentProgrammeFactory(first_year=2022, last_year=2026),
        first_year=2021,
        last_year=2027,
    )
    with pytest.raises(ValidationError) as error:
        priority.full_clean()
    assert "2022" in str(error.value) and "2026" in str(error.value)


def test_totals_shares_and_execution_are_summed_in_the_database(django_assert_num_queries):
    budget = LocalBudgetFactory()
    BudgetLineFactory(budget=budget, kind="revenue", code="1", planned=750, executed=700)
    BudgetLineFactory(budget=budget, kind="revenue", code="2", planned=250, executed=250)
    BudgetLineFactory(budget=budget, kind="expenditure", code="1", planned=600, executed=300)
    BudgetLineFactory(budget=budget, kind="expenditure", code="2", planned=400, executed=None)
    BudgetLineFactory(kind="revenue", planned=999_999)  # another budget's
    with django_assert_num_queries(1):
        totals = LocalBudget.objects.with_totals().get(pk=budget.pk)
    assert (totals.revenue_planned, totals.revenue_executed) == (1000, 950)
    assert (totals.expenditure_planned, totals.expenditure_executed) == (1000, 300)
    with django_assert_num_queries(1):
        lines = {
            (line.kind, line.code): (line.share, line.execution)
            for line in BudgetLine.objects.filter(budget=budget).with_shares()
        }
    assert lines == {
        ("revenue", "1"): (75, Decimal("93.3")),
        ("revenue", "2"): (25, 100),
        ("expenditure", "1"): (60, 50),
        ("expenditure", "2"): (40, None),
    }


def test_an_empty_budget_totals_zero():
    budget = LocalBudgetFactory()
    totals = LocalBudget.objects.with_totals().get(pk=budget.pk)
    assert totals.revenue_planned == totals.expenditure_executed == 0


def test_only_budgets_from_the_discussion_on_are_published():
    resolution = CouncilResolutionFactory()
    m = resolution.municipality
    LocalBudgetFactory(municipality=m, year=2020, status="draft")
    LocalBudgetFactory(municipality=m, year=2021, status="discussion")
    LocalBudgetFactory(municipality=m, year=2022, status="approved", resolution=resolution)
    LocalBudgetFactory(municipality=m, year=2023, status="executed", resolution=resolution)
    years = set(
        LocalBudget.objects.filter(municipality=m).published().values_list("year", flat=True)
    )
    assert years == {2021, 2022, 2023}


def test_names_read_as_the_council_writes_them():
    resolution = CouncilResolutionFactory(number="1/5", adopted_on=datetime.date(2021, 12, 24))
    assert str(resolution) == "№1/5 (24.12.2021)"
    assert str(DevelopmentProgramme(title="СЭӨП", first_year=2022, last_year=2026)) == (
        "СЭӨП (2022–2026)"
    )


def test_a_priority_within_its_programmes_years_is_accepted():
    programme = DevelopmentProgrammeFactory(first_year=2022, last_year=2026)
    PriorityFactory.build(programme=programme, first_year=2022, last_year=2026).full_clean()
    # Years are optional: a priority for the whole programme gives none.
    PriorityFactory.build(programme=programme, first_year=None, last_year=2024).full_clean()
