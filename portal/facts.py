"""What a municipality's list pages show on every request and few writes
change: the filters' villages, hearings and years.

Each fact is kept in the default cache per municipality and language, under
the municipality's generation. A write to one of its villages, hearings or
proposals (a save, a delete, or a queryset's update, delete or bulk write)
starts a new generation: at once in this process, again at the commit. With
the per-process default cache the other processes see the change within
FACTS_CACHE_SECONDS; with a shared one (CACHE_URL) at once. Raw SQL does not
pass here: call forget_facts() after it.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.utils.translation import get_language


def _cache():
    return caches["default"]


def _generation_key(municipality_id):
    return f"facts:{municipality_id}"


def remembered(municipality_id, name, compute):
    """compute(), kept FACTS_CACHE_SECONDS for this municipality and language."""
    cache = _cache()
    generation = cache.get(_generation_key(municipality_id))
    if generation is None:
        # Lost or never set: a new start that no key left from before holds.
        generation = time.time_ns()
        cache.set(_generation_key(municipality_id), generation, settings.FACTS_CACHE_SECONDS)
    key = f"facts:{municipality_id}:{generation}:{name}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FACTS_CACHE_SECONDS)
    return value


def forget_facts(*municipality_ids):
    cache = _cache()
    cache.delete_many([_generation_key(pk) for pk in municipality_ids])


def _forget_now_and_on_commit(municipality_ids):
    # Now, for this transaction's own requests; again at the commit, in case
    # another request cached the old rows in between.
    municipality_ids = {pk for pk in municipality_ids if pk is not None}
    if municipality_ids:
        forget_facts(*municipality_ids)
        transaction.on_commit(lambda: forget_facts(*municipality_ids))


class ChangesFactsQuerySet(models.QuerySet):
    """A queryset whose bulk writes make its municipalities' facts stale."""

    def _municipalities(self):
        return set(self.values_list("municipality_id", flat=True).distinct().order_by())

    def update(self, **kwargs):
        municipalities = self._municipalities()
        rows = super().update(**kwargs)
        # Rows moved to another municipality change its facts too.
        moved_to = kwargs.get("municipality_id", getattr(kwargs.get("municipality"), "pk", None))
        _forget_now_and_on_commit(municipalities | {moved_to})
        return rows

    def delete(self):
        municipalities = self._municipalities()
        deleted = super().delete()
        _forget_now_and_on_commit(municipalities)
        return deleted

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _forget_now_and_on_commit(obj.municipality_id for obj in created)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        _forget_now_and_on_commit(obj.municipality_id for obj in objs)
        return rows


class ChangesFacts(models.Model):
    """A row of a municipality whose save or delete makes its facts stale."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_now_and_on_commit([self.municipality_id])

    def delete(self, *args, **kwargs):
        municipality_id = self.municipality_id
        deleted = super().delete(*args, **kwargs)
        _forget_now_and_on_commit([municipality_id])
        return deleted
