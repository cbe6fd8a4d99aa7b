from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render

from hearings import cards
from hearings.models import Proposal
from portal.facts import remembered
from portal.middleware import municipality_or_404
from portal.pagination import remembered_page
from portal.queries import built_once, from_json, in_every_language, json_rows, precompiled
from projects.models import ProjectGroup

from .composition import youth_birth_years
from .models import Activity, InitiativeGroup, Membership, remembered_summary, role_rank

PAGE_SIZE = 20
# A group's page lists at most this many current members, of those who
# left the latest, and the latest activities; it says how many there are.
MEMBERS_SHOWN = 100
FORMER_SHOWN = 20
ACTIVITIES_SHOWN = 20


def group_list(request):
    municipality = municipality_or_404(request)
    groups = InitiativeGroup.objects.filter(municipality=municipality)
    # The figures of all the members, and both lists' sizes, in one query.
    summary = remembered_summary(municipality)
    # The figures are subqueries of the row, computed for this page's rows
    # only; each page's rows are a fact of the municipality.
    active, query = remembered_page(
        request,
        municipality,
        "groups",
        groups.active()
        .with_figures()
        .only("slug", "name", "founded_on", "focus_topics")
        .order_by("name", "pk"),
        per_page=PAGE_SIZE,
        count=summary.active_groups,
    )
    dissolved, dissolved_query = remembered_page(
        request,
        municipality,
        "dissolved-groups",
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


@built_once(varies_with=[youth_birth_years])
def _groups_with_counts():
    """Groups with their figures, how many rows each child list has, and
    the child lists themselves (JSON, read back by from_json()): the page
    reads them in one query.

    Every child list is bounded: a group kept for ten years may have many
    former members, activities and proposals.

    Building these subqueries costs some 1.5 ms, more than running them: the
    queryset is built once per language and youth range (its parameters).
    """
    group = OuterRef("pk")
    members = Membership.objects.filter(group=group)
    return InitiativeGroup.objects.with_figures().annotate(
        **precompiled(
            InitiativeGroup,
            former_count=count_of(Membership.objects.filter(left_on__isnull=False)),
            activity_count=count_of(Activity.objects.all()),
            proposal_count=count_of(Proposal.objects.public()),
            member_rows=json_rows(
                members.filter(left_on__isnull=True).order_by(
                    role_rank(), "person__full_name", "pk"
                )[:MEMBERS_SHOWN],
                *MEMBER_FIELDS,
                person=["id", "full_name"],
            ),
            former_rows=json_rows(
                members.filter(left_on__isnull=False).order_by(
                    "-left_on", "person__full_name", "pk"
                )[:FORMER_SHOWN],
                *MEMBER_FIELDS,
                person=["id", "full_name"],
            ),
            activity_rows=json_rows(
                Activity.objects.filter(group=group).order_by("-date", "-pk")[:ACTIVITIES_SHOWN],
                "id",
                "date",
                "kind",
                *in_every_language("title", "description"),
                "participants",
            ),
            # The projects it initiated or took part in, with its role.
            project_rows=json_rows(
                ProjectGroup.objects.filter(group=group).order_by(
                    F("project__started_on").desc(nulls_last=True), "project__pk"
                ),
                "id",
                "role",
                "project_id",
                project=["id", "slug", *in_every_language("title")],
            ),
        )
    )


MEMBER_FIELDS = ("id", "role", "left_on", "person_id")


# A page of the group's public proposals, the newest first.
GROUP_PROPOSALS_SQL = (
    f"SELECT {cards.columns()} FROM hearings_proposal WHERE group_id = %(group)s "
    f"AND {cards.PUBLIC} ORDER BY submitted_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s"
)


def group_detail(request, slug):
    municipality = municipality_or_404(request)
    # All the page shows but its page of proposals is a fact of the
    # municipality: kept until a write to its groups, people, memberships,
    # activities, projects or proposals. A slug of no group is not kept.
    context = remembered(
        municipality.pk, f"group:{slug}", lambda: _group_context(municipality, slug)
    )
    if context is None:
        raise Http404
    group = context["group"]
    proposals = cards.page_context(
        request,
        GROUP_PROPOSALS_SQL,
        {"group": group.pk},
        count=group.proposal_count,
        per_page=PAGE_SIZE,
    )
    return render(request, "groups/detail.html", context | proposals)


def _group_context(municipality, slug):
    group = _groups_with_counts().filter(municipality=municipality, slug=slug).first()
    if group is None:
        return None
    return {
        "group": group,
        "members": from_json(Membership, group.member_rows),
        "former_members": from_json(Membership, group.former_rows),
        "activities": from_json(Activity, group.activity_rows),
        "project_roles": from_json(ProjectGroup, group.project_rows),
    }


def count_of(rows):
    """The number of a group's rows among `rows`, as a subquery: counted in
    the group's own query, without joining every row to it."""
    counted = rows.filter(group=OuterRef("pk")).order_by().values("group")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)
