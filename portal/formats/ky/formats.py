"""Kyrgyz formats, as the municipality's own documents write them.

Dates: "2022-жылдын 25-ноябры" (the year in the genitive, the month in the
possessive: "E" is the "alt. month" name, which locale/ky gives in that
form; plain month names, "F", are lowercase). Numbers: a decimal comma
("4,5 км") and a non-breaking space between thousands ("250 000 сом"),
which only the `amount` filter applies: USE_THOUSAND_SEPARATOR stays off,
so years and ids are never split.
"""

DATE_FORMAT = "Y-жылдын j-E"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y-жылдын j-E, G:i"
YEAR_MONTH_FORMAT = "Y-жылдын E"
MONTH_DAY_FORMAT = "j-F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The first format is the one forms display; ISO dates are accepted too.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.11.2022'
    "%Y-%m-%d",  # '2022-11-25'
    "%d.%m.%y",  # '25.11.22'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a non-breaking space
NUMBER_GROUPING = 3
