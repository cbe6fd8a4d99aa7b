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
from django.utils import formats

register = template.Library()


@register.filter(is_safe=True)
def amount(value, decimal_pos=None):
    if value is None or value == "":
        return ""
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
    return formats.number_format(number, decimal_pos, use_l10n=True, force_grouping=True)
