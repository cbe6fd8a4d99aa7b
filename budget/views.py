"""Public pages: the development programmes with their priorities, and the
citizen's budget of each published year. Every figure is summed in the
database; the pages cost the same number of queries with 20 budget lines or
400, with no proposals or many."""

from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from hearings.models import Hearing, Proposal
from portal.choices import Topic
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from portal.templatetags.amounts import amount

from . import charts
from .models import (
    BudgetDocument,
    BudgetLine,
    DevelopmentProgramme,
    LocalBudget,
    Priority,
    ProgrammeStatus,
)

PAGE_SIZE = 20
# Revenue chart: the largest lines, the rest together in one bar.
CHART_ROWS = 8
# The documents the law asks to publish each year, in the order they appear.
OPENNESS = [
    BudgetDocument.Kind.DRAFT,
    "hearing",
    BudgetDocument.Kind.APPROVED,
    BudgetDocument.Kind.EXECUTION,
    BudgetDocument.Kind.CITIZENS,
]


def _programmes(municipality):
    return (
        DevelopmentProgramme.objects.filter(municipality=municipality)
        .published()
        .with_summary()
        .select_related("resolution")
        .prefetch_related(
            Prefetch("priorities", queryset=Priority.objects.with_proposal_counts()),
            Prefetch("hearings", queryset=Hearing.objects.order_by("starts_at", "pk")),
        )
    )


def programme_list(request):
    municipality = municipality_or_404(request)
    # A municipality adopts a programme every few years: the list stays short.
    return render(
        request,
        "budget/programme_list.html",
        {"programmes": list(_programmes(municipality))},
    )


def programme_detail(request, pk):
    municipality = municipality_or_404(request)
    programme = get_object_or_404(_programmes(municipality), pk=pk)
    return render(request, "budget/programme_detail.html", {"programme": programme})


def priority_detail(request, pk):
    municipality = municipality_or_404(request)
    priority = get_object_or_404(
        Priority.objects.with_proposal_counts()
        .select_related("programme__resolution")
        .filter(programme__municipality=municipality)
        .exclude(programme__status=ProgrammeStatus.DRAFT),
        pk=pk,
    )
    proposals, query = paginate(
        request,
        Proposal.objects.public()
        .filter(priority=priority)
        .select_related("village", "hearing", "group")
        .order_by("submitted_at", "protocol_number", "pk"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "budget/priority_detail.html",
        {"priority": priority, "programme": priority.programme, "page": proposals, "query": query},
    )


def budget_current(request):
    """The citizen's budget of the latest year the council approved."""
    municipality = municipality_or_404(request)
    latest = (
        LocalBudget.objects.filter(municipality=municipality)
        .approved()
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if latest is None:
        budgets = LocalBudget.objects.filter(municipality=municipality).published()
        return render(
            request,
            "budget/budget_none.html",
            {"years": list(budgets.order_by("-year").values_list("year", flat=True))},
        )
    return _budget_page(request, municipality, latest)


def budget_year(request, year):
    return _budget_page(request, municipality_or_404(request), year)


def _topic_label(topic):
    return Topic(topic).label if topic in Topic.values else _("Not classified")


def _percent(part, whole):
    return part * 100 / whole if whole else None


def _budget_page(request, municipality, year):
    budgets = LocalBudget.objects.filter(municipality=municipality).published()
    budget = get_object_or_404(
        budgets.with_totals().with_per_resident().select_related("resolution"), year=year
    )
    previous = budgets.filter(year__lt=year).with_totals().order_by("-year").first()
    lines = BudgetLine.objects.filter(budget=budget)
    if previous:
        lines = lines.with_previous(previous)
    revenue = lines.filter(kind=BudgetLine.Kind.REVENUE).with_percents(budget.revenue_planned)
    expenditure = (
        lines.filter(kind=BudgetLine.Kind.EXPENDITURE)
        .with_percents(budget.expenditure_planned)
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.public().order_by("submitted_at", "pk"),
                to_attr="public_proposals",
            )
        )
    )
    documents = {
        document.kind: document
        for document in BudgetDocument.objects.filter(budget=budget)
        .order_by("kind", "-published_on")
        .distinct("kind")
    }
    hearings = list(budget.hearings.order_by("starts_at", "pk"))

    # Where the money comes from: the largest revenue lines, then the rest.
    top = list(revenue.order_by("-planned", "code")[:CHART_ROWS])
    rest = revenue.order_by("-planned", "code")[CHART_ROWS:].aggregate(
        planned=Sum("planned"), count=Count("pk")
    )
    sources = [(line.name, line.planned, line.percent) for line in top]
    if rest["count"]:
        sources.append(
            (
                _("Other revenue (%(count)s lines)") % {"count": rest["count"]},
                rest["planned"],
                _percent(rest["planned"], budget.revenue_planned),
            )
        )
    topics = [
        {
            "label": _topic_label(row["topic"]),
            "planned": row["topic_planned"],
            "executed": row["topic_executed"],
            "share": row["share"],
            "execution": row["execution"],
        }
        for row in BudgetLine.objects.filter(
            budget=budget, kind=BudgetLine.Kind.EXPENDITURE
        ).by_topic(budget.expenditure_planned)
    ]

    # A chart's figure: som (its title says so) and the share, as in its table.
    def figure(value, share=None):
        return f"{amount(value)} · {amount(share, 1)} %" if share is not None else amount(value)

    sources_chart = charts.bar_chart(
        [
            charts.Row(label, [charts.Bar(value, figure(value, share))])
            for label, value, share in sources
        ],
        chart_id="chart-revenue",
        title=_("Where the money comes from in %(year)s") % {"year": year},
        description=_("Planned revenue by source, in som and as a share of all revenue."),
    )
    topics_chart = charts.bar_chart(
        [
            charts.Row(
                row["label"], [charts.Bar(row["planned"], figure(row["planned"], row["share"]))]
            )
            for row in topics
        ],
        chart_id="chart-expenditure",
        title=_("Where the money goes in %(year)s") % {"year": year},
        description=_("Planned expenditure by topic, in som and as a share of all expenditure."),
    )
    executed = budget.expenditure_executed > 0
    execution_chart = (
        charts.bar_chart(
            [
                charts.Row(
                    row["label"],
                    [
                        charts.Bar(row["planned"], figure(row["planned"])),
                        charts.Bar(row["executed"], figure(row["executed"], row["execution"])),
                    ],
                )
                for row in topics
            ],
            chart_id="chart-execution",
            title=_("Planned and spent in %(year)s") % {"year": year},
            description=_(
                "Planned and executed expenditure by topic, in som; "
                "the executed share of the plan in per cent."
            ),
            series=[_("Planned"), _("Executed")],
        )
        if executed
        else ""
    )

    change = None
    if previous:
        change = {
            "year": previous.year,
            "rows": [
                {
                    "label": label,
                    "before": before,
                    "now": now,
                    "difference": now - before,
                    "percent": _percent(now - before, before),
                }
                for label, before, now in [
                    (_("Revenue planned"), previous.revenue_planned, budget.revenue_planned),
                    (
                        _("Expenditure planned"),
                        previous.expenditure_planned,
                        budget.expenditure_planned,
                    ),
                ]
            ],
        }
    openness = []
    for kind in OPENNESS:
        if kind == "hearing":
            openness.append({"kind": kind, "name": _("Public hearing"), "hearings": hearings})
        else:
            openness.append(
                {
                    "kind": kind,
                    "name": BudgetDocument.Kind(kind).label,
                    "document": documents.get(kind),
                }
            )
    return render(
        request,
        "budget/budget.html",
        {
            "budget": budget,
            "previous": previous,
            "change": change,
            "years": list(budgets.order_by("-year").values_list("year", flat=True)),
            "revenue": list(revenue),
            "expenditure": list(expenditure),
            "sources": sources,
            "sources_chart": sources_chart,
            "topics": topics,
            "topics_chart": topics_chart,
            "execution_chart": execution_chart,
            "executed": executed,
            "execution_total": _percent(budget.expenditure_executed, budget.expenditure_planned),
            "revenue_execution_total": _percent(budget.revenue_executed, budget.revenue_planned),
            "openness": openness,
            "hearings": hearings,
        },
    )
