"""The council's reports on hearings and proposals (see portal/reports.py)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal import reports

from .models import Hearing, Proposal


def public_author(proposal):
    """Who raised an item, as far as it may be printed: the group, the name
    the author agreed to show, or only where they live."""
    if proposal.group_id:
        return proposal.group.name
    if proposal.public_author:
        return proposal.public_author
    if proposal.village_id:
        return _("a resident of %(village)s") % {"village": proposal.village.name}
    return _("a resident")


def hearing_protocol(request, hearing):
    """The protocol of one hearing: details, attendance, every item in
    protocol order with its decision, and the summary."""
    items = list(
        hearing.proposals.public()
        .select_related("village", "group")
        .order_by("protocol_number", "submitted_at", "pk")
    )
    for item in items:
        item.printed_author = public_author(item)
    return reports.response(
        request,
        "reports/hearing_protocol.html",
        {"hearing": hearing, "items": items, "summary": hearing.proposals.summary()},
        title=_("Protocol of the public hearing"),
        period=formats.date_format(timezone.localtime(hearing.starts_at), "DATE_FORMAT"),
        public_url=hearing.get_absolute_url(),
        name=f"protocol-{hearing.pk}",
    )


def proposal_register(request, proposals, form, *, period=None):
    """The register of proposals: the public list's rows, with status, decision and date."""
    rows = list(
        proposals.select_related("village", "hearing", "group").order_by("submitted_at", "pk")
    )
    for row in rows:
        row.printed_author = public_author(row)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return reports.response(
        request,
        "reports/proposal_register.html",
        {"rows": rows},
        title=_("Register of proposals and questions"),
        period=period or (str(year) if year else _("All years")),
        public_url=reverse("hearings:proposal_list")
        + (f"?{form.data.urlencode()}" if form.data else ""),
        name="proposals",
    )


def session_hearings(municipality, start, end):
    """Session pack: the hearings held in the period, with their figures."""
    hearings = (
        Hearing.objects.filter(
            municipality=municipality,
            status__in=[Hearing.Status.HELD, Hearing.Status.PUBLISHED],
            starts_at__date__range=(start, end),
        )
        .select_related("village")
        .with_proposal_counts()
        .order_by("starts_at")
    )
    return {
        "title": _("Public hearings held"),
        "template": "reports/section_hearings.html",
        "hearings": list(hearings),
    }


def session_decisions(municipality, start, end):
    """Session pack: the proposals and questions decided in the period."""
    decided = (
        Proposal.objects.public()
        .filter(
            municipality=municipality,
            status__in=Proposal.DECIDED_STATUSES,
            decided_on__range=(start, end),
        )
        .select_related("village", "hearing", "group")
        .order_by("decided_on", "pk")
    )
    rows = list(decided)
    for row in rows:
        row.printed_author = public_author(row)
    return {
        "title": _("Proposals and questions decided"),
        "template": "reports/section_decisions.html",
        "rows": rows,
    }
