from modeltranslation.translator import TranslationOptions, register

from .models import Award, FundingContribution, Milestone, Output, Project, ProjectPhoto


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "problem", "done")


@register(FundingContribution)
class FundingContributionTranslation(TranslationOptions):
    fields = ("source_name", "description")


@register(Output)
class OutputTranslation(TranslationOptions):
    fields = ("unit", "description")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("description",)


@register(ProjectPhoto)
class ProjectPhotoTranslation(TranslationOptions):
    fields = ("alt",)


@register(Award)
class AwardTranslation(TranslationOptions):
    fields = ("competition", "initiative", "purchase")
