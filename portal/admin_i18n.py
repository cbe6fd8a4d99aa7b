"""The admin in Kyrgyz and Russian where Django leaves English behind.

- Permission names are stored in English in the database ("Can add log
  entry"); the role and user forms label them from the codename and the
  model's translated names instead.
- Boolean icons carry the Python value as their alt text ("True").
- select2, behind the autocomplete fields, ships no Kyrgyz messages.
"""

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission):
    """ "Proposals and questions · proposal or question: add", translated.

    Custom permissions (a model's Meta.permissions) show their own, lazily
    translated, name; a permission whose model is gone shows what is stored.
    """
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    action, __, model_name = permission.codename.partition("_")
    if model_name == opts.model_name and action in opts.default_permissions:
        what = PERMISSION_ACTIONS.get(action, permission.name)
    else:
        what = dict(opts.permissions).get(permission.codename, permission.name)
    return f"{opts.app_config.verbose_name} · {opts.verbose_name}: {what}"


class PermissionMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class TranslatedPermissionsMixin:
    """For a ModelAdmin whose form chooses permissions (roles, users)."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.permission_fields:
            kwargs["form_class"] = PermissionMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


BOOLEAN_ALT = {
    True: pgettext_lazy("boolean icon", "Yes"),
    False: pgettext_lazy("boolean icon", "No"),
    None: pgettext_lazy("boolean icon", "Unknown"),
}


def boolean_icon(field_val):
    """Django's _boolean_icon with a translated alt text."""
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), BOOLEAN_ALT[field_val]
    )


def install():
    """Called from PortalConfig.ready()."""
    # Django 6.1 writes alt="True"/"False"/"None" on the admin's boolean icons
    # (admin_list._boolean_icon, str() of the value), and no setting or
    # template changes it. Its three callers (the changelist, readonly fields,
    # display_for_field/value) import the function from admin_list when they
    # run, so replacing it there is one assignment, with nothing copied from
    # Django's templates. Drop this once Django translates the alt text.
    admin_list._boolean_icon = boolean_icon
    # Django has select2 messages for Russian but none for Kyrgyz: ours are in
    # static/admin/js/vendor/select2/i18n/ky.js, where the autocomplete widget
    # looks for "<code>.js" once the code is in this mapping.
    widgets.SELECT2_TRANSLATIONS.setdefault("ky", "ky")
