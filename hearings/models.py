import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from groups.composition import share
from groups.models import InitiativeGroup
from portal.choices import Topic
from portal.facts import ChangesFacts, ChangesFactsQuerySet
from portal.fields import has_text
from portal.models import Municipality, Village
from portal.queries import in_every_language

from . import codes
from .validators import validate_protocol_file


def protocol_file_name(hearing, filename):
    """protocols/<year>/<random token>.<ext>: a stored protocol's address
    cannot be guessed from the hearing or the uploaded file's name."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"protocols/{timezone.now().year}/{secrets.token_urlsafe(24)}{suffix}"


def upcoming_condition(now=None):
    """An announced hearing still to come (`now`: one moment for a page)."""
    return Q(status=Hearing.Status.ANNOUNCED, starts_at__gte=now or timezone.now())


class HearingQuerySet(ChangesFactsQuerySet):
    def upcoming(self, now=None):
        return self.filter(upcoming_condition(now))

    def past(self, now=None):
        return self.exclude(upcoming_condition(now))

    def with_proposal_counts(self):
        return self.annotate(**proposal_counts())


def proposal_counts():
    """How many public proposals and questions each hearing heard, and how
    many of them were accepted and partly accepted: a subquery each, which
    the index of a hearing's public items answers alone (a join and a
    grouping read every item with its text)."""
    heard = Proposal.objects.public().filter(hearing=OuterRef("pk")).order_by().values("hearing")

    def counted(items):
        return Coalesce(Subquery(items.annotate(n=Count("*")).values("n")), 0)

    return {
        "proposals_received": counted(heard),
        "proposals_accepted": counted(heard.filter(status__in=Proposal.FULLY_ACCEPTED_STATUSES)),
        "proposals_partly": counted(heard.filter(status=Proposal.Status.PARTLY_ACCEPTED)),
    }


class Hearing(ChangesFacts):
    """A public hearing (коомдук угуу) on the programme, the budget or another subject."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Development programme")
        BUDGET = "budget", _("Local budget")
        OTHER = "other", _("Other subject")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        HELD = "held", _("Held")
        PUBLISHED = "published", _("Results published")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("date and time"))
    village = models.ForeignKey(
        Village,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("village"),
    )
    place = models.CharField(_("place"), max_length=250, blank=True)
    # What was discussed: a programme hearing names its programme, a budget
    # hearing its budget (a constraint ties each to the kind).
    programme = models.ForeignKey(
        "budget.DevelopmentProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("development programme discussed"),
    )
    budget = models.ForeignKey(
        "budget.LocalBudget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("local budget discussed"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED
    )
    announcement = models.TextField(_("announcement"), blank=True)

    # Attendance counts, from the paper register of participants.
    attendance_total = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    attendance_women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    attendance_men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    attendance_groups = models.PositiveIntegerField(
        _("from initiative groups"), null=True, blank=True
    )
    attendance_youth = models.PositiveIntegerField(_("youth"), null=True, blank=True)

    protocol = models.TextField(_("protocol"), blank=True)
    protocol_file = models.FileField(
        _("protocol file"),
        upload_to=protocol_file_name,
        blank=True,
        validators=[validate_protocol_file],
        help_text=_("The signed protocol: PDF, JPEG or PNG, up to 10 MB."),
    )

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")
        ordering = ["-starts_at"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(attendance_total__isnull=False, **{f"{field}__lte": F("attendance_total")}),
                    name=f"hearing_{field}_within_total",
                    violation_error_message=_(
                        "No part of the attendance can exceed the total number of participants."
                    ),
                )
                for field in (
                    "attendance_women",
                    "attendance_men",
                    "attendance_groups",
                    "attendance_youth",
                )
            ),
            models.CheckConstraint(
                condition=Q(attendance_women__isnull=True)
                | Q(attendance_men__isnull=True)
                | Q(attendance_women__lte=F("attendance_total") - F("attendance_men")),
                name="hearing_women_and_men_within_total",
                violation_error_message=_(
                    "Women and men together cannot exceed the total number of participants."
                ),
            ),
            models.CheckConstraint(
                condition=Q(programme__isnull=True) | Q(kind="programme"),
                name="hearing_programme_only_on_programme_hearing",
                violation_error_message=_("Only a hearing on the programme names a programme."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(kind="budget"),
                name="hearing_budget_only_on_budget_hearing",
                violation_error_message=_("Only a hearing on the budget names a budget."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(attendance_total__isnull=False),
                name="hearing_published_has_attendance",
                violation_error_message=_(
                    "Enter the number of participants before publishing the results."
                ),
            ),
        ]

    def is_upcoming(self, now):
        """upcoming_condition(), of this row."""
        return self.status == Hearing.Status.ANNOUNCED and self.starts_at >= now

    def __str__(self):
        day = formats.date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return f"{self.title} ({day})"

    def get_absolute_url(self):
        return reverse("hearings:hearing_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.programme_id and self.kind != self.Kind.PROGRAMME:
            errors["programme"] = _("Only a hearing on the programme names a programme.")
        if self.budget_id and self.kind != self.Kind.BUDGET:
            errors["budget"] = _("Only a hearing on the budget names a budget.")
        for field in ("programme", "budget"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if related and self.municipality_id and related.municipality_id != self.municipality_id:
                errors[field] = _("This belongs to another municipality.")
        if errors:
            raise ValidationError(errors)

    @property
    def women_share(self):
        return share(self.attendance_women or 0, self.attendance_total)


class HearingEvent(models.Model):
    """One change of a hearing's status: when, by whom, from what to what."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="events", verbose_name=_("public hearing")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=10, choices=Hearing.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Hearing.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProposalStatus(models.TextChoices):
    AWAITING_MODERATION = "moderation", _("Awaiting moderation")
    REFUSED = "refused", _("Not published")
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "review", _("Under review")
    ACCEPTED_PROGRAMME = "accepted_programme", _("Accepted into the development programme")
    ACCEPTED_BUDGET = "accepted_budget", _("Accepted into the local budget")
    ACCEPTED_PROJECT = "accepted_project", _("Accepted into a project")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    ANSWERED = "answered", _("Answered")
    DEFERRED = "deferred", _("Deferred to next year")


S = ProposalStatus
PUBLIC_STATUSES = [
    S.RECEIVED,
    S.UNDER_REVIEW,
    S.ACCEPTED_PROGRAMME,
    S.ACCEPTED_BUDGET,
    S.ACCEPTED_PROJECT,
    S.PARTLY_ACCEPTED,
    S.REJECTED,
    S.ANSWERED,
    S.DEFERRED,
]
FULLY_ACCEPTED_STATUSES = [S.ACCEPTED_PROGRAMME, S.ACCEPTED_BUDGET, S.ACCEPTED_PROJECT]
ACCEPTED_STATUSES = [*FULLY_ACCEPTED_STATUSES, S.PARTLY_ACCEPTED]
PROPOSAL_DECISIONS = [*ACCEPTED_STATUSES, S.REJECTED, S.DEFERRED]
QUESTION_DECISIONS = [S.ANSWERED, S.DEFERRED]
DECIDED_STATUSES = [*ACCEPTED_STATUSES, S.REJECTED, S.ANSWERED, S.DEFERRED]
# Decisions that name where the proposal went (Proposal.target).
PRIORITY_STATUSES = [S.ACCEPTED_PROGRAMME, S.PARTLY_ACCEPTED]
BUDGET_LINE_STATUSES = [S.ACCEPTED_BUDGET, S.PARTLY_ACCEPTED]
PROJECT_STATUSES = [S.ACCEPTED_PROJECT, S.PARTLY_ACCEPTED]
# Decisions whose text is required: the reason for a rejection, the answer to a question.
TEXT_REQUIRED = [S.REJECTED, S.ANSWERED]
# Where each state may go next; anything else is refused.
TRANSITIONS = {
    S.AWAITING_MODERATION: [S.RECEIVED, S.REFUSED],
    S.REFUSED: [],
    S.RECEIVED: [S.UNDER_REVIEW, *DECIDED_STATUSES],
    S.UNDER_REVIEW: DECIDED_STATUSES,
    S.ACCEPTED_PROGRAMME: [],
    S.ACCEPTED_BUDGET: [],
    S.ACCEPTED_PROJECT: [],
    S.PARTLY_ACCEPTED: [],
    S.REJECTED: [],
    S.ANSWERED: [],
    S.DEFERRED: [S.UNDER_REVIEW],
}
del S


# What a proposal's card reads (hearings/templatetags/proposal_cards.py) of
# the proposal itself; the names of its village, group and hearing come
# from the municipality's cached names (card_names), not from joins, which
# cost more to plan than to run and to build than to show.
CARD_FIELDS = (
    "municipality",
    "kind",
    "topic",
    "status",
    "protocol_number",
    *in_every_language("text", "decision"),
    "village",
    "group",
    "hearing",
)


class ProposalQuerySet(ChangesFactsQuerySet):
    def public(self):
        return self.filter(status__in=Proposal.PUBLIC_STATUSES)

    def for_cards(self):
        """With what their cards show, and only that."""
        return self.only(*CARD_FIELDS)

    def summary(self):
        """Counts for a hearing's summary; the parts add up to received."""
        return self.public().aggregate(**summary_counts())


def summary_counts():
    status = Proposal.Status
    # Counts of a column the hearing's index of public items holds (status,
    # never null), not of the ids: the index then answers alone.
    return {
        "received": Count("status"),
        "from_groups": Count("status", filter=Q(group__isnull=False)),
        # Partly accepted is counted apart, never as accepted.
        "accepted": Count("status", filter=Q(status__in=Proposal.FULLY_ACCEPTED_STATUSES)),
        "partly": Count("status", filter=Q(status=status.PARTLY_ACCEPTED)),
        "rejected": Count("status", filter=Q(status=status.REJECTED)),
        "answered": Count("status", filter=Q(status=status.ANSWERED)),
        "deferred": Count("status", filter=Q(status=status.DEFERRED)),
        "pending": Count("status", filter=Q(status__in=[status.RECEIVED, status.UNDER_REVIEW])),
        # Their kinds: the hearing page's two lists are as long.
        "proposals": Count("status", filter=Q(kind=Proposal.Kind.PROPOSAL)),
        "questions": Count("status", filter=Q(kind=Proposal.Kind.QUESTION)),
    }


def public_newest(field, *, name, include=()):
    """An index of the public proposals of one municipality, priority or
    group, newest first: what the public lists read."""
    return models.Index(
        fields=[field, "-submitted_at", "-id"],
        condition=Q(status__in=PUBLIC_STATUSES),
        include=include,
        name=name,
    )


class ProposalManager(models.Manager.from_queryset(ProposalQuerySet)):
    def get_queryset(self):
        # The search vector (a kilobyte a row) is for the index: no page
        # reads it, so no query carries it back.
        return super().get_queryset().defer("search_vector")


class Proposal(ChangesFacts):
    """A proposal (сунуш) or question (суроо), from submission to decision."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        QUESTION = "question", _("Question")

    class Origin(models.TextChoices):
        HEARING = "hearing", _("At a hearing")
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper or in writing")

    Status = ProposalStatus

    class RefusalReason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSIVE = "abusive", _("Abusive")

    PUBLIC_STATUSES = PUBLIC_STATUSES
    ACCEPTED_STATUSES = ACCEPTED_STATUSES
    FULLY_ACCEPTED_STATUSES = FULLY_ACCEPTED_STATUSES
    PROPOSAL_DECISIONS = PROPOSAL_DECISIONS
    QUESTION_DECISIONS = QUESTION_DECISIONS
    DECIDED_STATUSES = DECIDED_STATUSES
    TEXT_REQUIRED = TEXT_REQUIRED
    TRANSITIONS = TRANSITIONS
    PRIORITY_STATUSES = PRIORITY_STATUSES
    BUDGET_LINE_STATUSES = BUDGET_LINE_STATUSES
    PROJECT_STATUSES = PROJECT_STATUSES

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("municipality"),
    )
    # No default: a question typed in as a proposal by default cannot be
    # told apart later, so whoever enters an item says which it is.
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Residents write in either language: blank here, a check constraint wants one.
    text = models.TextField(_("text"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    village = models.ForeignKey(
        Village,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("village"),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("public hearing"),
    )
    protocol_number = models.PositiveSmallIntegerField(
        _("No. in the protocol"),
        null=True,
        blank=True,
        help_text=_("The item's number in the hearing's protocol."),
    )
    group = models.ForeignKey(
        InitiativeGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("initiative group"),
    )

    author_name = models.CharField(_("author's name"), max_length=200, blank=True)
    show_author_name = models.BooleanField(_("the author agreed to show the name"), default=False)
    author_phone = models.CharField(_("author's phone (private)"), max_length=30, blank=True)
    author_email = models.EmailField(_("author's e-mail (private)"), blank=True)
    # A keyed hash of the sender's address, for the rate limit; never the address itself.
    submitter_hash = models.CharField(max_length=64, blank=True, editable=False)

    tracking_code = models.CharField(_("tracking code"), max_length=8, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    refusal_reason = models.CharField(
        _("reason it was not published"),
        max_length=10,
        choices=RefusalReason.choices,
        blank=True,
    )
    # For items from a hearing, the hearing's time; for letters, the day on the letter.
    submitted_at = models.DateTimeField(_("received"), default=timezone.now)

    decision = models.TextField(
        _("decision"),
        blank=True,
        help_text=_("The reason for a rejection, or the answer to a question, is required."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # Where an accepted proposal went: the programme's priority or the
    # budget's line that took it in (constraints tie each to the decision).
    priority = models.ForeignKey(
        "budget.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("programme priority"),
    )
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("budget line"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("project"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    # Words of both texts and both decisions, kept by PostgreSQL itself and
    # GIN-indexed, so a search reads the index instead of every row. Each
    # word is stored after its municipality's id ("17xкөпүрөнү"): a search
    # for "17xкөпүрө:*" then reads that municipality's entries of the index
    # only, not every municipality's in the country (hearings/search.py).
    # The search words (SearchWord) are read from it in this spelling.
    # Anything but letters and digits parts words first: else the parser
    # would read "ул.Ленина" or "с.Айры-Там" as a host name, a word lost.
    search_vector = models.GeneratedField(
        expression=SearchVector(
            Func(
                Func(
                    Concat(
                        "text_ky",
                        Value(" "),
                        "text_ru",
                        Value(" "),
                        "decision_ky",
                        Value(" "),
                        "decision_ru",
                        output_field=models.TextField(),
                    ),
                    Value("[^[:alnum:]]+"),
                    Value(" "),
                    Value("g"),
                    function="REGEXP_REPLACE",
                    output_field=models.TextField(),
                ),
                Value("([[:alnum:]]+)"),
                Concat(
                    Cast("municipality", models.TextField()),
                    Value(r"x\1"),
                    output_field=models.TextField(),
                ),
                Value("g"),
                function="REGEXP_REPLACE",
                output_field=models.TextField(),
            ),
            config="simple",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ProposalManager()

    class Meta:
        verbose_name = _("proposal or question")
        verbose_name_plural = _("proposals and questions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "tracking_code",
                name="proposal_unique_tracking_code",
                violation_error_message=_("This tracking code is already taken."),
            ),
            models.CheckConstraint(
                condition=Q(tracking_code__regex=r"^[2-9A-HJ-NP-Z]{8}$"),
                name="proposal_tracking_code_alphabet",
                violation_error_message=_("A tracking code has eight letters and digits."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=TEXT_REQUIRED)
                | has_text("decision_ky")
                | has_text("decision_ru"),
                name="proposal_rejection_or_answer_has_text",
                violation_error_message=_(
                    "A rejection needs its reason and an answer needs its text."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DECIDED_STATUSES, decided_on__isnull=False)
                | (~Q(status__in=DECIDED_STATUSES) & Q(decided_on__isnull=True)),
                name="proposal_decided_iff_date",
                violation_error_message=_(
                    "A decision needs its date, and only a decision has one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DECIDED_STATUSES)
                | (~Q(has_text("decision_ky")) & ~Q(has_text("decision_ru"))),
                name="proposal_no_decision_text_before_decision",
                violation_error_message=_("A proposal has a decision's text only once decided."),
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind="question", status__in=[*ACCEPTED_STATUSES, ProposalStatus.REJECTED]
                )
                & ~Q(kind="proposal", status=ProposalStatus.ANSWERED),
                name="proposal_decision_fits_kind",
                violation_error_message=_(
                    "A question is answered; a proposal is accepted, rejected or deferred."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=False, status__in=PRIORITY_STATUSES)
                | (Q(priority__isnull=True) & ~Q(status=ProposalStatus.ACCEPTED_PROGRAMME)),
                name="proposal_programme_decision_names_priority",
                violation_error_message=_(
                    "A proposal accepted into the programme names the priority that took "
                    "it in, and only an accepted one does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget_line__isnull=False, status__in=BUDGET_LINE_STATUSES)
                | (Q(budget_line__isnull=True) & ~Q(status=ProposalStatus.ACCEPTED_BUDGET)),
                name="proposal_budget_decision_names_line",
                violation_error_message=_(
                    "A proposal accepted into the budget names the budget line that took "
                    "it in, and only an accepted one does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, status__in=PROJECT_STATUSES)
                | (Q(project__isnull=True) & ~Q(status=ProposalStatus.ACCEPTED_PROJECT)),
                name="proposal_project_decision_names_project",
                violation_error_message=_(
                    "A proposal accepted into a project names the project, and only an "
                    "accepted one does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True, budget_line__isnull=True)
                | Q(priority__isnull=True, project__isnull=True)
                | Q(budget_line__isnull=True, project__isnull=True),
                name="proposal_one_target",
                violation_error_message=_(
                    "Name one place the proposal went: a priority, a budget line or a project."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.REFUSED, refusal_reason__in=["spam", "abusive"])
                | (~Q(status=ProposalStatus.REFUSED) & Q(refusal_reason="")),
                name="proposal_refusal_has_reason",
                violation_error_message=_("Say why a proposal is not published."),
            ),
            models.CheckConstraint(
                condition=Q(has_text("text_ky")) | Q(has_text("text_ru")),
                name="proposal_has_text",
                violation_error_message=_("Write the proposal or question."),
            ),
            models.CheckConstraint(
                condition=~Q(origin="hearing") | Q(hearing__isnull=False),
                name="proposal_from_hearing_names_it",
                violation_error_message=_("A proposal raised at a hearing needs that hearing."),
            ),
            # Deferred, so that two items can swap their numbers in one save.
            models.UniqueConstraint(
                fields=["hearing", "protocol_number"],
                name="proposal_unique_protocol_number",
                deferrable=models.Deferrable.DEFERRED,
                violation_error_message=_("Another item of this hearing has this number."),
            ),
            models.CheckConstraint(
                condition=Q(protocol_number__isnull=True)
                | Q(hearing__isnull=False, protocol_number__gte=1),
                name="proposal_protocol_number_in_hearing",
                violation_error_message=_(
                    "A number in the protocol starts at 1 and needs the hearing."
                ),
            ),
        ]
        indexes = [
            GinIndex(name="proposal_search_vector", fields=["search_vector"]),
            models.Index(fields=["municipality", "status"], name="proposal_municipality_status"),
            # The public list's order for one municipality: a page, its
            # count, the first and last year and the date filters read this
            # index only, whatever the size of the country.
            # It holds the status, kind and topic too: a filtered list's count
            # reads the index alone, not every row of the year.
            public_newest(
                "municipality", name="proposal_public_newest", include=["status", "kind", "topic"]
            ),
            # A priority's proposals, newest first, and their counts on the
            # programmes' pages (read from the index alone).
            public_newest("priority", name="proposal_public_priority"),
            # A group's proposals, newest first, a page at a time.
            public_newest("group", name="proposal_public_group"),
            # A hearing's public items by status and kind: the hearings
            # list's figures and a hearing's summary read this index alone.
            models.Index(
                fields=["hearing", "status", "kind"],
                include=["group"],
                condition=Q(status__in=PUBLIC_STATUSES),
                name="proposal_public_hearing",
            ),
        ]

    def __str__(self):
        return f"{self.display_code}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("hearings:proposal_detail", args=[self.pk])

    @property
    def display_code(self):
        return codes.display(self.tracking_code)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_decided(self):
        return self.status in self.DECIDED_STATUSES

    @property
    def is_accepted(self):
        return self.status in self.ACCEPTED_STATUSES

    @property
    def target(self):
        """The priority, budget line or project that took this proposal in, if any."""
        return self.priority or self.budget_line or self.project

    @property
    def public_author(self):
        return self.author_name if self.show_author_name else ""

    def clean(self):
        # Everything a proposal points to belongs to its own municipality
        # (which a proposal typed into a hearing's page takes from the
        # hearing, saved or not yet). Unknown yet: the hearing's form says so.
        hearing = self.hearing
        municipality_id = self.municipality_id or (hearing.municipality_id if hearing else None)
        if municipality_id is None:
            return
        owners = {
            "village": lambda v: v.municipality_id,
            "hearing": lambda h: h.municipality_id,
            "group": lambda g: g.municipality_id,
            "priority": lambda p: p.programme.municipality_id,
            "budget_line": lambda line: line.budget.municipality_id,
            "project": lambda project: project.municipality_id,
        }
        for field, owner in owners.items():
            related = getattr(self, field)
            if related is not None and owner(related) != municipality_id:
                raise ValidationError(
                    {field: _("This belongs to another municipality.")}, code="other_municipality"
                )

    def allowed_next(self):
        """States this proposal may move to, given its state and kind."""
        decisions = (
            self.QUESTION_DECISIONS if self.kind == self.Kind.QUESTION else self.PROPOSAL_DECISIONS
        )
        return [
            s
            for s in self.TRANSITIONS[self.status]
            if s not in self.DECIDED_STATUSES or s in decisions
        ]


class ProposalEvent(models.Model):
    """One change of a proposal's state: when, by whom, from what to what.

    `at` is when the change took effect (the hearing, the letter, the
    decision's date), which the public timeline shows; `recorded_at` is when
    staff typed it in.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("proposal")
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Proposal.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Proposal.Status.choices)
    # Set only by a correction that changed the kind.
    from_kind = models.CharField(
        _("kind before"), max_length=10, choices=Proposal.Kind.choices, blank=True
    )
    to_kind = models.CharField(
        _("kind after"), max_length=10, choices=Proposal.Kind.choices, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Public: residents see that a decision was corrected, and why.
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        # In the order the changes were made: a correction comes last even
        # when it puts the decision's date back.
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_kind="", to_kind="") | Q(correction_reason__gt=""),
                name="proposalevent_kind_change_is_a_correction",
                violation_error_message=_("Only a correction changes the kind."),
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_correction(self):
        return bool(self.correction_reason)


class ModerationQueue(Proposal):
    """Online proposals awaiting a moderator: a separate admin page and permission."""

    class Meta:
        proxy = True
        verbose_name = _("online proposal to moderate")
        verbose_name_plural = _("online proposals to moderate")


class SearchWord(models.Model):
    """A word that the texts or decisions of a municipality's proposals use:
    the list a misspelt search word is compared with (hearings/search.py).

    PostgreSQL keeps it, as it keeps the search vector it is read from:
    triggers on the proposals' table add the words of every written row and
    drop those no row uses any more (migration 0015), whichever way the row
    was written (a form, the admin, an import, plain SQL). Never shown: it
    holds the words of proposals not yet public too.
    """

    # No index of its own: the unique constraint's index starts with it.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("municipality"),
    )
    word = models.TextField(_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "word"], name="searchword_unique"),
        ]
        indexes = [
            # The municipality first: the tree is split by municipality, so a
            # search reads its municipality's few hundred words, not the
            # country's (a trigram index of the word alone reads them all).
            GistIndex(
                name="searchword_municipality_trgm",
                fields=["municipality", "word"],
                opclasses=["gist_int8_ops", "gist_trgm_ops"],
            ),
        ]

    def __str__(self):
        return self.word
