"""What the hearings discuss and the accepted proposals become: council
resolutions, development programmes with their priorities, local budgets
with their lines. Sums are in som, as Decimal; totals and shares are
computed in the database (LocalBudgetQuerySet, BudgetLineQuerySet)."""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Lag, NullIf, Round, RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from hearings.validators import validate_protocol_file
from portal.choices import Topic
from portal.facts import ChangesFacts, ChangesFactsQuerySet
from portal.fields import not_negative
from portal.models import Municipality

SOM = {"max_digits": 14, "decimal_places": 2}
ZERO = Value(Decimal("0"), output_field=DecimalField(**SOM))
AMOUNT_NOT_NEGATIVE = _("An amount cannot be negative.")


def document_file_name(instance, filename):
    """documents/<year>/<random token>.<ext>: an address nobody can guess."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"documents/{timezone.now().year}/{secrets.token_urlsafe(24)}{suffix}"


def _check_resolution(approved):
    """A programme or budget is approved by its own municipality's council."""
    if (
        approved.resolution_id
        and approved.municipality_id
        and approved.resolution.municipality_id != approved.municipality_id
    ):
        raise ValidationError({"resolution": _("Choose a resolution of this municipality.")})


class CouncilResolution(ChangesFacts):
    """A resolution (токтом / постановление) of the local council."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("municipality"),
    )
    # As written on the document: "23", "1/5".
    number = models.CharField(_("number"), max_length=20)
    adopted_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    convocation = models.PositiveSmallIntegerField(_("convocation"), null=True, blank=True)
    session = models.PositiveSmallIntegerField(_("session"), null=True, blank=True)
    document = models.FileField(
        _("signed document"),
        upload_to=document_file_name,
        blank=True,
        validators=[validate_protocol_file],
        help_text=_("The signed resolution: PDF, JPEG or PNG, up to 10 MB."),
    )

    objects = ChangesFactsQuerySet.as_manager()

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["-adopted_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "adopted_on", "number"],
                name="budget_resolution_unique_number",
                violation_error_message=_("This resolution is already entered."),
            ),
        ]

    def __str__(self):
        return _("No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": formats.date_format(self.adopted_on, "SHORT_DATE_FORMAT"),
        }


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("Public discussion")
    APPROVED = "approved", _("Approved")


class ProgrammeQuerySet(ChangesFactsQuerySet):
    def published(self):
        """Programmes residents see: from the public discussion on."""
        return self.exclude(status=ProgrammeStatus.DRAFT)


def programme_summary():
    """The priorities' planned cost and the public proposals they took in,
    summed in the database (the count in a subquery, so that it does not
    multiply the sum)."""
    from hearings.models import Proposal

    taken_in = (
        Proposal.objects.public()
        .filter(priority__programme=OuterRef("pk"))
        .order_by()
        .values("priority__programme")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # Both in subqueries: joined to the priorities, the count's subquery
    # ran once per priority row instead of once per programme.
    planned = (
        Priority.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(total=Sum("planned_cost"))
        .values("total")
    )
    return {
        "planned_total": Subquery(planned),
        "proposals_taken": Coalesce(Subquery(taken_in), 0),
    }


class DevelopmentProgramme(ChangesFacts):
    """A development programme (СЭӨП / ПСЭР) for a span of years."""

    Status = ProgrammeStatus

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    resolution = models.ForeignKey(
        CouncilResolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("approved by resolution"),
    )
    document = models.FileField(
        _("document"),
        upload_to=document_file_name,
        blank=True,
        validators=[validate_protocol_file],
        help_text=_("The programme: PDF, JPEG or PNG, up to 10 MB."),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("development programme")
        verbose_name_plural = _("development programmes")
        ordering = ["-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="budget_programme_years_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(resolution__isnull=False),
                name="budget_programme_approved_has_resolution",
                violation_error_message=_("An approved programme names its resolution."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.first_year}–{self.last_year})"

    def get_absolute_url(self):
        return reverse("budget:programme_detail", args=[self.pk])

    def clean(self):
        super().clean()
        _check_resolution(self)


class PriorityQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "programme__municipality_id"


def priority_proposal_count():
    """How many public proposals each priority took in: a subquery each,
    which the proposals' priority index answers alone."""
    from hearings.models import Proposal

    taken_in = (
        Proposal.objects.public()
        .filter(priority=OuterRef("pk"))
        .order_by()
        .values("priority")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return {"proposals_taken": Coalesce(Subquery(taken_in), 0)}


class Priority(ChangesFacts):
    """A priority of a programme: what it plans, for how much, by when."""

    programme = models.ForeignKey(
        DevelopmentProgramme,
        on_delete=models.CASCADE,
        related_name="priorities",
        verbose_name=_("development programme"),
    )
    number = models.PositiveSmallIntegerField(_("No."), default=1)
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    expected_result = models.TextField(_("expected result"), blank=True)
    planned_cost = models.DecimalField(_("planned cost, som"), null=True, blank=True, **SOM)
    first_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme priority")
        verbose_name_plural = _("programme priorities")
        ordering = ["programme", "number", "pk"]
        constraints = [
            *not_negative("budget_priority", "planned_cost", message=AMOUNT_NOT_NEGATIVE),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="budget_priority_years_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def facts_municipality_id(self):
        return self.programme.municipality_id

    def get_absolute_url(self):
        return reverse("budget:priority_detail", args=[self.pk])

    def clean(self):
        super().clean()
        programme = self.programme if self.programme_id else None
        if programme is None:
            return
        for field in ("first_year", "last_year"):
            year = getattr(self, field)
            if year is not None and not programme.first_year <= year <= programme.last_year:
                raise ValidationError(
                    {
                        field: _("Give a year of the programme: %(first)s to %(last)s.")
                        % {"first": programme.first_year, "last": programme.last_year}
                    }
                )


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("Public discussion")
    APPROVED = "approved", _("Approved")
    EXECUTED = "executed", _("Executed")


class LocalBudgetQuerySet(ChangesFactsQuerySet):
    def published(self):
        """Budgets residents see: from the public discussion on."""
        return self.exclude(status=BudgetStatus.DRAFT)

    def with_totals(self):
        """Revenue and expenditure, planned and executed, summed in the database."""

        def total(kind, amount):
            return Coalesce(Sum(f"lines__{amount}", filter=Q(lines__kind=kind)), ZERO)

        revenue, expenditure = BudgetLine.Kind.REVENUE, BudgetLine.Kind.EXPENDITURE
        return self.annotate(
            revenue_planned=total(revenue, "planned"),
            revenue_executed=total(revenue, "executed"),
            expenditure_planned=total(expenditure, "planned"),
            expenditure_executed=total(expenditure, "executed"),
        )

    def with_per_resident(self):
        """Planned and executed expenditure per resident (after with_totals);
        empty where the population is not known."""
        per = DecimalField(max_digits=14, decimal_places=2)
        population = NullIf(F("population"), 0)
        return self.annotate(
            planned_per_resident=ExpressionWrapper(F("expenditure_planned") / population, per),
            executed_per_resident=ExpressionWrapper(F("expenditure_executed") / population, per),
        )


class LocalBudget(ChangesFacts):
    """The municipality's budget for one year."""

    Status = BudgetStatus

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    resolution = models.ForeignKey(
        CouncilResolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
        verbose_name=_("approved by resolution"),
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Residents counted for the figures per resident."),
    )

    objects = LocalBudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("local budget")
        verbose_name_plural = _("local budgets")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="budget_one_budget_a_year",
                violation_error_message=_("This year's budget is already entered."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "discussion"]) | Q(resolution__isnull=False),
                name="budget_approved_has_resolution",
                violation_error_message=_("An approved budget names its resolution."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gt=0),
                name="budget_population_positive",
                violation_error_message=_("The population must be more than zero."),
            ),
        ]

    def __str__(self):
        return _("Local budget %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("budget:budget_year", args=[self.year])

    def clean(self):
        super().clean()
        _check_resolution(self)


class BudgetLineKind(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    EXPENDITURE = "expenditure", _("Expenditure")


class BudgetLineQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "budget__municipality_id"

    def with_shares(self):
        """Each line's share (%) of its budget's planned total of its kind, and
        its execution (%), computed in the database and rounded once, to the
        one decimal that reports print."""
        # A subquery, not a window: it composes with Count() and other aggregates.
        kind_total = Subquery(
            BudgetLine.objects.filter(budget=OuterRef("budget"), kind=OuterRef("kind"))
            .order_by()
            .values("budget", "kind")
            .annotate(total=Sum("planned"))
            .values("total")
        )
        return self.annotate(
            share=Round(F("planned") * 100 / NullIf(kind_total, ZERO), 1),
            execution=Round(F("executed") * 100 / NullIf(F("planned"), ZERO), 1),
        )

    def for_budget_page(self):
        """All the citizen's budget page shows of a budget's lines, in window
        functions over the query's rows (after its WHERE): filter it with
        budget__in=[budget, previous]. Nothing in it names a budget, so the
        page composes it once.

        Each line: its share of its kind's planned total (percent) and its
        execution (executed_percent); its place, largest plan first (rank),
        and the planned sum and count from its place to the last
        (tail_planned, tail_count: the chart reads "the rest" off the first
        line after the largest); its plan in the other budget of the query,
        the line with the same kind and code (previous_planned), and the
        change from it; its topic's sums (topic_planned, topic_executed),
        share (topic_share) and execution (topic_execution), read off the
        first line of each topic (topic_first = 1)."""
        kind = [F("budget"), F("kind")]
        topic = [*kind, F("topic")]
        kind_total = NullIf(Window(Sum("planned"), partition_by=kind), ZERO)
        topic_planned = Window(Sum("planned"), partition_by=topic)
        largest_last = [F("planned").asc(), F("code").desc()]
        to_the_end = {"partition_by": kind, "order_by": largest_last}
        to_the_end["frame"] = RowRange(start=None, end=0)
        previous_planned = Window(
            Lag("planned"), partition_by=[F("kind"), F("code")], order_by=F("budget__year").asc()
        )
        return self.annotate(
            percent=Round(F("planned") * 100 / kind_total, 1),
            executed_percent=Round(F("executed") * 100 / NullIf(F("planned"), ZERO), 1),
            rank=Window(
                RowNumber(), partition_by=kind, order_by=[F("planned").desc(), F("code").asc()]
            ),
            tail_planned=Window(Sum("planned"), **to_the_end),
            tail_count=Window(Count("pk"), **to_the_end),
            previous_planned=previous_planned,
            change=ExpressionWrapper(F("planned") - previous_planned, DecimalField(**SOM)),
            topic_first=Window(RowNumber(), partition_by=topic, order_by=F("code").asc()),
            topic_planned=topic_planned,
            topic_executed=Window(Sum("executed"), partition_by=topic),
            topic_share=Round(topic_planned * 100 / kind_total, 1),
            topic_execution=Round(
                Window(Sum("executed"), partition_by=topic) * 100 / NullIf(topic_planned, ZERO),
                1,
            ),
        )


class BudgetLine(ChangesFacts):
    """A revenue or expenditure line, as the finance office classifies it."""

    Kind = BudgetLineKind

    budget = models.ForeignKey(
        LocalBudget,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("local budget"),
    )
    kind = models.CharField(_("revenue or expenditure"), max_length=12, choices=Kind.choices)
    # As the finance office writes it: "1.1.1", "2111".
    code = models.CharField(_("classification code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    planned = models.DecimalField(_("planned, som"), **SOM)
    revised = models.DecimalField(_("revised, som"), null=True, blank=True, **SOM)
    executed = models.DecimalField(_("executed, som"), null=True, blank=True, **SOM)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "kind", "code"]
        constraints = [
            *not_negative(
                "budget_line", "planned", "revised", "executed", message=AMOUNT_NOT_NEGATIVE
            ),
            models.UniqueConstraint(
                fields=["budget", "kind", "code"],
                name="budget_line_unique_code",
                violation_error_message=_("This budget already has a line with this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def facts_municipality_id(self):
        return self.budget.municipality_id

    def get_absolute_url(self):
        return reverse("budget:budget_year", args=[self.budget.year]) + f"#line-{self.pk}"


class DocumentKind(models.TextChoices):
    """The budget documents a municipality publishes each year (what the
    Municipal Budget Transparency Index looks for)."""

    DRAFT = "draft", _("Draft budget")
    APPROVED = "approved", _("Approved budget")
    EXECUTION = "execution", _("Execution report")
    CITIZENS = "citizens", _("Citizen's budget")


class BudgetDocumentQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "budget__municipality_id"


class BudgetDocument(ChangesFacts):
    """A budget document as published: when, and where to read it."""

    Kind = DocumentKind

    budget = models.ForeignKey(
        LocalBudget,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("local budget"),
    )
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    published_on = models.DateField(_("published on"))
    file = models.FileField(
        _("file"),
        upload_to=document_file_name,
        blank=True,
        validators=[validate_protocol_file],
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
    )
    link = models.URLField(_("or a link"), blank=True)

    objects = BudgetDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget document")
        verbose_name_plural = _("budget documents")
        ordering = ["budget", "kind", "published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "kind", "published_on"],
                name="budget_document_unique",
                violation_error_message=_("This document is already entered for this date."),
            ),
        ]

    def __str__(self):
        day = formats.date_format(self.published_on, "SHORT_DATE_FORMAT")
        return f"{self.get_kind_display()}, {day}"

    def facts_municipality_id(self):
        return self.budget.municipality_id
