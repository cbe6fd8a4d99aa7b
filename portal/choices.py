from django.db import models
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
