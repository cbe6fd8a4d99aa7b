"""Russian formats: Django's, with "в" between the date and the time
("25 ноября 2022 г. в 14:00" rather than "25 ноября 2022 г. 14:00")."""

from django.conf.locale.ru.formats import *  # noqa: F403

DATETIME_FORMAT = "j E Y г. в G:i"
