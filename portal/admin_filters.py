from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records whose staff-written text exists in one language but not the other."""

    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            ("ky", _("Kyrgyz text missing")),
            ("ru", _("Russian text missing")),
        ]

    def queryset(self, request, queryset):
        missing = self.value()
        if missing not in dict(settings.LANGUAGES):
            return queryset
        fields = translator.get_options_for_model(queryset.model).all_fields
        condition = Q()
        for field in fields:
            others = [code for code, _name in settings.LANGUAGES if code != missing]
            written = Q()
            for other in others:
                written |= Q(**{f"{field}_{other}__gt": ""})
            condition |= written & ~Q(**{f"{field}_{missing}__gt": ""})
        return queryset.filter(condition)
