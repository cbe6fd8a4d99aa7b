from modeltranslation.translator import TranslationOptions, register

from .models import BudgetLine, CouncilResolution, DevelopmentProgramme, Priority


@register(CouncilResolution)
class CouncilResolutionTranslation(TranslationOptions):
    fields = ("title",)


@register(DevelopmentProgramme)
class DevelopmentProgrammeTranslation(TranslationOptions):
    fields = ("title",)


@register(Priority)
class PriorityTranslation(TranslationOptions):
    fields = ("title", "expected_result")


@register(BudgetLine)
class BudgetLineTranslation(TranslationOptions):
    fields = ("name",)
