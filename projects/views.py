"""Public pages: the municipality's community projects with their funding,
one project's page, and the awards. Every figure is summed in the database;
the pages cost the same number of queries with 5 projects or 150."""

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.charts import Bar, Row, bar_chart
from hearings.models import Proposal
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from portal.templatetags.amounts import amount

from . import figures
from .models import (
    Award,
    FundingContribution,
    Project,
    ProjectGroup,
    ProjectStatus,
    SourceKind,
)

PAGE_SIZE = 20


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *ProjectStatus.choices],
    )
    village = forms.ModelChoiceField(
        label=gettext_lazy("Village"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("Any village"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Source of funding"),
        required=False,
        choices=[("", gettext_lazy("Any source")), *SourceKind.choices],
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, choices=()
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


def project_list(request):
    municipality = municipality_or_404(request)
    projects = Project.objects.filter(municipality=municipality)
    totals = figures.municipality_totals(municipality)
    form = ProjectFilterForm(request.GET or None, municipality=municipality, years=totals["years"])
    if form.is_valid():
        projects = _filtered(projects, form.cleaned_data)
    # Paginated on the bare rows; the funding is summed for this page only.
    page, query = paginate(request, projects.only("pk"), per_page=PAGE_SIZE)
    order = {row.pk: index for index, row in enumerate(page.object_list)}
    page.object_list = sorted(
        Project.objects.filter(pk__in=order).with_funding().prefetch_related("villages"),
        key=lambda project: order[project.pk],
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
        .order_by("submitted_at", "pk")
    )


def _dimensions(photo):
    """The photo's width and height for the <img>, or None when the file
    cannot be read (then the photo is left out rather than drawn broken)."""
    try:
        return photo.image.width, photo.image.height
    except (OSError, ValueError):
        return None


def project_detail(request, slug):
    municipality = municipality_or_404(request)
    project = get_object_or_404(
        Project.objects.with_funding()
        .select_related("priority__programme", "budget_line__budget")
        .prefetch_related(
            "villages",
            "contributions",
            "outputs",
            "milestones",
            "photos",
            "awards",
            Prefetch(
                "group_roles",
                queryset=ProjectGroup.objects.select_related("group").order_by(
                    "role", "group__name"
                ),
            ),
        ),
        municipality=municipality,
        slug=slug,
    )
    contributions = list(project.contributions.all())
    kinds = figures.by_kind(project.contributions.all(), project.funding_known)

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
    for photo in project.photos.all():
        size = _dimensions(photo)
        if size:
            photos.append((photo, *size))
    programme = project.priority.programme if project.priority_id else None
    proposals = list(_proposals_behind(project))
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            # 0,2 and 0,25 rather than 0,20 and 0,25.
            "cofinancing": project.cofinancing.normalize()
            if project.cofinancing is not None
            else None,
            "contributions": contributions,
            "kinds": kinds,
            "chart": chart,
            "photos": photos,
            "group_roles": list(project.group_roles.all()),
            "proposals": proposals,
            # Their status then abbreviates the programme (СЭӨП / ПСЭР): spell it out first.
            "mentions_programme": any(
                p.status == Proposal.Status.ACCEPTED_PROGRAMME for p in proposals
            ),
            "programme": programme,
            "outputs": [
                # 4,5 km and 300 m, not 4,50 and 300,00.
                (output, output.quantity.normalize())
                for output in project.outputs.all()
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
