import json
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language, resolution_order

from portal.choices import Topic
from portal.facts import ChangesFacts, ChangesFactsQuerySet, remembered
from portal.fields import ChoiceArrayField
from portal.models import Municipality, Village
from portal.text import unique_slug

from .composition import Composition, youth_birth_years


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class PersonCategory(models.TextChoices):
    COMMUNITY_LEADER = "leader", _("Community leader")
    DEPUTY = "deputy", _("Village-council deputy")
    CIVIL_SOCIETY = "civil_society", _("Civil-society representative")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


def composition_counts(prefix="", base=None):
    """Count() arguments for the composition over people reached through prefix.

    base is the condition every counted row meets (say, a current membership).
    """

    def count(**lookups):
        condition = Q(**{prefix + lookup: value for lookup, value in lookups.items()})
        if base is not None:
            condition &= base
        return Count(prefix + "pk", filter=condition or None)

    return {
        "members": count(),
        "women": count(sex=Sex.FEMALE),
        "youth": count(birth_year__range=youth_birth_years()),
        "deputies": count(categories__contains=[PersonCategory.DEPUTY]),
        "civil_society": count(categories__contains=[PersonCategory.CIVIL_SOCIETY]),
        "leaders": count(categories__contains=[PersonCategory.COMMUNITY_LEADER]),
    }


# The public pages count the figures with the SQL below rather than with
# composition_counts(): Django takes about 2 ms to compile those six filtered
# counts, longer than PostgreSQL takes to count a municipality's people. The
# tests hold both to the same figures.
FIGURES_SQL = (
    "jsonb_build_object("
    "'members', COUNT(*), "
    "'women', COUNT(*) FILTER (WHERE {p}.sex = %s), "
    "'youth', COUNT(*) FILTER (WHERE {p}.birth_year BETWEEN %s AND %s), "
    "'deputies', COUNT(*) FILTER (WHERE {p}.categories @> ARRAY[%s]::varchar[]), "
    "'civil_society', COUNT(*) FILTER (WHERE {p}.categories @> ARRAY[%s]::varchar[]), "
    "'leaders', COUNT(*) FILTER (WHERE {p}.categories @> ARRAY[%s]::varchar[]))"
)


def figures_sql(person):
    """The composition of the people aliased `person`, as one jsonb object:
    an aggregate expression (SQL, params)."""
    params = [
        Sex.FEMALE.value,
        *youth_birth_years(),
        PersonCategory.DEPUTY.value,
        PersonCategory.CIVIL_SOCIETY.value,
        PersonCategory.COMMUNITY_LEADER.value,
    ]
    return FIGURES_SQL.format(p=person), params


@dataclass(frozen=True)
class Summary:
    figures: Composition
    active_groups: int
    dissolved_groups: int


def remembered_summary(municipality):
    """municipality_summary(), kept as a fact: any write to the
    municipality's groups, people or memberships drops it."""
    return remembered(
        municipality.pk, "groups", lambda: municipality_summary(municipality), translated=False
    )


def municipality_summary(municipality):
    """The figures of the municipality's current members, each counted once
    however many groups they sit in, and how many active and dissolved groups
    it has: one query, for the groups list and the home page.

    The members are found from the municipality's active groups to their
    current memberships, then hash-joined to its people: a third of the
    time of probing every person's memberships (Person.current_members()).
    """
    figures, params = figures_sql("p")
    active, dissolved = InitiativeGroup.Status.ACTIVE.value, InitiativeGroup.Status.DISSOLVED.value
    groups = (
        "SELECT COUNT(*) FROM groups_initiativegroup WHERE municipality_id = %s AND status = %s"
    )
    sql = (
        f"SELECT {figures}, ({groups}), ({groups}) FROM groups_person p "
        "WHERE p.municipality_id = %s AND p.id IN ("
        "SELECT m.person_id FROM groups_membership m "
        "JOIN groups_initiativegroup g ON g.id = m.group_id "
        "WHERE g.municipality_id = %s AND g.status = %s AND m.left_on IS NULL)"
    )
    pk = municipality.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk, active, pk, dissolved, pk, pk, active])
        counts, active_groups, dissolved_groups = cursor.fetchone()
    # Django's connection hands jsonb back as text (its JSONField decodes it).
    counts = json.loads(counts)
    return Summary(Composition.from_counts(counts), active_groups, dissolved_groups)


def village_names_sql(group):
    """The names of the villages of the group aliased `group`, as the page
    shows them (in its language, else in the other: modeltranslation's
    fallback) and in the order a prefetch gives them."""
    languages = resolution_order(get_language())
    name = ", ".join(f"NULLIF(v.name_{code}, '')" for code in languages)
    return (
        f"ARRAY(SELECT COALESCE({name}, '') FROM portal_village v "
        "JOIN groups_initiativegroup_villages gv ON gv.village_id = v.id "
        f"WHERE gv.initiativegroup_id = {group}.id ORDER BY v.name_{languages[0]})"
    )


class InitiativeGroupQuerySet(ChangesFactsQuerySet):
    def active(self):
        return self.filter(status=InitiativeGroup.Status.ACTIVE)

    def dissolved(self):
        return self.filter(status=InitiativeGroup.Status.DISSOLVED)

    def with_composition(self):
        """Annotate each group with its current members' figures (one query)."""
        current = Q(memberships__left_on__isnull=True)
        counts = composition_counts("memberships__person__", base=current)
        return self.annotate(**{f"composition_{name}": c for name, c in counts.items()})

    def with_figures(self):
        """Annotate each group with its current members' figures and its
        villages' names, for the public pages.

        Unlike with_composition(), each is a subquery of the row: PostgreSQL
        evaluates it after the ORDER BY and LIMIT, for the page's rows only,
        and the names spare a prefetch query.
        """
        group = self.model._meta.db_table
        figures, params = figures_sql("p")
        return self.annotate(
            composition_counts=RawSQL(
                f"(SELECT {figures} FROM groups_membership m "
                "JOIN groups_person p ON p.id = m.person_id "
                f"WHERE m.group_id = {group}.id AND m.left_on IS NULL)",
                params,
                output_field=models.JSONField(),
            ),
            village_names=RawSQL(
                village_names_sql(group), [], output_field=ArrayField(models.TextField())
            ),
        )


class InitiativeGroup(ChangesFacts):
    """A демилгелүү топ: residents organised to take part in local decisions."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="initiative_groups",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address in the URL"),
        max_length=80,
        blank=True,
        help_text=_("Latin letters, digits and hyphens; made from the name when left empty."),
    )
    focus_topics = ChoiceArrayField(
        models.CharField(max_length=20, choices=Topic.choices),
        verbose_name=_("focus topics"),
        default=list,
        blank=True,
    )
    villages = models.ManyToManyField(
        Village, related_name="initiative_groups", blank=True, verbose_name=_("villages")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    order_number = models.CharField(
        _("ayil okmotu order number"),
        max_length=50,
        blank=True,
        help_text=_("The order of the ayil okmotu that formalised the group."),
    )
    order_date = models.DateField(_("order date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    public_contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown to everyone: a phone or e-mail the group agreed to publish."),
    )

    objects = InitiativeGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative group")
        verbose_name_plural = _("initiative groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "municipality",
                "slug",
                name="group_unique_slug_per_municipality",
                violation_error_message=_("Another group already uses this address."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", dissolved_on__isnull=True)
                | Q(status="dissolved", dissolved_on__isnull=False),
                name="group_dissolved_iff_dissolution_date",
                violation_error_message=_(
                    "A dissolved group needs the date it was dissolved; an active one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="group_dissolved_after_founded",
                violation_error_message=_("A group cannot be dissolved before it was founded."),
            ),
            models.CheckConstraint(
                condition=Q(order_number="", order_date__isnull=True)
                | (~Q(order_number="") & Q(order_date__isnull=False)),
                name="group_order_number_with_date",
                violation_error_message=_("Give both the order number and its date, or neither."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])

    def _unique_slug(self):
        return unique_slug(
            self, self.name_ky or self.name, fallback="group", municipality_id=self.municipality_id
        )

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def composition(self):
        """Figures annotated by InitiativeGroupQuerySet.with_figures() or
        with_composition()."""
        counts = getattr(self, "composition_counts", None)
        if counts is None:
            counts = {
                name: getattr(self, f"composition_{name}")
                for name in Composition.__dataclass_fields__
            }
        return Composition.from_counts(counts)

    def get_focus_topics_display(self):
        labels = dict(Topic.choices)
        return [labels.get(topic, topic) for topic in self.focus_topics]


class PersonQuerySet(ChangesFactsQuerySet):
    def current_members(self):
        """People who sit in at least one active group now."""
        return self.filter(
            Exists(
                Membership.objects.filter(
                    person=OuterRef("pk"),
                    left_on__isnull=True,
                    group__status=InitiativeGroup.Status.ACTIVE,
                )
            )
        )

    def composition(self):
        """The figures of these people, each counted once however many groups."""
        figures, params = figures_sql(self.model._meta.db_table)
        counts = self.order_by().values_list(
            RawSQL(figures, params, output_field=models.JSONField()), flat=True
        )
        return Composition.from_counts(counts.get())


class Person(ChangesFacts):
    """A member of one or more initiative groups. Phone, birth year and notes are private."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("municipality"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    village = models.ForeignKey(
        Village,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("village"),
    )
    categories = ChoiceArrayField(
        models.CharField(max_length=20, choices=PersonCategory.choices),
        verbose_name=_("categories"),
        default=list,
        blank=True,
    )
    phone = models.CharField(_("phone (private)"), max_length=30, blank=True)
    notes = models.TextField(_("notes (private)"), blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__range=(1900, 2100)),
                name="person_birth_year_plausible",
                violation_error_message=_("The birth year must be between 1900 and this year."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "full_name"])]

    def __str__(self):
        return self.full_name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.birth_year and self.birth_year > timezone.localdate().year:
            raise ValidationError(
                {"birth_year": _("The birth year must be between 1900 and this year.")}
            )

    def get_categories_display(self):
        labels = dict(PersonCategory.choices)
        return [labels.get(c, c) for c in self.categories]


def role_rank():
    """Chair first, then secretary, then members: for ordering."""
    return models.Case(
        models.When(role=Role.CHAIR, then=0),
        models.When(role=Role.SECRETARY, then=1),
        default=2,
    )


class MembershipQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "group__municipality_id"


class Membership(ChangesFacts):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    group = models.ForeignKey(
        InitiativeGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("initiative group"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Set when the person leaves the group.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "left_on", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                "person",
                "group",
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_person_and_group",
                violation_error_message=_("This person is already a current member of the group."),
            ),
            models.UniqueConstraint(
                "group",
                condition=Q(left_on__isnull=True, role="chair"),
                name="membership_one_current_chair_per_group",
                violation_error_message=_("The group already has a chair."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.group}"

    @property
    def is_current(self):
        return self.left_on is None

    def facts_municipality_id(self):
        return self.group.municipality_id

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.person_id
            and self.group_id
            and self.person.municipality_id != self.group.municipality_id
        ):
            raise ValidationError(
                {"person": _("The person and the group belong to different municipalities.")}
            )


class ActivityQuerySet(ChangesFactsQuerySet):
    municipality_lookup = "group__municipality_id"


class Activity(ChangesFacts):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        FIELD_INSPECTION = "inspection", _("Field inspection")
        RULE_DRAFTING = "rules", _("Drafting local rules")
        HEARING = "hearing", _("Hearing participation")
        PROJECT_WORK = "project", _("Project work")
        OTHER = "other", _("Other")

    group = models.ForeignKey(
        InitiativeGroup,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("initiative group"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__gte=0),
                name="activity_participants_not_negative",
                violation_error_message=_("The number of participants cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title

    def facts_municipality_id(self):
        return self.group.municipality_id
