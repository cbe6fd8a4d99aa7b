from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .admin_filters import MissingTranslationFilter
from .admin_i18n import TranslatedPermissionsMixin
from .models import Municipality, Village

admin.site.site_header = _("Participation portal: administration")
admin.site.site_title = _("Participation portal")
admin.site.index_title = _("Administration")

# Auth's own admins, with permissions named in the current language
# (the database stores them in English).
admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(Group)
class RoleAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass


@admin.register(get_user_model())
class PortalUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    pass


class VillageInline(TranslationTabularInline):
    model = Village
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    list_display = ["name", "district", "region", "email", "domain"]
    list_filter = [MissingTranslationFilter]
    search_fields = ["name_ky", "name_ru"]
    inlines = [VillageInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "phones":
            field.widget.attrs["class"] = "vTextField"
        return field

    fieldsets = [
        (None, {"fields": ["name", "district", "region", "intro"]}),
        (_("Contacts"), {"fields": ["address", "phones", "email"]}),
        (_("Signatures under the reports"), {"fields": ["head_name", "council_secretary_name"]}),
        (_("Hosting"), {"fields": ["domain"]}),
    ]


@admin.register(Village)
class VillageAdmin(TranslationAdmin):
    list_display = ["name", "municipality", "is_centre"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter), MissingTranslationFilter]
    search_fields = ["name_ky", "name_ru"]
