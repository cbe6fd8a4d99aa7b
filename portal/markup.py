"""Small pieces of markup the public pages write in Python (cards, links
under budget lines): the same text the template filters and tags give."""

import unicodedata

from django.urls import get_script_prefix, reverse
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language

# reverse() takes about 40 µs, three times a card: the pattern of each link
# is reversed once per language (and script prefix), then filled in.
_PATTERNS = {}
_PLACEHOLDER = "0000000000"


def url_of(view_name, argument):
    key = (view_name, get_language(), get_script_prefix())
    if key not in _PATTERNS:
        _PATTERNS[key] = reverse(view_name, args=[_PLACEHOLDER])
    return _PATTERNS[key].replace(_PLACEHOLDER, str(argument), 1)


def lang_attribute(code):
    return f' lang="{code}"' if code else ""


def truncate_chars(text, length):
    """Truncator(text).chars(length), as the truncatechars filter writes it,
    without its loop over every character when none of the first is a
    combining one (then each counts as one)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text[: length + 1])):
        return Truncator(text).chars(length)
    key = (get_language(), length)
    if key not in _ELLIPSIS:
        # What Truncator adds and how much of the text it keeps, per language.
        _ELLIPSIS[key] = (
            add_truncation_text("\0"),
            calculate_truncate_chars_length(length, None),
        )
    ellipsis, keep = _ELLIPSIS[key]
    return ellipsis.replace("\0", text[:keep])


_ELLIPSIS = {}
