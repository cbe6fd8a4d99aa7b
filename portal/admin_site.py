"""The portal's admin site: every list filters and sorts only by what its
ModelAdmin declares.

Django's ModelAdmin.lookup_allowed accepts any lookup on the model's own
fields, so a query string such as ?author_email__startswith=a lets anyone
who sees a list guess private values one character at a time. Here a
list answers 400 to any parameter that no declared filter (list_filter,
date_hierarchy) takes, and to sorting by a column outside sortable_by.
PortalAdminSite mixes this into every ModelAdmin registered with it, the
project's and Django's own alike.
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
            elif getattr(item, "parameter_name", None):
                roots.add(item.parameter_name)
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


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredLookupsOnly):
            admin_class = type(admin_class.__name__, (DeclaredLookupsOnly, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

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
