from modeltranslation.translator import TranslationOptions, register

from .models import Municipality, Village


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name", "district", "region", "intro", "address")


@register(Village)
class VillageTranslation(TranslationOptions):
    fields = ("name",)
