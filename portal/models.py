from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.cache import caches
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .facts import (
    ChangesFacts,
    ChangesFactsQuerySet,
    forget_generation,
    generation,
    now_and_on_commit,
    remembered,
)


def normalise_host(host):
    """A request's host as the lookups compare it: no port, lower case, no
    trailing dot."""
    return host.split(":")[0].lower().rstrip(".")


def is_root_domain(host):
    """Whether `host` is the national installation's own domain (or www. +
    it), whose home page lists the municipalities (PORTAL_ROOT_DOMAIN)."""
    root = settings.PORTAL_ROOT_DOMAIN
    return bool(root) and normalise_host(host).removeprefix("www.") == root


# The host lookups kept in the default cache. Every key holds the current
# generation, which saving or deleting a municipality moves on: the old
# answers are never read again and expire (or are culled) on their own.
HOST_CACHE_PREFIX = "portal:municipality-for-host"
HOST_CACHE_GENERATION = f"{HOST_CACHE_PREFIX}:generation"
# Cached for a host that names no municipality (None means "not cached").
UNKNOWN_HOST = "unknown"


def _host_cache_generation():
    return generation(HOST_CACHE_GENERATION, timeout=None)


def forget_cached_hosts():
    """Make every cached host lookup stale, in the shared cache (or, with a
    per-process one, in this process; the others' expire within
    MUNICIPALITY_CACHE_SECONDS)."""
    forget_generation(HOST_CACHE_GENERATION)


def _forget_cached_hosts_now_and_on_commit():
    now_and_on_commit(forget_cached_hosts)


class MunicipalityQuerySet(models.QuerySet):
    def for_host(self, host):
        """The municipality a request is for: the one whose domain is the
        host ("www." or not, any case; one query through the lower(domain)
        index); on an installation with only one municipality, that one
        whatever the host; else None, and the pages answer 404, never with
        another municipality's pages or forms. Uncached: see cached_for_host."""
        host = normalise_host(host)
        hosts = {host, host.removeprefix("www.")}
        # The domain's row (the partial unique index on lower(domain) serves
        # it) and the first two rows, which tell a one-municipality
        # installation: one query.
        by_domain = (
            self.alias(domain_lower=Lower("domain"))
            .exclude(domain="")
            .filter(domain_lower__in=hosts)
            .order_by()[:1]
        )
        rows = list(by_domain.union(self.order_by("pk")[:2], all=True))
        for row in rows:
            if row.domain.lower() in hosts:
                return row
        return rows[0] if len({row.pk for row in rows}) == 1 else None

    # Writes in bulk (the admin's "delete selected", scripts) change the
    # hosts' answers as much as a save does. Raw SQL does not pass here:
    # call forget_cached_hosts() after it (or wait MUNICIPALITY_CACHE_SECONDS).
    def update(self, **kwargs):
        rows = super().update(**kwargs)
        _forget_cached_hosts_now_and_on_commit()
        return rows

    def delete(self):
        deleted = super().delete()
        _forget_cached_hosts_now_and_on_commit()
        return deleted

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        _forget_cached_hosts_now_and_on_commit()
        return created


class MunicipalityManager(models.Manager.from_queryset(MunicipalityQuerySet)):
    def cached_for_host(self, host):
        """for_host, kept MUNICIPALITY_CACHE_SECONDS in the default cache: a
        hit makes no query and gives the whole row, enough for any page.
        Unknown hosts are cached too, so repeating one costs no query."""
        host = normalise_host(host)
        cache = caches["default"]
        key = f"{HOST_CACHE_PREFIX}:{_host_cache_generation()}:{host}"
        cached = cache.get(key)
        if cached is not None:
            return None if cached == UNKNOWN_HOST else cached
        municipality = self.for_host(host)
        cache.set(key, municipality or UNKNOWN_HOST, timeout=settings.MUNICIPALITY_CACHE_SECONDS)
        return municipality


class Municipality(models.Model):
    """An ayil aymagy with its executive, the ayil okmotu."""

    name = models.CharField(_("name"), max_length=200)
    district = models.CharField(_("district"), max_length=200)
    region = models.CharField(_("region"), max_length=200)
    intro = models.TextField(_("short introduction"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phones = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("phones"),
        blank=True,
        default=list,
        help_text=_("Separate several numbers with commas."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Printed under the council reports, above the signature lines.
    head_name = models.CharField(
        _("head of the ayil okmotu"),
        max_length=200,
        blank=True,
        help_text=_("Full name, as it is signed under the council reports."),
    )
    council_secretary_name = models.CharField(
        _("council secretary"),
        max_length=200,
        blank=True,
        help_text=_("Full name, as it is signed under the council reports."),
    )
    domain = models.CharField(
        _("domain"),
        max_length=253,
        blank=True,
        help_text=_("Host name this municipality's portal answers on, e.g. birinchi-may.kg."),
    )

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("domain"),
                condition=~models.Q(domain=""),
                name="municipality_unique_domain",
                violation_error_message=_("Another municipality already uses this domain."),
            ),
        ]

    def __str__(self):
        return self.name

    # Any saved or deleted municipality may change which one a host names
    # (a new domain; a second municipality ends "every host is the only
    # one"): the cached lookups are forgotten (the queryset does the same
    # for its bulk writes).
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_cached_hosts_now_and_on_commit()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_cached_hosts_now_and_on_commit()
        return result

    def village_choices(self):
        """(pk, name) of its villages, by name, for the filters and forms:
        cached with its facts (portal/facts.py)."""
        return remembered(
            self.pk,
            "villages",
            lambda: [(village.pk, str(village)) for village in self.villages.all()],
        )


class Village(ChangesFacts):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="villages",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_centre = models.BooleanField(_("administrative centre"), default=False)

    objects = ChangesFactsQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "municipality",
                "name",
                name="village_unique_name_per_municipality",
                violation_error_message=_("This municipality already has a village of that name."),
            ),
            models.UniqueConstraint(
                "municipality",
                condition=models.Q(is_centre=True),
                name="village_one_centre_per_municipality",
                violation_error_message=_("The municipality already has an administrative centre."),
            ),
        ]

    def __str__(self):
        return self.name
