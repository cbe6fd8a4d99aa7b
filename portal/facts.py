"""What a municipality's pages show on every request and few writes change:
the filters' villages, latest hearings and years, the number of public
proposals in the list and in each filter asked for, the names of the
villages, groups and hearings that proposal cards show, the figures of its
groups' members and its projects' totals, the pages of its groups,
projects, programmes and hearings lists (the latter for the minute) and of
its proposals list's filters (not of a search), and
what its budget, programme, priority, project, hearing and group pages
show but their page of proposals.

Each fact is kept in the default cache per municipality and language, under
the municipality's generation. A write to any row those come from (a save,
a delete, or a queryset's update, delete or bulk write) starts a new
generation: at once in this process, again at the commit. With the
per-process default cache the other processes see the change within
FACTS_CACHE_SECONDS; with a shared one (CACHE_URL) at once. Raw SQL does
not pass here: call forget_facts() after it.

The generations and the forgetting at commit serve the host lookups too
(portal/models.py).
"""

import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.utils.translation import get_language


def generation(key, timeout):
    """The generation kept under `key`: the part of cache keys that
    forget_generation() makes stale. Lost (a restart, a cull) or forgotten,
    a new one starts that no key left from before can hold."""
    cache = caches["default"]
    current = cache.get(key)
    if current is None:
        # Random, not the time: two generations in one tick of the clock (or
        # under a frozen clock) would be one.
        cache.add(key, secrets.token_hex(8), timeout=timeout)
        current = cache.get(key) or secrets.token_hex(8)
    return current


def forget_generation(*keys):
    caches["default"].delete_many(keys)


def now_and_on_commit(forget):
    """forget() now, for this transaction's own requests, and again at the
    commit, in case another request cached the old rows in between."""
    forget()
    transaction.on_commit(forget)


def _generation_key(municipality_id):
    return f"facts:{municipality_id}"


def remembered(municipality_id, name, compute, *, translated=True):
    """compute(), kept FACTS_CACHE_SECONDS for this municipality and, when
    it holds text (`translated`), for each language; a number is kept once."""
    cache = caches["default"]
    current = generation(_generation_key(municipality_id), settings.FACTS_CACHE_SECONDS)
    language = get_language() if translated else "-"
    key = f"facts:{municipality_id}:{current}:{name}:{language}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FACTS_CACHE_SECONDS)
    return value


def forget_facts(*municipality_ids):
    forget_generation(*(_generation_key(pk) for pk in municipality_ids))


def _forget_now_and_on_commit(municipality_ids):
    municipality_ids = {pk for pk in municipality_ids if pk is not None}
    if municipality_ids:
        now_and_on_commit(lambda: forget_facts(*municipality_ids))


class ChangesFactsQuerySet(models.QuerySet):
    """A queryset whose bulk writes make its municipalities' facts stale."""

    # The lookup from a row to its municipality (a child row's: through its parent).
    municipality_lookup = "municipality_id"

    def _municipalities(self):
        return set(self.values_list(self.municipality_lookup, flat=True).distinct().order_by())

    def update(self, **kwargs):
        # Rows moved to another municipality (or parent) change its facts too.
        link = self.model._meta.get_field(self.municipality_lookup.split("__")[0])
        moved = link.name in kwargs or link.attname in kwargs
        pks = list(self.values_list("pk", flat=True)) if moved else []
        municipalities = self._municipalities()
        rows = super().update(**kwargs)
        if moved:
            municipalities |= self.model._default_manager.filter(pk__in=pks)._municipalities()
        _forget_now_and_on_commit(municipalities)
        return rows

    def delete(self):
        municipalities = self._municipalities()
        deleted = super().delete()
        _forget_now_and_on_commit(municipalities)
        return deleted

    def _municipalities_of(self, objs):
        if self.municipality_lookup == "municipality_id":
            return {obj.municipality_id for obj in objs}
        # Through their parents: one query, not one per row.
        pks = [obj.pk for obj in objs]
        return self.model._default_manager.filter(pk__in=pks)._municipalities()

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _forget_now_and_on_commit(self._municipalities_of(created))
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        _forget_now_and_on_commit(self._municipalities_of(objs))
        return rows


# A row's link to its municipality that was not loaded (only(), defer()).
_NOT_LOADED = object()


class ChangesFacts(models.Model):
    """A row of a municipality whose save or delete makes its facts stale."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The municipality in the database, if the instance names another
        # (moved, or about to be): both are told.
        moved_from = self._facts_moved_from()
        super().save(*args, **kwargs)
        link = self._facts_link()[0]
        fields = kwargs.get("update_fields")
        if fields is None or link.name in fields or link.attname in fields:
            self._facts_link_loaded = self.__dict__.get(link.attname, _NOT_LOADED)
        _forget_now_and_on_commit([self.facts_municipality_id(), moved_from])

    def delete(self, *args, **kwargs):
        municipality_id = self.facts_municipality_id()
        deleted = super().delete(*args, **kwargs)
        _forget_now_and_on_commit([municipality_id])
        return deleted

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        link = self._facts_link()[0]
        fields = kwargs.get("fields")
        if link.attname in self.__dict__ and (fields is None or link.attname in fields):
            self._facts_link_loaded = self.__dict__[link.attname]

    @classmethod
    def _facts_link(cls):
        """The field leading to the municipality (its own, or its parent's
        link) and the lookup from the parent on; worked out once a class."""
        if "_facts_link_cached" not in cls.__dict__:
            queryset = cls._default_manager.get_queryset()
            lookup = getattr(queryset, "municipality_lookup", "municipality_id")
            name, _, rest = lookup.partition("__")
            cls._facts_link_cached = (cls._meta.get_field(name), rest)
        return cls._facts_link_cached

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        row = super().from_db(db, field_names, values, **kwargs)
        # As loaded, to tell a save that moves the row to another municipality.
        row._facts_link_loaded = row.__dict__.get(cls._facts_link()[0].attname, _NOT_LOADED)
        return row

    def _facts_moved_from(self):
        """The municipality a saved row was moved from (one query, only
        when its municipality or parent changed), or None."""
        loaded = getattr(self, "_facts_link_loaded", None)
        link, rest = self._facts_link()
        if loaded is None or link.attname not in self.__dict__:
            return None  # a new row, or its link not loaded, so not saved
        if loaded is _NOT_LOADED:
            # Loaded without it (only()), then set: read what it was.
            rows = type(self)._base_manager.filter(pk=self.pk)
            loaded = rows.values_list(link.attname, flat=True).first()
        if loaded == self.__dict__[link.attname]:
            return None
        if not rest:
            return loaded
        parents = link.related_model._base_manager.filter(pk=loaded)
        return parents.values_list(rest, flat=True).first()

    def facts_municipality_id(self):
        """Its municipality; a child row's model returns its parent's."""
        return self.municipality_id
