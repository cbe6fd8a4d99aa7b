from modeltranslation.translator import TranslationOptions, register

from .models import Activity, InitiativeGroup


@register(InitiativeGroup)
class InitiativeGroupTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "description")
