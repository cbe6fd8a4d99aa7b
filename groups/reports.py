"""The council's report on initiative groups (see portal/reports.py).

Members appear by name, role and category only: never a phone, a birth
year or a note.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import reports

from .models import Activity, InitiativeGroup, Membership, Person, role_rank


def groups_context(municipality, start, end):
    groups = list(
        InitiativeGroup.objects.filter(municipality=municipality)
        .active()
        .with_composition()
        .prefetch_related(
            "villages",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(left_on__isnull=True)
                .select_related("person")
                .order_by(role_rank(), "person__full_name"),
                to_attr="current_memberships",
            ),
            Prefetch(
                "activities",
                queryset=Activity.objects.filter(date__range=(start, end)).order_by("date"),
                to_attr="period_activities",
            ),
        )
    )
    summary = Person.objects.filter(municipality=municipality).current_members().composition()
    return {"groups": groups, "summary": summary}


def groups_report(request, start, end, period):
    return reports.response(
        request,
        "reports/groups.html",
        groups_context(request.municipality, start, end),
        title=_("Initiative groups"),
        period=period,
        public_url=reverse("groups:list"),
        name="groups",
    )


def session_groups(municipality, start, end):
    """Session pack: the initiative groups' summary."""
    return {
        "title": _("Initiative groups"),
        "template": "reports/section_groups.html",
        **groups_context(municipality, start, end),
    }
