from modeltranslation.translator import TranslationOptions, register

from .models import Hearing, ModerationQueue, Proposal


@register(Hearing)
class HearingTranslation(TranslationOptions):
    fields = ("title", "place", "announcement", "protocol")


@register(Proposal)
class ProposalTranslation(TranslationOptions):
    fields = ("text", "decision")


@register(ModerationQueue)
class ModerationQueueTranslation(TranslationOptions):
    fields = ()
