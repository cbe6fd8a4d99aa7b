from django.conf import settings
from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from portal.choices import Topic

from . import exports, services
from .models import Activity, InitiativeGroup, Membership, Person, PersonCategory


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "joined_on", "left_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


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
    list_filter = ["status", ("villages", admin.RelatedOnlyFieldListFilter), FocusTopicFilter]
    search_fields = ["name_ky", "name_ru"]
    filter_horizontal = ["villages"]
    readonly_fields = ["composition_table"]
    inlines = [MembershipInline]
    actions = ["export_members_csv", "export_members_xlsx", "dissolve"]
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

    @admin.display(description=_("members"), ordering="composition_members")
    def member_count(self, group):
        return group.composition_members

    @admin.display(description=_("women, %"))
    def women_share(self, group):
        figures = group.composition
        if figures.women_share is None:
            return "—"
        flag = " ⚠" if figures.women_below_benchmark else ""
        return f"{figures.women_share}{flag}"

    @admin.display(description=_("youth, %"))
    def youth_share(self, group):
        share = group.composition.youth_share
        return "—" if share is None else share

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

    @admin.action(description=_("Dissolve selected groups today"), permissions=["change"])
    def dissolve(self, request, queryset):
        groups = list(queryset.active())
        for group in groups:
            services.dissolve_group(group)
        self.message_user(
            request,
            ngettext("%(count)d group dissolved.", "%(count)d groups dissolved.", len(groups))
            % {"count": len(groups)},
            messages.SUCCESS,
        )


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
    list_filter = ["kind", "group"]
    search_fields = ["title_ky", "title_ru"]
    date_hierarchy = "date"
    list_select_related = ["group"]
