"""Public pages: the municipality's community projects with their funding,
one project's page, and the awards. Every figure is summed in the database;
the pages cost the same number of queries with 5 projects or 150."""

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, Func, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearings import cards
from hearings.models import Proposal
from portal.charts import Bar, Row, bar_chart
from portal.facts import remembered
from portal.middleware import municipality_or_404
from portal.pagination import paginate, remembered_page
from portal.queries import (
    built_once,
    from_json,
    in_every_language,
    json_rows,
    precompiled,
    translated,
)
from portal.templatetags.amounts import amount
from portal.widgets import QuickSelect, offer_villages

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
    funding_figures,
    village_names,
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
        offer_villages(self, "village", municipality)
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
    return Project.objects.annotate(
        **precompiled(Project, **funding_figures(), village_names=village_names())
    ).only(
        "slug",
        "title_ky",
        "title_ru",
        "status",
        "started_on",
        "ended_on",
        *figures.BENEFICIARIES,
    )


def project_list(request):
    municipality = municipality_or_404(request)
    totals = figures.remembered_totals(municipality)
    form = ProjectFilterForm(request.GET or None, municipality=municipality, years=totals["years"])
    projects = _listed().filter(municipality=municipality)
    filtered = form.is_valid() and any(
        value not in (None, "") for value in form.cleaned_data.values()
    )
    if filtered:
        projects = _filtered(projects, form.cleaned_data)
        page, query = paginate(request, projects, per_page=PAGE_SIZE)
    else:
        # The totals have counted them, and each page is a fact.
        page, query = remembered_page(
            request,
            municipality,
            "projects",
            projects,
            per_page=PAGE_SIZE,
            count=totals["projects"],
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


# A page of the public proposals behind a project, the oldest first (a
# NULL priority or line matches no row).
PROPOSALS_BEHIND_SQL = (
    f"SELECT {cards.columns()} FROM hearings_proposal WHERE municipality_id = %(municipality)s "
    f"AND {cards.PUBLIC} AND (project_id = %(project)s OR priority_id = %(priority)s "
    "OR budget_line_id = %(line)s) ORDER BY submitted_at, id LIMIT %(limit)s OFFSET %(offset)s"
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
    """A project as its page shows it: with its villages and awards, its
    short child lists (JSON, read back by from_json()) and how many
    proposals stand behind it, all in one query. Its contributions come
    with their sums in a query of their own (figures.with_kind_figures)."""
    project = OuterRef("pk")

    # The proposals behind it, counted in the project's query (a missing
    # priority or budget line, NULL, matches none). Its targets are the
    # project's municipality's own (Proposal.clean), so are its proposals:
    # with a municipality condition, PostgreSQL would read the
    # municipality's every proposal.
    behind = (
        Proposal.objects.public()
        .filter(
            Q(project=project)
            | Q(priority=OuterRef("priority_id"))
            | Q(budget_line=OuterRef("budget_line_id"))
        )
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")
    )
    return Project.objects.annotate(
        **precompiled(
            Project,
            village_names=village_names(),
            # The awards' names and years: a list of {"competition", "year"}.
            award_list=ArraySubquery(
                Award.objects.filter(project=project)
                .order_by("-year", "pk")
                .annotate(row=JSONObject(competition=translated("competition"), year="year"))
                .values("row")
            ),
            proposal_count=Subquery(behind),
            milestone_rows=json_rows(
                Milestone.objects.filter(project=project).order_by("date", "pk"),
                "id",
                "date",
                *in_every_language("description"),
                "progress",
            ),
            output_rows=json_rows(
                Output.objects.filter(project=project).order_by("pk"),
                "id",
                "quantity",
                *in_every_language("unit", "description"),
            ),
            photo_rows=json_rows(
                ProjectPhoto.objects.filter(project=project).order_by("order", "pk"),
                "id",
                "image",
                *in_every_language("alt"),
            ),
            group_rows=json_rows(
                ProjectGroup.objects.filter(project=project).order_by("role", "group__name"),
                "id",
                "role",
                "group_id",
                group=["id", "slug", *in_every_language("name")],
            ),
        )
    ).select_related("priority__programme", "budget_line__budget")


@built_once
def _contributions():
    return FundingContribution.objects.order_by("kind", "pk").annotate(
        **precompiled(FundingContribution, **figures.kind_figures())
    )


def project_detail(request, slug):
    municipality = municipality_or_404(request)
    # What the page shows but its page of proposals is a fact of the
    # municipality: kept until a write to the project, its funding,
    # outputs, milestones, photos, groups or awards (or to the villages,
    # groups, priorities and lines it names). A slug of no project is not kept.
    context = remembered(
        municipality.pk, f"project:{slug}", lambda: _project_context(municipality, slug)
    )
    if context is None:
        raise Http404
    project = context["project"]
    # Bounded: a budget line may stand behind hundreds of proposals.
    proposals = cards.page_context(
        request,
        PROPOSALS_BEHIND_SQL,
        {
            "municipality": project.municipality_id,
            "project": project.pk,
            "priority": project.priority_id,
            "line": project.budget_line_id,
        },
        count=project.proposal_count,
        per_page=PAGE_SIZE,
    )
    return render(request, "projects/project_detail.html", context | proposals)


def _project_context(municipality, slug):
    project = _shown().filter(municipality=municipality, slug=slug).first()
    if project is None:
        return None
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
    for photo in from_json(ProjectPhoto, project.photo_rows):
        size = _dimensions(photo)
        if size:
            photos.append((photo, *size))
    programme = project.priority.programme if project.priority_id else None
    return {
        "project": project,
        # 0,2 and 0,25 rather than 0,20 and 0,25.
        "cofinancing": funding["cofinancing"].normalize()
        if funding["cofinancing"] is not None
        else None,
        "contributions": contributions,
        "kinds": kinds,
        "chart": chart,
        "photos": photos,
        "group_roles": from_json(ProjectGroup, project.group_rows),
        "awards": project.award_list,
        "programme": programme,
        "milestones": from_json(Milestone, project.milestone_rows),
        "outputs": [
            # 4,5 km and 300 m, not 4,50 and 300,00.
            (output, output.quantity.normalize())
            for output in from_json(Output, project.output_rows)
        ],
    }


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
