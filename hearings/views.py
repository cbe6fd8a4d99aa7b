import functools

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.db.models import OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import BudgetLine, Priority
from portal.facts import remembered
from portal.middleware import municipality_or_404
from portal.pagination import paginate, remembered_page, unread_page
from portal.queries import (
    Composed,
    built_once,
    from_json,
    in_every_language,
    json_rows,
    precompiled,
)

from . import cards, codes, reports, services
from .forms import STATUS_FILTERS, ProposalFilterForm, ProposalForm, TrackForm
from .models import Hearing, Proposal, ProposalEvent, proposal_counts, summary_counts
from .search import COUNT_CAP, capped_count, search

PAGE_SIZE = 20
# A hearing's proposals, and its questions, shown a page at a time.
ITEMS_PAGE_SIZE = 25
# The printed register lays out about a hundred rows a second: a longer
# one (a ten-year municipality holds 20 000) waits for a year or a filter.
REGISTER_MAX_ROWS = 500
# A proposal's page: its village, hearing and group joined in, and where an
# accepted one went (its priority, budget line or project) fetched apart: a
# join of all nine tables took PostgreSQL 4 ms to plan, 0.3 ms to run.
RELATED = ("village", "hearing", "group")


def targets(proposal):
    """Where the accepted `proposal` went, for prefetch_related_objects():
    only those it has (most have none: no query, nor a queryset built)."""
    wanted = []
    if proposal.priority_id:
        wanted.append(Prefetch("priority", queryset=Priority.objects.select_related("programme")))
    if proposal.budget_line_id:
        wanted.append(Prefetch("budget_line", queryset=BudgetLine.objects.select_related("budget")))
    if proposal.project_id:
        wanted.append("project")
    return wanted


@built_once
def _shown_proposals():
    """Proposals as their page shows them: the timeline residents see
    (public states only, no staff names or notes) comes as JSON in the
    proposal's own row, read back by shown()."""
    events = ProposalEvent.objects.filter(
        proposal=OuterRef("pk"), to_status__in=Proposal.PUBLIC_STATUSES
    ).order_by("recorded_at", "pk")
    return Proposal.objects.select_related(*RELATED).annotate(
        **precompiled(
            Proposal,
            event_rows=json_rows(
                events,
                "id",
                "at",
                "from_status",
                "to_status",
                "from_kind",
                "to_kind",
                "correction_reason",
            ),
        )
    )


def shown(proposal):
    """A proposal of _shown_proposals() with its timeline and targets."""
    proposal.public_events = from_json(ProposalEvent, proposal.event_rows)
    prefetch_related_objects([proposal], *targets(proposal))
    return proposal


def hearing_list(request):
    municipality = municipality_or_404(request)
    # The page is a fact of the municipality for the minute: which hearings
    # are still to come is told at its start, so the facts need no other
    # expiry than a write to the hearings or their proposals.
    minute = timezone.now().replace(second=0, microsecond=0)
    stamp = int(minute.timestamp())
    hearings = Hearing.objects.filter(municipality=municipality)
    past_count = remembered(
        municipality.pk,
        f"hearings:{stamp}",
        lambda: hearings.past(minute).count(),
        translated=False,
    )
    past, query = unread_page(request, Hearing.objects.none(), per_page=PAGE_SIZE, count=past_count)
    rows = remembered(
        municipality.pk,
        f"hearings:{stamp}:{past.number}",
        lambda: _hearing_rows(hearings, minute, past),
    )
    # Told apart as upcoming_condition() picked them, at the same moment.
    past.object_list = [row for row in reversed(rows) if not row.is_upcoming(minute)]
    return render(
        request,
        "hearings/hearing_list.html",
        {
            "upcoming": [row for row in rows if row.is_upcoming(minute)],
            "past": past,
            "query": query,
        },
    )


def _hearing_rows(hearings, now, past):
    """The upcoming hearings and the page `past` of the past ones, picked
    first, then read with their figures in one query."""
    # Announced hearings are few; the past ones grow year by year.
    start = (past.number - 1) * PAGE_SIZE
    past_rows = hearings.past(now).order_by("-starts_at", "-pk")[start : start + PAGE_SIZE]
    upcoming = hearings.upcoming(now).order_by("starts_at", "pk")[:PAGE_SIZE]
    return list(
        hearing_cards()
        .filter(pk__in=past_rows.values("pk").union(upcoming.values("pk"), all=True))
        .order_by("starts_at", "pk")
    )


@built_once
def hearing_cards():
    """Hearings with what their cards show, and only that."""
    return (
        Hearing.objects.select_related("village")
        .only(
            "kind",
            "status",
            *in_every_language("title"),
            "starts_at",
            "place",
            "village",
            *in_every_language("village__name"),
        )
        .annotate(**precompiled(Hearing, **proposal_counts()))
    )


# The counts of a hearing's public items, composed once per language.
HEARING_SUMMARY = Composed(
    lambda hearing_id: (
        Proposal.objects.filter(hearing_id=hearing_id)
        .public()
        .order_by()
        .values("hearing_id")
        .annotate(**summary_counts())
    )
)


def hearing_summary(hearing):
    """hearing.proposals.summary(), with zeros when it has no public item."""
    rows = HEARING_SUMMARY.rows(hearing.pk)
    return rows[0] if rows else dict.fromkeys(summary_counts(), 0)


@functools.cache
def _items_sql():
    """A hearing's page of proposals and page of questions, in one query,
    as the protocol numbers them: each page's ids are picked through the
    hearing's partial index."""
    page = (
        f"(SELECT id FROM hearings_proposal WHERE hearing_id = %(hearing)s AND {cards.PUBLIC} "
        "AND kind = %({kind})s ORDER BY protocol_number, submitted_at, id "
        "LIMIT %(limit)s OFFSET %({kind}_from)s)"
    )
    return (
        f"SELECT {cards.columns()} FROM hearings_proposal "
        f"WHERE id IN ({page.format(kind='proposal')} UNION ALL {page.format(kind='question')}) "
        "ORDER BY protocol_number, submitted_at, id"
    )


def hearing_items(hearing, proposals, questions):
    """The Proposal rows of both pages (Paginator pages), read with _items_sql()."""
    params = {
        "hearing": hearing.pk,
        "proposal": Proposal.Kind.PROPOSAL.value,
        "question": Proposal.Kind.QUESTION.value,
        "limit": ITEMS_PAGE_SIZE,
        "proposal_from": (proposals.number - 1) * ITEMS_PAGE_SIZE,
        "question_from": (questions.number - 1) * ITEMS_PAGE_SIZE,
    }
    return cards.read(_items_sql(), params)


def _hearing_shown(municipality, pk):
    """The hearing and its summary, or None when the municipality has no
    such hearing."""
    hearing = (
        Hearing.objects.select_related("village").filter(municipality=municipality, pk=pk).first()
    )
    return (hearing, hearing_summary(hearing)) if hearing else None


def hearing_detail(request, pk):
    municipality = municipality_or_404(request)
    # The hearing and its counts are a fact of the municipality, kept until
    # a write to its hearings or proposals (a hearing it has not, is not).
    shown = remembered(municipality.pk, f"hearing:{pk}", lambda: _hearing_shown(municipality, pk))
    if shown is None:
        raise Http404
    hearing, summary = shown
    # A hearing can hear hundreds: both lists are paginated, their lengths
    # counted with the summary; both pages' rows are read in one query.
    proposals, proposals_query = unread_page(
        request, Proposal.objects.none(), per_page=ITEMS_PAGE_SIZE, count=summary["proposals"]
    )
    questions, questions_query = unread_page(
        request,
        Proposal.objects.none(),
        per_page=ITEMS_PAGE_SIZE,
        param="questions_page",
        count=summary["questions"],
    )
    rows = hearing_items(hearing, proposals, questions) if summary["received"] else []
    proposals.object_list = [row for row in rows if row.kind == Proposal.Kind.PROPOSAL]
    questions.object_list = [row for row in rows if row.kind == Proposal.Kind.QUESTION]
    return render(
        request,
        "hearings/hearing_detail.html",
        {
            "hearing": hearing,
            "proposals": proposals,
            "proposals_query": proposals_query,
            "questions": questions,
            "questions_query": questions_query,
            "summary": summary,
        },
    )


def hearing_protocol_pdf(request, pk):
    """The printed protocol, for anyone, once the results are published."""
    municipality = municipality_or_404(request)
    hearing = get_object_or_404(
        Hearing.objects.select_related("village"),
        municipality=municipality,
        pk=pk,
        status=Hearing.Status.PUBLISHED,
    )
    return reports.hearing_protocol(request, hearing)


def filtered_proposals(request, municipality):
    """The public proposals the list's filters select, the number found when
    a search counted it (up to its cap), and the filter form: the list and
    its printed register show the same rows."""
    # Of any municipality until the end: a search narrows them its own way.
    proposals = Proposal.objects.public()
    years = public_years(municipality)
    form = ProposalFilterForm(request.GET or None, municipality=municipality, years=years)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            proposals = proposals.filter(status__in=STATUS_FILTERS[data["status"]][0])
        for field in ("topic", "kind", "village", "hearing"):
            if data[field]:
                proposals = proposals.filter(**{field: data[field]})
        if data["year"]:
            proposals = proposals.filter(submitted_at__year=data["year"])
        if data["line"]:
            proposals = proposals.filter(budget_line=data["line"])
        if data["q"]:
            return *search(proposals, municipality, data["q"]), form
    return proposals.filter(municipality=municipality), None, form


# The distinct years of a municipality's public proposals, newest first,
# read as a loose index scan: one probe of the list's index per year (from
# the newest row, jump to the newest row before that year), instead of
# reading every row. The status condition is the index's own.
YEARS_SQL = """
WITH RECURSIVE year (at) AS (
    SELECT max(submitted_at) FROM hearings_proposal
    WHERE municipality_id = %(municipality)s AND status = ANY(%(public)s)
  UNION ALL
    SELECT (
        SELECT max(submitted_at) FROM hearings_proposal
        WHERE municipality_id = %(municipality)s AND status = ANY(%(public)s)
        AND submitted_at < date_trunc('year', year.at AT TIME ZONE %(zone)s) AT TIME ZONE %(zone)s
    )
    FROM year WHERE year.at IS NOT NULL
)
SELECT extract(year FROM at AT TIME ZONE %(zone)s)::int FROM year WHERE at IS NOT NULL
"""


def public_years(municipality):
    return remembered(
        municipality.pk, "years", lambda: read_public_years(municipality), translated=False
    )


def read_public_years(municipality):
    params = {
        "municipality": municipality.pk,
        "public": [str(status) for status in Proposal.PUBLIC_STATUSES],
        "zone": timezone.get_current_timezone_name(),
    }
    with connection.cursor() as cursor:
        cursor.execute(YEARS_SQL, params)
        return [year for (year,) in cursor.fetchall()]


def proposal_register_pdf(request):
    """The proposals list as printed, with the same filters: at most
    REGISTER_MAX_ROWS rows, else back to the list, which asks for a year or
    a filter."""
    municipality = municipality_or_404(request)
    proposals, count, form = filtered_proposals(request, municipality)
    if count is None:
        count = capped_count(proposals)
    if count > REGISTER_MAX_ROWS:
        messages.warning(request, register_too_long())
        query = request.GET.urlencode()
        return redirect(reverse("hearings:proposal_list") + (f"?{query}" if query else ""))
    return reports.proposal_register(request, proposals, form)


def register_too_long():
    return _(
        "The list holds more than %(max)s proposals and questions: choose a year "
        "or a filter, then print it."
    ) % {"max": REGISTER_MAX_ROWS}


# The whole list's page, newest first: its rows are picked from the list's
# index alone, then read.
LIST_SQL = (
    f"SELECT {cards.columns()} FROM hearings_proposal WHERE id IN ("
    f"SELECT id FROM hearings_proposal WHERE municipality_id = %(municipality)s "
    f"AND {cards.PUBLIC} ORDER BY submitted_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s"
    ") ORDER BY submitted_at DESC, id DESC"
)
WHOLE_LIST = "count:"


def counted_as(form):
    """The name of a filtered list's count among the municipality's facts:
    its filters' values (none when the form was not valid: the whole list)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = sorted(
        f"{name}={getattr(value, 'pk', value)}" for name, value in data.items() if value
    )
    return WHOLE_LIST + "&".join(filters)


def proposal_list(request):
    municipality = municipality_or_404(request)
    proposals, count, form = filtered_proposals(request, municipality)
    searched = count is not None
    # A search counts no further than its cap.
    more_than = COUNT_CAP if searched and count > COUNT_CAP else None
    filters = counted_as(form)

    def load(rows):
        return proposals.for_cards().filter(pk__in=rows.values("pk"))

    if searched:
        page, query = paginate(request, proposals, per_page=PAGE_SIZE, count=count, load=load)
    else:
        # Every page of a list, with the same filters, counts the same rows:
        # once per write to the municipality's proposals.
        count = remembered(municipality.pk, filters, proposals.count, translated=False)
        if filters == WHOLE_LIST:
            page, query = cards.page(
                request,
                LIST_SQL,
                {"municipality": municipality.pk},
                count=count,
                per_page=PAGE_SIZE,
            )
        else:
            # A filtered page's rows are a fact too, named by its filters.
            page, query = remembered_page(
                request,
                municipality,
                f"rows:{filters}",
                proposals,
                per_page=PAGE_SIZE,
                count=count,
                load=load,
            )
    return render(
        request,
        "hearings/proposal_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "more_than": more_than,
            "printable": 0 < page.paginator.count <= REGISTER_MAX_ROWS,
            "register_too_long": register_too_long(),
            # The filters in the form's "Filters" box (the line is a note).
            "filters_active": sum(
                1 for name in form.fields if name not in ("q", "line") and request.GET.get(name)
            ),
            "line": form.cleaned_data.get("line") if form.is_bound and form.is_valid() else None,
            "mentions_programme": cards.mention_programme(page.object_list),
        },
    )


def proposal_detail(request, pk):
    municipality = municipality_or_404(request)
    proposal = get_object_or_404(_shown_proposals().public(), municipality=municipality, pk=pk)
    return render(request, "hearings/proposal_detail.html", {"proposal": shown(proposal)})


def client_address(request):
    """The resident's address, for the rate limit.

    Behind a proxy, CLIENT_IP_HEADER names the header it sets. Of a list
    (X-Forwarded-For) only the last entry, added by our own proxy, is
    trusted: the ones before it are whatever the client sent.
    """
    if settings.CLIENT_IP_HEADER:
        entries = [e.strip() for e in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")]
        entries = [e for e in entries if e]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "")


def proposal_new(request):
    municipality = municipality_or_404(request)
    form = ProposalForm(
        request.POST or None,
        municipality=municipality,
        instance=Proposal(municipality=municipality),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        proposal = form.save(commit=False)
        try:
            services.submit_online(proposal, address=client_address(request))
        except services.RateLimited:
            form.add_error(
                None,
                _(
                    "Too many proposals were sent from your connection recently. "
                    "Please try again later."
                ),
            )
            status = 429
        except services.QueueFull:
            # Nothing saved: the form keeps the text, so the resident can send it later.
            form.add_error(
                None,
                _(
                    "Many proposals are waiting for moderation right now, so new ones "
                    "cannot be accepted for a while. Please try again later."
                ),
            )
            status = 503
        else:
            messages.success(
                request,
                _("Thank you! Your proposal was received. Keep its tracking code: %(code)s")
                % {"code": proposal.display_code},
            )
            return redirect("hearings:track_code", code=proposal.tracking_code)
    elif request.method == "POST":
        status = 400
    response = render(request, "hearings/proposal_form.html", {"form": form}, status=status)
    if status == 503:
        response["Retry-After"] = "600"
    return response


def track(request):
    municipality = municipality_or_404(request)
    form = TrackForm(request.GET or None)
    not_found = False
    if form.is_valid():
        code = form.cleaned_data["code"]
        if Proposal.objects.filter(municipality=municipality, tracking_code=code).exists():
            return redirect("hearings:track_code", code=code)
        not_found = True
    return render(request, "hearings/track.html", {"form": form, "not_found": not_found})


def track_code(request, code):
    municipality = municipality_or_404(request)
    normalised = codes.normalise(code)
    proposal = (
        _shown_proposals().filter(municipality=municipality, tracking_code=normalised).first()
    )
    if proposal is None:
        form = TrackForm(initial={"code": code})
        return render(request, "hearings/track.html", {"form": form, "not_found": True}, status=404)
    if normalised != code:
        return redirect("hearings:track_code", code=normalised)
    return render(request, "hearings/track_detail.html", {"proposal": shown(proposal)})
