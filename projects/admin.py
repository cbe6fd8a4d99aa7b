"""The projects app's admin: a project with its groups, funding, outputs,
milestones and photos on one page; awards; the funding's export.

Every choice a form offers (villages, groups, priorities, budget lines,
projects) is the record's own municipality's. The forms' Meta.fields name a
few fields only: the admin's fields and fieldsets decide the rest, and
modeltranslation adds the languages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from groups.models import InitiativeGroup
from hearings.admin_forms import (
    budget_line_choices,
    budget_lines_for,
    priorities_for,
    priority_choices,
)
from portal.admin_filters import MissingTranslationFilter
from portal.models import Village
from portal.templatetags.amounts import amount

from . import exports, services
from .models import (
    IN_KIND,
    Award,
    FundingContribution,
    Milestone,
    Output,
    Project,
    ProjectGroup,
    ProjectPhoto,
)
from .validators import MAX_PHOTO_SIZE, validate_photo

AMOUNTS = ("planned", "actual", "estimated_value")


def municipality_id_of(request, obj=None):
    """The municipality whose choices a form offers: the record's, or for a
    new one the municipality the admin is opened for."""
    if obj is not None and obj.municipality_id:
        return obj.municipality_id
    return getattr(getattr(request, "municipality", None), "pk", None)


NEGATIVE = _("A figure cannot be negative.")


def not_negative(form, *names, least=0, message=NEGATIVE):
    """The database refuses negative figures; the form says so next to the field."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and not field.disabled:
            field.validators.append(MinValueValidator(least, message=message))
            field.widget.attrs.setdefault("min", least)


def belongs(form, name, municipality_id, owner):
    """An error next to `name` when what it names is another municipality's."""
    value = form.cleaned_data.get(name)
    values = value if isinstance(value, (list, tuple, QuerySet)) else [value]
    if municipality_id and any(v is not None and owner(v) != municipality_id for v in values):
        form.add_error(name, _("This belongs to another municipality."))


class ChoicesOncePerPage(BaseInlineFormSet):
    """An inline whose selects are filled by one query for the whole page,
    not one a row."""

    once = ()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        cache = self.__dict__.setdefault("_choices", {})
        for name in self.once:
            field = form.fields.get(name)
            if field is None:
                continue
            if name not in cache:
                cache[name] = list(field.choices)
            field.choices = cache[name]


# --- A project's parts, inline ----------------------------------------------


class ProjectGroupFormSet(ChoicesOncePerPage):
    once = ("group",)

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                belongs(form, "group", self.instance.municipality_id, lambda g: g.municipality_id)


class ProjectGroupInline(admin.TabularInline):
    model = ProjectGroup
    formset = ProjectGroupFormSet
    fields = ["group", "role"]
    extra = 1

    def get_queryset(self, request):
        # Each row is titled with its group's name.
        return super().get_queryset(request).select_related("group")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A class of this request's own (inlineformset_factory): safe to set.
        groups = InitiativeGroup.objects.filter(municipality_id=municipality_id_of(request, obj))
        formset.form.base_fields["group"].queryset = groups.order_by("name")
        return formset


class ContributionForm(forms.ModelForm):
    class Meta:
        model = FundingContribution
        fields = ["kind", "disclosed", *AMOUNTS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self, *AMOUNTS)

    def clean(self):
        cleaned = super().clean()
        if "disclosed" in cleaned and not cleaned["disclosed"]:
            for name in AMOUNTS:
                if cleaned.get(name) is not None:
                    self.add_error(
                        name,
                        _(
                            "The amount is marked as not disclosed: leave it empty, "
                            "or tick “amount disclosed”."
                        ),
                    )
        kind = cleaned.get("kind")
        if kind and kind not in IN_KIND:
            for name in ("description_ky", "description_ru", "estimated_value"):
                if cleaned.get(name) not in (None, ""):
                    self.add_error(
                        name,
                        _("Only work, food, materials or machinery given in kind have this."),
                    )
        return cleaned


class ContributionInline(TranslationStackedInline):
    model = FundingContribution
    form = ContributionForm
    extra = 1
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("kind", "disclosed", "planned", "actual"),
                    ("source_name_ky", "source_name_ru"),
                    ("description_ky", "description_ru", "estimated_value"),
                ]
            },
        )
    ]


class OutputForm(forms.ModelForm):
    class Meta:
        model = Output
        fields = ["quantity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self, "quantity")


class OutputInline(TranslationTabularInline):
    model = Output
    form = OutputForm
    fields = ["quantity", "unit_ky", "unit_ru", "description_ky", "description_ru"]
    extra = 1


def at_most_100(value):
    # Not MaxValueValidator: its message is %-formatted, and this one has a "%".
    if value is not None and value > 100:
        raise ValidationError(_("Progress is between 0 and 100 %."), code="max_value")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["date", "progress"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["progress"]
        field.validators.append(at_most_100)
        field.widget.attrs["max"] = 100


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    form = MilestoneForm
    fields = ["date", "description_ky", "description_ru", "progress"]
    extra = 1


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ProjectPhoto
        fields = ["image", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        image = self.fields["image"]
        image.validators.append(validate_photo)
        image.widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        image.help_text = _(
            "A JPEG, PNG or WebP image of up to %(limit)d MB. It is stored at most "
            "1600 px on its longest side, without the camera's data (EXIF)."
        ) % {"limit": MAX_PHOTO_SIZE // (1024 * 1024)}
        # One language is enough; clean() asks for at least one.
        self.fields["alt_ky"].required = False

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            # A new upload, checked by the field's validators: made fit for the web.
            return services.web_photo(image)
        return image

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in ("alt_ky", "alt_ru")):
            self.add_error(
                "alt_ky",
                _(
                    "Say what the photo shows, in Kyrgyz, Russian or both: "
                    "screen readers read it out to those who cannot see it."
                ),
            )
        return cleaned


class PhotoInline(TranslationTabularInline):
    model = ProjectPhoto
    form = PhotoForm
    fields = ["preview", "image", "alt_ky", "alt_ru", "order"]
    readonly_fields = ["preview"]
    extra = 1

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.pk or not photo.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="120" loading="lazy">', photo.image.url, photo.alt
        )


# --- Projects -----------------------------------------------------------------


class ProjectYearFilter(admin.SimpleListFilter):
    """The projects under way in a year: started by its end, not ended before it."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = (
            Project.objects.filter(pk__in=model_admin.get_queryset(request).values("pk"))
            .exclude(started_on=None)
            .aggregate(
                first=Min(ExtractYear("started_on")),
                last=Max(ExtractYear(Coalesce("ended_on", "started_on"))),
            )
        )
        if span["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(span["last"], span["first"] - 1, -1)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(
            Q(ended_on=None) | Q(ended_on__year__gte=year), started_on__year__lte=year
        )


class SourceKindFilter(admin.SimpleListFilter):
    """The projects with a contribution of a kind. An EXISTS, not a join: the
    list's sums would otherwise count each project's funding once per match."""

    title = _("source of funding")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return FundingContribution.Kind.choices

    def queryset(self, request, queryset):
        if self.value() not in FundingContribution.Kind.values:
            return queryset
        return queryset.filter(
            Exists(FundingContribution.objects.filter(project=OuterRef("pk"), kind=self.value()))
        )


class ProjectAdminForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["municipality", "villages"]
        widgets = {"villages": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        belongs(self, "villages", getattr(municipality, "pk", None), lambda v: v.municipality_id)
        return cleaned


@admin.register(Project)
class ProjectAdmin(TranslationAdmin):
    form = ProjectAdminForm
    list_display = [
        "title",
        "status",
        "years",
        "village_names",
        "known_funding",
        "cofinancing_ratio",
    ]
    list_filter = [
        "status",
        ("villages", admin.RelatedOnlyFieldListFilter),
        SourceKindFilter,
        ProjectYearFilter,
        MissingTranslationFilter,
    ]
    search_fields = ["title_ky", "title_ru"]
    sortable_by = ["title", "status", "years", "known_funding", "cofinancing_ratio"]
    inlines = [ProjectGroupInline, ContributionInline, OutputInline, MilestoneInline, PhotoInline]
    actions = ["export_csv", "export_xlsx"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    ("title_ky", "title_ru"),
                    "slug",
                    ("status", "started_on", "ended_on"),
                    "villages",
                    ("problem_ky", "problem_ru"),
                    ("done_ky", "done_ru"),
                ]
            },
        ),
        (
            _("What it implements: a programme's priority or a budget line"),
            {"fields": [("priority", "budget_line")]},
        ),
        (
            _("Beneficiaries (leave empty what is not known)"),
            {"fields": [("households", "families", "women", "men", "children", "pupils")]},
        ),
    ]

    def get_queryset(self, request):
        # Sums in the database; villages in one more query for the whole list.
        return super().get_queryset(request).with_funding().prefetch_related("villages")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A class of this request's own (modelform_factory): safe to set.
        municipality_id = municipality_id_of(request, obj)
        fields = form.base_fields
        if "villages" in fields:
            fields["villages"].queryset = Village.objects.filter(municipality_id=municipality_id)
        if "priority" in fields:
            priorities = priorities_for(municipality_id)
            fields["priority"].queryset = priorities
            fields["priority"].choices = priority_choices(priorities)
        if "budget_line" in fields:
            lines = budget_lines_for(municipality_id)
            fields["budget_line"].queryset = lines
            fields["budget_line"].choices = budget_line_choices(lines)
        return form

    @admin.display(description=_("years"), ordering="started_on")
    def years(self, project):
        start = project.started_on.year if project.started_on else None
        end = project.ended_on.year if project.ended_on else None
        if start and end and end != start:
            return f"{start}–{end}"
        return str(start or end or "—")

    @admin.display(description=_("villages"))
    def village_names(self, project):
        return ", ".join(village.name for village in project.villages.all()) or "—"

    @admin.display(description=_("known funding, som"), ordering="funding_known")
    def known_funding(self, project):
        known = amount(project.funding_known)
        if not project.funding_undisclosed:
            return known
        note = ngettext(
            "and %(count)d amount not disclosed",
            "and %(count)d amounts not disclosed",
            project.funding_undisclosed,
        ) % {"count": project.funding_undisclosed}
        return format_html("{} <small>({})</small>", known, note)

    @admin.display(
        description=_("som from others per som of the local budget"), ordering="cofinancing"
    )
    def cofinancing_ratio(self, project):
        return "—" if project.cofinancing is None else amount(project.cofinancing, 2)

    # The export of projects with their funding: the selected ones (actions),
    # or the list as filtered (the buttons above it).

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    @admin.action(
        description=_("Export the selected with their funding (CSV)"), permissions=["export"]
    )
    def export_csv(self, request, queryset):
        return exports.projects_csv(queryset)

    @admin.action(
        description=_("Export the selected with their funding (Excel)"), permissions=["export"]
    )
    def export_xlsx(self, request, queryset):
        return exports.projects_xlsx(queryset)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("export.csv", view(self.export_csv_view), name="projects_project_export_csv"),
            path("export.xlsx", view(self.export_xlsx_view), name="projects_project_export_xlsx"),
            *super().get_urls(),
        ]

    def _listed(self, request):
        """The projects the list shows with the same filters and search."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        return self.get_changelist_instance(request).queryset

    def export_csv_view(self, request):
        return exports.projects_csv(self._listed(request))

    def export_xlsx_view(self, request):
        return exports.projects_xlsx(self._listed(request))


# --- Awards -------------------------------------------------------------------


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_negative(self, "prize_amount")
        not_negative(self, "place", least=1, message=_("A place starts at 1."))

    def clean(self):
        cleaned = super().clean()
        municipality_id = getattr(cleaned.get("municipality"), "pk", None)
        for name in ("group", "project"):
            belongs(self, name, municipality_id, lambda row: row.municipality_id)
        return cleaned


@admin.register(Award)
class AwardAdmin(TranslationAdmin):
    form = AwardForm
    list_display = ["competition", "year", "place", "initiative", "prize", "project"]
    list_filter = ["year", MissingTranslationFilter]
    list_select_related = ["project"]
    search_fields = ["competition_ky", "competition_ru", "initiative_ky", "initiative_ru"]
    sortable_by = ["competition", "year", "place", "prize"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    ("competition_ky", "competition_ru"),
                    ("year", "place"),
                    ("initiative_ky", "initiative_ru"),
                    "group",
                    "prize_amount",
                    ("purchase_ky", "purchase_ru"),
                    "project",
                ]
            },
        )
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        municipality_id = municipality_id_of(request, obj)
        fields = form.base_fields
        if "group" in fields:
            fields["group"].queryset = InitiativeGroup.objects.filter(
                municipality_id=municipality_id
            )
        if "project" in fields:
            fields["project"].queryset = Project.objects.filter(municipality_id=municipality_id)
        return form

    @admin.display(description=_("prize, som"), ordering="prize_amount")
    def prize(self, award):
        return amount(award.prize_amount)
