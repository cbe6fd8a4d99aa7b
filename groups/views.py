from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from hearings.models import Proposal
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from projects.models import ProjectGroup

from .composition import youth_birth_years
from .models import Activity, InitiativeGroup, Membership, municipality_summary, role_rank

PAGE_SIZE = 20
# A group's page lists at most this many current members, of those who
# left the latest, and the latest activities; it says how many there are.
MEMBERS_SHOWN = 100
FORMER_SHOWN = 20
ACTIVITIES_SHOWN = 20
# What a proposal's card shows (hearings' {% proposal_card %}): the rest of
# a proposal's columns, wide and translated, stay in the database.
CARD_FIELDS = (
    "protocol_number",
    "kind",
    "topic",
    "status",
    "text",
    "decision",
    "group_id",
    "village__name",
    "hearing__title",
)


def group_list(request):
    municipality = municipality_or_404(request)
    groups = InitiativeGroup.objects.filter(municipality=municipality)
    # The figures of all the members, and both lists' sizes, in one query.
    summary = municipality_summary(municipality)
    # The figures are subqueries of the row, computed for this page's rows only.
    active, query = paginate(
        request,
        groups.active()
        .with_figures()
        .only("slug", "name", "founded_on", "focus_topics")
        .order_by("name", "pk"),
        per_page=PAGE_SIZE,
        count=summary.active_groups,
    )
    dissolved, dissolved_query = paginate(
        request,
        groups.dissolved().only("slug", "name", "dissolved_on").order_by("-dissolved_on", "pk"),
        per_page=PAGE_SIZE,
        param="dissolved_page",
        count=summary.dissolved_groups,
    )
    return render(
        request,
        "groups/list.html",
        {
            "active_groups": active,
            "query": query,
            "dissolved_groups": dissolved,
            "dissolved_query": dissolved_query,
            "summary": summary.figures,
        },
    )


_DETAIL = {}


def _groups_with_counts():
    """Groups with their figures and how many rows each child list has.

    Building these subqueries costs some 1.5 ms, more than running them: the
    queryset is built once per language and youth range (its parameters),
    then cloned (`.all()`) to filter; the stored one is never evaluated.
    """
    key = (get_language(), youth_birth_years())
    if key not in _DETAIL:
        _DETAIL[key] = InitiativeGroup.objects.with_figures().annotate(
            former_count=count_of(Membership.objects.filter(left_on__isnull=False)),
            activity_count=count_of(Activity.objects.all()),
            project_count=count_of(ProjectGroup.objects.all()),
            proposal_count=count_of(Proposal.objects.public()),
        )
    return _DETAIL[key].all()


def group_detail(request, slug):
    municipality = municipality_or_404(request)
    group = get_object_or_404(_groups_with_counts(), municipality=municipality, slug=slug)
    # Every child list is bounded: a group kept for ten years may have many
    # former members, activities and proposals. Plain queries of one group
    # (a prefetch would number each group's rows with a window function).
    members = group.memberships.select_related("person").only(
        "role", "left_on", "group_id", "person__full_name"
    )
    current_members = list(
        members.filter(left_on__isnull=True).order_by(role_rank(), "person__full_name", "pk")[
            :MEMBERS_SHOWN
        ]
    )
    former_members = []
    if group.former_count:
        former_members = list(
            members.filter(left_on__isnull=False).order_by("-left_on", "person__full_name", "pk")[
                :FORMER_SHOWN
            ]
        )
    activities = []
    if group.activity_count:
        activities = list(group.activities.order_by("-date", "-pk")[:ACTIVITIES_SHOWN])
    # The projects it initiated or took part in, with its role.
    project_roles = []
    if group.project_count:
        project_roles = list(
            ProjectGroup.objects.filter(group=group)
            .select_related("project")
            .order_by(F("project__started_on").desc(nulls_last=True), "project__pk")
        )
    proposals, proposals_query = paginate(
        request,
        group.proposals.public()
        .select_related("village", "hearing")
        .only(*CARD_FIELDS)
        .order_by("-submitted_at", "-pk"),
        per_page=PAGE_SIZE,
        count=group.proposal_count,
    )
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": current_members,
            "former_members": former_members,
            "activities": activities,
            "project_roles": project_roles,
            "proposals": proposals,
            "proposals_query": proposals_query,
            # Their status then abbreviates the programme (СЭӨП / ПСЭР): spell it out first.
            "mentions_programme": any(
                p.status == Proposal.Status.ACCEPTED_PROGRAMME for p in proposals
            ),
        },
    )


def count_of(rows):
    """The number of a group's rows among `rows`, as a subquery: counted in
    the group's own query, without joining every row to it."""
    counted = rows.filter(group=OuterRef("pk")).order_by().values("group")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)
