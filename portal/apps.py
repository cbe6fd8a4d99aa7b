from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Municipality")

    def ready(self):
        from . import admin_i18n, checks  # noqa: F401  (checks registers the system checks)

        admin_i18n.install()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site as admin.site."""

    default = False  # "portal" itself stays PortalConfig
    default_site = "portal.admin_site.PortalAdminSite"
