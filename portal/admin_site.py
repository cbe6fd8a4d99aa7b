"""The portal's admin site: every list filters and sorts only by what its
ModelAdmin declares.

Django's ModelAdmin.lookup_allowed accepts any lookup on the model's own
fields, so a query string such as ?author_email__startswith=a lets anyone
who sees a list guess private values one character at a time. Here a
list answers 400 to any parameter that no declared filter (list_filter,
date_hierarchy) takes, and to sorting by a column outside sortable_by.
PortalAdminSite mixes this into every ModelAdmin registered with it, the
project's and Django's own alike.

It mixes in MunicipalityScoped too: staff and moderators see, and pick in
forms, only the rows of the municipality the request's host names (as the
public pages do); the superuser sees every municipality's.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models.constants import LOOKUP_SEP
from django.urls import reverse


def _related_fkey_lookup(model, lookup, value):
    """A lookup set by a ForeignKey's limit_choices_to (raw-id popups), as Django allows."""
    for fk_lookup in model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


class DeclaredOnlyChangeList:
    """Mixed into the ChangeList class: refuses what no declared filter took."""

    def get_filters(self, request):
        result = super().get_filters(request)
        remaining = result[2]
        # The date hierarchy turns its year/month/day into these two.
        hierarchy = self.date_hierarchy
        generated = (
            {f"{hierarchy}__gte", f"{hierarchy}__lt"}
            if hierarchy and f"{hierarchy}__year" in self.params
            else set()
        )
        for key in remaining:
            if key in generated:
                continue
            values = request.GET.getlist(key)
            if not (values and all(_related_fkey_lookup(self.model, key, v) for v in values)):
                raise DisallowedModelAdminLookup(f"Filtering by {key} not allowed")
        return result

    def get_ordering(self, request, queryset):
        order = self.params.get(ORDER_VAR)
        if order:
            sortable = None if self.sortable_by is None else set(self.sortable_by)
            for part in order.split("."):
                index = part.removeprefix("-")
                try:
                    name = self.list_display[int(index)] if index.isdigit() else None
                except IndexError:
                    name = None
                if (
                    name is None
                    or (sortable is not None and name not in sortable)
                    or not self.get_ordering_field(name)
                ):
                    raise DisallowedModelAdminLookup(f"Ordering by {part} not allowed")
        return super().get_ordering(request, queryset)


class DeclaredLookupsOnly:
    """Mixed into every ModelAdmin by PortalAdminSite."""

    def _declared_roots(self, request):
        """The first part of every parameter a declared filter may take."""
        roots = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, (list, tuple)):
                item = item[0]
            if isinstance(item, str):
                roots.add(item.split(LOOKUP_SEP)[0])
            else:
                # A SimpleListFilter; a ListFilter without a parameter_name
                # declares nothing, so its parameters are refused.
                roots.add(getattr(item, "parameter_name", None))
        return roots

    def lookup_allowed(self, lookup, value, request):
        # A first, cheap barrier; the change list checks each parameter
        # against what the declared filters really took.
        if _related_fkey_lookup(self.model, lookup, value):
            return True
        if lookup.split(LOOKUP_SEP)[0] not in self._declared_roots(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if issubclass(base, DeclaredOnlyChangeList):
            return base
        return type(base.__name__, (DeclaredOnlyChangeList, base), {})


def municipality_lookup(model):
    """The lookup from a model's rows to the municipality they belong to
    (through one relation at most, as an activity through its group), or
    None for what belongs to no municipality (users, roles)."""
    municipality = apps.get_model("portal", "Municipality")
    if issubclass(model, municipality):
        return "pk"
    relations = [
        field
        for field in model._meta.get_fields()
        if field.many_to_one and field.concrete and not field.null
    ]
    for field in relations:
        if issubclass(field.related_model, municipality):
            return field.name
    for field in relations:
        for further in field.related_model._meta.get_fields():
            if (
                further.many_to_one
                and further.concrete
                and not further.null
                and issubclass(further.related_model, municipality)
            ):
                return f"{field.name}{LOOKUP_SEP}{further.name}"
    return None


def for_municipality(request, queryset):
    """The rows of the request's municipality; all of them for the superuser."""
    if request.user.is_superuser:
        return queryset
    lookup = municipality_lookup(queryset.model)
    if lookup is None:
        return queryset
    municipality = getattr(request, "municipality", None)
    if not municipality:
        return queryset.none()
    return queryset.filter(**{lookup: municipality.pk})


class MunicipalityScoped:
    """Mixed into every ModelAdmin by PortalAdminSite: its list, its pages,
    its actions and exports, and the choices of its forms' relations hold
    only the request's municipality's rows (unless the user is a superuser).
    The autocomplete and the RelatedOnly list filters ask get_queryset too."""

    def get_queryset(self, request):
        return for_municipality(request, super().get_queryset(request))

    def get_changeform_initial_data(self, request):
        # A new record belongs to the municipality the admin is opened for.
        initial = super().get_changeform_initial_data(request)
        municipality = getattr(request, "municipality", None)
        if municipality and any(f.name == "municipality" for f in self.model._meta.fields):
            initial.setdefault("municipality", municipality.pk)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and getattr(field, "queryset", None) is not None:
            field.queryset = for_municipality(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and getattr(field, "queryset", None) is not None:
            field.queryset = for_municipality(request, field.queryset)
        return field


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (DeclaredLookupsOnly, MunicipalityScoped)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from django.urls import path

        from . import admin_reports

        def view(function):
            return self.admin_view(lambda request: function(request, self))

        return [
            path("reports/", view(admin_reports.reports_page), name="reports"),
            path("reports/session.pdf", view(admin_reports.session_pdf), name="reports_session"),
            path("reports/register.pdf", view(admin_reports.register_pdf), name="reports_register"),
            path("reports/groups.pdf", view(admin_reports.groups_pdf), name="reports_groups"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **self.moderation_waiting(request)}
        return super().index(request, extra_context)

    def moderation_waiting(self, request):
        """How many online proposals wait for a moderator (one query), for who handles them."""
        if not request.user.has_perm("hearings.view_moderationqueue"):
            return {}
        queue = apps.get_model("hearings", "ModerationQueue")
        model_admin = self._registry.get(queue)
        if model_admin is None:
            return {}
        return {
            "moderation_waiting": model_admin.get_queryset(request).count(),
            "moderation_url": reverse(
                f"{self.name}:hearings_moderationqueue_changelist", current_app=self.name
            ),
        }
