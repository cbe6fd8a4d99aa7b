from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from hearings.models import Proposal
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from projects.models import ProjectGroup

from .models import Activity, InitiativeGroup, Membership, Person, role_rank

PAGE_SIZE = 20
# A group's page lists at most this many current members, of those who
# left the latest, and the latest activities; it says how many there are.
MEMBERS_SHOWN = 100
FORMER_SHOWN = 20
ACTIVITIES_SHOWN = 20


def group_list(request):
    municipality = municipality_or_404(request)
    groups = InitiativeGroup.objects.filter(municipality=municipality)
    # Paginated on the bare rows: counting the annotated ones would compute
    # every group's figures. The figures are then counted for this page only.
    active, query = paginate(request, groups.active().only("pk"), per_page=PAGE_SIZE)
    active.object_list = list(
        groups.filter(pk__in=[group.pk for group in active.object_list])
        .with_composition()
        .prefetch_related("villages")
    )
    dissolved, dissolved_query = paginate(
        request,
        groups.dissolved().order_by("-dissolved_on", "pk"),
        per_page=PAGE_SIZE,
        param="dissolved_page",
    )
    summary = Person.objects.filter(municipality=municipality).current_members().composition()
    return render(
        request,
        "groups/list.html",
        {
            "active_groups": active,
            "query": query,
            "dissolved_groups": dissolved,
            "dissolved_query": dissolved_query,
            "summary": summary,
        },
    )


def group_detail(request, slug):
    municipality = municipality_or_404(request)
    group = get_object_or_404(
        InitiativeGroup.objects.with_composition()
        .annotate(
            former_count=count_of(Membership.objects.filter(left_on__isnull=False)),
            activity_count=count_of(Activity.objects.all()),
            proposal_count=count_of(Proposal.objects.public()),
        )
        .prefetch_related(
            "villages",
            # Every child list is bounded: a group kept for ten years may
            # have many former members, activities and proposals.
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(left_on__isnull=True)
                .select_related("person")
                .order_by(role_rank(), "person__full_name", "pk")[:MEMBERS_SHOWN],
                to_attr="current_members",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(left_on__isnull=False)
                .select_related("person")
                .order_by("-left_on", "person__full_name", "pk")[:FORMER_SHOWN],
                to_attr="latest_former_members",
            ),
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("-date", "-pk")[:ACTIVITIES_SHOWN],
                to_attr="latest_activities",
            ),
            # The projects it initiated or took part in, with its role.
            Prefetch(
                "project_roles",
                queryset=ProjectGroup.objects.select_related("project").order_by(
                    F("project__started_on").desc(nulls_last=True), "project__pk"
                ),
            ),
        ),
        municipality=municipality,
        slug=slug,
    )
    proposals, proposals_query = paginate(
        request,
        group.proposals.public()
        .select_related("village", "hearing")
        .order_by("-submitted_at", "-pk"),
        per_page=PAGE_SIZE,
        count=group.proposal_count,
    )
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": group.current_members,
            "former_members": group.latest_former_members,
            "activities": group.latest_activities,
            "project_roles": group.project_roles.all(),
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
