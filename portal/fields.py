from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _


def has_text(field):
    """A condition: the (translated, nullable) text field holds something."""
    empty = Value("", output_field=models.TextField())
    return GreaterThan(Coalesce(field, empty), empty)


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as checkboxes instead of comma-separated text."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.base_field.choices,
            coerce=self.base_field.to_python,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


def not_negative(prefix, *fields, message=None):
    """Named constraints: each of `fields` is empty or at least zero."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
            name=f"{prefix}_{field}_not_negative",
            violation_error_message=message or _("A figure cannot be negative."),
        )
        for field in fields
    ]
