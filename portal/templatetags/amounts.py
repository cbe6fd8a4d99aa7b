"""The `amount` filter: sums of money and large counts with their thousands
grouped as the current language writes them ("250 000" with a non-breaking
space in Kyrgyz and Russian).

USE_THOUSAND_SEPARATOR is off on purpose (years, ids and codes must stay
whole), so grouping is asked for where a figure is an amount:

    {% load amounts %}{{ project.local_budget|amount }} сом
    {{ share|amount:1 }}   (one decimal, with the language's decimal comma)
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# The decimal separator, grouping and thousands separator of each language,
# looked up once: a budget page writes some two hundred amounts.
_SEPARATORS = {}
ZERO = Decimal(0)
# numberformat's cutoff for the decimals shown: 0.1 for none or one, 0.01 for two.
_CUTOFFS = {}


@receiver(setting_changed)
def _forget_separators(**kwargs):
    _SEPARATORS.clear()


def _separators():
    language = get_language()
    separators = _SEPARATORS.get(language)
    if separators is None:
        separators = _SEPARATORS[language] = tuple(
            formats.get_format(name, language, use_l10n=True)
            for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
        )
    return separators


@register.filter(is_safe=True)
def amount(value, decimal_pos=None):
    if value is None or value == "":
        return ""
    if type(value) is Decimal:
        # str() and back gives the same Decimal: skip it.
        number = value
    else:
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError, TypeError):
            return value
    if decimal_pos in (None, ""):
        # Whole sums are written without ",00"; others keep their decimals.
        decimal_pos = 0 if number == number.to_integral_value() else None
    else:
        decimal_pos = int(decimal_pos)
        # number_format cuts extra decimals off; round them as people do.
        number = number.quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    decimal_sep, grouping, thousand_sep = _separators()
    if grouping.__class__ is not int or grouping <= 0 or not number.is_finite():
        return formats.number_format(number, decimal_pos, use_l10n=True, force_grouping=True)
    return _format(number, decimal_pos, decimal_sep, grouping, thousand_sep)


def _cutoff(places):
    cutoff = _CUTOFFS.get(places)
    if cutoff is None:
        cutoff = _CUTOFFS[places] = Decimal("0." + "1".rjust(places, "0"))
    return cutoff


def _format(number, decimal_pos, decimal_sep, grouping, thousand_sep):
    """What django.utils.numberformat.format writes for a finite Decimal
    grouped in equal groups, without its lookups and its digit-by-digit loop."""
    if decimal_pos is not None and abs(number) < _cutoff(decimal_pos):
        # Too small for the decimals shown (or, for a whole number, for the
        # first): written as 0, never "-0".
        number = ZERO
    text = f"{number:f}"
    if len(text) > 100:
        _sign, digits, exponent = number.as_tuple()
        if abs(exponent) + len(digits) > 200:
            # numberformat writes these in scientific notation.
            return formats.number_format(number, decimal_pos, use_l10n=True, force_grouping=True)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    int_part, _point, dec_part = text.partition(".")
    if decimal_pos is not None:
        dec_part = dec_part[:decimal_pos].ljust(decimal_pos, "0")
    if dec_part:
        dec_part = decimal_sep + dec_part
    if len(int_part) > grouping:
        head = len(int_part) % grouping or grouping
        int_part = thousand_sep.join(
            [
                int_part[:head],
                *(int_part[i : i + grouping] for i in range(head, len(int_part), grouping)),
            ]
        )
    return sign + int_part + dec_part
