from html import escape

from django import forms
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select whose options are written in Python.

    Django renders each option through a template of its own, and even
    format_html costs some 25 µs an option: a list's filters (topics,
    statuses, villages, thirty hearings, years) took about 5 ms a page.
    Same markup, without option groups (no filter here has any).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"] if option["value"] is not None else ""))}"'
            f"{' selected' if option['selected'] else ''}>{escape(str(option['label']))}</option>"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        attributes = "".join(
            f' {key}="{escape(str(value))}"' if value is not True else f" {key}"
            for key, value in widget["attrs"].items()
            if value is not False and value is not None
        )
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')


def checks_choice(form, name, queryset):
    """Give a ModelChoiceField its queryset only when the form has a value
    to check with it: unbound or left empty, the field never reads it, and
    building it cost a list page 0.3 ms a field."""
    if form.is_bound and form.data.get(form.add_prefix(name)):
        form.fields[name].queryset = queryset()


def offer_villages(form, name, municipality):
    """A village field of `municipality`: its queryset checks the chosen
    village, its select shows the municipality's cached villages
    (Municipality.village_choices), with the field's empty label first."""
    field = form.fields[name]
    checks_choice(form, name, municipality.villages.all)
    # After the queryset, which would set the choices from itself.
    field.widget.choices = [("", field.empty_label), *municipality.village_choices()]
