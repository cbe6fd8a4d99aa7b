"""The council's reports on programmes and budgets (see portal/reports.py):
the citizen's budget, a programme's priorities with the proposals they took
in, and the session pack's budget section."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from hearings.models import Proposal
from hearings.reports import public_author
from portal import reports

from .models import BudgetLine, LocalBudget, Priority


def _per_resident(total, population):
    return total / population if population else None


def budget_figures(budget):
    """The year's lines by kind with their shares, and the totals (database sums)."""
    lines = list(
        BudgetLine.objects.filter(budget=budget)
        .with_shares()
        .annotate(
            proposals_taken=Count(
                "proposals", filter=Q(proposals__status__in=Proposal.PUBLIC_STATUSES)
            )
        )
        .order_by("kind", "code")
    )
    totals = LocalBudget.objects.with_totals().get(pk=budget.pk)
    return {
        "revenue": [line for line in lines if line.kind == BudgetLine.Kind.REVENUE],
        "expenditure": [line for line in lines if line.kind == BudgetLine.Kind.EXPENDITURE],
        "totals": totals,
        "per_resident": _per_resident(totals.expenditure_planned, budget.population),
    }


def citizens_budget(request, budget):
    """The citizen's budget of one year, to print."""
    return reports.response(
        request,
        "reports/citizens_budget.html",
        {"budget": budget, **budget_figures(budget)},
        title=_("Citizen's budget %(year)s") % {"year": budget.year},
        period=str(budget.year),
        public_url=budget.get_absolute_url(),
        name=f"citizens-budget-{budget.year}",
    )


def programme_report(request, programme):
    """A programme's priorities with the proposals each took in."""
    taken = Proposal.objects.public().select_related("village", "group", "hearing")
    priorities = list(
        Priority.objects.filter(programme=programme)
        .prefetch_related(Prefetch("proposals", queryset=taken.order_by("submitted_at", "pk")))
        .order_by("number", "pk")
    )
    for priority in priorities:
        for proposal in priority.proposals.all():
            proposal.printed_author = public_author(proposal)
    return reports.response(
        request,
        "reports/programme.html",
        {"programme": programme, "priorities": priorities},
        title=str(programme.title),
        period=f"{programme.first_year}–{programme.last_year}",
        public_url=programme.get_absolute_url(),
        name=f"programme-{programme.first_year}-{programme.last_year}",
    )


def session_budget(municipality, start, end):
    """Session pack: the budgets of the period's years, planned against
    executed, and the proposals decided into the budget with their lines."""
    lines = BudgetLine.objects.with_shares().order_by("kind", "code")
    budgets = list(
        LocalBudget.objects.filter(municipality=municipality, year__range=(start.year, end.year))
        .published()
        .with_totals()
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("year")
    )
    accepted = list(
        Proposal.objects.public()
        .filter(
            municipality=municipality,
            budget_line__isnull=False,
            decided_on__range=(start, end),
        )
        .select_related("budget_line__budget", "village", "group", "hearing")
        .order_by("decided_on", "pk")
    )
    for row in accepted:
        row.printed_author = public_author(row)
    return {
        "title": _("Local budget"),
        "template": "reports/section_budget.html",
        "budgets": budgets,
        "accepted": accepted,
    }
