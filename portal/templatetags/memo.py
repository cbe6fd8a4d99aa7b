"""{% memo key... %}...{% endmemo %}: a piece of a template that depends on
nothing but its keys and the language, rendered once per process.

The main menu is the same on every page of a kind (its links and which one
is current), yet cost each page some 0.25 ms: nine reversed URLs and as
many translations. Unlike {% cache %}, nothing is pickled or expires: the
piece must not show data that can change (a municipality's name, a
count), only what its keys determine.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Pieces are few (languages × kinds of page); a bound all the same.
MEMO_LIMIT = 1000
_rendered = {}


class MemoNode(template.Node):
    def __init__(self, nodelist, keys, name):
        self.nodelist, self.keys, self.name = nodelist, keys, name

    def render(self, context):
        key = (self.name, get_language(), *(str(key.resolve(context)) for key in self.keys))
        output = _rendered.get(key)
        if output is None:
            if len(_rendered) >= MEMO_LIMIT:
                _rendered.clear()
            output = _rendered[key] = mark_safe(self.nodelist.render(context))
        return output


@register.tag
def memo(parser, token):
    """{% memo name key1 key2 %}: `name` tells pieces apart, the keys are
    variables (e.g. request.resolver_match.url_name)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} takes a name and keys.")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits[2:]], bits[1])
