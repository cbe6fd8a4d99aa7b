import re

from django.utils.text import slugify

# Control characters other than tab and line breaks: never meant in typed text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text):
    return CONTROL_CHARACTERS.sub("", text)


# Kyrgyz and Russian Cyrillic in Latin letters, as Kyrgyz is commonly
# romanised; slugs stay readable in a URL sent by SMS or messenger.
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
        "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
        "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


def latin_slug(text, max_length=80):
    """A URL slug for Kyrgyz or Russian text: 'Таза суу' -> 'taza-suu'."""
    latin = text.lower().translate(_CYRILLIC_TO_LATIN)
    return slugify(latin)[:max_length].strip("-")


def unique_slug(instance, text, *, fallback, **scope):
    """A slug for `instance` from `text`, unique among the rows of its model
    in `scope` (its municipality): "taza-suu", then "taza-suu-2", ..."""
    # Room for a "-NN" suffix within the column's 80 characters.
    base = latin_slug(text or "", max_length=76) or fallback
    taken = set(
        type(instance)
        .objects.filter(slug__startswith=base, **scope)
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
