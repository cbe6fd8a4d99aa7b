"""Community projects: what villages build with money and work from many
sources, what it achieved and for whom, and the awards they won.

An amount may be undisclosed (a donor's investment the source does not
give): it is then never counted as zero, and every total it would be part
of says so (ProjectQuerySet.with_funding, projects/figures.py)."""

import secrets
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import InitiativeGroup
from portal.facts import ChangesFacts, ChangesFactsQuerySet
from portal.fields import not_negative
from portal.models import Municipality, Village
from portal.queries import translated
from portal.text import unique_slug

SOM = {"max_digits": 14, "decimal_places": 2}
ZERO = Value(Decimal("0"), output_field=DecimalField(**SOM))


def photo_file_name(instance, filename):
    """photos/<year>/<random token>.jpg: an address nobody can guess."""
    return f"photos/{timezone.now().year}/{secrets.token_urlsafe(24)}.jpg"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class SourceKind(models.TextChoices):
    LOCAL_BUDGET = "local_budget", _("Local budget")
    REPUBLICAN_BUDGET = "republican_budget", _("Republican budget")
    DONOR = "donor", _("International donor")
    PRIVATE = "private", _("Private sector")
    RESIDENTS = "residents", _("Residents' money")
    LABOUR = "labour", _("Work in kind")
    FOOD = "food", _("Food in kind")
    MATERIALS = "materials", _("Materials or machinery in kind")
    PRIZE = "prize", _("Prize money")


IN_KIND = [SourceKind.LABOUR, SourceKind.FOOD, SourceKind.MATERIALS]

# What a contribution counts for in totals: what was given if known, else
# what was promised, else (in kind) its estimated value.
AMOUNT = Coalesce("actual", "planned", "estimated_value")


class ProjectQuerySet(ChangesFactsQuerySet):
    def with_funding(self):
        """funding_figures(), and `cofinancing`: som from other sources per
        som of the local budget."""
        return self.annotate(**funding_figures()).annotate(
            cofinancing=Round(
                (F("funding_known") - F("funding_local")) / NullIf(F("funding_local"), ZERO), 2
            )
        )


def village_names():
    """The names of a project's villages (OuterRef("pk")) in the current
    language, in their order: an array."""
    return ArraySubquery(
        Village.objects.filter(projects=OuterRef("pk"))
        .order_by()
        .annotate(shown=translated("name"))
        .order_by("shown", "pk")
        .values("shown")
    )


def funding_figures():
    """A project's (OuterRef("pk")) known funding, the local budget's part,
    and how many contributions have no amount (undisclosed), summed in the
    database: funding_known, funding_local, funding_undisclosed.

    Subqueries rather than a join: no GROUP BY over the projects, so a
    page of them is limited (and a project found by its unique slug)
    before its own few contributions are summed, through their index."""
    contributions = FundingContribution.objects.filter(project=OuterRef("pk")).order_by()

    def total(queryset, aggregate):
        return Subquery(queryset.values("project").annotate(total=aggregate).values("total"))

    known = contributions.filter(disclosed=True)
    return {
        "funding_known": Coalesce(total(known, Sum(AMOUNT)), ZERO),
        "funding_local": Coalesce(
            total(known.filter(kind=SourceKind.LOCAL_BUDGET), Sum(AMOUNT)), ZERO
        ),
        "funding_undisclosed": Coalesce(
            total(
                contributions.filter(
                    Q(disclosed=False)
                    | Q(actual__isnull=True, planned__isnull=True, estimated_value__isnull=True)
                ),
                Count("pk"),
            ),
            0,
        ),
    }


class Project(ChangesFacts):
    Status = ProjectStatus

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("address in the URL"),
        max_length=80,
        blank=True,
        help_text=_("Latin letters, digits and hyphens; made from the title when left empty."),
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="projects", verbose_name=_("villages")
    )
    problem = models.TextField(_("the problem"), blank=True)
    done = models.TextField(_("what was done"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField(_("start"), null=True, blank=True)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    groups = models.ManyToManyField(
        InitiativeGroup,
        through="ProjectGroup",
        blank=True,
        related_name="projects",
        verbose_name=_("initiative groups"),
    )
    # What it implements: a programme's priority or a budget's line.
    priority = models.ForeignKey(
        "budget.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("programme priority"),
    )
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("budget line"),
    )

    # Beneficiaries, each optional.
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    families = models.PositiveIntegerField(_("families"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children"), null=True, blank=True)
    pupils = models.PositiveIntegerField(_("pupils"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("community project")
        verbose_name_plural = _("community projects")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "municipality",
                "slug",
                name="project_unique_slug_per_municipality",
                violation_error_message=_("Another project has this address."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="project_ends_after_it_starts",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(budget_line__isnull=True),
                name="project_implements_one_target",
                violation_error_message=_("Name a priority or a budget line, not both."),
            ),
            *not_negative(
                "project", "households", "families", "women", "men", "children", "pupils"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.slug])

    def _unique_slug(self):
        return unique_slug(
            self,
            self.title_ky or self.title,
            fallback="project",
            municipality_id=self.municipality_id,
        )

    def clean(self):
        super().clean()
        owners = {
            "priority": lambda p: p.programme.municipality_id,
            "budget_line": lambda line: line.budget.municipality_id,
        }
        for field, owner in owners.items():
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if related and self.municipality_id and owner(related) != self.municipality_id:
                raise ValidationError({field: _("This belongs to another municipality.")})


class OfProjectQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "project__municipality_id"


class OfProject(ChangesFacts):
    """A row of a project: its writes drop its municipality's facts (the
    project's page among them)."""

    objects = OfProjectQuerySet.as_manager()

    class Meta:
        abstract = True

    def facts_municipality_id(self):
        return self.project.municipality_id


class ProjectGroup(OfProject):
    """An initiative group's part in a project."""

    class Role(models.TextChoices):
        INITIATOR = "initiator", _("Initiated it")
        PARTICIPANT = "participant", _("Took part")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="group_roles", verbose_name=_("project")
    )
    group = models.ForeignKey(
        InitiativeGroup,
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("initiative group"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("initiative group in the project")
        verbose_name_plural = _("initiative groups in the project")
        constraints = [
            models.UniqueConstraint(
                "project",
                "group",
                name="projectgroup_once_per_project",
                violation_error_message=_("This group is already in the project."),
            ),
        ]

    def __str__(self):
        return f"{self.group} ({self.get_role_display()})"


class FundingContribution(OfProject):
    """Money or work from one source. Undisclosed: no amount is known, and
    totals say so instead of counting it as zero."""

    Kind = SourceKind

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("source"), max_length=20, choices=Kind.choices)
    source_name = models.CharField(
        _("who gave it"), max_length=200, help_text=_("For example: Parents.")
    )
    disclosed = models.BooleanField(
        _("amount disclosed"),
        default=True,
        help_text=_("Untick when the amount is not made public: it is then never shown as 0."),
    )
    planned = models.DecimalField(_("planned, som"), null=True, blank=True, **SOM)
    actual = models.DecimalField(_("actual, som"), null=True, blank=True, **SOM)
    # In kind: what was given, and what it is worth if anyone estimated it.
    description = models.CharField(_("what was given in kind"), max_length=300, blank=True)
    estimated_value = models.DecimalField(_("estimated value, som"), null=True, blank=True, **SOM)

    class Meta:
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding")
        ordering = ["project", "kind", "pk"]
        constraints = [
            *not_negative("contribution", "planned", "actual", "estimated_value"),
            models.CheckConstraint(
                condition=Q(disclosed=True)
                | Q(planned__isnull=True, actual__isnull=True, estimated_value__isnull=True),
                name="contribution_undisclosed_has_no_amount",
                violation_error_message=_("An undisclosed contribution has no amount."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IN_KIND) | Q(estimated_value__isnull=True, description=""),
                name="contribution_estimate_only_in_kind",
                violation_error_message=_(
                    "Only a contribution in kind has a description and an estimated value."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source_name}"

    @property
    def amount(self):
        if not self.disclosed:
            return None
        for value in (self.actual, self.planned, self.estimated_value):
            if value is not None:
                return value
        return None


class Output(OfProject):
    """What a project made: 4.5 km of pipeline, a 300 m dam, 2000 seedlings."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("project")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: km, m, seedlings."))
    description = models.CharField(_("what"), max_length=300)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["project", "pk"]
        constraints = not_negative("output", "quantity")

    def __str__(self):
        return f"{self.quantity} {self.unit} {self.description}"


class Milestone(OfProject):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("what happened"), max_length=300)
    progress = models.PositiveSmallIntegerField(_("progress, %"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="milestone_progress_is_a_percentage",
                violation_error_message=_("Progress is between 0 and 100 %."),
            ),
        ]

    def __str__(self):
        return self.description


class ProjectPhoto(OfProject):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="photos", verbose_name=_("project")
    )
    image = models.ImageField(_("photo"), upload_to=photo_file_name)
    # Read out by screen readers: what the photo shows.
    alt = models.CharField(_("what the photo shows"), max_length=250)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["project", "order", "pk"]

    def __str__(self):
        return self.alt


class Award(ChangesFacts):
    """A competition the municipality won, and what the prize bought."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("municipality"),
    )
    competition = models.CharField(_("competition"), max_length=250)
    year = models.PositiveSmallIntegerField(_("year"))
    place = models.PositiveSmallIntegerField(_("place won"), null=True, blank=True)
    initiative = models.CharField(_("the initiative it rewarded"), max_length=250, blank=True)
    group = models.ForeignKey(
        InitiativeGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("initiative group"),
    )
    prize_amount = models.DecimalField(_("prize, som"), null=True, blank=True, **SOM)
    purchase = models.CharField(_("what the prize bought"), max_length=300, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("project"),
    )

    objects = ChangesFactsQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "pk"]
        constraints = [
            *not_negative("award", "prize_amount"),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1),
                name="award_place_from_first",
                violation_error_message=_("A place starts at 1."),
            ),
        ]

    def __str__(self):
        return f"{self.competition} ({self.year})"
