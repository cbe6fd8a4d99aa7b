from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render

from hearings.models import Proposal
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from projects.models import ProjectGroup

from .models import InitiativeGroup, Membership, Person, role_rank

PAGE_SIZE = 20


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
        InitiativeGroup.objects.with_composition().prefetch_related(
            "villages",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person").order_by(
                    role_rank(), "person__full_name"
                ),
            ),
            "activities",
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
    memberships = group.memberships.all()
    proposals = list(
        group.proposals.public().select_related("village", "hearing").order_by("-submitted_at")
    )
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": [m for m in memberships if m.is_current],
            "former_members": [m for m in memberships if not m.is_current],
            "activities": group.activities.all(),
            "project_roles": group.project_roles.all(),
            "proposals": proposals,
            # Their status then abbreviates the programme (СЭӨП / ПСЭР): spell it out first.
            "mentions_programme": any(
                p.status == Proposal.Status.ACCEPTED_PROGRAMME for p in proposals
            ),
        },
    )
