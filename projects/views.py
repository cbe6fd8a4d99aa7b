"""Public pages: the municipality's community projects with their funding,
one project's page, and the awards. Every figure is summed in the database;
the pages cost the same number of queries with 5 projects or 150."""

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.charts import Bar, Row, bar_chart
from hearings.models import Proposal
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from portal.templatetags.amounts import amount
from portal.widgets import QuickSelect

from . import figures
from .models import (
    Award,
    FundingContribution,
    Milestone,
    Output,
    Project,
    ProjectGroup,
    ProjectPhoto,
    ProjectStatus,
    SourceKind,
    built_once,
    translated,
)

PAGE_SIZE = 20


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(
        widget=QuickSelect,
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *ProjectStatus.choices],
    )
    village = forms.ModelChoiceField(
        widget=QuickSelect,
        label=gettext_lazy("Village"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("Any village"),
    )
    kind = forms.ChoiceField(
        widget=QuickSelect,
        label=gettext_lazy("Source of funding"),
        required=False,
        choices=[("", gettext_lazy("Any source")), *SourceKind.choices],
    )
    year = forms.TypedChoiceField(
        widget=QuickSelect, label=gettext_lazy("Year"), required=False, coerce=int, choices=()
    )

    def __init__(self, *args, municipality, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = municipality.villages.all()
        self.fields["year"].choices = [("", _("Any year"))] + [(y, y) for y in years]


def _filtered(projects, data):
    """Filters by subqueries, not joins: a join on contributions or villages
    would multiply the funding sums of with_funding()."""
    if data["status"]:
        projects = projects.filter(status=data["status"])
    if data["village"]:
        projects = projects.filter(
            Exists(
                Project.villages.through.objects.filter(
                    project=OuterRef("pk"), village=data["village"]
                )
            )
        )
    if data["kind"]:
        projects = projects.filter(
            Exists(FundingContribution.objects.filter(project=OuterRef("pk"), kind=data["kind"]))
        )
    if data["year"]:
        year = data["year"]
        projects = projects.filter(started_on__year__lte=year).filter(
            Q(ended_on__year__gte=year)
            | Q(ended_on__isnull=True, started_on__year=year)
            | Q(ended_on__isnull=True, status=ProjectStatus.IN_PROGRESS)
        )
    return projects


@built_once
def _listed():
    """The projects as the list shows them: the funding sums and the
    villages are subqueries, computed for the page's twenty rows only."""
    return (
        Project.objects.with_funding(cofinancing=False)
        .with_village_names()
        .only(
            "slug",
            "title_ky",
            "title_ru",
            "status",
            "started_on",
            "ended_on",
            *figures.BENEFICIARIES,
        )
    )


def project_list(request):
    municipality = municipality_or_404(request)
    totals = figures.municipality_totals(municipality)
    form = ProjectFilterForm(request.GET or None, municipality=municipality, years=totals["years"])
    projects = _listed().filter(municipality=municipality)
    filtered = form.is_valid() and any(
        value not in (None, "") for value in form.cleaned_data.values()
    )
    if filtered:
        projects = _filtered(projects, form.cleaned_data)
    page, query = paginate(
        request,
        projects,
        per_page=PAGE_SIZE,
        # Unfiltered, the totals have counted the projects already.
        count=None if filtered else totals["projects"],
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filters_active": sum(1 for name in form.fields if request.GET.get(name)),
            "totals": totals,
        },
    )


def _proposals_behind(project):
    """Public proposals accepted into the project itself, or into the
    priority or budget line it implements."""
    behind = Q(project=project)
    if project.priority_id:
        behind |= Q(priority_id=project.priority_id)
    if project.budget_line_id:
        behind |= Q(budget_line_id=project.budget_line_id)
    return (
        Proposal.objects.public()
        .filter(behind, municipality_id=project.municipality_id)
        .select_related("village", "hearing", "group")
        # What a card shows: a hearing row carries its announcement and
        # protocol, long texts no card needs.
        .only(
            "status",
            "kind",
            "topic",
            "protocol_number",
            "text_ky",
            "text_ru",
            "decision_ky",
            "decision_ru",
            "village__name_ky",
            "village__name_ru",
            "group__slug",
            "group__name_ky",
            "group__name_ru",
            "hearing__title_ky",
            "hearing__title_ru",
        )
        .order_by("submitted_at", "pk")
    )


def _dimensions(photo):
    """The photo's width and height for the <img>, or None when the file
    cannot be read (then the photo is left out rather than drawn broken)."""
    try:
        return photo.image.width, photo.image.height
    except (OSError, ValueError):
        return None


@built_once
def _shown():
    """A project as its page shows it, with its villages and awards; its
    contributions come with their sums (figures.with_kind_figures)."""
    return (
        Project.objects.with_village_names()
        # The awards' names and years, read with the project: a list of
        # {"competition", "year"}.
        .annotate(
            award_list=ArraySubquery(
                Award.objects.filter(project=OuterRef("pk"))
                .order_by("-year", "pk")
                .annotate(row=JSONObject(competition=translated("competition"), year="year"))
                .values("row")
            )
        )
        .select_related("priority__programme", "budget_line__budget")
    )


# A project's children, each read by a plain query of its own: a prefetch
# costs twice as much (it filters, then sorts the rows out to the project).
@built_once
def _contributions():
    return figures.with_kind_figures(FundingContribution.objects.order_by("kind", "pk"))


@built_once
def _outputs():
    return Output.objects.order_by("pk")


@built_once
def _milestones():
    return Milestone.objects.order_by("date", "pk")


@built_once
def _photos():
    return ProjectPhoto.objects.order_by("order", "pk")


@built_once
def _group_roles():
    return ProjectGroup.objects.select_related("group").order_by("role", "group__name")


def project_detail(request, slug):
    municipality = municipality_or_404(request)
    project = get_object_or_404(_shown(), municipality=municipality, slug=slug)
    contributions = list(_contributions().filter(project=project))
    funding = figures.project_funding(contributions)
    # The names the template (and the list) use.
    project.funding_known = funding["known"]
    project.funding_undisclosed = funding["unknown"]
    kinds = figures.kinds_of(contributions)

    def figure(contribution):
        value = contribution.amount
        if value is not None:
            return amount(value)
        return _("not disclosed") if not contribution.disclosed else _("amount not given")

    rows = [
        Row(contribution.source_name, [Bar(contribution.amount, figure(contribution))])
        for contribution in contributions
    ]
    chart = (
        bar_chart(
            rows,
            chart_id="chart-funding",
            title=_("Funding of the project by source, som"),
            description="; ".join(f"{row.label}: {row.bars[0].text}" for row in rows),
        )
        # Nothing to draw when no amount is known: the table says so.
        if project.funding_known
        else ""
    )
    photos = []
    for photo in _photos().filter(project=project):
        size = _dimensions(photo)
        if size:
            photos.append((photo, *size))
    programme = project.priority.programme if project.priority_id else None
    # Bounded: a budget line may stand behind hundreds of proposals.
    proposals, proposals_query = paginate(request, _proposals_behind(project), per_page=PAGE_SIZE)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            # 0,2 and 0,25 rather than 0,20 and 0,25.
            "cofinancing": funding["cofinancing"].normalize()
            if funding["cofinancing"] is not None
            else None,
            "contributions": contributions,
            "kinds": kinds,
            "chart": chart,
            "photos": photos,
            "group_roles": list(_group_roles().filter(project=project)),
            "proposals": proposals,
            "proposals_query": proposals_query,
            "awards": project.award_list,
            # Their status then abbreviates the programme (СЭӨП / ПСЭР): spell it out first.
            "mentions_programme": any(
                p.status == Proposal.Status.ACCEPTED_PROGRAMME for p in proposals
            ),
            "programme": programme,
            "milestones": list(_milestones().filter(project=project)),
            "outputs": [
                # 4,5 km and 300 m, not 4,50 and 300,00.
                (output, output.quantity.normalize())
                for output in _outputs().filter(project=project)
            ],
        },
    )


def award_list(request):
    municipality = municipality_or_404(request)
    page, query = paginate(
        request,
        Award.objects.filter(municipality=municipality)
        .select_related("group", "project")
        .order_by("-year", "pk"),
        per_page=PAGE_SIZE,
    )
    return render(request, "projects/award_list.html", {"page": page, "query": query})
