from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Municipality, Village

admin.site.site_header = _("Participation portal: administration")
admin.site.site_title = _("Participation portal")
admin.site.index_title = _("Administration")


class VillageInline(TranslationTabularInline):
    model = Village
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    list_display = ["name", "district", "region", "email", "domain"]
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
        (_("Hosting"), {"fields": ["domain"]}),
    ]


@admin.register(Village)
class VillageAdmin(TranslationAdmin):
    list_display = ["name", "municipality", "is_centre"]
    list_filter = ["municipality"]
    search_fields = ["name_ky", "name_ru"]
