from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class MunicipalityQuerySet(models.QuerySet):
    def for_host(self, host):
        """The municipality a request is for: the one whose domain is the
        host ("www." or not, any case; one query through the lower(domain)
        index); on an installation with only one municipality, that one
        whatever the host; else None, and the pages answer 404, never with
        another municipality's pages or forms."""
        host = host.split(":")[0].lower().rstrip(".")
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

    objects = MunicipalityQuerySet.as_manager()

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


class Village(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="villages",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_centre = models.BooleanField(_("administrative centre"), default=False)

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
