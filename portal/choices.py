from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What a group works on, or what a proposal is about; shared by the apps."""

    DRINKING_WATER = "water", _("Drinking water")
    ROADS = "roads", _("Roads")
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    CULTURE = "culture", _("Culture and libraries")
    TRANSPORT = "transport", _("Transport")
    YOUTH = "youth", _("Youth")
    WOMEN = "women", _("Women")
    HEALTH = "health", _("Health")
    PASTURE = "pasture", _("Pasture and livestock")
    DISASTER = "disaster", _("Flood and disaster protection")
    OTHER = "other", _("Other")


# (model, field, language) -> {value: label}
_LABELS = {}


def display(obj, field_name):
    """What obj.get_FOO_display() gives, fast.

    Django's version hashes every choice of the field to look one up, and
    hashing a lazy label translates it: a proposal's status, kind and topic
    cost some 30 translations a card. The labels are read once per language.
    """
    key = (type(obj), field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        field = obj._meta.get_field(field_name)
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field_name)
    return labels.get(value, value)
