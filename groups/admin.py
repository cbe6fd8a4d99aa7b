from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from portal.admin_filters import MissingTranslationFilter
from portal.choices import Topic

from . import exports, services
from .models import Activity, InitiativeGroup, Membership, Person, PersonCategory, Role


class ArrayChoiceFilter(admin.SimpleListFilter):
    """Filter on one value of an array of choices (categories, topics)."""

    options = None
    field = None

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}__contains": [self.value()]})
        return queryset


class FocusTopicFilter(ArrayChoiceFilter):
    title = _("focus topic")
    parameter_name = "topic"
    options = Topic.choices
    field = "focus_topics"


class CategoryFilter(ArrayChoiceFilter):
    title = _("category")
    parameter_name = "category"
    options = PersonCategory.choices
    field = "categories"


class CurrentMemberFilter(admin.SimpleListFilter):
    title = _("member of an active group")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current_members()
        if self.value() == "no":
            return queryset.exclude(pk__in=Person.objects.current_members().values("pk"))
        return queryset


class MembershipForm(forms.ModelForm):
    """A row of the group's members. Who the member is never changes once
    recorded, nor does a past member's leaving date: history stays true."""

    class Meta:
        model = Membership
        fields = ["person", "role", "joined_on", "left_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The row's title names the person: no select (and no query) per row.
            self.fields["person"].widget = forms.HiddenInput()
            self.fields["person"].disabled = True
            if self.instance.left_on:
                self.fields["left_on"].disabled = True

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("A member cannot leave before joining."))
        return cleaned

    def validate_constraints(self):
        # The one-chair and one-current-membership rules concern the rows
        # together; the formset checks them (see MembershipFormSet.clean).
        pass


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        current_people, chairs = set(), 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("left_on") or not data.get("person"):
                continue
            if data["person"].pk in current_people:
                raise forms.ValidationError(
                    _("%(person)s is already a current member of the group.")
                    % {"person": data["person"]}
                )
            current_people.add(data["person"].pk)
            chairs += data.get("role") == Role.CHAIR
        if chairs > 1:
            raise forms.ValidationError(_("The group already has a chair."))


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "joined_on", "left_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "group")


@admin.register(InitiativeGroup)
class InitiativeGroupAdmin(TranslationAdmin):
    list_display = [
        "name",
        "status",
        "founded_on",
        "member_count",
        "women_share",
        "youth_share",
    ]
    list_filter = [
        "status",
        ("villages", admin.RelatedOnlyFieldListFilter),
        FocusTopicFilter,
        MissingTranslationFilter,
    ]
    search_fields = ["name_ky", "name_ru"]
    filter_horizontal = ["villages"]
    readonly_fields = ["composition_table"]
    inlines = [MembershipInline]
    actions = ["export_members_csv", "export_members_xlsx", "dissolve", "reactivate"]
    fieldsets = [
        (None, {"fields": ["municipality", "name", "slug", "focus_topics", "villages"]}),
        (_("Composition"), {"fields": ["composition_table"]}),
        (
            _("Founding and status"),
            {"fields": ["founded_on", "order_number", "order_date", "status", "dissolved_on"]},
        ),
        (_("Public information"), {"fields": ["description", "public_contact"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_composition()

    def get_readonly_fields(self, request, obj=None):
        # Dissolving ends every membership: it goes through the actions below.
        return [*super().get_readonly_fields(request, obj), "status", "dissolved_on"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership.delete()
        # Departures and demotions first, so a new chair never meets the old one.
        memberships.sort(key=lambda m: m.is_current and m.role == Role.CHAIR)
        for membership in memberships:
            membership.save()
        formset.save_m2m()

    @admin.display(description=_("members"), ordering="composition_members")
    def member_count(self, group):
        return group.composition_members

    @admin.display(description=_("women, %"))
    def women_share(self, group):
        figures = group.composition
        if figures.women_share is None:
            return "—"
        # floatformat writes the language's decimal comma, as the public pages do.
        flag = " ⚠" if figures.women_below_benchmark else ""
        return floatformat(figures.women_share, -1) + flag

    @admin.display(description=_("youth, %"))
    def youth_share(self, group):
        share = group.composition.youth_share
        return "—" if share is None else floatformat(share, -1)

    @admin.display(description=_("current figures"))
    def composition_table(self, group):
        if not group.pk:
            return "—"
        return render_to_string(
            "groups/admin_figures.html",
            {"figures": group.composition, "benchmark": settings.WOMEN_SHARE_BENCHMARK},
        )

    def has_export_permission(self, request):
        return request.user.has_perm("groups.view_person")

    @admin.action(description=_("Export members (CSV)"), permissions=["export"])
    def export_members_csv(self, request, queryset):
        return exports.members_csv(queryset)

    @admin.action(description=_("Export members (Excel)"), permissions=["export"])
    def export_members_xlsx(self, request, queryset):
        return exports.members_xlsx(queryset)

    def _change_status(self, request, groups, service, message):
        for group in groups:
            service(group)
        self.message_user(request, message % {"count": len(groups)}, messages.SUCCESS)

    @admin.action(description=_("Dissolve selected groups today"), permissions=["change"])
    def dissolve(self, request, queryset):
        groups = list(queryset.active())
        message = ngettext("%(count)d group dissolved.", "%(count)d groups dissolved.", len(groups))
        self._change_status(request, groups, services.dissolve_group, message)

    @admin.action(description=_("Reactivate selected dissolved groups"), permissions=["change"])
    def reactivate(self, request, queryset):
        groups = list(queryset.dissolved())
        message = ngettext(
            "%(count)d group reactivated.", "%(count)d groups reactivated.", len(groups)
        )
        self._change_status(request, groups, services.reactivate_group, message)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "birth_year", "village", "categories_display"]
    list_filter = [
        ("village", admin.RelatedOnlyFieldListFilter),
        CategoryFilter,
        "sex",
        CurrentMemberFilter,
    ]
    search_fields = ["full_name", "phone"]
    # Birth years are private: shown to staff, never a sort key.
    sortable_by = ["full_name", "sex", "village"]
    fields = [
        "municipality",
        "full_name",
        "sex",
        "birth_year",
        "village",
        "categories",
        "phone",
        "notes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("village")

    @admin.display(description=_("categories"))
    def categories_display(self, person):
        return ", ".join(str(c) for c in person.get_categories_display())


@admin.register(Activity)
class ActivityAdmin(TranslationAdmin):
    list_display = ["title", "group", "date", "kind", "participants"]
    list_filter = ["kind", ("group", admin.RelatedOnlyFieldListFilter), MissingTranslationFilter]
    search_fields = ["title_ky", "title_ru"]
    date_hierarchy = "date"
    list_select_related = ["group"]
