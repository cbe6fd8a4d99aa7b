"""Ways of reading rows that public pages share: translated columns,
short child lists inside their parent's row, and queries composed once per
language instead of on every request (each costs a page 0.3-2 ms)."""

import functools
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order


def translated(field):
    """The text modeltranslation shows for `field` in the current language
    (the fallback language's when empty), as an expression for a query."""
    languages = resolution_order(get_language() or settings.LANGUAGE_CODE)
    return Coalesce(
        *(NullIf(F(build_localized_fieldname(field, code)), Value("")) for code in languages),
        Value(""),
        output_field=models.TextField(),
    )


def in_every_language(*fields):
    """The columns of translated `fields`: title_ky, title_ru..."""
    return [f"{field}_{code}" for field in fields for code, _name in settings.LANGUAGES]


class _ExactNumbers(json.JSONDecoder):
    """Reads 4.50 as Decimal("4.50"), as the column holds it, not a float."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_float=Decimal, **kwargs)


def json_rows(rows, *fields, **related):
    """A short child list (`rows`, filtered by an OuterRef) as a JSON array
    in its parent's own query: a page reads it without a query of its own,
    which costs more to build and send than the list costs to read.

    Each row holds `fields` (attnames) and, for each `related` name, a dict
    of those fields of the related row. from_json() gives the models back.
    """
    row = {field: F(field) for field in fields}
    for name, names in related.items():
        row[name] = JSONObject(**{field: F(f"{name}__{field}") for field in names})
    return ArraySubquery(
        rows.annotate(row=JSONObject(**row)).values("row"),
        output_field=ArrayField(models.JSONField(decoder=_ExactNumbers)),
    )


def from_json(model, rows):
    """Instances of `model` from json_rows()'s rows, as a query would load
    them with .only() those fields (the others deferred)."""
    return [_instance(model, row) for row in rows]


def _instance(model, row):
    names, values, related = [], [], []
    for field in model._meta.concrete_fields:
        if field.attname in row:
            names.append(field.attname)
            values.append(field.to_python(row[field.attname]))
        if field.is_relation and isinstance(row.get(field.name), dict):
            related.append(field)
    instance = model.from_db(DEFAULT_DB_ALIAS, names, values)
    for field in related:
        setattr(instance, field.name, _instance(field.related_model, row[field.name]))
    return instance


def precompiled(model, **annotations):
    """`annotations` of `model`'s rows (subqueries over OuterRef("pk") and
    the like), each compiled to its SQL once: for .annotate(**...).

    Django compiles every subquery of a queryset again for each query, some
    0.3-0.5 ms a JSON list: an annotation of a queryset that built_once()
    keeps is better kept compiled too. Its outer row is the model's table
    by its own name, as in any query that does not join the table to itself.
    """
    query = model._default_manager.all().query
    compiler = query.get_compiler(DEFAULT_DB_ALIAS)
    compiled = {}
    for name, expression in annotations.items():
        resolved = expression.resolve_expression(query, allow_joins=True)
        sql, params = compiler.compile(resolved)
        compiled[name] = RawSQL(sql, params, output_field=resolved.output_field)
    return compiled


def built_once(build=None, *, varies_with=()):
    """Memoizes a function that builds a queryset, once per language (and
    per value of each `varies_with` function, the build's other inputs).

    Building a queryset whose annotations are subqueries (each resolved
    against the query) costs a public page 1-2 ms; a clone of it, 0.05 ms.
    As with a class-based view's `queryset`, every call returns a clone
    (`.all()`) to filter; the stored one is never evaluated."""
    if build is None:
        return functools.partial(built_once, varies_with=varies_with)
    built = {}

    @functools.wraps(build)
    def clone():
        key = (get_language(), *(inputs() for inputs in varies_with))
        if key not in built:
            built[key] = build()
        return built[key].all()

    return clone


class Composed:
    """A query Django composes once per language and PostgreSQL runs with
    each request's ids: composing the budget page's window functions,
    aggregates and subqueries cost the page more than running them.

    `build(*ids)` returns a .values() queryset; it is built with placeholder
    ids (negative: never a row's), which each call of rows(*ids) replaces.
    Rows come as dicts, as .values() gives them (with its converters)."""

    def __init__(self, build, ids=1):
        self.build = build
        self.placeholders = [-7_000_001 - n for n in range(ids)]
        self.composed = {}

    def _compose(self):
        queryset = self.build(*self.placeholders)
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots = [
            self.placeholders.index(param)
            if type(param) is int and param in self.placeholders
            else None
            for param in params
        ]
        assert all(n in slots for n in range(len(self.placeholders))), "an id was not used"
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return queryset.db, compiler, sql, list(params), slots, converters

    def rows(self, *ids):
        language = get_language()
        composed = self.composed.get(language)
        if composed is None:
            composed = self.composed[language] = self._compose()
        db, compiler, sql, params, slots, converters = composed
        params = [
            param if slot is None else ids[slot] for param, slot in zip(params, slots, strict=True)
        ]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            # Named as the columns come (modeltranslation reorders them).
            names = [column.name for column in cursor.description]
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row, strict=True)) for row in rows]
