"""The council's report on community projects and their funding (see
portal/reports.py), and the session pack's projects section."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import charts, reports
from portal.templatetags.amounts import amount as as_amount

from . import figures
from .models import FundingContribution, Project


def _projects(queryset):
    return list(
        queryset.with_funding()
        .prefetch_related(
            Prefetch("contributions", queryset=FundingContribution.objects.order_by("kind", "pk")),
            "outputs",
            "villages",
        )
        .order_by("started_on", "pk")
    )


def _chart(kinds):
    return charts.bar_chart(
        [
            charts.Row(row["label"], [charts.Bar(row["known"], as_amount(row["known"]))])
            for row in kinds
            if row["known"] is not None
        ],
        chart_id="chart-funding",
        title=_("Known funding by source"),
        description=_(
            "Funds of all projects by source, in som; undisclosed amounts are not in it."
        ),
    )


def projects_report(request):
    """Every project with its funding, co-financing, outputs and beneficiaries;
    the totals by source kind."""
    municipality = request.municipality
    projects = _projects(Project.objects.filter(municipality=municipality))
    totals = figures.municipality_totals(municipality)
    kinds = totals["kinds"]
    return reports.response(
        request,
        "reports/projects.html",
        {
            "projects": projects,
            "kinds": kinds,
            "chart": _chart(kinds) if any(row["known"] is not None for row in kinds) else "",
            "undisclosed": totals["unknown"],
        },
        title=_("Community projects and their funding"),
        public_url=reverse("projects:project_list"),
        name="projects",
    )


def session_projects(municipality, start, end):
    """Session pack: the projects under way in the period, with their funding."""
    running = Project.objects.filter(municipality=municipality).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=end),
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
    )
    return {
        "title": _("Community projects"),
        "template": "reports/section_projects.html",
        "projects": _projects(running),
        "kinds": figures.by_kind(FundingContribution.objects.filter(project__in=running), None),
    }
