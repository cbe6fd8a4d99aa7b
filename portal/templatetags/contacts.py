import re

from django import template

register = template.Library()


@register.filter
def tel_href(phone):
    """A phone as a tel: link wants it: "0777 787 138" -> "tel:+996777787138".

    Kyrgyz numbers are written with the trunk 0; the link carries the country
    code so that it also works from a phone with a foreign SIM card.
    """
    digits = re.sub(r"[^\d+]", "", phone)
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+996" + digits[1:]
    return f"tel:{digits}"
